"""NukeViet 4's news module in MySQL/MariaDB (PyMySQL) -> old articles.

Tables (``{prefix}`` is e.g. ``nv4_vi_news``, see docs/import.md):
``_rows`` (one row per article), ``_detail`` (bodyhtml, sourcetext), ``_cat``
(with parentid), and when present ``_sources``, ``_tags``/``_tags_id`` and
``_authorlist`` (pen names). Statuses: 1 published and 2 scheduled come over
(``Hẹn giờ đăng`` while publtime is ahead); 3 expired, 0 suspended, 4 drafts and
5-13 the review steps only with --drafts, as the portal's statuses (STATUS_LABELS).
exptime becomes ``Expires``.
"""
from __future__ import annotations

import re
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from . import legacy
from .body import html_text
from .model import OldArticle, Report, under

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NEEDED = {
    "rows": ("id", "catid", "listcatid", "title", "alias", "hometext", "homeimgfile", "homeimgalt",
             "publtime", "status", "sourceid", "author", "hitstotal"),
    "detail": ("id", "bodyhtml"),
    "cat": ("catid", "parentid", "title", "alias"),
}
OPTIONAL_TABLES = ("sources", "tags", "tags_id", "authorlist")
PUBLISHED, SCHEDULED, EXPIRED = 1, 2, 3
# NukeViet status -> the portal's Status (portal.core.workflow), for --drafts.
STATUS_LABELS = {0: "Gỡ xuống", 3: "Hết hạn", 4: "Nháp", 6: "Trả lại", 9: "Trả lại"}
STATUS_WORDS = {0: "ngưng hiệu lực", 2: "hẹn giờ đăng", 3: "hết hạn", 4: "lưu nháp", 5: "chuyển duyệt",
                6: "từ chối duyệt", 7: "đang duyệt", 8: "chuyển đăng", 9: "từ chối đăng", 10: "đang kiểm tra"}


class SourceError(RuntimeError):
    """The old database cannot be read; the message says why, in Vietnamese."""


@dataclass
class Options:
    db: str
    prefix: str = "nv4_vi_news"
    uploads: Path | None = None
    drafts: bool = False
    module: str = "news"
    lang: str = "vi"
    ext: str = ".html"
    parents: str | None = None  # "giu" (keep) or "gop" (merge into the top category)
    map_file: Path | None = None


@dataclass
class Category:
    catid: int
    parentid: int
    title: str
    alias: str
    new: str = ""

    def root(self, cats: dict[int, "Category"]) -> "Category":
        node, seen = self, set()
        while node.parentid in cats and node.parentid not in seen:
            seen.add(node.catid)
            node = cats[node.parentid]
        return node

    def path(self, cats: dict[int, "Category"]) -> str:
        names, node, seen = [self.title], self, set()
        while node.parentid in cats and node.parentid not in seen:
            seen.add(node.catid)
            node = cats[node.parentid]
            names.append(node.title)
        return " > ".join(reversed(names))


def connect(url: str):
    """A PyMySQL connection from mysql://USER:PASS@HOST:PORT/DB[?unix_socket=…]."""
    import pymysql

    parts = urlsplit(url)
    if parts.scheme not in ("mysql", "mariadb") or not parts.path.strip("/"):
        raise SourceError(f"địa chỉ cơ sở dữ liệu '{_hide(url)}' sai dạng; hãy viết mysql://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY:CỔNG/TÊN_CSDL")
    query = parse_qs(parts.query)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 3306
    where = query["unix_socket"][0] if "unix_socket" in query else f"{host}:{port}"
    user = unquote(parts.username or "")
    try:
        return pymysql.connect(
            host=host, port=port, user=user, password=unquote(parts.password or "").encode("utf-8"),  # UTF-8 passwords, as MariaDB stores them
            database=unquote(parts.path.strip("/")), unix_socket=query.get("unix_socket", [None])[0],
            charset="utf8mb4", connect_timeout=10, read_timeout=600,
        )
    except pymysql.err.OperationalError as exc:
        code = exc.args[0] if exc.args else 0
        if code == 1045:
            raise SourceError(f"máy chủ {where} từ chối đăng nhập của '{user}': sai tên đăng nhập hoặc mật khẩu") from None
        if code == 1049:
            raise SourceError(f"máy chủ {where} không có cơ sở dữ liệu '{parts.path.strip('/')}'") from None
        if code in (2002, 2003, 2005, 2006, 2013):
            raise SourceError(f"không kết nối được máy chủ cơ sở dữ liệu {where} (máy chủ chưa chạy, sai địa chỉ hoặc cổng)") from None
        raise SourceError(f"lỗi kết nối cơ sở dữ liệu {where}: {exc.args[-1] if exc.args else exc}") from None


def _hide(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


class NukeViet:
    def __init__(self, options: Options, report: Report) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_]+", options.prefix):
            raise SourceError(f"tiền tố bảng '{options.prefix}' chỉ được có chữ, số và dấu gạch dưới, ví dụ nv4_vi_news")
        self.options = options
        self.report = report
        self.connection = connect(options.db)
        self.tables = self._tables()
        self.columns = {name: self._columns(name) for name in NEEDED}
        for table, needed in NEEDED.items():
            missing = [c for c in needed if c not in self.columns[table]]
            if missing:
                raise SourceError(f"bảng {self.table(table)} thiếu cột {', '.join(missing)} "
                                  f"(cơ sở dữ liệu của phiên bản NukeViet khác?)")
        self.cats = self._categories()
        self.sources = self._sources()
        self.tags = self._tags()
        self.authors = self._authors()
        self.used_categories: dict[int, str] = {}
        self.used_tags: dict[str, str] = {}  # tag alias -> name
        self.skipped: dict[str, int] = {}

    def table(self, name: str) -> str:
        return f"{self.options.prefix}_{name}"

    def _query(self, sql: str, args=()) -> list[dict]:
        import pymysql

        with self.connection.cursor(pymysql.cursors.DictCursor) as cursor:
            cursor.execute(sql, args)
            return list(cursor.fetchall())

    def _tables(self) -> set[str]:
        names = {next(iter(row.values())) for row in self._query("SHOW TABLES LIKE %s", (self.options.prefix + "\\_%",))}
        missing = [self.table(t) for t in NEEDED if self.table(t) not in names]
        if missing:
            raise SourceError(f"cơ sở dữ liệu không có bảng {', '.join(missing)}; kiểm tra tiền tố --prefix "
                              f"(đang là '{self.options.prefix}', ví dụ nv4_vi_news) hoặc phiên bản NukeViet")
        return names

    def _columns(self, name: str) -> set[str]:
        if self.table(name) not in self.tables:
            return set()
        return {row["Field"] for row in self._query(f"SHOW COLUMNS FROM `{self.table(name)}`")}

    def _has(self, name: str) -> bool:
        return self.table(name) in self.tables

    # --- lookups ---------------------------------------------------------------
    def _categories(self) -> dict[int, Category]:
        cats = {}
        for row in self._query(f"SELECT catid, parentid, title, alias FROM `{self.table('cat')}` ORDER BY catid"):
            title = self._text(row["title"], f"chuyên mục catid={row['catid']}")
            cats[int(row["catid"])] = Category(int(row["catid"]), int(row["parentid"] or 0), title, row["alias"] or "")
        self._apply_mapping(cats)
        return cats

    def _apply_mapping(self, cats: dict[int, Category]) -> None:
        path = self.options.map_file
        saved: dict[int, str] = {}
        mode = self.options.parents
        if path and path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise SourceError(f"tệp ánh xạ chuyên mục {path} sai cú pháp TOML: {exc}") from None
            mode = mode or data.get("cap_cha")
            for item in data.get("chuyen_muc", []):
                if isinstance(item, dict) and str(item.get("moi", "")).strip():
                    saved[int(item.get("id", -1))] = str(item["moi"]).strip()
        mode = mode or "giu"
        if mode not in ("giu", "gop"):
            raise SourceError(f"cap_cha = '{mode}' không hợp lệ; chỉ dùng 'giu' (giữ chuyên mục con) hoặc 'gop' (gộp vào chuyên mục gốc)")
        self.mode = mode
        for cat in cats.values():
            cat.new = saved.get(cat.catid) or (cat.root(cats).title if mode == "gop" else cat.title)

    def mapping_text(self) -> str:
        lines = [
            "# Chuyên mục cũ (NukeViet) -> chuyên mục mới: sửa \"moi\" rồi chạy lại lệnh nhập bài.",
            "# cap_cha = \"giu\": mỗi chuyên mục con thành một chuyên mục; \"gop\": bài của chuyên mục con vào chuyên mục gốc.",
            "# (Đổi cap_cha thì xóa các dòng \"moi\" để tính lại.)",
            f"cap_cha = \"{self.mode}\"",
        ]
        for cat in sorted(self.cats.values(), key=lambda c: c.catid):
            lines += ["", "[[chuyen_muc]]", f"id = {cat.catid}", f"cu = {_toml(cat.path(self.cats))}",
                      f"alias = {_toml(cat.alias)}", f"cha = {cat.parentid}", f"moi = {_toml(cat.new)}"]
        return "\n".join(lines) + "\n"

    def _sources(self) -> dict[int, str]:
        if not self._has("sources"):
            return {}
        return {int(r["sourceid"]): self._text(r["title"] or "", f"nguồn sourceid={r['sourceid']}")
                for r in self._query(f"SELECT sourceid, title FROM `{self.table('sources')}`")}

    def _tags(self) -> dict[int, list[tuple[str, str]]]:
        """article id -> [(tag alias, tag name)]."""
        if not (self._has("tags") and self._has("tags_id")):
            return {}
        columns = self._columns("tags")
        name = "t.title" if "title" in columns else "''"
        keywords = "t.keywords" if "keywords" in columns else "''"
        rows = self._query(
            f"SELECT ti.id, ti.keyword, t.alias, {name} AS title, {keywords} AS keywords "
            f"FROM `{self.table('tags_id')}` ti JOIN `{self.table('tags')}` t ON t.tid = ti.tid ORDER BY ti.id, t.tid")
        tags: dict[int, list[tuple[str, str]]] = {}
        for row in rows:
            label = row["title"] or row["keyword"] or (row["keywords"] or "").split(",")[0] or row["alias"]
            tags.setdefault(int(row["id"]), []).append((row["alias"] or "", self._text(label, f"thẻ {row['alias']}")))
        return tags

    def _authors(self) -> dict[int, list[str]]:
        if not self._has("authorlist"):
            return {}
        authors: dict[int, list[str]] = {}
        for row in self._query(f"SELECT id, pseudonym FROM `{self.table('authorlist')}` ORDER BY id, aid"):
            if row["pseudonym"]:
                authors.setdefault(int(row["id"]), []).append(row["pseudonym"])
        return authors

    def _text(self, value, who: str) -> str:
        text, encoding = legacy.fix(str(value or ""))
        if encoding:
            self.report.add("Bảng mã cũ đã chuyển sang Unicode", who, f"chữ gõ bằng {encoding.upper()}: '{text[:60]}'")
        return text

    # --- articles ----------------------------------------------------------------
    def count(self) -> int:
        return int(self._query(f"SELECT COUNT(*) AS n FROM `{self.table('rows')}`")[0]["n"])

    def articles(self) -> Iterator[OldArticle]:
        import pymysql

        rows_cols = self.columns["rows"]
        optional = [c for c in ("exptime", "archive", "edittime", "addtime") if c in rows_cols]
        fields = ", ".join([*(f"r.`{c}`" for c in NEEDED["rows"]), *(f"r.`{c}`" for c in optional), "d.bodyhtml",
                            "d.sourcetext" if "sourcetext" in self.columns["detail"] else "'' AS sourcetext",
                            "d.id AS detail_id"])
        sql = (f"SELECT {fields} FROM `{self.table('rows')}` r "
               f"LEFT JOIN `{self.table('detail')}` d ON d.id = r.id ORDER BY r.id")
        # A separate streaming connection: the main one stays free for lookups.
        stream = connect(self.options.db)
        try:
            with stream.cursor(pymysql.cursors.SSDictCursor) as cursor:
                cursor.execute(sql)
                for row in cursor:
                    article = self._article(row)
                    if article is not None:
                        yield article
        finally:
            stream.close()

    def _article(self, row: dict) -> OldArticle | None:
        now = time.time()
        aid = int(row["id"])
        who = f"bài id={aid}"
        status = int(row["status"])
        publtime = int(row["publtime"] or 0) or int(row.get("addtime") or 0)
        exptime = int(row.get("exptime") or 0)
        label = STATUS_LABELS.get(status, "Chờ duyệt")
        if status in (PUBLISHED, SCHEDULED):
            # Published, or waiting for its time: the new portal's build publishes it then.
            label = "Hẹn giờ đăng" if publtime > now else ""
        elif not self.options.drafts:
            reason = STATUS_WORDS.get(status, f"trạng thái {status}")
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
            return None
        published = label == ""
        expires = _local(exptime) if exptime else None
        if expires is not None and publtime and exptime <= publtime:
            self.report.add("Ngày sai", who, f"hạn đăng {expires:%d/%m/%Y %H:%M} không sau ngày đăng; bỏ hạn đăng")
            expires = None
        if row["detail_id"] is None:
            self.report.add("Thiếu nội dung", who, f"không có dòng trong {self.table('detail')}; chỉ nhập sapo")
        date = _local(publtime) if publtime > 0 else None
        catid = int(row["catid"] or 0)
        cat = self.cats.get(catid)
        if cat is None:
            self.report.add("Chuyên mục không rõ", who, f"catid={catid} không có trong {self.table('cat')}; xếp vào 'Chưa phân loại'")
        title = self._text(row["title"], who)
        tags = self.tags.get(aid, [])
        author = self._text(row["author"] or ", ".join(self.authors.get(aid, [])), who)
        source = self.sources.get(int(row["sourceid"] or 0), "")
        sourcetext = (row.get("sourcetext") or "").strip()
        if not source and sourcetext and not re.match(r"https?://", sourcetext):
            source = self._text(sourcetext, who)
        cover = (row["homeimgfile"] or "").strip()
        if cover and not re.match(r"(https?:)?//|/", cover):
            cover = f"/uploads/{self.options.module}/{cover}"
        catids = [catid] + [int(c) for c in str(row["listcatid"] or "").split(",") if c.strip().isdigit()]
        old_paths = self._old_paths(aid, row["alias"] or "", dict.fromkeys(catids))
        if published:
            if cat is not None:
                self.used_categories[catid] = cat.new
            for alias, name in tags:
                self.used_tags[alias] = name
        return OldArticle(
            origin=f"nukeviet:{aid}", label=who, title=title, date=date,
            category=cat.new if cat else "Chưa phân loại", body_html=row["bodyhtml"] or "",
            summary=html_text(self._text(row["hometext"] or "", who)), tags=[name for _a, name in tags],
            author=author, source=source, alias=row["alias"] or "", cover=cover,
            cover_caption=self._text(row["homeimgalt"] or "", who), published=published, status=label,
            expires=expires,
            modified=_local(int(row["edittime"])) if int(row.get("edittime") or 0) > publtime else None,
            views=int(row["hitstotal"] or 0), old_paths=old_paths,
        )

    def _old_paths(self, aid: int, alias: str, catids) -> list[str]:
        module, lang, ext = self.options.module, self.options.lang, self.options.ext
        paths = []
        for catid in catids:
            cat = self.cats.get(catid)
            if cat is None or not cat.alias:
                continue
            op = f"{cat.alias}/{alias}-{aid}"
            for prefix in ("", f"/{lang}"):
                paths.append(f"{prefix}/{module}/{op}{ext}")
                if ext:
                    paths.append(f"{prefix}/{module}/{op}")
            paths.append(f"/index.php?{module}/{op}")
        return paths

    def listing_redirects(self, category_url, tag_url) -> dict[str, str]:
        """Old category, tag and module pages -> new listings (only those that have articles)."""
        module, lang = self.options.module, self.options.lang
        found: dict[str, str] = {}  # category pages end in "/" (rewrite_endurl), with /page-N for more
        for prefix in ("", f"/{lang}"):
            found[f"{prefix}/{module}/"] = "/"
            found[f"{prefix}/{module}"] = "/"
        found[f"/index.php?{module}/"] = "/"
        prefix_re = f"(?:/{re.escape(lang)})?/{re.escape(module)}/"
        for catid, name in self.used_categories.items():
            alias = self.cats[catid].alias
            if not alias:
                continue
            target = category_url(name)
            for prefix in ("", f"/{lang}"):
                found[f"{prefix}/{module}/{alias}/"] = target
                found[f"{prefix}/{module}/{alias}"] = target
            found[f"~^{prefix_re}{re.escape(alias)}(?:/page-[0-9]+)?/?$"] = target
            found[f"/index.php?{module}/{alias}"] = target
        for alias, name in self.used_tags.items():
            if not alias:
                continue
            target = tag_url(name)
            for prefix in ("", f"/{lang}"):
                found[f"{prefix}/{module}/tag/{alias}"] = target
                if self.options.ext:  # some sites put the extension on every rewritten address
                    found[f"{prefix}/{module}/tag/{alias}{self.options.ext}"] = target
            found[f"~^{prefix_re}tag/{re.escape(alias)}(?:/page-[0-9]+)?/?$"] = target
            found[f"/index.php?{module}/tag/{alias}"] = target
        return found

    def resolver(self):
        uploads = self.options.uploads

        def resolve(src: str) -> Path | None:
            path = unquote(urlsplit(src.strip()).path)
            if "/uploads/" not in "/" + path.lstrip("/") or uploads is None:
                return None
            relative = ("/" + path.lstrip("/")).split("/uploads/", 1)[1]
            return under(uploads, relative)

        return resolve

    def close(self) -> None:
        self.connection.close()


def _local(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp, ZONE).replace(tzinfo=None)


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
