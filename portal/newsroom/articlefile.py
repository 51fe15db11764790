"""The article form and the Markdown file: one written from the other with the smallest change.

Header lines whose value did not change keep their exact text (spelling of the
key, spacing, continuation lines); changed fields are rewritten in place, new
ones added at the end of the header, emptied ones removed. An article saved
without a change is therefore the same bytes as before.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portal.core import schema, workflow

FORM_DATE = "%Y-%m-%dT%H:%M"
FILE_DATE = "%Y-%m-%d %H:%M"
# Header key -> form field, in the order a new file is written.
KEYS = {
    "Title": "title", "Date": "date", "Category": "category", "Author": "author", "Summary": "summary",
    "Tags": "tags", "People": "people", "Related": "related", "Image": "image", "Source": "source",
    "Featured": "featured", "Status": "status",
}
LIST_KEYS = {"Tags", "People", "Related"}
FIELD_OF_KEY = {key.lower(): name for key, name in KEYS.items()} | {"slug": "title", "people-detect": "people",
                                                                   "modified": "date", "authorrole": "author"}


@dataclass
class ArticleForm:
    title: str = ""
    category: str = ""
    date: str = ""  # datetime-local value, Vietnam time: 2025-04-15T14:30
    summary: str = ""
    body: str = ""
    author: str = ""
    source: str = ""
    tags: str = ""  # comma-separated
    people: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # slugs
    image: str = ""
    featured: bool = False
    status: str = workflow.DRAFT  # a key of portal.core.workflow.LABELS

    @property
    def public(self) -> bool:
        return self.status not in workflow.NOT_PUBLIC

    @classmethod
    def from_values(cls, values: dict[str, Any], body: str) -> "ArticleForm":
        date = values.get("date")
        return cls(
            title=values.get("title", ""), category=values.get("category", ""),
            date=date.strftime(FORM_DATE) if isinstance(date, datetime) else "",
            summary=values.get("summary", ""), body=body, author=values.get("author", ""),
            source=values.get("source", ""), tags=", ".join(values.get("tags") or []),
            people=list(values.get("people") or []), related=list(values.get("related") or []),
            image=values.get("image", ""), featured=bool(values.get("featured", False)),
            status=values.get("status", workflow.PUBLISHED),
        )

    @classmethod
    def from_post(cls, data) -> "ArticleForm":
        """From submitted form data (a Starlette FormData or a dict of lists)."""
        def one(name: str) -> str:
            value = data.get(name, "")
            return value if isinstance(value, str) else ""

        def many(name: str) -> list[str]:
            values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
            return [schema.nfc(v.strip()) for v in values if isinstance(v, str) and v.strip()]

        def line(name: str) -> str:  # one-line fields: no line break can enter the header
            return " ".join(schema.nfc(one(name)).split())

        return cls(
            title=line("title"), category=line("category"), date=one("date").strip(), summary=line("summary"),
            body=schema.nfc(one("body")).replace("\r\n", "\n").replace("\r", "\n"),
            author=line("author"), source=line("source"), tags=line("tags"),
            people=list(dict.fromkeys(many("people"))), related=list(dict.fromkeys(many("related"))),
            image=line("image"), featured=one("featured") in ("1", "on", "true"),
            status=line("status") or workflow.DRAFT,
        )

    def header_values(self) -> dict[str, str | None]:
        """Header key -> text to write, None to leave out."""
        tags = ", ".join(schema.parse_list(self.tags))
        try:
            date = datetime.strptime(self.date, FORM_DATE).strftime(FILE_DATE)
        except ValueError:
            date = self.date.replace("T", " ") or None
        return {
            "Title": self.title or None, "Date": date, "Category": self.category or None,
            "Author": self.author or None, "Summary": self.summary or None,
            "Tags": tags or None, "People": ", ".join(self.people) or None,
            "Related": ", ".join(self.related) or None, "Image": self.image or None,
            "Source": self.source or None, "Featured": "true" if self.featured else None,
            "Status": workflow.LABELS.get(self.status, self.status) or None,
        }


def _typed(key: str, text: str | None) -> Any:
    """What a header value means, so '2024-03-15' equals '2024-03-15 00:00' and 'Featured: false' equals none."""
    spec = schema.ARTICLE_FIELDS[key.lower()]
    if text is None or not text.strip():
        if key in LIST_KEYS:
            return []
        return {"Featured": False, "Status": workflow.PUBLISHED}.get(key)
    try:
        return spec.parse(text)
    except schema.FieldError:
        return ("raw", text.strip())


def render_new(form: ArticleForm) -> str:
    lines = [f"{key}: {value}" for key, value in form.header_values().items() if value is not None]
    body = form.body.strip("\n")
    return "\n".join(lines) + "\n\n" + body + "\n"


def apply(original: str, form: ArticleForm) -> str:
    """``original`` with the form's values; unchanged fields and body keep their exact text."""
    lines = original.split("\n")
    header = schema.split_header(original)
    wanted = form.header_values()
    last_header_line = max([h.line for h in header.lines] + [line for h in header.lines for line, _ in h.continuations],
                           default=0)
    head = lines[:last_header_line]
    replacements: dict[int, str | None] = {}  # 0-based line index -> new text, None to drop
    present = set()
    for item in header.lines:
        key = next((k for k in KEYS if k.lower() == item.key.lower()), None)
        if key is None or key in present:
            continue  # fields the form does not show (Slug, AuthorRole…) stay as written
        present.add(key)
        if _typed(key, item.value) == _typed(key, wanted[key]):
            continue
        replacements[item.line - 1] = None if wanted[key] is None else f"{item.key}: {wanted[key]}"
        for line, _text in item.continuations:
            replacements[line - 1] = None
    new_head = [replacements.get(i, text) for i, text in enumerate(head)]
    new_head = [text for text in new_head if text is not None]
    for key, value in wanted.items():
        if key not in present and value is not None and _typed(key, value) != _typed(key, None):
            new_head.append(f"{key}: {value}")
    rest = lines[last_header_line:]
    old_body = header.body
    if old_body.replace("\r\n", "\n").strip("\n") == form.body.strip("\n"):
        return "\n".join(new_head + rest)
    separator = "" if not rest or rest[0].strip() else rest[0]
    return "\n".join(new_head + [separator]) + "\n" + form.body.strip("\n") + "\n"


def keep_address(text: str, slug: str) -> str:
    """Add ``Slug: slug`` when the header has none and the title no longer gives that slug.

    A published article's address comes from its title: without this, correcting a
    title would move the article and break every link to it.
    """
    header = schema.split_header(text)
    values = {h.key.lower(): h.value for h in header.lines}
    if "slug" in values or schema.slugify(values.get("title", "")) == slug or not header.lines:
        return text
    last = max([h.line for h in header.lines] + [n for h in header.lines for n, _ in h.continuations])
    lines = text.split("\n")
    return "\n".join(lines[:last] + [f"Slug: {slug}"] + lines[last:])


def field_of_line(source, line: int) -> str:
    """The form field a problem on ``line`` of the checked text belongs to ('' for the whole article)."""
    if line >= source.body_line:
        return "body"
    for key, at in source.lines.items():
        if at == line:
            return FIELD_OF_KEY.get(key, "")
    return ""
