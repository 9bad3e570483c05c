#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# A dump of the mappings that stops after its first parts, runs a command,
# and reads the rest: what a reader sees when the table changes under a
# dump (hairpinctl save while a batch runs). Prints the external ports of
# the mappings dumped, one per line, then "intr" if the kernel marked the
# dump as interrupted (NLM_F_DUMP_INTR), or "done".
#
#   dump-pause.py COMMAND [ARGS...]
#
# Python's standard library speaks netlink well enough for this one
# request; hairpinctl reads dumps whole and retries, as it should.
import socket
import struct
import subprocess
import sys

NLM_F_REQUEST, NLM_F_DUMP, NLM_F_DUMP_INTR = 0x1, 0x300, 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
HAIRPIN_CMD_GET_MAP, HAIRPIN_A_MAP, HAIRPIN_MAP_A_PORT = 6, 4, 3


def attr(kind, payload):
    return struct.pack('=HH', 4 + len(payload), kind) + payload + \
        b'\0' * (-len(payload) % 4)


def request(sock, kind, flags, cmd, attrs=b''):
    body = struct.pack('=BBH', cmd, 1, 0) + attrs
    sock.send(struct.pack('=IHHII', 16 + len(body), kind, flags, 1, 0) + body)


def attrs(data):
    while len(data) >= 4:
        length, kind = struct.unpack_from('=HH', data)
        yield kind & 0x3fff, data[4:length]
        data = data[(length + 3) & ~3:]


def messages(chunk):
    while len(chunk) >= 16:
        length, kind, flags = struct.unpack_from('=IHH', chunk)
        yield kind, flags, chunk[16:length]
        chunk = chunk[(length + 3) & ~3:]


def main():
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    request(sock, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY,
            attr(CTRL_ATTR_FAMILY_NAME, b'hairpin\0'))
    family = None
    for kind, _, body in messages(sock.recv(65536)):
        if kind == NLMSG_ERROR:
            sys.exit('no hairpin family')
        for a, value in attrs(body[4:]):
            if a == CTRL_ATTR_FAMILY_ID:
                family = struct.unpack('=H', value[:2])[0]

    # A new socket, which has never read more: the kernel makes the first
    # part about a page long, and each next one, as long as the buffer the
    # reader offers, while the reader takes the one before. So the command
    # runs after two parts of the dump, before the third.
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    request(sock, family, NLM_F_REQUEST | NLM_F_DUMP, HAIRPIN_CMD_GET_MAP)
    first, intr = True, False
    while True:
        chunk = sock.recv(8192)
        for kind, flags, body in messages(chunk):
            if kind == NLMSG_ERROR:
                sys.exit('the dump failed')
            intr |= bool(flags & NLM_F_DUMP_INTR)
            if kind == NLMSG_DONE:
                print('intr' if intr else 'done')
                return
            for a, value in attrs(body[4:]):
                if a != HAIRPIN_A_MAP:
                    continue
                for m, v in attrs(value):
                    if m == HAIRPIN_MAP_A_PORT:
                        print(struct.unpack('=H', v[:2])[0])
        if first:
            first = False
            subprocess.run(sys.argv[1:], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


main()
