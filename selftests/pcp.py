#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A PCP client (RFC 6887) for selftests/upnp.sh, as Debian has none: one MAP
# request, IPv4 only.
#
#   pcp.py SERVER tcp|udp INTERNAL_PORT EXTERNAL_PORT LIFETIME [NONCE]
#
# asks SERVER (the router's LAN address) to forward EXTERNAL_PORT (a
# suggestion) of its public address to INTERNAL_PORT of this host, for
# LIFETIME seconds; a lifetime of 0 deletes the mapping that NONCE (24 hex
# digits, printed when it was made) names. Prints "EXTERNAL_ADDRESS
# EXTERNAL_PORT LIFETIME NONCE" and exits 0 on success; on a refusal, prints
# the result code on stderr and exits 1.
import ipaddress
import os
import socket
import struct
import sys

USAGE = "usage: pcp.py SERVER tcp|udp INTERNAL_PORT EXTERNAL_PORT LIFETIME [NONCE]"
PORT = 5351
VERSION = 2
OP_MAP = 1
PROTOS = {"tcp": 6, "udp": 17}
RESULTS = {1: "UNSUPP_VERSION", 2: "NOT_AUTHORIZED", 3: "MALFORMED_REQUEST",
           4: "UNSUPP_OPCODE", 5: "UNSUPP_OPTION", 6: "MALFORMED_OPTION",
           7: "NETWORK_FAILURE", 8: "NO_RESOURCES", 9: "UNSUPP_PROTOCOL",
           10: "USER_EX_QUOTA", 11: "CANNOT_PROVIDE_EXTERNAL",
           12: "ADDRESS_MISMATCH", 13: "EXCESSIVE_REMOTE_PEERS"}


def mapped(addr):
    """An IPv4 address as PCP carries it: IPv4-mapped IPv6, 16 bytes."""
    return ipaddress.IPv6Address("::ffff:" + addr).packed


def request(client, proto, iport, eport, lifetime, nonce):
    # Common header: version, R=0 and opcode, 2 reserved, lifetime, the
    # client's address; then MAP's: nonce, protocol, 3 reserved, internal
    # port, suggested external port and address (none: all zeros).
    return (struct.pack("!BBHI16s", VERSION, OP_MAP, 0, lifetime, mapped(client)) +
            struct.pack("!12sB3xHH16s", nonce, PROTOS[proto], iport, eport, bytes(16)))


def main(argv):
    if len(argv) not in (6, 7) or argv[2] not in PROTOS:
        sys.exit(USAGE)
    server, proto = argv[1], argv[2]
    iport, eport, lifetime = (int(v) for v in argv[3:6])
    try:
        nonce = bytes.fromhex(argv[6]) if len(argv) == 7 else os.urandom(12)
    except ValueError:
        nonce = b""
    if len(nonce) != 12:
        sys.exit(f"pcp.py: nonce {argv[6]}: not 24 hex digits")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((server, PORT))
    # The address the server sees us at, which it must find in the request.
    client = s.getsockname()[0]
    req = request(client, proto, iport, eport, lifetime, nonce)
    # RFC 6887 8.1.1 retransmits from 3 s on; a lost datagram here is a
    # slow guest, so a few tries at 1 s.
    s.settimeout(1)
    for _ in range(5):
        s.send(req)
        try:
            resp = s.recv(1100)
        except socket.timeout:
            continue
        if len(resp) >= 60 and resp[1] == 0x80 | OP_MAP and resp[24:36] == nonce:
            break
    else:
        sys.exit(f"pcp.py: no answer from {server}:{PORT}")
    result, life = struct.unpack_from("!xxxBI", resp)
    if result:
        sys.exit(f"pcp.py: {server} refused: {RESULTS.get(result, result)}")
    aport, aaddr = struct.unpack_from("!HH16s", resp, 40)[1:]
    print(ipaddress.IPv6Address(aaddr).ipv4_mapped, aport, life, nonce.hex())


if __name__ == "__main__":
    main(sys.argv)
