"""Check one article without a build: what `python -m portal check PATH` and the newsroom's save run.

It reports what the build would report about that file — header, photos and
videos, People, Related against the site's slugs, its address against the
other articles', a future date — using the same schema, image checks, people
registry and messages as the build, and only the headers of the other files.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path

from markdown import Markdown

from portal.core import problems, schema, workflow
from portal.core.article import SourceFile, parse_source
from portal.core.images import messages
from portal.core.images.markup import PLACEHOLDER, VIDEO, is_video, placeholder_attributes
from portal.core.images.pipeline import BadImage, decode
from portal.core.images.settings import encoding, kinds
from portal.core.images.sources import SourceError, line_of, resolve
from portal.core.people.directory import PeopleDirectory
from portal.core.people.registry import load_registry
from portal.core.related import curated
from portal.core.site import Listed, Site

Problem = problems.Problem


def check_files(site: Site, paths: list[str | Path]) -> list[Problem]:
    """Every problem of the given files, sorted; unreadable files are reported, not raised."""
    found: list[Problem] = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            found.append(Problem(problems.display_path(path), 0, f"không đọc được tệp: {exc.strerror}"))
            continue
        found += check_bytes(site, path, data)
    return sorted(set(found))


def check_bytes(site: Site, path: Path, data: bytes) -> list[Problem]:
    report = _Report(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(data[: exc.start].count(b"\n") + 1,
                     "tệp không phải mã UTF-8 hợp lệ; hãy lưu lại tệp với bảng mã UTF-8 "
                     "(trong Notepad: Lưu thành… > Mã hóa: UTF-8)")
        text = data.decode("utf-8-sig", errors="replace")
    return report.found + check_text(site, path, text)


def check_text(site: Site, path: str | Path, text: str) -> list[Problem]:
    """Problems of ``text`` as the content of ``path`` (which need not exist yet: the newsroom checks before saving)."""
    path = Path(path)
    report = _Report(path)
    source = parse_source(str(path), text, is_page=site.is_page(path))
    for line, message in source.problems:
        report.error(line, message)
    if site.is_page(path):
        _check_media(site, source, text, report)
        return report.sorted()
    me = _listed(site, path, source)
    others = site.others(path)
    _check_address(site, me, source, others, report)
    _check_schedule(site, source, report)
    _check_category(site, path, source, report)
    _check_related(me, source, others, report)
    _check_people(site, source, report)
    _check_media(site, source, text, report)
    return report.sorted()


class _Report:
    def __init__(self, path: Path):
        self.path = problems.display_path(path)
        self.found: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.found.append(Problem(self.path, line, message, "error"))

    def warning(self, line: int, message: str) -> None:
        self.found.append(Problem(self.path, line, message, "warning"))

    def note(self, line: int, message: str) -> None:
        self.found.append(Problem(self.path, line, message, "note"))

    def sorted(self) -> list[Problem]:
        return sorted(set(self.found))


def _listed(site: Site, path: Path, source: SourceFile) -> Listed:
    title = source.values.get("title", path.stem)
    slug = source.values.get("slug") or schema.slugify(title) or schema.slugify(path.stem)
    return Listed(path.resolve(), slug, title, source.values.get("category", ""), "", source.is_draft)


def _check_address(site: Site, me: Listed, source: SourceFile, others: list[Listed], report: _Report) -> None:
    date = source.values.get("date")
    if me.draft or date is None:
        return  # drafts have no address outside the preview
    mine = site.article_url(me.slug, date)
    # Every address pattern holds the slug: only articles with the same slug can collide.
    same = [o for o in others if o.slug == me.slug and not o.draft and o.date
            and site.article_url(o.slug, o.date) == mine]
    if same:
        names = ", ".join(problems.display_path(o.path) for o in same)
        report.error(source.lines.get("title", 1),
                     f"trùng địa chỉ /{mine} với {names}; hãy đổi tiêu đề hoặc thêm trường 'Slug' khác nhau")


def _check_schedule(site: Site, source: SourceFile, report: _Report) -> None:
    """A future date is an error for a published article, a note for a scheduled one; expiry is a note."""
    date, expires = source.values.get("date"), source.values.get("expires")
    if source.is_draft or date is None:
        return
    zone = site.timezone
    now = workflow.current_time(zone)
    date, expires = date.replace(tzinfo=zone), expires and expires.replace(tzinfo=zone)
    seen = workflow.visibility(source.status, date, expires, now, site.settings["CONTENT_SCHEMA_EXPIRED"])
    if seen.scheduled:
        report.note(source.lines.get("status", 1), workflow.scheduled_message(date))
    elif seen.expired:
        report.note(source.lines.get("expires" if expires else "status", 1),
                    workflow.expired_message(expires, page_kept=seen.pelican_status == workflow.PELICAN_HIDDEN))
    elif date > now and site.settings["CONTENT_SCHEMA_FUTURE_IS_ERROR"]:
        report.error(source.lines.get("date", 1), workflow.future_message(date))
    if expires is not None and expires <= date:
        report.error(source.lines.get("expires", 1), workflow.expiry_message(expires, date))


def _check_category(site: Site, path: Path, source: SourceFile, report: _Report) -> None:
    wanted = source.values.get("category")
    known = site.categories(besides=path)
    if not wanted or not known or wanted in known:
        return
    same = {schema.slugify(k): k for k in known}.get(schema.slugify(wanted))
    if same:
        hint = f"chuyên mục đã có viết là '{same}'"
    else:
        close = difflib.get_close_matches(wanted.lower(), [k.lower() for k in known], n=1, cutoff=0.6)
        hint = f"có phải ý bạn là '{next(k for k in known if k.lower() == close[0])}'?" if close else \
            f"các chuyên mục hiện có: {', '.join(known)}"
    report.warning(source.lines.get("category", 1),
                   f"trường 'Category': '{wanted}' là chuyên mục mới trên trang; {hint}")


def _check_related(me: Listed, source: SourceFile, others: list[Listed], report: _Report) -> None:
    slugs = source.values.get("related") or []
    if not slugs:
        return
    by_slug: dict[str, list] = defaultdict(list)
    for other in [me, *others]:
        if not other.draft:
            by_slug[other.slug].append(other)
    drafts = {o.slug for o in others if o.draft}
    for slug in dict.fromkeys(slugs):
        message = curated.problem_with(me, slug, by_slug, drafts)
        if message:
            report.error(source.lines.get("related", 1), f"trường 'Related': {message}")


def _check_people(site: Site, source: SourceFile, report: _Report) -> None:
    declared = source.values.get("people") or []
    if not declared:
        return
    folder = site.content_root / site.settings["PEOPLE_PATH"]
    files = [(str(p), p.read_text(encoding="utf-8-sig", errors="replace")) for p in sorted(folder.glob("*.md"))]
    directory = PeopleDirectory(load_registry(files)[0])
    for name in declared:
        person = directory.likely_typo(name)
        if person is not None:
            report.warning(source.lines.get("people", 1),
                           f"trường 'People': '{name}' chưa có trong danh sách nhân vật; có phải ý bạn là "
                           f"'{person.name}' ({problems.display_path(person.path)})?")


def _check_media(site: Site, source: SourceFile, text: str, report: _Report) -> None:
    options = dict(site.settings.get("MARKDOWN", {}))
    configs = dict(options.pop("extension_configs", {}))
    configs.setdefault("portal.core.images.markup", {})
    extensions = list(dict.fromkeys([*options.pop("extensions", []), *configs]))
    md = Markdown(extensions=extensions, extension_configs=configs, **options)
    html = md.convert(source.body)
    path = Path(source.path)
    used = [placeholder_attributes(m.group(0)) for m in PLACEHOLDER.finditer(html)]
    srcs = [(a.get("src", ""), a.get("data-media") == VIDEO) for a in used]
    cover = source.values.get("image")
    if cover:
        srcs.append((cover, is_video(cover)))
    checked: set[Path] = set()
    for src, video in srcs:
        line = source.lines["image"] if src == cover and "image" in source.lines else line_of(text, src)
        try:
            file = resolve(src, site.content_root, path)
        except SourceError as exc:
            report.error(line, str(exc))
            continue
        if video or file in checked:
            continue
        checked.add(file)
        try:
            decode(str(file), list(kinds(site.settings).values()), encoding(site.settings))
        except BadImage as exc:
            report.error(line, messages.bad_image(src, file, exc, site.settings["IMAGES_MAX_PIXELS"]))
