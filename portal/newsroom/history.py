"""Every version of an article from git, its first author, and a rendered diff between two texts.

The diff is made on what readers see: both bodies go through the portal's
Markdown (the settings' MARKDOWN, as the preview and the build use it) and
the sanitizer, are cut into top-level blocks (paragraphs, headings, lists,
tables, figures), and difflib compares the blocks; removed blocks are shown
in <del>, added ones in <ins>.
"""
from __future__ import annotations

import difflib
import functools
import html
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import markdown

from portal.core import schema
from portal.core.sanitize import sanitize_html

from .store import GitError, Repository

FIELD = "\x1f"
EMAIL_DOMAIN = "@phong-bien-tap.invalid"  # how store.Repository.commit names newsroom users


@dataclass(frozen=True)
class Version:
    commit: str
    author: str
    email: str
    at: datetime
    message: str
    path: str  # the file's path in the repository at that commit (it may have moved since)

    @property
    def short(self) -> str:
        return self.commit[:8]

    @property
    def user(self) -> str:
        return self.email[: -len(EMAIL_DOMAIN)] if self.email.endswith(EMAIL_DOMAIN) else ""


def versions(repo: Repository, path: Path, limit: int = 200) -> list[Version]:
    """Newest first: `git log --follow` on the file."""
    if not repo.enabled:
        return []
    rel = str(path.relative_to(repo.root))
    try:
        out = repo.git("log", "--follow", f"-n{limit}", "--name-only",
                       f"--format=%x1e%H{FIELD}%an{FIELD}%ae{FIELD}%aI{FIELD}%s", "--", rel)
    except GitError:
        return []
    found = []
    for record in out.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, author, email, at, message = head.split(FIELD, 4)
        name = next((n for n in names.splitlines() if n.strip()), rel)
        found.append(Version(commit, author, email, datetime.fromisoformat(at), message, name))
    return found


def text_at(repo: Repository, version: Version) -> str:
    return repo.git("show", f"{version.commit}:{version.path}").lstrip("\ufeff")


def owner(repo: Repository, path: Path) -> str:
    """The newsroom user who created the article (its first commit), '' when not made in the newsroom."""
    found = versions(repo, path)
    return found[-1].user if found else ""


class _Blocks(HTMLParser):
    """Cuts HTML into its top-level elements, each kept as written."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.depth = 0
        self.start = None
        self.text = ""

    def _offset(self) -> int:
        line, column = self.getpos()
        lines = self.text.split("\n")
        return sum(len(x) + 1 for x in lines[: line - 1]) + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.start = self._offset()
        if tag not in VOID:
            self.depth += 1
        elif self.depth == 0:
            self.blocks.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)
        if self.depth == 0 and self.start is not None:
            end = self.text.index(">", self._offset()) + 1
            self.blocks.append(self.text[self.start:end])
            self.start = None

    def handle_data(self, data):
        if self.depth == 0 and data.strip():
            self.blocks.append(html.escape(data.strip()))


VOID = {"br", "hr", "img", "input", "source", "wbr", "meta", "link"}


def blocks(fragment: str) -> list[str]:
    parser = _Blocks()
    parser.text = fragment
    parser.feed(fragment)
    parser.close()
    return parser.blocks


class Renderer:
    def __init__(self, settings: dict):
        config = dict(settings.get("MARKDOWN") or {})
        self.extensions = list(config.get("extension_configs", {}).keys()) or ["markdown.extensions.extra"]
        self.configs = config.get("extension_configs", {})

    @functools.lru_cache(maxsize=256)
    def body(self, text: str) -> str:
        """The article body of a whole file's text, as sanitized HTML."""
        header = schema.split_header(schema.nfc(text))
        raw = markdown.markdown(header.body, extensions=self.extensions, extension_configs=self.configs,
                                output_format="html")
        return sanitize_html(raw).html

    def diff(self, old: str, new: str) -> str:
        """The new body with removed blocks in <del> and added ones in <ins>."""
        before, after = blocks(self.body(old)) if old else [], blocks(self.body(new))
        out = []
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
            if op == "equal":
                out += after[b1:b2]
                continue
            out += [f'<del class="diff-del">{block}</del>' for block in before[a1:a2]]
            out += [f'<ins class="diff-ins">{block}</ins>' for block in after[b1:b2]]
        return "\n".join(out)


def header_changes(old: str, new: str) -> list[tuple[str, str, str]]:
    """(field, before, after) for the header lines that differ."""
    def values(text: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for item in schema.split_header(schema.nfc(text)).lines if text else []:
            found.setdefault(item.key, item.value.strip())
        return found
    a, b = values(old), values(new)
    return [(key, a.get(key, ""), b.get(key, "")) for key in dict.fromkeys([*a, *b]) if a.get(key, "") != b.get(key, "")]
