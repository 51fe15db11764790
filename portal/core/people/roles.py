"""Roles as an article states them, and whether they agree with the registry.

Pure text functions. A mention of a person may carry a role right next to the
name:

    Nguyễn Văn Thông - Phó Bí thư Thường trực Tỉnh ủy        (after: - – — , ( :)
    đồng chí Nguyễn Văn Thông, Phó Bí thư …, Chủ tịch …     (several parts)
    Phó Bí thư Tỉnh ủy Nguyễn Văn Thông                      (before the name)

A role starts with a *head*: optional modifiers ("phó", "tổng", "nguyên") and
a title word ("bí thư", "chủ tịch", "trưởng ban", …). It runs until
punctuation, another person's name, or a word that starts the rest of the
sentence ("chủ trì", "phát biểu", "dự", …). Text without a head next to the
name states no role: "đồng chí Nguyễn Văn Thông phát biểu".

A stated part agrees with a registry title when the heads are the same
("Bí thư" is not "Phó Bí thư") and the stated words follow, in order, the
registry words after that head: "Phó Bí thư Tỉnh ủy" agrees with "Phó Bí thư
Thường trực Tỉnh ủy", "Phó Bí thư Thường trực Tỉnh ủy" does not agree with
"Phó Bí thư Thường trực Đảng ủy Khối". Abbreviations (TW, HĐND, UBND, BTV,
UBKT, MTTQ, …), case and old/new tone placement do not matter. A role agrees
when every stated part does, or when at least one part naming a post (not a
mere membership such as "Ủy viên Ban Thường vụ") does: a post of a given
body is held by one person at a time, so it identifies them even when the
article adds a duty the registry does not list ("…, Trưởng ban tổ chức hội
thao"). A role whose posts all disagree means someone else. Work per mention is bounded by a window of a few
dozen words, so detection stays linear in the text.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from .names import word_key

Tokens = tuple[str, ...]

# Expanded before comparing; keys are word_key()s of the abbreviation.
ABBREVIATIONS: dict[str, str] = {
    "tw": "trung ương", "tư": "trung ương", "bchtw": "ban chấp hành trung ương",
    "uvtw": "ủy viên trung ương",
    "hđnd": "hội đồng nhân dân", "ubnd": "ủy ban nhân dân", "btv": "ban thường vụ",
    "ubkt": "ủy ban kiểm tra", "mttq": "mặt trận tổ quốc", "ubmttq": "ủy ban mặt trận tổ quốc",
    "bch": "ban chấp hành", "đbqh": "đại biểu quốc hội", "qh": "quốc hội",
    "ub": "ủy ban", "uv": "ủy viên", "bcđ": "ban chỉ đạo", "vn": "việt nam", "tp": "thành phố",
    "hlhpn": "hội liên hiệp phụ nữ", "lđlđ": "liên đoàn lao động", "ccb": "cựu chiến binh",
    "tncs": "thanh niên cộng sản", "hcm": "hồ chí minh", "cq": "cơ quan",
}
# Words that may stand before a title and belong to it ("Phó Bí thư").
MODIFIERS = frozenset({"phó", "tổng", "nguyên", "quyền"})
FORMER = "nguyên"
# Title words a role starts with (after its modifiers), longest first when
# one is the start of another ("trưởng ban" before "trưởng").
TITLES = (
    "bí thư", "chủ tịch", "ủy viên", "trưởng ban", "phó ban", "trưởng phòng", "trưởng đoàn",
    "trưởng khoa", "trưởng", "chủ nhiệm", "giám đốc", "chánh văn phòng", "chánh án",
    "chánh thanh tra", "viện trưởng", "bộ trưởng", "thứ trưởng", "thủ tướng", "cục trưởng",
    "vụ trưởng", "hiệu trưởng", "biên tập", "thư ký", "tư lệnh", "chính ủy", "chỉ huy trưởng",
    "đại biểu quốc hội", "đại biểu", "tỉnh ủy viên", "thành ủy viên", "huyện ủy viên",
    "đảng ủy viên", "chủ tịch nước", "kiểm sát trưởng", "tổng thư ký",
)
HONORIFICS = (("đồng", "chí"), ("ông",), ("bà",), ("anh",), ("chị",))
# Words that end a role: what the person does next in the sentence.
STOP_PHRASES = (
    "chủ trì", "phát biểu", "trình bày", "cho biết", "nhấn mạnh", "khẳng định", "đề nghị", "yêu cầu",
    "kết luận", "chúc mừng", "làm việc", "báo cáo", "khai mạc", "bế mạc", "quán triệt", "giới thiệu",
    "điều hành", "chỉ đạo", "đánh giá", "ghi nhận", "biểu dương", "động viên", "hoan nghênh",
    "mong muốn", "đề xuất", "thông tin", "công bố", "tiếp thu", "giải trình", "phân tích", "chia sẻ",
    "bày tỏ", "lưu ý", "thay mặt", "tham dự", "tham gia", "cùng với", "trả lời", "gợi ý", "khen thưởng",
    "dự", "và", "cùng", "đã", "đang", "sẽ", "vừa", "được", "bị", "là", "làm", "với", "tại", "đến",
    "thăm", "trao", "tặng", "gửi", "nhận", "đón", "tiếp", "ký", "nêu", "đọc", "do", "khi", "thì",
    "mà", "nói", "cũng", "còn", "vẫn", "đi", "về", "có", "trong", "theo", "lên", "ra", "vào", "nhằm",
    "để", "hỏi", "dâng", "thắp", "cắt", "bấm", "của", "này", "kiêm", "dẫn đầu", "dẫn", "phát động",
    "triển khai", "chỉ ra", "đề cập", "hướng dẫn", "tuyên dương", "đồng thời", "luôn", "tới", "nhắc",
    "trực tiếp", "thường xuyên", "ân cần", "tin tưởng", "cảm ơn", "hy vọng", "tiếp thu",
)
# Titles that say a person belongs to a body rather than which post they
# hold: many people share them, so alone they identify no one.
MEMBERSHIPS = ("ủy viên", "tỉnh ủy viên", "thành ủy viên", "huyện ủy viên", "đảng ủy viên", "đại biểu",
               "đại biểu quốc hội")
# Between two parts of one role: ", Bí thư …", " kiêm Chủ tịch …", " và Giám đốc …".
PART_JOINERS = frozenset({",", "kiêm", "và"})
ENDS_AFTER = ",-–—(:"  # what may stand between a name and the role after it
# A role is at most this many words (a longer run of words next to a name is
# a sentence, not a title); it bounds the work per mention.
WINDOW_WORDS = 16
TOKEN = re.compile(r"\w+|[^\w\s]")
FIRST_WORD = re.compile(r"\s*(\w+)")
PIECE = re.compile(r"[^,;.:()\[\]!?\"“”–—-]*")  # text up to the next punctuation mark


def _keys(text: str) -> Tokens:
    return tuple(word_key(word) for word in re.findall(r"\w+", text))


_TITLE_KEYS = sorted((_keys(t) for t in TITLES), key=len, reverse=True)
_STOP_KEYS = sorted((_keys(s) for s in STOP_PHRASES), key=len, reverse=True)
_MEMBERSHIP_KEYS = frozenset(_keys(m) for m in MEMBERSHIPS)
# Cheap test (substring searches, in C) that a window may hold a title at
# all: every title contains one of these. Most windows hold none.
TITLE_TRIGGERS = ("bí thư", "chủ tịch", "ủy viên", "uỷ viên", "trưởng", "phó ban", "chủ nhiệm", "giám đốc",
                  "chánh", "thủ tướng", "biên tập", "thư ký", "tư lệnh", "chính ủy", "chính uỷ", "đại biểu")


def may_hold_title(text: str) -> bool:
    lower = text.lower()
    return any(trigger in lower for trigger in TITLE_TRIGGERS)


_STOPS_BY_FIRST: dict[str, list[Tokens]] = {}
for _stop in _STOP_KEYS:
    _STOPS_BY_FIRST.setdefault(_stop[0], []).append(_stop)
_TITLES_BY_FIRST: dict[str, list[Tokens]] = {}
for _title in _TITLE_KEYS:
    _TITLES_BY_FIRST.setdefault(_title[0], []).append(_title)


def role_tokens(text: str) -> Tokens:
    """Comparable words of a role: "Phó CT UBND" -> ("phó", "ct", "ủy", "ban", "nhân", "dân")."""
    words: list[str] = []
    for key in _keys(html.unescape(text)):
        expansion = ABBREVIATIONS.get(key)
        words += expansion.split() if expansion else [key]
    return tuple(words)


def head_length(tokens: Sequence[str], at: int = 0) -> int:
    """How many tokens from ``at`` form a head (modifiers + title); 0 when none."""
    i = at
    while i < len(tokens) and tokens[i] in MODIFIERS:
        i += 1
    for title in _TITLES_BY_FIRST.get(tokens[i] if i < len(tokens) else "", ()):
        if tuple(tokens[i:i + len(title)]) == title:
            return i + len(title) - at
    return 0


def is_membership(part: Sequence[str]) -> bool:
    """"Ủy viên Ban Thường vụ …": a seat on a body, not a post of one's own."""
    i = 0
    while i < len(part) and part[i] in MODIFIERS:
        i += 1
    length = head_length(part)
    return length > 0 and tuple(part[i:length]) in _MEMBERSHIP_KEYS


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    remaining = iter(long)
    return all(word in remaining for word in short)


@dataclass(frozen=True)
class Title:
    """A registry title ready for comparison: its words and where its heads are."""

    tokens: Tokens
    heads: tuple[tuple[int, int], ...]  # (start, length), left to right

    @classmethod
    @lru_cache(maxsize=4096)  # a registry has few titles; every stated role is checked against them
    def of(cls, text: str) -> "Title":
        tokens: list[str] = []
        heads: list[tuple[int, int]] = []
        # Heads are looked for within each comma-separated part, so "Ban
        # Thường vụ, Trưởng Ban" is not read as the title "vụ trưởng".
        for piece in re.split(r"[,;]|\bkiêm\b", html.unescape(text)):
            words = role_tokens(piece)
            i = 0
            while i < len(words):
                length = head_length(words, i)
                if length:
                    heads.append((len(tokens) + i, length))
                    i += length
                else:
                    i += 1
            tokens += words
        return cls(tuple(tokens), tuple(heads))


def part_agrees(part: Tokens, title: Title) -> bool:
    """One stated part against one registry title: same head, and the stated
    words after it found in order among the title's words after that head."""
    length = head_length(part)
    if not length:
        return False
    head, rest = part[:length], part[length:]
    for start, size in title.heads:
        if title.tokens[start:start + size] == head and _is_subsequence(rest, title.tokens[start + size:]):
            return True
    return False


@dataclass(frozen=True)
class StatedRole:
    """A role as written next to a name: its text and its comparable parts."""

    text: str
    parts: tuple[Tokens, ...]

    @property
    def former(self) -> bool:
        """"nguyên Bí thư …": a role held before, not on the article's date."""
        return bool(self.parts) and self.parts[0][:1] == (FORMER,)

    def agrees_with(self, titles: Iterable[str]) -> bool:
        """Every stated part agrees with one of the registry's titles."""
        keyed = [Title.of(title) for title in titles]
        verdicts = []
        for part in self.parts:
            if self.former and part[:1] == (FORMER,):
                part = part[1:]
            verdicts.append((part, any(part_agrees(part, title) for title in keyed)))
        if all(agrees for _part, agrees in verdicts):
            return True
        return any(agrees and not is_membership(part) for part, agrees in verdicts)


def combined(before: StatedRole | None, after: StatedRole | None) -> StatedRole | None:
    """Both sides of a name: "Phó Bí thư Tỉnh ủy X, Chủ tịch HĐND tỉnh"."""
    if before is None or after is None:
        return before or after
    return StatedRole(f"{before.text}, {after.text}", before.parts + after.parts)


# A word of a window: (start, end, word_key or the punctuation, written in lower case).
_Word = tuple[int, int, str, bool]
_WORD_START = frozenset(_title[0] for _title in _TITLE_KEYS) | MODIFIERS


def _words(text: str, limit: int = WINDOW_WORDS * 2) -> list[_Word]:
    words = []
    for match in TOKEN.finditer(text):
        raw = match.group()
        first = raw[0]
        words.append((match.start(), match.end(), word_key(raw) if first.isalnum() else raw, first.islower()))
        if len(words) == limit:
            break
    return words


def _is_word(word: _Word) -> bool:
    return word[2][0].isalnum()


def _stop_at(words: Sequence[_Word], i: int) -> int:
    """Length of the stop phrase starting at word i, 0 if none ("dự" but not
    "dự khuyết"). Only a lower-case word stops a role: "Ủy ban Kiểm tra"."""
    if not words[i][3]:
        return 0
    for stop in _STOPS_BY_FIRST.get(words[i][2], ()):
        if tuple(w[2] for w in words[i:i + len(stop)]) == stop:
            if stop == ("dự",) and i + 1 < len(words) and words[i + 1][2] == "khuyết":
                return 0
            return len(stop)
    return 0


def _head_at(words: Sequence[_Word], i: int) -> int:
    """Length of the head starting at word i; a head never spans punctuation."""
    if words[i][2] not in _WORD_START:
        return 0
    keys = []
    for word in words[i:i + 8]:
        if not _is_word(word):
            break
        keys.append(word[2])
    return head_length(keys)


def role_after(text: str, end: int, limit: int | None = None) -> StatedRole | None:
    """The role written right after a name that ends at ``end`` (``limit``:
    where the next name starts)."""
    stop = len(text) if limit is None else min(limit, len(text))
    i = end
    while i < stop and text[i] in " \u00a0":
        i += 1
    if i >= stop or text[i] not in ENDS_AFTER:
        return None
    window = text[i + 1: min(stop, i + 1 + WINDOW_WORDS * 10)]
    first = FIRST_WORD.match(window)
    if first is None or word_key(first.group(1)) not in _WORD_START:
        return None  # the usual case, and a cheap one: no title after the comma
    parts: list[Tokens] = []
    begin = last = None
    position = 0
    # One part at a time, each read only up to the next punctuation mark.
    while len(parts) < 4:
        piece = PIECE.match(window, position)
        words = _words(piece.group(), WINDOW_WORDS)
        offset = piece.start()
        size = _head_at(words, 0) if words else 0
        if not size:
            break
        n = size
        while n < len(words) and not _stop_at(words, n):
            n += 1
        parts.append(role_tokens(piece.group()[words[0][0]: words[n - 1][1]]))
        begin = offset + words[0][0] if begin is None else begin
        last = offset + words[n - 1][1]
        if n < len(words):
            # "kiêm"/"và" + another title: the next part; any other word ends the role
            if words[n][2] in PART_JOINERS and n + 1 < len(words) and _head_at(words, n + 1):
                position = offset + words[n][1]
                continue
            break
        if piece.end() < len(window) and window[piece.end()] == ",":
            position = piece.end() + 1
            continue
        break
    if not parts:
        return None
    return StatedRole(" ".join(html.unescape(window[begin:last]).split()), tuple(parts))


def _words_before(window: str, limit: int = WINDOW_WORDS) -> list[_Word]:
    """The words at the end of ``window``, back to a punctuation mark: read
    from the end (on the reversed text), so the cost is the role's length,
    not the window's."""
    found = []
    size = len(window)
    for match in TOKEN.finditer(window[::-1]):
        raw = match.group()[::-1]
        if not raw[0].isalnum():
            break
        found.append((size - match.end(), size - match.start(), word_key(raw), raw[0].islower()))
        if len(found) == limit:
            break
    found.reverse()
    return found


def role_before(text: str, start: int, limit: int = 0) -> StatedRole | None:
    """The role written right before a name that starts at ``start`` (``limit``:
    where the previous name ends): "Phó Bí thư Tỉnh ủy Nguyễn Văn Thông"."""
    window = text[max(limit, start - WINDOW_WORDS * 8): start]
    if not may_hold_title(window):
        return None
    words = _words_before(window, WINDOW_WORDS - 2)
    for honorific in HONORIFICS:
        if len(words) >= len(honorific) and tuple(w[2] for w in words[-len(honorific):]) == honorific:
            words = words[: -len(honorific)]
            break
    if not any(word[2] in _WORD_START for word in words):
        return None
    # forward past the last stop phrase
    begin = n = 0
    while n < len(words):
        size = _stop_at(words, n)
        if size:
            begin = n = n + size
        else:
            n += 1
    run = words[begin:]
    # the last head in the run, widened to the longest head covering it
    for n in range(len(run) - 1, -1, -1):
        if _head_at(run, n):
            while n > 0 and _head_at(run, n - 1) >= 2:
                n -= 1
            role = window[run[n][0]: run[-1][1]]
            return StatedRole(" ".join(html.unescape(role).split()), (role_tokens(role),))
    return None
