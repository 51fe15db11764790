"""Related articles at portal scale: ours against two baselines, same corpora, same run.

* ours: plugins/related/index.py (syllables + bigrams TF-IDF, people, tags,
  category, time decay; inverted lists with pruning), every article's top 5;
* related_posts: the algorithm of pelican-plugins' ``related_posts`` (count
  of shared tags, via a Counter over every article of each of the article's
  tags), reimplemented faithfully;
* naive_cosine: TF-IDF cosine of every pair of articles over the same
  syllables and bigrams (full texts), top 5.

Each (method, size) runs in a fresh subprocess that generates the corpus
(benchmarks/related_corpus.py, planted topics), then times the method alone
and reports the growth of peak RSS above the corpus. A method stops at the
first size that exceeds the time budget (or would, by a quadratic estimate).
precision@5 = share of an article's top 5 in its own planted topic.

    python benchmarks/bench_related.py [--sizes 1000 10000 50000] [--budget 120]
"""
from __future__ import annotations

import argparse
import gc
import json
import math
import resource
import subprocess
import sys
import time
from collections import Counter
from itertools import chain
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from benchmarks.related_corpus import generate, precision_at
from portal.core.related.settings import DEFAULTS
from portal.core.related.index import Config, Document, RelatedIndex, news_text
from portal.core.related.tokens import syllables, term_counts

TOP = 5
METHODS = ("ours", "ours_older_only", "related_posts", "naive_cosine")


def documents(articles) -> list[Document]:
    return [
        Document(a.slug, a.date,
                 tuple([("person", p.casefold()) for p in a.people] + [("tag", t) for t in a.tags]
                       + [("category", a.category)]),
                 news_text(a.title, a.summary, a.body))
        for a in articles
    ]


def ours(articles, include_newer: bool = True) -> dict[str, list[str]]:
    docs = documents(articles)
    started = time.perf_counter()
    # The site's setting: RELATED_WORKERS processes (2 on this machine).
    index = RelatedIndex(docs, Config(include_newer=include_newer, workers=DEFAULTS["RELATED_WORKERS"]))
    found = {doc_id: [m.id for m in matches] for doc_id, matches in index.all_related(TOP).items()}
    return found, time.perf_counter() - started


class Post:
    """Stands for a Pelican Article: hashed by identity, like pelican.contents.Content."""

    def __init__(self, slug: str, tags: tuple[str, ...]):
        self.slug, self.tags = slug, tags


def related_posts(articles) -> dict[str, list[str]]:
    posts = [Post(a.slug, a.tags) for a in articles]
    started = time.perf_counter()
    tags: dict[str, list[Post]] = {}
    for post in posts:  # ArticlesGenerator.generate_context builds this
        for tag in post.tags:
            tags.setdefault(tag, []).append(post)
    found = {}
    for article in posts:  # related_posts.add_related_posts, minus forced posts
        related = chain(*(tags[tag] for tag in article.tags))
        scores = Counter(related)
        scores.pop(article, None)
        found[article.slug] = [other.slug for other, _count in scores.most_common(TOP)]
    return found, time.perf_counter() - started


def naive_cosine(articles) -> dict[str, list[str]]:
    texts = [news_text(a.title, a.summary, a.body) for a in articles]
    started = time.perf_counter()
    counts = [term_counts(syllables(text)) for text in texts]
    df: Counter = Counter()
    for c in counts:
        df.update(c.keys())
    total = len(articles)
    vectors = []
    for c in counts:
        vector = {t: (1 + math.log(n)) * math.log(total / df[t]) for t, n in c.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        vectors.append({t: w / norm for t, w in vector.items()})
    found = {}
    for i, mine in enumerate(vectors):
        scores = []
        for j, theirs in enumerate(vectors):
            if i != j:
                scores.append((sum(mine[t] * theirs[t] for t in mine.keys() & theirs.keys()), j))
        scores.sort(reverse=True)
        found[articles[i].slug] = [articles[j].slug for _, j in scores[:TOP]]
    return found, time.perf_counter() - started


def run_one(method: str, size: int) -> dict:
    articles = generate(size)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if method == "ours":
        found, seconds = ours(articles)
    elif method == "ours_older_only":
        found, seconds = ours(articles, include_newer=False)
    else:
        found, seconds = globals()[method](articles)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return {"seconds": seconds, "peak_mb": peak / 1024, "precision": precision_at(TOP, articles, found)}


def measure(method: str, size: int, budget: float) -> dict | None:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--one", method, str(size)],
            capture_output=True, text=True, timeout=budget + 120, check=True,  # + corpus generation
        )
    except subprocess.TimeoutExpired:
        return None
    result = json.loads(done.stdout)
    return result if result["seconds"] <= budget else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--budget", type=float, default=120.0, help="seconds allowed per method and size")
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        return
    results: dict[tuple[str, int], dict] = {}
    for method in METHODS:
        previous = None  # (size, seconds) of the last run that finished
        for size in args.sizes:
            if previous is None and size != args.sizes[0]:
                results[(method, size)] = {"skipped": "over budget at a smaller size"}
                continue
            if previous and not method.startswith("ours"):
                estimate = previous[1] * (size / previous[0]) ** 2
                if estimate > args.budget:
                    results[(method, size)] = {"skipped": f"≈ {estimate:,.0f} s by a quadratic estimate"}
                    previous = None
                    continue
            result = measure(method, size, args.budget)
            results[(method, size)] = result or {"skipped": f"over the {args.budget:.0f} s budget"}
            previous = (size, result["seconds"]) if result else None
            print(f"{method} {size}: {results[(method, size)]}", file=sys.stderr, flush=True)
    print_table(results, args.sizes)


def print_table(results: dict, sizes: list[int]) -> None:
    print("| articles | method | time (s) | peak memory (MB) | precision@5 | time / ours |")
    print("|---:|---|---:|---:|---:|---:|")
    for size in sizes:
        mine = results[("ours", size)]
        for method in METHODS:
            result = results[(method, size)]
            if "skipped" in result:
                print(f"| {size:,} | {method} | not run: {result['skipped']} | | | |")
                continue
            ratio = f"{result['seconds'] / mine['seconds']:.2g}×" if "seconds" in mine else ""
            print(f"| {size:,} | {method} | {result['seconds']:.2f} | {result['peak_mb']:.0f} | "
                  f"{result['precision']:.2f} | {ratio} |")


if __name__ == "__main__":
    main()
