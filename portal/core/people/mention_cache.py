"""The registry's names found in an article's HTML, kept between builds.

Finding names and the roles written next to them is most of what people
detection costs, and it depends only on the HTML and the registry's
spellings. So the results are kept by the SHA-256 of the HTML, for one
registry and one version of this package's code: a rebuild finds names again
only in what changed. Who an article is about is still decided anew on every
build (``attribution``), since that depends on the whole directory. The line
of the source file a warning points to is kept too, by the SHA-256 of that
file's text: thousands of warnings would otherwise scan their files again.

Stored as JSON (never unpickled): people as their index in the registry,
roles as their text and parts. Anything that does not read back as expected
empties the cache.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Sequence

from portal.core import parallel
from portal.core.digest import files_digest
from portal.core.files import write_atomic

from .attribution import source_line
from .directory import PersonEntry
from .linking import FoundMention, find_mentions
from .matcher import NameMatcher
from .roles import StatedRole

Mention = FoundMention[tuple[PersonEntry, ...]]
SCHEMA = 1
# Below this many texts to search, forking workers costs more than it saves.
PREFILL_MIN_TEXTS = 200
PREFILL_CHUNK = 100
_CODE = files_digest([Path(__file__).resolve().parent], (".py",))


class MentionCache:
    def __init__(self, registered: Sequence[PersonEntry], spellings: Sequence[tuple[str, Any]], kept: Any = None):
        """``registered``: the registry's entries in registry order; ``spellings``: (spelling, person) as the
        directory's matcher was made from them."""
        self._entries = list(registered)
        self._index = {id(entry): number for number, entry in enumerate(self._entries)}
        owners = {id(entry.person): number for number, entry in enumerate(self._entries)}
        self.identity = hashlib.sha256(json.dumps(
            [SCHEMA, _CODE, [(spelling, owners.get(id(person))) for spelling, person in spellings]],
            ensure_ascii=False).encode()).hexdigest()
        self._kept: dict[str, list] = {}
        self._kept_lines: dict[str, Any] = {}
        if isinstance(kept, dict) and kept.get("identity") == self.identity and isinstance(kept.get("found"), dict):
            self._kept = kept["found"]
            self._kept_lines = kept.get("lines") if isinstance(kept.get("lines"), dict) else {}
        self._used: dict[str, list] = {}
        self._used_lines: dict[str, int | None] = {}
        self._found_ahead: dict[str, list] = {}
        self.hits = self.misses = 0

    def find_ahead(self, markups: Sequence[str], matcher: NameMatcher, workers: int) -> None:
        """Search on ``workers`` cores (forks) the texts the cache does not hold, before ``find`` is
        asked for them one by one: a cold build's people detection would otherwise run on one core."""
        keyed = {_key(markup): markup for markup in markups}
        missing = [(key, markup) for key, markup in keyed.items() if key not in self._kept]
        if workers < 2 or len(missing) < PREFILL_MIN_TEXTS:
            return
        # A fork's entries are this process's objects at the same addresses: ``_stored`` numbers them alike.
        found = parallel.map_chunks(
            lambda chunk: [(key, [self._stored(m) for m in find_mentions(markup, matcher)]) for key, markup in chunk],
            parallel.chunked(missing, PREFILL_CHUNK), workers)
        for chunk in found:
            self._found_ahead.update(chunk)

    def find(self, markup: str, matcher: NameMatcher) -> list[Mention]:
        """``find_mentions(markup, matcher)`` for the registry's matcher, from the cache when it holds this HTML."""
        key = _key(markup)
        ahead = self._found_ahead.get(key)
        if ahead is not None:
            self.misses += 1
            self._used[key] = ahead
            return [self._mention(item) for item in ahead]
        stored = self._kept.get(key)
        if stored is not None:
            try:
                found = [self._mention(item) for item in stored]
            except (TypeError, ValueError, IndexError, KeyError):
                found = None
            if found is not None:
                self.hits += 1
                self._used[key] = stored
                return found
        self.misses += 1
        found = find_mentions(markup, matcher)
        self._used[key] = [self._stored(mention) for mention in found]
        return found

    def source_line(self, text: str, name: str, role: StatedRole | None, occurrence: int) -> int | None:
        """``attribution.source_line``, from the cache when it holds this source text and mention."""
        key = json.dumps([hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), name,
                          role.text if role else "", occurrence], ensure_ascii=False)
        line = self._kept_lines.get(key, "")
        if not (line is None or (isinstance(line, int) and not isinstance(line, bool) and line > 0)):
            line = source_line(text, name, role, occurrence)
        self._used_lines[key] = line
        return line

    def kept(self) -> dict:
        """What the next build may reuse: the HTML and source lines this build looked at."""
        return {"identity": self.identity, "found": self._used, "lines": self._used_lines}

    def _stored(self, mention: Mention) -> list:
        role = [mention.role.text, [list(part) for part in mention.role.parts]] if mention.role else None
        return [mention.start, mention.end, [self._index[id(e)] for e in mention.target], mention.text, role,
                mention.linkable]

    def _mention(self, item: list) -> Mention:
        start, end, targets, text, role, linkable = item
        stated = StatedRole(role[0], tuple(tuple(part) for part in role[1])) if role is not None else None
        if not all(isinstance(i, int) and i >= 0 for i in targets):
            raise ValueError("not an index")
        return FoundMention(int(start), int(end), tuple(self._entries[i] for i in targets), str(text), stated,
                            bool(linkable))


def _key(markup: str) -> str:
    return hashlib.sha256(markup.encode("utf-8", "surrogatepass")).hexdigest()


def load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(path: Path, cache: MentionCache) -> None:
    write_atomic(path, json.dumps(cache.kept(), ensure_ascii=False), sync=False)
