"""Old articles -> editor-format Markdown files, photos and data files, idempotently.

Each file records ``Origin:`` (the old id), so a second run finds and updates
the same file instead of adding another; files, photos and data files are
written atomically and only when their content changes.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from PIL import Image, UnidentifiedImageError

from portal.core.schema import SLUG_SHAPE, slugify, split_header

from . import body as bodies
from . import redirects
from .files import remove_leftovers, write_atomic, write_text_if_changed
from .model import OldArticle, Report

VIEWS_FILE = Path("data") / "luot-xem.json"
PHOTO_EXT = {".jpg": ".jpg", ".jpeg": ".jpg", ".png": ".png", ".webp": ".webp", ".gif": ".gif"}
VIDEO_EXT = {".mp4": ".mp4", ".webm": ".webm", ".ogv": ".ogv", ".m4v": ".m4v"}
# resolve(old_src) -> a file on disk, or None when the address is not one of the old site's files
Resolve = Callable[[str], "Path | None"]


@dataclass
class Existing:
    path: Path
    slug: str


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    photos: int = 0
    planned: list[str] = field(default_factory=list)


def header_of(path: Path) -> dict[str, str]:
    """The header fields of an article file (keys lower-case)."""
    try:
        with open(path, encoding="utf-8") as handle:
            head = []
            for line in handle:
                if not line.strip():
                    break
                head.append(line)
    except (OSError, UnicodeDecodeError):
        return {}
    return {item.key.lower(): item.value for item in split_header("".join(head) + "\n").lines}


class Writer:
    """Writes into a site folder (the one holding content/ and deploy/)."""

    def __init__(self, root: Path, report: Report, dry_run: bool = False, echo=print) -> None:
        self.root = Path(root)
        self.content = self.root / "content"
        self.report = report
        self.dry_run = dry_run
        self.echo = echo
        self.outcome = Outcome()
        self.by_origin: dict[str, Existing] = {}
        self.slug_owner: dict[str, str] = {}  # slug -> origin (or file path for hand-written articles)
        self.placed: dict[tuple[str, str], str | None] = {}  # (file, year) -> new address
        self.views: dict[str, int] = {}
        self.redirects: dict[str, str] = {}
        self._scan()
        if not dry_run:
            remove_leftovers(self.content / "articles")
            remove_leftovers(self.content / "images")

    # --- what is there already -------------------------------------------------
    def _scan(self) -> None:
        for path in sorted((self.content / "articles").rglob("*.md")):
            fields = header_of(path)
            slug = fields.get("slug") or slugify(fields.get("title", "")) or path.stem
            origin = fields.get("origin")
            owner = origin or str(path)
            if origin:
                self.by_origin[origin] = Existing(path, slug)
            self.slug_owner.setdefault(slug, owner)

    # --- photos and videos -----------------------------------------------------
    def place_media(self, found: Path | None, src: str, year: int, who: str, video: bool) -> str | None:
        if found is None:
            self.report.add("Ảnh, video không lấy được", who, f"{src} không phải tệp của cổng cũ (ảnh ngoài bị bỏ)")
            return None
        key = (str(found), str(year))
        if key in self.placed:
            return self.placed[key]
        self.placed[key] = url = self._copy(found, src, year, who, video)
        return url

    def _copy(self, found: Path, src: str, year: int, who: str, video: bool) -> str | None:
        table = VIDEO_EXT if video else PHOTO_EXT
        suffix = table.get(found.suffix.lower())
        kind = "video" if video else "ảnh"
        if suffix is None:
            self.report.add("Ảnh, video không lấy được", who, f"{src}: loại tệp {found.suffix or '(không đuôi)'} không dùng được")
            return None
        if not found.is_file():
            self.report.add("Ảnh, video không lấy được", who, f"thiếu tệp {kind} {src} (không có {found})")
            return None
        if not video:
            try:
                with Image.open(found) as image:
                    image.verify()
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
                self.report.add("Ảnh, video không lấy được", who, f"tệp ảnh {src} bị hỏng ({type(exc).__name__})")
                return None
        elif found.stat().st_size == 0:
            self.report.add("Ảnh, video không lấy được", who, f"tệp video {src} rỗng")
            return None
        folder = "videos" if video else "images"
        stem = slugify(found.stem)[:80].strip("-") or ("video" if video else "anh")
        data = None
        for number in range(1, 1000):
            name = f"{stem}{'' if number == 1 else f'-{number}'}{suffix}"
            target = self.content / folder / str(year) / name
            if target.exists():
                if target.stat().st_size == found.stat().st_size:
                    data = data if data is not None else found.read_bytes()
                    if target.read_bytes() == data:
                        break  # copied by an earlier run
                continue
            if self.dry_run:
                self.echo(f"sẽ chép {kind}: {found} -> {target.relative_to(self.root)}")
            else:
                data = data if data is not None else found.read_bytes()
                write_atomic(target, data)
            self.outcome.photos += 1
            break
        return f"/{folder}/{year}/{name}"

    # --- articles --------------------------------------------------------------
    def slug_for(self, article: OldArticle) -> str:
        alias = (article.alias or "").strip().lower()
        base = alias if SLUG_SHAPE.match(alias) else slugify(alias or article.title)
        base = base[:120].strip("-") or "bai-viet"
        owner = self.slug_owner.get(base)
        if owner in (None, article.origin):
            return base
        number = article.origin.rsplit(":", 1)[-1]
        candidate = f"{base}-{slugify(number) or 'cu'}"
        suffix = 2
        while self.slug_owner.get(candidate) not in (None, article.origin):
            candidate = f"{base}-{slugify(number)}-{suffix}"
            suffix += 1
        self.report.add("Bí danh trùng", article.label,
                        f"địa chỉ '{base}' đã thuộc {owner}; bài này dùng '{candidate}'")
        return candidate

    def write(self, article: OldArticle, resolve: Resolve) -> None:
        who = article.label
        if not article.title.strip():
            self.report.add("Bài bỏ qua", who, "không có tiêu đề")
            self.outcome.skipped += 1
            return
        if article.date is None:
            self.report.add("Ngày sai", who, "không đọc được ngày đăng; bài chưa được nhập")
            self.outcome.skipped += 1
            return
        year = article.date.year

        def place(src: str, video: bool) -> str | None:
            return self.place_media(resolve(src), src, year, who, video)

        try:
            markdown = bodies.convert(article.body_html, who, self.report, place)
        except bodies.BodyError as exc:
            self.report.add("HTML không đọc được", who, str(exc))
            self.outcome.skipped += 1
            return
        image = ""
        if article.cover:
            image = place(article.cover, False) or ""
            if image and f"]({image}" not in markdown:
                caption = bodies.clean_text(article.cover_caption).replace("[", "\\[").replace("]", "\\]")
                markdown = f"![{caption}]({image})\n\n{markdown}"
        if not markdown.strip() and bodies.clean_text(article.summary):
            # Only a lead: it becomes the body (the portal takes the first paragraph as the lead).
            markdown, article.summary = bodies.clean_text(article.summary) + "\n", ""
        elif not markdown.strip():
            self.report.add("Bài trống", who, "thân bài không có nội dung; đã ghi một câu giữ chỗ")
            markdown = "(Bài viết không có nội dung ở cổng cũ.)\n"
        slug = self.slug_for(article)
        self.slug_owner[slug] = article.origin
        text = self.render(article, slug, image, markdown)
        target = self.content / "articles" / str(year) / f"{slug}.md"
        existing = self.by_origin.get(article.origin)
        self._save(target, text, existing.path if existing else None, who)
        self.by_origin[article.origin] = Existing(target, slug)
        url = f"/{article.date:%Y}/{article.date:%m}/{slug}/"
        if article.published:
            if article.views > 0:
                self.views[url] = article.views
            for old in article.old_paths:
                if old != url:
                    self.redirects[old] = url

    def render(self, article: OldArticle, slug: str, image: str, markdown: str) -> str:
        def one_line(value: str) -> str:
            return bodies.clean_text(value.replace("\n", " "))

        lines = [f"Title: {one_line(article.title)}", f"Date: {article.date:%Y-%m-%d %H:%M}",
                 f"Category: {one_line(article.category) or 'Chưa phân loại'}"]
        tags = [one_line(t).replace(",", " ") for t in article.tags]
        tags = list(dict.fromkeys(t for t in tags if t))
        if tags:
            lines.append(f"Tags: {', '.join(tags)}")
        for key, value in (("Author", article.author), ("AuthorRole", article.author_role), ("Source", article.source), ("Summary", article.summary)):
            if one_line(value):
                lines.append(f"{key}: {one_line(value)}")
        if image:
            lines.append(f"Image: {image}")
        lines.append(f"Slug: {slug}")
        if article.modified and article.modified > article.date:
            lines.append(f"Modified: {article.modified:%Y-%m-%d %H:%M}")
        if article.status:
            lines.append(f"Status: {article.status}")
        if article.expires:
            lines.append(f"Expires: {article.expires:%Y-%m-%d %H:%M}")
        lines.append(f"Origin: {article.origin}")
        return "\n".join(lines) + "\n\n" + markdown

    def _save(self, target: Path, text: str, previous: Path | None, who: str) -> None:
        shown = target.relative_to(self.root)
        moved = previous is not None and previous != target
        if previous is not None and not moved:
            try:
                if previous.read_text(encoding="utf-8") == text:
                    self.outcome.unchanged += 1
                    return
            except OSError:
                pass
        if previous is None and target.exists():
            # a hand-written file owns this name: never overwrite it
            self.report.add("Bí danh trùng", who, f"tệp {shown} đã có (không do công cụ nhập tạo); không ghi đè")
            self.outcome.skipped += 1
            return
        if self.dry_run:
            self.echo(f"{'sẽ cập nhật' if previous else 'sẽ tạo'}: {shown}")
            self.outcome.planned.append(str(shown))
        else:
            write_atomic(target, text.encode("utf-8"))
            if moved:
                previous.unlink(missing_ok=True)
        if previous:
            self.outcome.updated += 1
        else:
            self.outcome.created += 1

    # --- data files --------------------------------------------------------------
    def add_redirect(self, old: str, new: str) -> None:
        if old and new and old != new:
            self.redirects[old] = new

    def finish(self) -> list[Path]:
        """Views, redirects and nginx files, merged with earlier runs; returns what changed."""
        changed: list[Path] = []
        views_path = self.content / VIEWS_FILE
        try:
            views = json.loads(views_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            views = {}
        views.update(self.views)
        merged = redirects.load(self.content)
        merged.update(self.redirects)
        outputs = {
            views_path: json.dumps(dict(sorted(views.items())), ensure_ascii=False, indent=1) + "\n",
            self.content / redirects.DATA_FILE: redirects.dump(merged),
        }
        for name, text in redirects.nginx_files(merged).items():
            outputs[self.root / redirects.NGINX_FOLDER / name] = text
        for path, text in outputs.items():
            if self.dry_run:
                if not path.is_file() or path.read_text(encoding="utf-8") != text:
                    self.echo(f"sẽ ghi: {path.relative_to(self.root)}")
            elif write_text_if_changed(path, text):
                changed.append(path)
        for key in self.redirects:
            if redirects.UNSAFE.search(key) and not key.startswith("~"):
                self.report.add("Địa chỉ cũ không chuyển hướng được bằng nginx", key, "có ký tự đặc biệt; chỉ có trang chuyển hướng tĩnh")
        return changed


def progress(total: int | None, label: str):
    """A rich progress bar on a terminal; a silent stand-in otherwise (logs, CI)."""
    if not sys.stderr.isatty():
        return _Silent()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    # On stderr: stdout carries the --dry-run listing and the summary.
    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=False)
    bar.start()
    task = bar.add_task(label, total=total)
    return _Rich(bar, task)


class _Silent:
    def advance(self) -> None:
        pass

    def complete(self) -> None:
        pass

    def stop(self) -> None:
        pass


class _Rich:
    def __init__(self, bar, task) -> None:
        self.bar, self.task = bar, task

    def advance(self) -> None:
        self.bar.advance(self.task)

    def complete(self) -> None:
        """Rows and pages that were not articles (skipped drafts, listings) count as done too."""
        total = self.bar.tasks[0].total
        if total is not None:
            self.bar.update(self.task, completed=total)

    def stop(self) -> None:
        self.bar.stop()
