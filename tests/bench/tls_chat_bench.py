#!/usr/bin/env python3
"""What a TLS chat client costs against a plaintext one, in the same server.

Starts `deno run --allow-net --allow-read=CERT,KEY CHECKOUT/server.ts --mode chat --tls-cert CERT
--tls-key KEY --plain-port 0 ...` (the test certificate of tests/support/tls/), so that TLS clients
(the main port) and plaintext clients (the plain port) meet the same server, and measures:

- memory: in a fresh server for each kind, N clients join (32 at a time, each waiting for its
  welcome), the notices drain (no bytes for 1 s), and the growth of the server's PSS
  (/proc/PID/smaps_rollup) divided by N is the cost of one client; kinds alternate over rounds;
  then the same in reply mode after each client sent --burst-kib KiB of 1 KiB lines at once and
  read every reply (what a connection keeps after one large paste);
- deliveries: in one server, phases of 10 and 100 clients (10 of them talking 64-byte lines, at
  most 8 lines per talker in flight) over TLS and in plaintext, alternating; each phase warms up
  0.5 s and counts for 2 s the chat lines received by all clients together, the server's CPU
  time per delivery, and this script's CPU (when it is near 100%, the client side was the limit).

    python3 tests/bench/tls_chat_bench.py --server /path/to/checkout --clients 1000 --rounds 3

The server is pinned to CPU 0 and this script to CPU 1 when the machine has two CPUs or more.
"""
import argparse
import asyncio
import os
import re
import resource
import ssl
import statistics
import subprocess
import time

from proc_stats import cpu_seconds, pss_kib  # beside this script

HERE = os.path.dirname(os.path.abspath(__file__))
TLS_DIR = os.path.join(HERE, "..", "support", "tls")
LINE = b"x" * 63 + b"\n"
WINDOW = 8  # lines in flight per talker
TALKERS = 10




def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Server:
    """server.ts with TLS on its main port and a plaintext port, as a user starts it."""

    def __init__(self, checkout: str, extra: list, mode: str = "chat"):
        cert = os.path.abspath(os.path.join(TLS_DIR, "server.pem"))
        key = os.path.abspath(os.path.join(TLS_DIR, "server.key"))
        pin = ["taskset", "-c", "0"] if os.cpu_count() >= 2 else []
        chat_only = ["--rate", "0", "--history", "0"] if mode == "chat" else []
        self.proc = subprocess.Popen(
            pin + ["deno", "run", "--allow-net", f"--allow-read={cert},{key}",
                   os.path.join(checkout, "server.ts"), "--mode", mode, "--host", "127.0.0.1",
                   "--port", "0", "--plain-port", "0", "--tls-cert", cert, "--tls-key", key,
                   "--quiet", *chat_only, "--max-conns", "20000", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.tls_port = int(re.search(r":(\d+)\D*$", self.proc.stdout.readline()).group(1))
        self.plain_port = int(re.search(r":(\d+)\D*$", self.proc.stdout.readline()).group(1))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def client_context() -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=os.path.join(TLS_DIR, "ca.pem"))
    return context


async def join(server: Server, kind: str, count: int, burst_kib: int = 0) -> list:
    """Opens `count` clients of `kind` (tls or plain), 32 at a time, each waiting for its welcome.

    32, not the harness's 8: the welcome waits 200 ms for an HTTP request line (issue 19), and
    the server's accept queue (511) holds 32 easily."""
    slots = asyncio.Semaphore(32)
    context = client_context()
    joined = []

    async def one() -> None:
        async with slots:
            if kind == "tls":
                reader, writer = await asyncio.open_connection(
                    "127.0.0.1", server.tls_port, ssl=context, server_hostname="localhost")
            else:
                reader, writer = await asyncio.open_connection("127.0.0.1", server.plain_port)
            if burst_kib:
                # Reply mode (no welcome): one burst of 1 KiB lines, and every reply read back.
                writer.write((b"y" * 1023 + b"\n") * burst_kib)
                for _ in range(burst_kib):
                    await reader.readline()
            else:
                await reader.readline()
            joined.append((reader, writer))

    await asyncio.gather(*(one() for _ in range(count)))
    return joined


async def drain(joined: list, quiet: float) -> None:
    async def until_quiet(reader) -> None:
        try:
            while await asyncio.wait_for(reader.read(65536), quiet):
                pass
        except asyncio.TimeoutError:
            pass

    await asyncio.gather(*(until_quiet(reader) for reader, _ in joined))


async def leave(joined: list) -> None:
    for _, writer in joined:
        writer.close()
    await asyncio.gather(*(writer.wait_closed() for _, writer in joined), return_exceptions=True)


async def memory_round(checkout: str, kind: str, count: int, burst_kib: int = 0) -> float:
    server = Server(checkout, [], "reply" if burst_kib else "chat")
    try:
        before = pss_kib(server.proc.pid)
        joined = await join(server, kind, count, burst_kib)
        await drain(joined, 1.0)
        after = pss_kib(server.proc.pid)
        await leave(joined)
        return (after - before) / count
    finally:
        server.stop()


async def deliveries_phase(server: Server, kind: str, count: int) -> dict:
    joined = await join(server, kind, count)
    await drain(joined, 0.3)
    talkers = [writer for _, writer in joined[:TALKERS]]
    fanout = count - 1
    state = {"received": 0, "sent": 0, "running": True}
    room = asyncio.Event()

    async def receive(reader) -> None:
        while state["running"]:
            data = await reader.read(65536)
            if not data:
                return
            state["received"] += data.count(b"\n")
            room.set()

    async def talk() -> None:
        budget = WINDOW * len(talkers) * fanout
        while state["running"]:
            # At most WINDOW lines per talker not yet received by everyone.
            while state["sent"] * fanout - state["received"] < budget - fanout * len(talkers):
                for writer in talkers:
                    writer.write(LINE)
                state["sent"] += len(talkers)
            room.clear()
            await room.wait()

    tasks = [asyncio.create_task(receive(reader)) for reader, _ in joined]
    tasks.append(asyncio.create_task(talk()))
    await asyncio.sleep(0.5)  # warm-up
    received0, server0, own0, t0 = (
        state["received"], cpu_seconds(server.proc.pid), own_cpu(), time.monotonic())
    await asyncio.sleep(2.0)
    received1, server1, own1, t1 = (
        state["received"], cpu_seconds(server.proc.pid), own_cpu(), time.monotonic())
    state["running"] = False
    room.set()
    await leave(joined)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    deliveries = received1 - received0
    return {
        "per_s": deliveries / (t1 - t0),
        "server_us": (server1 - server0) * 1e6 / max(deliveries, 1),
        "client_cpu": (own1 - own0) / (t1 - t0),
    }


def ratio_row(name: str, tls: list, plain: list) -> str:
    t, p = statistics.median(tls), statistics.median(plain)
    return f"| {name} | {p:.3g} | {t:.3g} | {t / p:.2f} |"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=os.path.join(HERE, "..", ".."))
    parser.add_argument("--clients", type=int, default=1000, help="clients in the memory test")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--burst-kib", type=int, default=64,
                        help="also measure memory in reply mode after each client sent this much "
                             "at once (0: do not)")
    parser.add_argument("--skip-deliveries", action="store_true")
    args = parser.parse_args()
    if os.cpu_count() >= 2:
        os.sched_setaffinity(0, {1})
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit[1], limit[1]))

    if not args.skip_memory:
        memory = {"plain": [], "tls": []}
        for _ in range(args.rounds):
            for kind in ("plain", "tls"):
                memory[kind].append(await memory_round(args.server, kind, args.clients))
        print(f"memory, {args.clients} clients, KiB of server PSS per client (rounds: "
              f"plain {[round(x, 1) for x in memory['plain']]}, "
              f"tls {[round(x, 1) for x in memory['tls']]})")
        print("| test | plaintext | TLS | TLS / plaintext |\n| --- | --- | --- | --- |")
        print(ratio_row("KiB per client", memory["tls"], memory["plain"]))
        if args.burst_kib:
            burst = {"plain": [], "tls": []}
            for _ in range(args.rounds):
                for kind in ("plain", "tls"):
                    burst[kind].append(
                        await memory_round(args.server, kind, args.clients, args.burst_kib))
            print(f"reply mode, each client sent {args.burst_kib} KiB at once (rounds: "
                  f"plain {[round(x, 1) for x in burst['plain']]}, "
                  f"tls {[round(x, 1) for x in burst['tls']]})")
            print(ratio_row(f"KiB per client after {args.burst_kib} KiB", burst["tls"],
                            burst["plain"]))

    if not args.skip_deliveries:
        server = Server(args.server, [])
        results = {}
        try:
            for _ in range(args.rounds):
                for count in (10, 100):
                    for kind in ("plain", "tls"):
                        r = await deliveries_phase(server, kind, count)
                        results.setdefault((count, kind), []).append(r)
        finally:
            server.stop()
        print("| test | plaintext | TLS | TLS / plaintext |\n| --- | --- | --- | --- |")
        for count in (10, 100):
            plain, tls = results[(count, "plain")], results[(count, "tls")]
            print(ratio_row(f"chat{count} deliveries/s (thousands)",
                            [r["per_s"] / 1000 for r in tls], [r["per_s"] / 1000 for r in plain]))
            print(ratio_row(f"chat{count} server CPU µs per delivery",
                            [r["server_us"] for r in tls], [r["server_us"] for r in plain]))
            print(ratio_row(f"chat{count} this script's CPU (1 = one core)",
                            [r["client_cpu"] for r in tls], [r["client_cpu"] for r in plain]))


if __name__ == "__main__":
    asyncio.run(main())
