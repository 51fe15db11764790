"""The newsroom on a generated 10,000-article site: list page, title search, related picker,
preview and save (with its check and git commit), p50 and p99, each against the command-line
one-file check (`python -m portal check -s conf.py FILE`) measured in the same run as baseline.

Requests go through the whole ASGI app (Starlette TestClient: routing, session, CSRF, templates),
without a network hop. Results: docs/performance.md ("Newsroom").

    python -m benchmarks.bench_newsroom --articles 10000 --write docs/performance.md
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_check import write_site
from portal.newsroom.accounts import Accounts
from portal.newsroom.app import create_app
from portal.newsroom.config import Config

PASSWORD = "mat-khau-do-hieu-nang"
HEADING = "## Newsroom (`make bench-newsroom`)"
GOALS = {"list": 0.3, "search": 0.3, "related": 0.3, "preview": 1.0, "save": 1.0}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call, rounds: int) -> list[float]:
    found = []
    for number in range(rounds):
        started = time.perf_counter()
        answer = call(number)
        found.append(time.perf_counter() - started)
        assert answer.status_code == 200 and "dang-nhap" not in str(answer.url), answer.text[:500]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--write", type=Path, help="put the table into this Markdown file")
    args = parser.parse_args()
    from starlette.testclient import TestClient

    with tempfile.TemporaryDirectory(prefix="bench-newsroom-") as tmp:
        root = Path(tmp)
        one = write_site(root, args.articles)
        rel = one.relative_to(root / "content" / "articles").as_posix()
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@b", "add", "-A"], cwd=root, check=True)
        subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "x"], cwd=root, check=True)
        cli = [sys.executable, "-m", "portal", "check", "-s", "conf.py", str(one)]
        baseline = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run(cli, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            baseline.append(time.perf_counter() - started)
        base = statistics.median(baseline)

        config = Config(repo=root, data=root / ".newsroom", settings_file="conf.py", build_settings="conf.py",
                        output=root / "output")
        Accounts(config.data / "newsroom.sqlite3").set_user("bench", "bien-tap", PASSWORD)
        started = time.perf_counter()
        app = create_app(config)
        startup = time.perf_counter() - started
        with TestClient(app) as client:
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/dang-nhap").text).group(1)
            client.post("/dang-nhap", data={"ten": "bench", "mat_khau": PASSWORD, "csrf": token})
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
            words = ["dang", "hoi nghi", "cong tac", "dai hoi", "kiem tra", "thanh nien", "doan", "nam"]

            def form_data():
                page = client.get(f"/bai/sua?tep={rel}").text
                fields = dict(re.findall(r'<input id="(title|author|source|tags|image|date)" name="\1"[^>]*value="([^"]*)"', page))
                body = re.search(r'<textarea id="body"[^>]*>\n(.*?)</textarea>', page, re.S).group(1)
                import html
                data = {k: html.unescape(v) for k, v in fields.items()}
                data.update(csrf=token, tep=rel, body=html.unescape(body),
                            base_hash=re.search(r'name="base_hash" value="([^"]+)"', page).group(1),
                            category=re.search(r"<option selected>([^<]+)</option>", page).group(1))
                return data

            results = {
                "list": timed(lambda n: client.get("/" if n % 2 else f"/?trang={n % 50 + 1}"), args.rounds),
                "search": timed(lambda n: client.get("/", params={"q": words[n % len(words)]}), args.rounds),
                "related": timed(lambda n: client.get("/goi-y/tin", params={"q": words[n % len(words)]}), args.rounds),
            }
            data = form_data()
            client.post("/bai/xem-truoc", data=data)  # first preview loads Pelican and the theme
            results["preview"] = timed(lambda n: client.post("/bai/xem-truoc", data=data), max(20, args.rounds // 3))
            saves = []
            for number in range(max(20, args.rounds // 3)):
                data = form_data()
                data["body"] = data["body"].rstrip("\n") + f"\n\nĐoạn thêm {number}.\n"
                started = time.perf_counter()
                answer = client.post("/bai/luu", data=data, follow_redirects=False)
                saves.append(time.perf_counter() - started)
                assert answer.status_code == 303, answer.text[:2000]
            results["save"] = saves
    names = {"list": "list page (50 rows, filters, paging)", "search": "title search without marks",
             "related": "related picker (`/goi-y/tin`)", "preview": "preview (`Xem trước`)",
             "save": "save (check + write + git commit)"}
    lines = [
        HEADING, "",
        f"Generated site of {args.articles:,} articles (`benchmarks/bench_check.py` generator), requests through the "
        "whole app in process (Starlette TestClient). Baseline: the command-line one-file check "
        f"`python -m portal check -s conf.py FILE`, median of 5 runs in the same session: **{base:.2f} s**. "
        f"Newsroom start-up (settings, header index of every article): {startup:.2f} s. "
        "Goal: p99 under 300 ms, preview and save under 1 s.", "",
        "| interaction | rounds | p50 | p99 | p50 / baseline | goal |", "|---|---:|---:|---:|---:|---|",
    ]
    for key, values in results.items():
        p50, p99 = statistics.median(values), percentile(values, 0.99)
        lines.append(f"| {names[key]} | {len(values)} | {p50 * 1000:.0f} ms | {p99 * 1000:.0f} ms | {p50 / base:.3f}× | "
                     f"{'met' if p99 < GOALS[key] else 'NOT met'} (< {GOALS[key] * 1000:.0f} ms) |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.write:
        text = args.write.read_text(encoding="utf-8")
        if HEADING in text:
            start = text.index(HEADING)
            end = text.find("\n## ", start + len(HEADING))
            text = text[:start] + table + (text[end:] if end >= 0 else "")
        else:
            text = text.rstrip("\n") + "\n\n" + table
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
