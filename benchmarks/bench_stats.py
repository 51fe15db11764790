"""Load the counting service on loopback, per backend, then audit the counts.

For each backend a real ``python -m stats_service`` (uvicorn) is started;
50 keep-alive clients send 20,000 views (10% of them deliberate repeats of a
visitor's page on the same day, which must not count) mixed with 2,000
reads. Afterwards the stored figures are compared with what was sent: lost
and doubled views must both be 0. The baseline, measured in the same run
against the same server, is the same load on ``GET /api/health`` (uvicorn
and Starlette doing no counting at all).

Each backend runs ``--rounds`` times on a fresh store (the machine is shared:
the round with the most views/s is reported, with the load average before it).

    python benchmarks/bench_stats.py [--views 20000] [--clients 50] [--rounds 3] [--backends sqlite redis]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from tests.support.stats import BROWSER_UA, RedisServer, Uvicorn, write_manifest

ORIGIN = "http://bench.test"
PATHS = [f"/2026/01/tin-{n}/" for n in range(500)]


class Connection:
    """A minimal HTTP/1.1 keep-alive client: the load generator must cost little CPU."""

    def __init__(self, port: int) -> None:
        self.port = port

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, target: str, body: bytes = b"", headers: str = "") -> tuple[int, bytes]:
        head = (f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
                f"{headers}\r\n").encode()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


def workload(views: int, seed: int = 11) -> list[tuple[str, str]]:
    """(client address, path) per view; 10% repeat an earlier visitor's page."""
    rng = random.Random(seed)
    unique = views - views // 10
    sent = [(f"10.{v // 65536 % 256}.{v // 256 % 256}.{v % 256}", PATHS[rng.randrange(len(PATHS))])
            for v in (i // 4 for i in range(unique))]
    sent = list(dict.fromkeys(sent))  # a visitor drawing the same page twice is a repeat, not a new view
    while len(sent) < unique:
        sent.append((f"10.200.{len(sent) // 256 % 256}.{len(sent) % 256}", PATHS[rng.randrange(len(PATHS))]))
    repeats = [rng.choice(sent) for _ in range(views - len(sent))]
    everything = sent + repeats
    rng.shuffle(everything)
    return everything


async def run_load(port: int, jobs: list, clients: int) -> dict[str, list[float] | Counter]:
    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    latencies: dict[str, list[float]] = {"view": [], "read": []}
    outcomes: Counter = Counter()

    async def client() -> None:
        connection = Connection(port)
        await connection.open()
        while not queue.empty():
            kind, method, target, body, headers = queue.get_nowait()
            started = time.perf_counter()
            status, answer = await connection.request(method, target, body, headers)
            latencies[kind].append(time.perf_counter() - started)
            if kind == "view":
                outcomes[(status, json.loads(answer).get("counted"))] += 1
            else:
                outcomes[("read", status)] += 1
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return {"elapsed": time.perf_counter() - started, "latencies": latencies, "outcomes": outcomes}


def view_job(ip: str, path: str):
    headers = (f"Origin: {ORIGIN}\r\nUser-Agent: {BROWSER_UA}\r\nX-Forwarded-For: {ip}\r\n"
               "Content-Type: text/plain;charset=UTF-8\r\n")
    return ("view", "POST", "/api/views", json.dumps({"path": path}).encode(), headers)


def read_job(n: int):
    target = "/api/site" if n % 2 else f"/api/views?path={PATHS[n % len(PATHS)]}"
    return ("read", "GET", target, b"", "")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(coroutine):
    """The load generator shares the CPUs with the server: give it the fast loop too."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def bench_backend(name: str, env: dict, views: int, clients: int, workdir: Path) -> dict:
    sent = workload(views)
    expected = Counter(path for _, path in dict.fromkeys(sent))
    jobs = []
    for i, (ip, path) in enumerate(sent):
        jobs.append(view_job(ip, path))
        if i % 10 == 9:
            jobs.append(read_job(i))
    load_average = os.getloadavg()[0]
    manifest = write_manifest(workdir / "manifest.json", PATHS)
    service = Uvicorn({**env, "STATS_SITE_ORIGIN": ORIGIN, "STATS_MANIFEST": str(manifest),
                       "STATS_LOG_LEVEL": "warning"}, workdir / f"{name}.log").start()
    try:
        health = [("read", "GET", "/api/health", b"", "")] * len(jobs)
        baseline = run(run_load(service.port, health, clients))
        load = run(run_load(service.port, jobs, clients))
        _, export = service.request("GET", "/api/export")
    finally:
        service.stop()
    got = Counter(export["views"])
    view_times = load["latencies"]["view"]
    return {
        "backend": name,
        "load_average": load_average,
        "views": len(view_times),
        "reads": len(load["latencies"]["read"]),
        "requests_per_s": len(jobs) / load["elapsed"],
        "views_per_s": len(view_times) / load["elapsed"],
        "baseline_per_s": len(health) / baseline["elapsed"],
        "p50_ms": percentile(view_times, 0.50),
        "p99_ms": percentile(view_times, 0.99),
        "read_p99_ms": percentile(load["latencies"]["read"], 0.99),
        "baseline_p99_ms": percentile(baseline["latencies"]["read"], 0.99),
        "counted_answers": load["outcomes"][(202, True)],
        "expected_unique": sum(expected.values()),
        "stored_total": export["site"]["total"],
        "lost": sum(max(0, n - got[p]) for p, n in expected.items()),
        "doubled": sum(max(0, got[p] - expected[p]) for p in got),
        "errors": sum(n for key, n in load["outcomes"].items() if key[0] not in (202, "read") or key == ("read", 503)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "redis"], choices=["sqlite", "redis"])
    args = parser.parse_args()
    results = []
    rounds: list[dict] = []
    for name in args.backends:
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory(prefix="bench-stats-") as scratch:
                workdir = Path(scratch)
                if name == "sqlite":
                    rounds.append(bench_backend(name, {"STATS_DB": str(workdir / "stats.sqlite3")},
                                                args.views, args.clients, workdir))
                    continue
                server = RedisServer(workdir)
                server.start()
                try:
                    rounds.append(bench_backend(name, {"STATS_BACKEND": "redis", "STATS_REDIS_URL": server.url},
                                                args.views, args.clients, workdir))
                finally:
                    server.stop()
        results.append(max((r for r in rounds if r["backend"] == name), key=lambda r: r["views_per_s"]))
    print(f"{args.views} views + reads from {args.clients} keep-alive clients, one uvicorn process, loopback, "
          f"best of {args.rounds} rounds; all rounds: "
          + ", ".join(f"{r['backend']} {r['views_per_s']:,.0f}/s (load {r['load_average']:.1f})" for r in rounds) + "\n")
    print("| backend | views/s | baseline req/s (/api/health) | ratio | view p50 | view p99 | read p99 "
          "| baseline p99 | stored / expected | lost | doubled | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['backend']} | {r['views_per_s']:,.0f} | {r['baseline_per_s']:,.0f} | "
              f"{r['requests_per_s'] / r['baseline_per_s']:.2f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | "
              f"{r['read_p99_ms']:.1f} ms | {r['baseline_p99_ms']:.1f} ms | "
              f"{r['stored_total']:,} / {r['expected_unique']:,} | {r['lost']} | {r['doubled']} | {r['errors']} |")
    failed = [r["backend"] for r in rounds
              if r["lost"] or r["doubled"] or r["errors"] or r["stored_total"] != r["expected_unique"]
              or r["counted_answers"] != r["expected_unique"]]
    if failed:
        print(f"\nCOUNTS WRONG for: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
