"""The related lists of the last build, reused when nothing they are made of changed.

Every list depends on every document (a word's weight is its rarity in the
whole site), so the lists are kept as one: by the digest of all documents (id,
date, keywords, the part of the text the index reads), the scoring settings,
the length and the exclusions, and the code. A rebuild where no article's
title, lead, beginning, date, people, tags or category changed (an edit further
down a body, a page, a person, a photo, a template) reuses them; any other
computes them all again. An unreadable or foreign file is computed again, never trusted.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Mapping

from portal.core.digest import code_version
from portal.core.files import write_atomic

from .index import Config, Document, Match
from .tokens import part_digest

SCHEMA = 2


def key_of(documents: Iterable[Document], config: Config, limit: int,
           exclude: Mapping[str, Iterable[str]]) -> str:
    # The part of the text the index reads (the characters its first syllables can come from), so
    # an edit further down changes nothing here; not the syllables themselves: splitting 10.000
    # texts took most of this key's time, on every rebuild. By its digest: a document whose terms
    # were counted before carries it, and no text.
    syllables = config.text_syllables
    shown = [[d.id, d.date.isoformat(), [list(k) for k in d.keywords],
              d.counted.digest if d.counted is not None else part_digest(d.text, syllables)]
             for d in sorted(documents, key=lambda d: d.id)]
    inputs = [SCHEMA, code_version(), asdict(config), limit, shown,
              sorted([doc_id, sorted(ids)] for doc_id, ids in exclude.items())]
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=dict)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def load(path: Path, key: str) -> dict[str, list[Match]] | None:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["key"] != key:
            return None
        return {doc_id: [Match(str(other), float(score)) for other, score in found]
                for doc_id, found in kept["lists"].items()}
    except (OSError, ValueError, TypeError, KeyError):
        return None


def save(path: Path, key: str, lists: Mapping[str, list[Match]]) -> None:
    write_atomic(path, json.dumps({"key": key, "lists": {doc_id: [[m.id, m.score] for m in found]
                                                         for doc_id, found in lists.items()}}), sync=False)
