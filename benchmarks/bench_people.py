"""Detecting registered people in article bodies: one pass against a per-name scan.

The plugin scans each body once (people.linking.find_mentions): one regular
expression finds runs of capitalised words, each checked against a dict of
name keys, and each mention reads the role written next to it from a bounded
window (people.roles), so the cost stays linear in the text. The baseline is the obvious code: for every
article, look for every registered name and alias in the text on its own
(``str.find``, which runs in C, then the same whole-name checks). Both run on the same synthetic articles in the same run,
and must find the same people in every article.

    python benchmarks/bench_people.py [--articles 10000] [--people 200]
"""
from __future__ import annotations

import argparse
import gc
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from portal.core.people.linking import TAG, find_mentions, mentioned
from portal.core.people.matcher import NameMatcher

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Quang", "Hoàng", "Thu", "Đức", "Ngọc", "Thanh", "Hữu", "Xuân", "Kim"]
GIVEN = ["An", "Ánh", "Ân", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hoà", "Hùng", "Lan", "Long",
         "Mai", "Nam", "Ơn", "Phúc", "Quý", "Sơn", "Tâm", "Thông", "Thuỷ", "Trang", "Tuấn", "Ương", "Yến"]
WORDS = ("đồng chí hội nghị đảng ủy khối các cơ quan tỉnh tổ chức quán triệt nghị quyết công tác xây dựng "
         "chỉnh đốn kiểm tra giám sát cán bộ đảng viên chi bộ phong trào thi đua năm học tập làm theo tư "
         "tưởng đạo đức phong cách nhân dân chuyển đổi số kết quả nhiệm vụ trọng tâm thời gian tới đề nghị "
         "tiếp tục phát huy tinh thần trách nhiệm nêu gương báo cáo tham luận đánh giá").split()
ROLES = ["Phó Bí thư Thường trực Đảng ủy Khối", "Ủy viên BTV, Trưởng Ban Tổ chức Tỉnh ủy",
         "Chủ tịch UBND tỉnh", "Bí thư Đoàn Khối các cơ quan tỉnh"]
CAPITALISED = ["Đảng", "Khối", "Tỉnh", "Ban", "Thường", "Hội", "Nghệ", "An", "Công", "Đoàn", "Việt", "Nam"]


def registry(count: int, rng: random.Random) -> list[tuple[str, int]]:
    """(spelling, person) for `count` people: the name and one shorter alias."""
    names: list[str] = []
    combos = [(f, m, g) for f in FAMILY for m in MIDDLE for g in GIVEN]
    rng.shuffle(combos)
    for family, middle, given in combos[:count]:
        names.append(f"{family} {middle} {given}")
    spellings = [(name, i) for i, name in enumerate(names)]
    # An alias that is the end of someone else's full name ("Hoàng Ân" in
    # "Trần Hoàng Ân") would be found inside it by the per-name scan only.
    used = set(names) | {name.split(" ", 1)[1] for name in names}
    for i, name in enumerate(names):
        family, _middle, given = name.split()
        alias = f"{family} {given}"
        if alias not in used:
            used.add(alias)
            spellings.append((alias, i))
    return spellings


def articles(count: int, spellings: list[tuple[str, int]], rng: random.Random) -> list[str]:
    """HTML bodies of about 450 words, each naming up to three people, half of
    the mentions with a role after the name."""
    bodies = []
    for _ in range(count):
        paragraphs = []
        for _p in range(5):
            words = [rng.choice(WORDS) for _w in range(90)]
            for slot in rng.sample(range(1, 90), 3):
                words[slot] = rng.choice(CAPITALISED)
            paragraphs.append(words)
        for _m in range(rng.randrange(4)):
            paragraph = rng.choice(paragraphs)
            role = f" {rng.choice(ROLES)}," if rng.random() < 0.5 else ""
            paragraph.insert(rng.randrange(len(paragraph)), rng.choice(spellings)[0] + "," + role)
        # Only the first letter of a paragraph is raised: str.capitalize()
        # would lower every name (and leave nothing to find).
        bodies.append("".join(f"<p>{p[0][:1].upper()}{p[0][1:]} {' '.join(p[1:])}.</p>\n" for p in paragraphs))
    return bodies


def naive(bodies: list[str], spellings: list[tuple[str, int]]) -> list[set[int]]:
    """Every name and alias looked up in every article on its own (str.find,
    then the same whole-name checks as the matcher)."""
    found = []
    for body in bodies:
        text = TAG.sub("\n", body)
        people = set()
        for name, person in spellings:
            at = text.find(name)
            while at != -1:
                end = at + len(name)
                if (at == 0 or not text[at - 1].isalnum()) and not _continues(text, end):
                    people.add(person)
                    break
                at = text.find(name, at + 1)
        found.append(people)
    return found


def _continues(text: str, end: int) -> bool:
    """The name goes on: a letter, or a space and a capitalised word."""
    if end < len(text) and text[end].isalnum():
        return True
    return end + 1 < len(text) and text[end] == " " and text[end + 1].isupper()


def names_only(bodies: list[str], spellings: list[tuple[str, int]]) -> list[set[int]]:
    """The one pass without reading roles (people.linking.mentioned), for the
    cost of the roles."""
    matcher = NameMatcher(spellings)
    return [set(mentioned(body, matcher)) for body in bodies]


def one_pass(bodies: list[str], spellings: list[tuple[str, int]]) -> list[set[int]]:
    matcher = NameMatcher(spellings)
    return [{m.target for m in find_mentions(body, matcher)} for body in bodies]


def timed(function, *args, repeat: int = 3):
    """Best of ``repeat`` runs in CPU seconds, without the cyclic garbage
    collector (as timeit does): the figures stay comparable on a busy machine."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            result = function(*args)
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best, result


def compare(article_count: int, people_count: int, seed: int = 11) -> tuple[float, float, float, int, int]:
    rng = random.Random(seed)
    spellings = registry(people_count, rng)
    bodies = articles(article_count, spellings, rng)
    baseline_s, expected = timed(naive, bodies, spellings)
    names_s, names = timed(names_only, bodies, spellings)
    ours_s, got = timed(one_pass, bodies, spellings)
    if got != expected or names != expected:
        raise SystemExit("the methods disagree: the benchmark is invalid")
    found = sum(len(people) for people in expected)
    if not found:
        raise SystemExit("no name found in the articles: the benchmark is invalid")
    return baseline_s, names_s, ours_s, sum(len(b) for b in bodies), found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--people", type=int, default=200)
    args = parser.parse_args()
    print(f"Scaling with the number of articles ({args.people} registered people):\n")
    print("| articles | text (MB) | people found | per-name scan (s) | names only (s) | one pass with roles (s) | speed-up |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in (args.articles // 4, args.articles // 2, args.articles):
        baseline_s, names_s, ours_s, chars, found = compare(n, args.people)
        print(f"| {n:,} | {chars / 1e6:.1f} | {found:,} | {baseline_s:.2f} | {names_s:.2f} | {ours_s:.2f} "
              f"| {baseline_s / ours_s:.1f}× |")
    n = args.articles // 4
    print(f"\nScaling with the number of registered people ({n:,} articles):\n")
    print("| people | per-name scan (s) | names only (s) | one pass with roles (s) | speed-up |")
    print("|---:|---:|---:|---:|---:|")
    for people in (args.people // 4, args.people, args.people * 4):
        baseline_s, names_s, ours_s, _chars, _found = compare(n, people)
        print(f"| {people:,} | {baseline_s:.2f} | {names_s:.2f} | {ours_s:.2f} | {baseline_s / ours_s:.1f}× |")


if __name__ == "__main__":
    main()
