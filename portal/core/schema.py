"""The one schema for article and page metadata.

Pure functions over text: no Pelican, no file system. The reader feeds it the
header of a Markdown file and gets back typed values plus problems, each tied
to a line number, in words an editor understands.
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from slugify import slugify as _slugify

from portal.core import workflow

HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(?P<value>.*)$")
# "Tiêu đề: …": a key written in Vietnamese (letters and spaces before the colon), reported by name.
LOCAL_KEY_LINE = re.compile(r"^(?P<key>[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,3})[ \t]*:[ \t]*(?P<value>.*)$")
VIETNAMESE_KEYS = {
    "tiêu đề": "Title", "tieu de": "Title", "tựa đề": "Title", "ngày": "Date", "ngày đăng": "Date",
    "ngày giờ": "Date", "chuyên mục": "Category", "danh mục": "Category", "tóm tắt": "Summary",
    "sapo": "Summary", "thẻ": "Tags", "từ khóa": "Tags", "từ khoá": "Tags", "nhân vật": "People",
    "tác giả": "Author", "chức vụ": "AuthorRole", "nguồn": "Source", "ảnh": "Image", "ảnh đại diện": "Image",
    "trạng thái": "Status", "nổi bật": "Featured", "cập nhật": "Modified", "ngày cập nhật": "Modified",
    "liên quan": "Related", "bài liên quan": "Related", "địa chỉ": "Slug",
}
# Characters that are never typed on purpose and can disguise text: C0/C1 controls
# (tab excepted), bidirectional overrides and isolates, zero-width characters.
HIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
HIDDEN_NAMES = {"\u202e": "đảo chiều chữ (RLO)", "\u202d": "ép chiều chữ (LRO)", "\u200b": "khoảng trắng độ rộng 0",
                "\u200c": "ký tự nối độ rộng 0", "\u200d": "ký tự nối độ rộng 0", "\ufeff": "BOM",
                "\u2066": "cô lập chiều chữ", "\u2067": "cô lập chiều chữ", "\u2068": "cô lập chiều chữ",
                "\u2069": "cô lập chiều chữ"}
# A slug is one folder name in output/: far below the 255-byte file-name limit, readable in a link.
SLUG_MAX_LENGTH = 100
# An indented line continues the previous key; a list bullet ("  - 2020-10: …") is allowed.
CONTINUATION = re.compile(r"^(?: {2,}|\t)[ \t]*(?:[-*][ \t]+)?(?P<value>\S.*)$")
DATE_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
SLUG_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
TRUE_WORDS = {"true", "yes", "có", "1"}
FALSE_WORDS = {"false", "no", "không", "0"}


class FieldError(ValueError):
    """A value that does not fit its field; the message is for editors."""


@functools.lru_cache(maxsize=16384)  # categories, tags and authors come back in every article
def slugify(text: str) -> str:
    """ASCII, lower-case, hyphenated: "Đảng ủy Khối" -> "dang-uy-khoi"; at most SLUG_MAX_LENGTH, cut between words."""
    return _slugify(text, max_length=SLUG_MAX_LENGTH, word_boundary=True, save_order=True)


def hidden_character(text: str) -> str | None:
    """A description of the first invisible or direction-changing character in ``text``, or None."""
    found = HIDDEN_CHARACTERS.search(text)
    if not found:
        return None
    char = found.group(0)
    name = HIDDEN_NAMES.get(char, "ký tự điều khiển" if ord(char) < 0x2000 else "ký tự định dạng vô hình")
    return f"{name} U+{ord(char):04X}"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def parse_text(value: str) -> str:
    value = nfc(value.strip())
    if not value:
        raise FieldError("đang để trống")
    return value


def parse_list(value: str) -> list[str]:
    items = [nfc(item.strip()) for item in value.split(",")]
    return [item for item in items if item]


def parse_names(value: str) -> list[str]:
    """Tags or people: comma-separated, each with a letter or digit (it becomes an address).

    A semicolon is read as a comma (it never belongs in a tag or a name), with a warning.
    """
    items = parse_list(value.replace(";", ","))
    for item in items:
        if not slugify(item):
            raise FieldError(f"'{item}' không có chữ cái hay chữ số nào, không dùng làm tên được; hãy xóa hoặc viết lại")
    return items


def parse_name(value: str) -> str:
    """Category or author: text that makes an address."""
    value = parse_text(value)
    if not slugify(value):
        raise FieldError(f"'{value}' không có chữ cái hay chữ số nào nên không tạo được địa chỉ trang; hãy viết lại")
    return value


def parse_date(value: str) -> datetime:
    value = value.strip()
    if not DATE_SHAPE.match(value):
        raise FieldError(
            f"'{value}' sai định dạng ngày; hãy viết YYYY-MM-DD HH:MM, ví dụ 2024-03-15 08:30"
        )
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise FieldError(f"'{value}' không phải ngày giờ có thật (kiểm tra lại ngày, tháng, giờ)")


def parse_bool(value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FieldError(f"'{value.strip()}' không hợp lệ; chỉ dùng 'true' hoặc 'false'")


def parse_status(value: str) -> str:
    """One of the editorial statuses (portal.core.workflow), as its ASCII key."""
    try:
        return workflow.parse_status(value)
    except workflow.StatusError as exc:
        raise FieldError(str(exc)) from None


def parse_slug(value: str) -> str:
    value = value.strip()
    if len(value) > SLUG_MAX_LENGTH:
        raise FieldError(f"dài {len(value)} ký tự, tối đa {SLUG_MAX_LENGTH}; hãy rút gọn, ví dụ '{slugify(value)}'")
    if not SLUG_SHAPE.match(value):
        raise FieldError(
            f"'{value}' không hợp lệ; chỉ dùng chữ thường không dấu, số và dấu gạch ngang, "
            f"ví dụ '{slugify(value) or 'tin-moi'}'"
        )
    return value


@dataclass(frozen=True)
class Field:
    key: str
    parse: Callable[[str], Any]
    required: bool = False
    help: str = ""


def _fields(*items: Field) -> dict[str, Field]:
    return {f.key.lower(): f for f in items}


ARTICLE_FIELDS = _fields(
    Field("Title", parse_text, True, "tiêu đề bài viết"),
    Field("Date", parse_date, True, "ngày giờ đăng, YYYY-MM-DD HH:MM"),
    Field("Category", parse_name, True, "chuyên mục, ví dụ Xây dựng Đảng"),
    Field("Summary", parse_text, help="đoạn sapo in đậm dưới tiêu đề"),
    Field("Tags", parse_names, help="các thẻ, cách nhau bởi dấu phẩy"),
    Field("People", parse_names, help="nhân vật được nhắc tới, cách nhau bởi dấu phẩy"),
    Field("People-Detect", parse_bool, help="no: không tự nhận diện nhân vật trong bài"),
    Field("Author", parse_name, help="tác giả hoặc đơn vị viết bài"),
    Field("AuthorRole", parse_text, help="chức vụ của tác giả"),
    Field("Source", parse_text, help="nguồn tin, ví dụ Báo Nghệ An"),
    Field("Image", parse_text, help="ảnh đại diện, ví dụ /images/2024/anh.jpg"),
    Field("Related", parse_list, help="slug các bài liên quan, cách nhau bởi dấu phẩy"),
    Field("Slug", parse_slug, help="địa chỉ bài viết, chữ thường không dấu"),
    Field("Status", parse_status, help="trạng thái: Nháp, Chờ duyệt, Trả lại, Đã duyệt, Hẹn giờ đăng, Đã đăng, Gỡ xuống, Hết hạn"),
    Field("Reason", parse_text, help="lý do trả lại bài (khi Status là Trả lại)"),
    Field("Expires", parse_date, help="ngày giờ hết hạn: bài rời danh sách, tin mới, tìm kiếm"),
    Field("Featured", parse_bool, help="true: đưa lên tin nổi bật trang chủ"),
    Field("Modified", parse_date, help="ngày giờ cập nhật"),
    Field("Origin", parse_text, help="mã bài ở cổng cũ do công cụ nhập bài ghi, ví dụ nukeviet:123; đừng sửa"),
)

PAGE_FIELDS = _fields(
    Field("Title", parse_text, True, "tiêu đề trang"),
    Field("Slug", parse_slug, help="địa chỉ trang"),
    Field("Summary", parse_text, help="mô tả ngắn"),
    Field("Status", parse_status, help="Nháp hoặc Đã đăng (draft, published)"),
    Field("Date", parse_date, help="ngày cập nhật"),
)


@dataclass
class HeaderLine:
    line: int
    key: str
    first: str  # the text after "Key:" on its own line
    continuations: list[tuple[int, str]] = field(default_factory=list)  # (line, text)

    @property
    def value(self) -> str:
        return " ".join([self.first.strip(), *(text for _line, text in self.continuations)]).strip()


@dataclass
class Header:
    lines: list[HeaderLine]
    body: str
    body_line: int  # 1-based line number where the body starts


@dataclass
class Validated:
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def split_header(text: str) -> Header:
    """Split `Key: value` lines (with indented continuations) from the body."""
    lines = text.split("\n")
    header: list[HeaderLine] = []
    index = 0
    while index < len(lines):
        raw = lines[index].rstrip("\r")
        if not raw.strip():
            index += 1
            break
        continued = CONTINUATION.match(raw)
        match = HEADER_LINE.match(raw) or LOCAL_KEY_LINE.match(raw)
        if continued and header:
            header[-1].continuations.append((index + 1, continued["value"].strip()))
        elif match:
            header.append(HeaderLine(index + 1, match["key"], match["value"]))
        else:
            break
        index += 1
    return Header(header, "\n".join(lines[index:]), index + 1)


def validate(header: Header, fields: dict[str, Field]) -> Validated:
    """Typed values for known keys; a problem per unknown, missing or bad one."""
    result = Validated()
    meant: set[str] = set()  # fields written under a Vietnamese name: reported once, not as missing
    for item in header.lines:
        name = item.key.lower()
        spec = fields.get(name)
        hidden = hidden_character(item.key + item.value)
        if hidden:
            if spec is not None:
                result.lines.setdefault(name, item.line)
            result.problems.append((item.line, f"trường '{item.key}' chứa {hidden}, ký tự ẩn không gõ được "
                                               "(thường do dán từ nơi khác); hãy xóa rồi gõ lại dòng này"))
            continue
        if spec is None:
            english = VIETNAMESE_KEYS.get(" ".join(name.split()))
            if english and english.lower() in fields:
                meant.add(english.lower())
                result.problems.append((item.line, f"tên trường phải viết bằng tiếng Anh: hãy sửa '{item.key}:' "
                                                   f"thành '{english}:' ({fields[english.lower()].help})"))
            else:
                result.problems.append((item.line, _unknown_key_message(item.key, fields)))
            continue
        if name in result.lines:
            result.problems.append(
                (item.line, f"trường '{spec.key}' khai báo hai lần (đã có ở dòng {result.lines[name]})")
            )
            continue
        result.lines[name] = item.line
        try:
            result.values[name] = spec.parse(item.value)
        except FieldError as exc:
            result.problems.append((item.line, f"trường '{spec.key}': {exc}"))
            continue
        if spec.parse is parse_names and ";" in item.value:
            result.warnings.append((item.line, f"trường '{spec.key}': các mục phải cách nhau bằng dấu phẩy; đã đọc "
                                               f"dấu chấm phẩy như dấu phẩy: {', '.join(result.values[name])}"))
    modified, date = result.values.get("modified"), result.values.get("date")
    if modified is not None and date is not None and modified < date:
        result.problems.append((result.lines["modified"], f"trường 'Modified': {modified:%Y-%m-%d %H:%M} sớm hơn "
                                                          f"ngày đăng {date:%Y-%m-%d %H:%M}; ngày cập nhật phải sau ngày đăng"))
        del result.values["modified"]
    for name, spec in fields.items():
        if spec.required and name not in result.lines and name not in meant:
            result.problems.append((1, f"thiếu trường bắt buộc '{spec.key}' ({spec.help})"))
    return result


def _unknown_key_message(key: str, fields: dict[str, Field]) -> str:
    known = [f.key for f in fields.values()]
    guess = difflib.get_close_matches(key.lower(), [k.lower() for k in known], n=1, cutoff=0.6)
    hint = ""
    if guess:
        hint = f"; có phải ý bạn là '{next(k for k in known if k.lower() == guess[0])}'?"
    return f"trường '{key}' không được hỗ trợ{hint} (các trường hợp lệ: {', '.join(known)})"


def category_problem(name: str, declared: list[str]) -> str | None:
    """Why ``name`` is not one of the declared categories (with the likeliest one), or None."""
    if not declared or name in declared:
        return None
    same = {slugify(k): k for k in declared}.get(slugify(name))
    if same:
        hint = f"hãy viết đúng như đã khai báo: '{same}'"
    else:
        close = difflib.get_close_matches(name.lower(), [k.lower() for k in declared], n=1, cutoff=0.6)
        guess = next((k for k in declared if close and k.lower() == close[0]), None)
        hint = f"có phải ý bạn là '{guess}'?" if guess else f"các chuyên mục đã khai báo: {', '.join(declared)}"
    return (f"trường 'Category': chuyên mục '{name}' chưa được khai báo; {hint} "
            "(mở chuyên mục mới: thêm tên vào CATEGORIES trong pelicanconf.py)")
