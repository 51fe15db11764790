"""Who an article is about: its ``People`` and the names in its text, checked
against the roles the text states.

The rule (issue 17): a wrong title next to a leader's name is worse than no
link. So a registry person is linked from, and listed with, an article only
when nothing in the article contradicts the registry: a mention whose stated
role disagrees with the person's roles on the article's date takes that
person out of the article (no link, not on their page) and is reported with
both roles. A name several registry people share is only resolved by the
article itself: a key in ``People``, or a stated role that fits exactly one
of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Iterable

from .directory import Declared, PeopleDirectory, PersonEntry
from .linking import FoundMention, find_mentions
from .matcher import NameMatcher
from .registry import looks_like_key
from .roles import StatedRole, role_tokens

Mention = FoundMention[tuple[PersonEntry, ...]]


def verdict(entry: PersonEntry, role: StatedRole, day: date) -> bool | None:
    """Does the stated role fit this registry person on ``day``? None when the
    registry holds no role for them then (nothing to compare with)."""
    person = entry.person
    titles = person.titles_until(day) if role.former else person.titles_on(day)
    if not titles:
        return None
    return role.agrees_with(titles)


@dataclass(frozen=True)
class Conflict:
    """A mention whose stated role fits none of the people the name may mean."""

    mention: Mention
    candidates: tuple[PersonEntry, ...]  # whom the name could have meant here
    better: tuple[PersonEntry, ...]  # namesakes whose registry role does fit


@dataclass(frozen=True)
class Ambiguity:
    """A name several registry people share, with nothing to choose between them."""

    mention: Mention
    candidates: tuple[PersonEntry, ...]


@dataclass
class ArticlePeople:
    entries: list[PersonEntry] = field(default_factory=list)  # the article's "Nhân vật", in order
    links: list[tuple[Mention, PersonEntry]] = field(default_factory=list)  # first linkable mention each
    conflicts: list[Conflict] = field(default_factory=list)
    ambiguities: list[Ambiguity] = field(default_factory=list)
    stated: dict[PersonEntry, str] = field(default_factory=dict)  # roles stated for unverified entries


def attribute(directory: PeopleDirectory, declared: Iterable[Declared], mentions: Iterable[Mention],
              day: date, detect: bool = True) -> ArticlePeople:
    """The people of one article (``mentions``: of registry names, from
    :func:`linking.find_mentions` over summary and body, in order)."""
    declared = [d for d in declared if d.entry is not None or d.candidates]
    chosen = {d.entry for d in declared if d.entry is not None and d.entry.registered}
    result = ArticlePeople()
    resolved: dict[int, PersonEntry] = {}  # index of mention -> person meant
    contradicted: dict[PersonEntry, Mention] = {}
    by_role: dict[tuple[PersonEntry, ...], set[PersonEntry]] = {}  # name -> people its roles identified
    pending: list[tuple[int, Mention, tuple[PersonEntry, ...]]] = []
    mentions = list(mentions)
    for index, mention in enumerate(mentions):
        names = mention.target
        # A person named in People is the one meant by their name here.
        meant = tuple(e for e in names if e in chosen) or names
        if not detect and not any(e in chosen for e in names):
            continue
        if mention.role is None:
            pending.append((index, mention, meant))
            continue
        verdicts = {e: verdict(e, mention.role, day) for e in names}
        fitting = [e for e in meant if verdicts[e] is not False]
        if not fitting:
            better = tuple(e for e in names if e not in meant and verdicts[e])
            result.conflicts.append(Conflict(mention, meant, better))
            for entry in meant:
                contradicted.setdefault(entry, mention)
            continue
        sure = [e for e in fitting if verdicts[e]]
        pick = fitting[0] if len(fitting) == 1 else sure[0] if len(sure) == 1 else None
        if pick is None:
            result.ambiguities.append(Ambiguity(mention, tuple(fitting)))
            continue
        resolved[index] = pick
        by_role.setdefault(names, set()).add(pick)
    for index, mention, meant in pending:
        identified = by_role.get(mention.target, set())
        if len(meant) == 1:
            resolved[index] = meant[0]
        elif len(identified) == 1:
            resolved[index] = next(iter(identified))
        else:
            result.ambiguities.append(Ambiguity(mention, meant))

    people: dict[PersonEntry, None] = {}
    for item in declared:
        entry = item.entry
        if entry is None:
            continue
        if entry in contradicted:
            # The article means someone else of that name: keep the name,
            # apart from the registry entry, with the role the article gives.
            mention = contradicted[entry]
            entry = directory.unverified(entry.name)
            result.stated.setdefault(entry, mention.role.text if mention.role else "")
        people.setdefault(entry, None)
    ordered = sorted(resolved.items())
    if detect:
        for _index, entry in ordered:
            if entry not in contradicted:
                people.setdefault(entry, None)
    result.entries = list(people)
    linked: set[PersonEntry] = set()
    for index, entry in ordered:
        mention = mentions[index]
        if entry in people and entry not in linked and mention.linkable:
            linked.add(entry)
            result.links.append((mention, entry))
    return result


def stated_roles(mentions: Iterable[FoundMention[PersonEntry]]) -> dict[PersonEntry, str]:
    """The first role the article states for each name outside the registry."""
    found: dict[PersonEntry, str] = {}
    for mention in mentions:
        if mention.role is not None:
            found.setdefault(mention.target, mention.role.text)
    return found


def source_line(text: str, name: str, role: StatedRole | None = None, occurrence: int = 0) -> int | None:
    """The line of the source file where ``name`` is written (with ``role``
    next to it when given; ``occurrence``: the how-manieth such mention, from
    0): where an editor goes to fix a mention."""
    matcher = NameMatcher([(name, True)])
    wanted = " ".join(role_tokens(role.text)) if role is not None else ""
    first = last = None
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not matcher.find(line):
            continue
        if first is None:
            first = number
        if wanted and wanted in " ".join(role_tokens(line)):
            if seen == occurrence:
                return number
            seen += 1
            last = number
    return last or first


# --- messages for editors (make check) -------------------------------------------


def describe(entry: PersonEntry, day: date) -> str:
    """"'nguyen-van-thong' – Nguyễn Văn Thông (Đảng ủy Khối), chức vụ ngày 10/05/2024: …"."""
    note = f" ({entry.note})" if entry.note else ""
    role = entry.role_on(day) or "danh bạ chưa ghi chức vụ"
    return f"'{entry.key}' – {entry.name}{note}, chức vụ ngày {day:%d/%m/%Y}: {role}"


def ambiguous_declared(item: Declared, day: date) -> str:
    listed = "; ".join(describe(e, day) for e in item.candidates)
    return (f"trường 'People': tên '{item.text}' trùng với {len(item.candidates)} người trong danh bạ "
            f"nhân vật; hãy ghi mã của người được nhắc tới thay cho tên. Các người cùng tên: {listed}")


def conflict_message(conflict: Conflict, day: date) -> str:
    mention = conflict.mention
    listed = "; ".join(describe(e, day) for e in conflict.candidates)
    message = (f"'{mention.text}' được ghi trong bài là '{mention.role.text}', khác với danh bạ nhân vật "
               f"({listed}); tên này không được gắn liên kết và bài không được đưa vào trang của người "
               "trong danh bạ. Nếu bài nói về một người khác cùng tên, hãy thêm người đó vào danh bạ "
               "(content/people/, kèm trường 'Note') rồi ghi mã của họ vào 'People'; nếu bài hay danh bạ "
               "ghi sai chức vụ, hãy sửa lại")
    if conflict.better:
        keys = ", ".join(f"'{e.key}'" for e in conflict.better)
        message += (f". Người cùng tên có chức vụ khớp: {'; '.join(describe(e, day) for e in conflict.better)}"
                    f" — nếu bài nói về người này, hãy ghi {keys} vào 'People'")
    return message


def ambiguity_message(ambiguity: Ambiguity, day: date) -> str:
    listed = "; ".join(describe(e, day) for e in ambiguity.candidates)
    return (f"tên '{ambiguity.mention.text}' trong bài trùng với {len(ambiguity.candidates)} người trong "
            f"danh bạ nhân vật ({listed}); tên này không được gắn liên kết. Hãy ghi mã của người được "
            "nhắc tới vào trường 'People', hoặc ghi chức vụ ngay sau tên")


# --- one article, start to finish (the build and the one-file check) --------------


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    line: int
    message: str


@dataclass
class ArticleReview:
    people: ArticlePeople
    findings: list[Finding]


def review_article(directory: PeopleDirectory, declared_texts: Iterable[str], summary_html: str, body_html: str,
                   day: date, detect: bool, source_text: str | Callable[[], str], people_line: int,
                   find: Callable[[str, NameMatcher], list[Mention]] = find_mentions,
                   locate: Callable[[str, str, StatedRole | None, int], int | None] | None = None) -> ArticleReview:
    """Read ``People``, find the names and their stated roles in the summary
    and body, decide who the article is about, and say what is wrong and on
    which line of the source file (``source_text``: the file's text, or a
    function reading it, called only when a mention needs its line; ``find``:
    how the registry's names are found, ``mention_cache.MentionCache.find`` to
    reuse the last build's; ``locate``: how a mention's line is found, ``source_line``
    or ``MentionCache.source_line``)."""
    locate = locate or source_line
    findings: list[Finding] = []
    declared: list[Declared] = []
    for text in declared_texts:
        if not text.strip():
            continue
        item = directory.declare(text)
        if not item.by_key and looks_like_key(text):
            close = directory.close_keys(text)
            hint = f"; có phải ý bạn là {', '.join(repr(k) for k in close)}?" if close else ""
            findings.append(Finding("error", people_line,
                                    f"trường 'People': không có nhân vật nào mang mã '{text.strip()}' trong danh bạ{hint}"))
            continue
        declared.append(item)
        if item.entry is None:
            findings.append(Finding("error", people_line, ambiguous_declared(item, day)))
            continue
        typo = None if item.entry.registered else directory.likely_typo(text)
        if typo is not None:
            findings.append(Finding("warning", people_line,
                                    f"trường 'People': '{text}' chưa có trong danh sách nhân vật; có phải ý bạn là "
                                    f"'{typo.name}' ({typo.path})?"))
    matcher = directory.matcher
    mentions = [replace(m, linkable=False) for m in find(summary_html, matcher)]
    mentions += find(body_html, matcher)
    found = attribute(directory, declared, mentions, day, detect)
    # Names outside the registry: the role the article gives them, if any.
    outside = [d.entry for d in declared if d.entry is not None and not d.entry.registered]
    if outside:
        own = NameMatcher((entry.name, entry) for entry in outside)
        for entry, role in stated_roles(find_mentions(summary_html, own) + find_mentions(body_html, own)).items():
            found.stated.setdefault(entry, role)
    seen: dict[tuple[str, str], int] = {}
    text: list[str] = []

    def line_of(mention: Mention) -> int:
        if not text:
            text.append(source_text() if callable(source_text) else source_text)
        # the n-th mention written alike goes to the n-th such line
        alike = (mention.text, mention.role.text if mention.role else "")
        occurrence = seen[alike] = seen.get(alike, -1) + 1
        return locate(text[0], mention.text, mention.role, occurrence) or people_line

    for conflict in found.conflicts:
        findings.append(Finding("warning", line_of(conflict.mention), conflict_message(conflict, day)))
    chosen = {d.entry for d in declared}
    for ambiguity in found.ambiguities:
        if not all(e in chosen for e in ambiguity.candidates):
            findings.append(Finding("warning", line_of(ambiguity.mention), ambiguity_message(ambiguity, day)))
    return ArticleReview(found, findings)
