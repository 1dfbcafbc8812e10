#!/usr/bin/env python3
"""Memory and CPU of 1,000 chat joins at a chosen pace, for any checkout of the server.

The shared harness's `chatconns` test opens 8 connections at a time and waits for each welcome,
so a server whose welcome waits (issue 19: 200 ms for an HTTP request line) is also measured at a
slower join pace. This script holds each of its 8 slots at least PACE seconds, so two checkouts
can be compared at the same pace:

    python3 tests/bench/paced_joins.py --server /path/to/checkout --pace 0.2

It starts `deno run --allow-net CHECKOUT/server.ts --mode chat ...` as the harness does, joins the
clients, waits until no bytes arrive for 1.5 s, and prints the growth of the server's PSS per
client and the server's CPU seconds for the joins.
"""
import argparse
import asyncio
import os
import re
import resource
import subprocess
import time

from proc_stats import cpu_seconds, pss_kib  # beside this script




async def join_all(port: int, clients: int, parallel: int, pace: float) -> list:
    slots = asyncio.Semaphore(parallel)
    joined = []

    async def join_one() -> None:
        async with slots:
            started = time.monotonic()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            await reader.readline()  # the welcome
            joined.append((reader, writer))
            left = pace - (time.monotonic() - started)
            if left > 0:
                await asyncio.sleep(left)

    await asyncio.gather(*(join_one() for _ in range(clients)))
    return joined


async def drain(joined: list) -> None:
    async def until_quiet(reader) -> None:
        try:
            while await asyncio.wait_for(reader.read(65536), 1.5):
                pass
        except asyncio.TimeoutError:
            pass

    await asyncio.gather(*(until_quiet(reader) for reader, _ in joined))


async def measure(args) -> None:
    server = subprocess.Popen(
        ["deno", "run", "--allow-net", os.path.join(args.server, "server.ts"), "--mode", "chat",
         "--host", "127.0.0.1", "--port", "0", "--quiet", "--rate", "0", "--history", "0",
         "--max-conns", "20000"],
        stdout=subprocess.PIPE, text=True)
    try:
        ready = server.stdout.readline()
        port = int(re.search(r":(\d+)", ready).group(1))
        pss_before, cpu_before, started = pss_kib(server.pid), cpu_seconds(server.pid), time.monotonic()
        joined = await join_all(port, args.clients, args.parallel, args.pace)
        open_s = time.monotonic() - started
        await drain(joined)
        pss_after, cpu_after = pss_kib(server.pid), cpu_seconds(server.pid)
        print(f"open_s={open_s:.1f} join_cpu_s={cpu_after - cpu_before:.2f} "
              f"pss_kib_per_client={(pss_after - pss_before) / args.clients:.1f}")
        for _, writer in joined:
            writer.close()
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=".", help="the checkout whose server.ts to run")
    parser.add_argument("--pace", type=float, default=0.0, help="least seconds per join slot")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=8)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 20000)), hard))
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
