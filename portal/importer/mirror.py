"""A saved copy of an old site (``wget --mirror``) -> old articles, by rules per kind of page.

The rules file (TOML) lists kinds of pages, tried in order; a page is an
article of a kind when the kind's ``match`` selector finds something in it::

    [[page]]
    name = "ban-to-chuc"
    files = ["**/*.html"]           # optional glob patterns, relative to the mirror
    match = "div.news-detail"       # CSS selector that marks this kind of page
    title = "h1.title"
    date = ".news-date"
    date_format = "{thu}, %d/%m/%Y | %H:%M:%S"   # {thu}: "Thứ 6", "Thứ Sáu", "Chủ nhật"
    lead = ".sapo"
    body = ".news-content"
    author = ".author"              # "Hồng Khanh (Ủy viên BTV…)" -> Author + AuthorRole
    source = ".source"
    views = ".views"                # "15,527 lượt xem", "Lượt xem: 207"
    category = ".breadcrumb li:last-child"
    default_category = "Tin hoạt động"
    remove = [".tin-lien-quan"]     # dropped from the body

Shipped rules: portal/importer/rules/*.toml (docs/import.md).
"""
from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

from bs4 import BeautifulSoup

from . import legacy
from .body import clean_text
from .model import OldArticle, Report, under

SELECTORS = ("match", "title", "date", "lead", "body", "author", "source", "views", "category")
WEEKDAY = r"(?:Thứ\s*(?:[2-7]|hai|ba|tư|năm|sáu|bảy|bẩy)|Chủ\s*nhật|CN|T[2-7])"
FIELDS = {"%d": r"(?P<d>\d{1,2})", "%m": r"(?P<m>\d{1,2})", "%Y": r"(?P<Y>\d{4})", "%y": r"(?P<y>\d{2})",
          "%H": r"(?P<H>\d{1,2})", "%M": r"(?P<M>\d{2})", "%S": r"(?P<S>\d{2})"}
LEAD_SOURCE = re.compile(r"^\((?P<source>[^()]{2,40})\)\s*[-–—:]\s*")
ROLE = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<role>[^()]+)\)\s*$")


def old_addresses(relative: str) -> list[str]:
    """The addresses a saved file answered: its path, or NukeViet's index.php?…&nv=…&op=… query
    (wget saves 'index.php?language=vi&nv=news&op=a%2Fb-1.html' with --adjust-extension)."""
    if "?" in relative:
        query = parse_qs(relative.split("?", 1)[1])
        nv, op = query.get("nv", [""])[0], query.get("op", [""])[0]
        op = re.sub(r"\.html?$", "", op)
        return [f"/index.php?{nv}/{op}"] if nv else []
    old = "/" + relative
    if Path(relative).name in ("index.html", "index.htm"):
        return [old, old.rsplit("/", 1)[0] + "/"]
    return [old]


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file and the rule."""


@dataclass
class Kind:
    name: str
    selectors: dict[str, str]
    date_format: str = "%d/%m/%Y"
    files: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    default_category: str = "Chưa phân loại"


def load_rules(path: Path) -> list[Kind]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"không đọc được tệp luật {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(f"tệp luật {path} sai cú pháp TOML: {exc}") from None
    pages = data.get("page")
    if not isinstance(pages, list) or not pages:
        raise RulesError(f"tệp luật {path} chưa có mục [[page]] nào (mỗi kiểu trang một mục)")
    kinds = []
    probe = BeautifulSoup("<p></p>", "lxml")
    for number, page in enumerate(pages, 1):
        name = str(page.get("name") or f"#{number}")
        for needed in ("match", "title", "date", "body"):
            if not page.get(needed):
                raise RulesError(f"{path}: kiểu trang '{name}' thiếu luật '{needed}'")
        selectors = {key: str(page[key]) for key in SELECTORS if page.get(key)}
        for key, selector in [*selectors.items(), *(("remove", s) for s in page.get("remove", []))]:
            try:
                probe.select(selector)
            except Exception as exc:  # soupsieve's SelectorSyntaxError and friends
                raise RulesError(f"{path}: kiểu trang '{name}', luật '{key}': bộ chọn CSS '{selector}' sai ({exc})") from None
        kinds.append(Kind(name, selectors, str(page.get("date_format", "%d/%m/%Y")), list(page.get("files", [])),
                          list(page.get("remove", [])), str(page.get("default_category", "Chưa phân loại"))))
    return kinds


def date_pattern(fmt: str) -> re.Pattern:
    parts = re.split(r"(%[dmYyHMS]|\{thu\})", fmt)
    regex = []
    for part in parts:
        if part in FIELDS:
            regex.append(FIELDS[part])
        elif part == "{thu}":
            regex.append(WEEKDAY)
        else:
            words = r"\s*".join(re.escape(word) for word in part.split())
            regex.append((r"\s*" if part[:1].isspace() else "") + words + (r"\s*" if part[-1:].isspace() and words else ""))
    return re.compile("".join(regex), re.IGNORECASE)


def parse_date(text: str, fmt: str) -> datetime | None:
    match = date_pattern(fmt).search(clean_text(text))
    if not match:
        return None
    found = match.groupdict()
    year = int(found["Y"]) if found.get("Y") else 2000 + int(found.get("y") or 0)
    try:
        return datetime(year, int(found.get("m") or 1), int(found.get("d") or 1),
                        int(found.get("H") or 0), int(found.get("M") or 0), int(found.get("S") or 0))
    except ValueError:
        return None


def parse_count(text: str) -> int:
    match = re.search(r"\d[\d.,\s]*", text or "")
    return int(re.sub(r"\D", "", match.group(0))) if match else 0


def read_page(path: Path) -> str:
    raw = path.read_bytes()
    head = raw[:4096].decode("ascii", "ignore")
    declared = re.search(r"charset=[\"']?([A-Za-z0-9_-]+)", head)
    for encoding in ([declared.group(1)] if declared else []) + ["utf-8", "windows-1252"]:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", "replace")


class Mirror:
    def __init__(self, folder: Path, rules: list[Kind], report: Report) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise RulesError(f"không có thư mục bản lưu {folder}")
        self.rules = rules
        self.report = report
        self.not_articles = 0
        self.used_categories: set[str] = set()

    def pages(self) -> list[Path]:
        return sorted(p for p in self.folder.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file())

    def count(self) -> int:
        return len(self.pages())

    def articles(self) -> Iterator[OldArticle]:
        for path in self.pages():
            relative = path.relative_to(self.folder).as_posix()
            try:
                soup = BeautifulSoup(read_page(path), "lxml")
            except Exception as exc:
                self.report.add("HTML không đọc được", f"tệp {relative}", str(exc))
                continue
            kind = next((k for k in self.rules if self._fits(k, relative, soup)), None)
            if kind is None:
                self.not_articles += 1
                continue
            article = self._article(kind, relative, soup)
            if article is not None:
                yield article

    def _fits(self, kind: Kind, relative: str, soup) -> bool:
        if kind.files and not any(fnmatch.fnmatch(relative, pattern) for pattern in kind.files):
            return False
        return soup.select_one(kind.selectors["match"]) is not None

    def _text(self, soup, kind: Kind, key: str, who: str) -> str:
        selector = kind.selectors.get(key)
        element = soup.select_one(selector) if selector else None
        if element is None:
            return ""
        text, encoding = legacy.fix(clean_text(element.get_text(" ")))
        if encoding:
            self.report.add("Bảng mã cũ đã chuyển sang Unicode", who, f"'{key}' gõ bằng {encoding.upper()}")
        return text

    def _article(self, kind: Kind, relative: str, soup) -> OldArticle | None:
        who = f"tệp {relative}"
        title = self._text(soup, kind, "title", who)
        if not title:
            self.report.add("Bài bỏ qua", who, f"không tìm thấy tiêu đề ('{kind.selectors['title']}', kiểu trang {kind.name})")
            return None
        date_text = self._text(soup, kind, "date", who)
        date = parse_date(date_text, kind.date_format)
        if date is None:
            self.report.add("Ngày sai", who, f"'{date_text}' không khớp định dạng '{kind.date_format}' (kiểu trang {kind.name})")
        lead = self._text(soup, kind, "lead", who)
        source = self._text(soup, kind, "source", who)
        prefix = LEAD_SOURCE.match(lead)
        if prefix:
            source = source or prefix["source"].strip()
            lead = lead[prefix.end():]
        author = self._text(soup, kind, "author", who)
        role = ""
        split = ROLE.match(author)
        if split:
            author, role = split["name"].strip(), split["role"].strip()
        category = self._text(soup, kind, "category", who) or kind.default_category
        views = parse_count(self._text(soup, kind, "views", who))
        body = soup.select_one(kind.selectors["body"])
        if body is None:
            self.report.add("Thiếu nội dung", who, f"không tìm thấy thân bài ('{kind.selectors['body']}')")
            body_html = ""
        else:
            for selector in [*kind.remove, *(kind.selectors[k] for k in ("title", "date", "lead", "author", "source", "views") if k in kind.selectors)]:
                for element in body.select(selector):
                    element.decompose()
            body_html = body.decode_contents()
        self.used_categories.add(category)
        stem = Path(relative).stem
        alias = re.sub(r"-\d+$", "", stem) if stem != "index" else Path(relative).parent.name
        old_paths = old_addresses(relative)
        return OldArticle(
            origin=f"mirror:{relative}", label=who, title=title, date=date, category=category, body_html=body_html,
            summary=lead, author=author, author_role=role, source=source, alias=alias, views=views,
            old_paths=old_paths,
        )

    def resolver(self, page: str):
        base = (self.folder / page).parent

        def resolve(src: str) -> Path | None:
            parts = urlsplit(src.strip())
            path = unquote(parts.path)
            if not path or parts.scheme not in ("", "http", "https"):
                return None
            if path.startswith("/"):
                return under(self.folder, path)
            candidate = (base / path).resolve()
            return candidate if candidate.is_relative_to(self.folder.resolve()) else None

        return resolve
