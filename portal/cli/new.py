"""`python -m portal new`: a new draft article, correctly named and dated."""
from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from portal.core import schema


class NewArticleError(Exception):
    """A reason not to create the file, in words an editor understands."""


@dataclass
class CategoryCheck:
    name: str  # the spelling to write into the file
    note: str = ""  # shown to the editor when the name was changed or is new


def known_categories(articles_dir: Path, menu: list, category_url: str) -> list[str]:
    """Category names already used by articles, plus those in the main menu."""
    names: set[str] = set()
    for path in articles_dir.rglob("*.md"):
        try:
            header = schema.split_header(schema.nfc(path.read_text(encoding="utf-8-sig")))
        except (OSError, UnicodeDecodeError):
            continue  # `make check` reports unreadable files
        names.update(schema.nfc(h.value.strip()) for h in header.lines if h.key.lower() == "category" and h.value.strip())
    prefix = "/" + category_url.split("{", 1)[0]
    names.update(schema.nfc(label) for label, url in menu if url.startswith(prefix) and url != prefix)
    return sorted(names, key=schema.slugify)


def check_category(wanted: str, known: list[str], allow_new: bool) -> CategoryCheck:
    wanted = " ".join(schema.nfc(wanted).split())
    if not wanted:
        raise NewArticleError("chưa có tên chuyên mục (CATEGORY=\"…\")")
    if wanted in known or (allow_new and not known):
        return CategoryCheck(wanted)
    by_slug = {schema.slugify(name): name for name in known}
    same = by_slug.get(schema.slugify(wanted))
    if same:
        return CategoryCheck(same, f"dùng cách viết đã có của chuyên mục: '{same}'")
    close = difflib.get_close_matches(wanted.lower(), [k.lower() for k in known], n=3, cutoff=0.5)
    suggestions = [next(k for k in known if k.lower() == c) for c in close]
    if allow_new:
        return CategoryCheck(wanted, f"tạo chuyên mục mới '{wanted}'")
    hint = f" Có phải ý bạn là: {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise NewArticleError(
        f"chuyên mục '{wanted}' chưa có trên trang.{hint} Các chuyên mục hiện có: {', '.join(known)}. "
        "Nếu thật sự muốn mở chuyên mục mới, chạy lại với NEW_CATEGORY=1 (hoặc --new-category)."
    )


def render(title: str, category: str, when: datetime, author: str) -> str:
    return (
        f"Title: {title}\n"
        f"Date: {when:%Y-%m-%d %H:%M}\n"
        f"Category: {category}\n"
        + (f"Author: {author}\n" if author else "")
        + "Tags:\n"
        "People:\n"
        "Related:\n"
        "Featured: false\n"
        "Status: draft\n"
        "\n"
        "Viết đoạn mở đầu (sapo) ở đây: một đến hai câu tóm tắt điều quan trọng nhất của bài.\n"
        "\n"
        "Viết nội dung bài ở đây.\n"
    )


def create(root: Path, settings: dict, title: str, category: str, allow_new: bool = False,
           now: datetime | None = None) -> tuple[Path, CategoryCheck]:
    title = " ".join(schema.nfc(title).split())
    if not title:
        raise NewArticleError("chưa có tiêu đề (TITLE=\"…\")")
    hidden = schema.hidden_character(title + category)
    if hidden:
        raise NewArticleError(f"tiêu đề hoặc chuyên mục chứa {hidden}, ký tự ẩn không gõ được; hãy gõ lại")
    slug = schema.slugify(title)
    if not slug:
        raise NewArticleError(f"không tạo được tên tệp từ tiêu đề '{title}'; hãy dùng tiêu đề có chữ hoặc số")
    content = Path(settings["PATH"])
    if not content.is_absolute():
        content = root / content
    articles = content / settings["ARTICLE_PATHS"][0]
    declared = [schema.nfc(c) for c in settings.get("CATEGORIES") or []]
    if declared:  # the settings list the categories: only those, or a new one the editor then declares
        chosen = check_category(category, declared, allow_new)
        if chosen.name not in declared:
            chosen.note += (f"; hãy thêm '{chosen.name}' vào CATEGORIES trong "
                            f"{settings.get('PORTAL_SETTINGS_FILE') or 'pelicanconf.py'}, nếu không bản dựng sẽ báo lỗi")
    else:
        known = known_categories(articles, settings.get("MENU", []), settings["CATEGORY_URL"])
        chosen = check_category(category, known, allow_new)
    when = (now or datetime.now(ZoneInfo(settings["TIMEZONE"]))).astimezone(ZoneInfo(settings["TIMEZONE"]))
    path = articles / f"{when:%Y}" / f"{slug}.md"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewArticleError(f"không tạo được tệp {path}: thư mục {path.parent} không tạo được ({exc.strerror})") from None
    try:
        with path.open("x", encoding="utf-8") as handle:  # never overwrite an article
            handle.write(render(title, chosen.name, when, settings.get("AUTHOR", "")))
    except FileExistsError:
        raise NewArticleError(
            f"tệp {path} đã có; không ghi đè. Hãy mở tệp đó để sửa, hoặc đặt tiêu đề khác."
        ) from None
    except OSError as exc:
        raise NewArticleError(f"không tạo được tệp {path}: {exc.strerror}") from None
    return path, chosen


def main(settings: dict, title: str, category: str, allow_new: bool) -> int:
    root = Path.cwd()
    try:
        path, chosen = create(root, settings, title, category, allow_new)
    except NewArticleError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    if chosen.note:
        print(f"lưu ý: {chosen.note}", file=sys.stderr)
    try:
        shown = path.relative_to(root)
    except ValueError:
        shown = path
    print(shown)
    print("Bài đang là bản nháp (Status: draft). Xem trước bằng: make serve", file=sys.stderr)
    return 0
