#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Live connections for the benchmark's failover part (bench/failover.sh),
each run in a namespace of issue 23's two routers:

  conns.py echo tcp:PORT|udp:PORT...    echoes lines (TCP) and datagrams
  conns.py hold NAME ADDR PORT N RATE   N TCP connections to ADDR:PORT
  conns.py probe NAME ADDR PORT SECONDS a datagram every SECONDS
  conns.py newconn NAME ADDR PORT SECONDS  a new connection every SECONDS

hold opens its connections at RATE a second, each checked by one line
echoed, then writes NAME.open: "opened checked seconds". At each SIGUSR1
(round R) every connection still open sends a line and waits for its echo,
TIMEOUT seconds at most (environment, default 20); then NAME.rR holds
"kept reset timeout": a reset or a timeout is a connection lost, closed.
probe logs "RECEIVED SENT" of each echo to NAME.log; newconn logs
"STARTED ENDED ok|fail" of each try (1 s to connect) to NAME.log. Times
are the epoch's, as bash's EPOCHREALTIME. Each runs until SIGTERM.
"""
import asyncio
import os
import select
import signal
import socket
import sys
import time

TIMEOUT = float(os.environ.get("TIMEOUT", "20"))


async def serve_line(reader, writer):
    try:
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()
    except OSError:
        pass
    writer.close()


class UdpEcho(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


async def echo(specs):
    loop = asyncio.get_running_loop()
    for spec in specs:
        proto, port = spec.split(":")
        if proto == "tcp":
            await asyncio.start_server(serve_line, port=int(port), reuse_address=True, backlog=4096)
        else:
            await loop.create_datagram_endpoint(UdpEcho, local_addr=("0.0.0.0", int(port)))
    await asyncio.Event().wait()


async def ask(conn, line):
    """One line to CONN and its echo back: "kept", "reset" or "timeout"."""
    reader, writer = conn
    try:
        writer.write(line)
        await writer.drain()
        got = await asyncio.wait_for(reader.readline(), TIMEOUT)
        return "kept" if got == line else "reset"
    except asyncio.TimeoutError:
        return "timeout"
    except OSError:
        return "reset"


async def hold(name, addr, port, n, rate):
    loop = asyncio.get_running_loop()
    conns = []
    checked = 0

    async def one():
        nonlocal checked
        try:
            conn = await asyncio.wait_for(asyncio.open_connection(addr, port), TIMEOUT)
        except (OSError, asyncio.TimeoutError):
            return
        conns.append(conn)
        if await ask(conn, b"0\n") == "kept":
            checked += 1

    start = time.time()
    tasks = []
    for i in range(n):
        delay = start + i / rate - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    write(f"{name}.open", f"{len(conns)} {checked} {time.time() - start:.3f}")

    rounds = asyncio.Queue()
    loop.add_signal_handler(signal.SIGUSR1, rounds.put_nowait, None)
    r = 0
    while True:
        await rounds.get()
        r += 1
        line = b"%d\n" % r
        got = await asyncio.gather(*(ask(c, line) for c in conns))
        for c, g in zip(conns, got):
            if g != "kept":
                c[1].close()
        conns = [c for c, g in zip(conns, got) if g == "kept"]
        write(f"{name}.r{r}", " ".join(str(got.count(k)) for k in ("kept", "reset", "timeout")))


async def newconn(name, addr, port, every):
    log = open(f"{name}.log", "w", buffering=1)

    async def one():
        t = time.time()
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(addr, port), 1)
            writer.close()
            ok = "ok"
        except (OSError, asyncio.TimeoutError):
            ok = "fail"
        log.write(f"{t:.6f} {time.time():.6f} {ok}\n")

    while True:
        asyncio.create_task(one())
        await asyncio.sleep(every)


def probe(name, addr, port, every):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((addr, port))
    s.setblocking(False)
    log = open(f"{name}.log", "w", buffering=1)
    due = time.time()
    while True:
        now = time.time()
        if now >= due:
            due += every
            try:
                s.send(b"%.6f" % now)
            except OSError:
                pass
        if select.select([s], [], [], max(0.0, due - time.time()))[0]:
            try:
                data = s.recv(64)
                log.write(f"{time.time():.6f} {data.decode()}\n")
            except OSError:
                pass


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text + "\n")
    os.rename(path + ".tmp", path)


def main(argv):
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    what = argv[1]
    if what == "echo":
        asyncio.run(echo(argv[2:]))
    elif what == "hold":
        asyncio.run(hold(argv[2], argv[3], int(argv[4]), int(argv[5]), float(argv[6])))
    elif what == "newconn":
        asyncio.run(newconn(argv[2], argv[3], int(argv[4]), float(argv[5])))
    elif what == "probe":
        probe(argv[2], argv[3], int(argv[4]), float(argv[5]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
