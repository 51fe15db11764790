"""stats: the "Thống kê truy cập" sidebar box and "Lượt xem" per article.

Pages carry a snapshot of the figures (works without JavaScript); the theme's
stats.js sends the view to the counting service (stats_service/) and shows
live figures. The build writes a manifest of page paths the service counts.

Settings: ``FEATURE`` below.
"""
from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals

from portal.core import problems, workflow
from portal.core.settings import BOOLEAN, MAPPING, OPTIONAL_TEXT, TEXT, Feature, Setting, choice, fill, integer, number
from portal.core.stats.manifest import Manifest, page_path
from portal.core.stats.snapshot import Offsets, Snapshot, SnapshotError
from portal.core.vntext import vn_datetime

log = logging.getLogger("portal.stats")
LOG_PREFIX = "[stats]"

FEATURE = Feature("stats", "STATS_", (
    Setting("STATS_ENABLED", True, BOOLEAN, "bật thống kê truy cập"),
    Setting("STATS_API_URL", "/api/", TEXT, "địa chỉ dịch vụ đếm lượt xem mà trình duyệt gọi"),
    Setting("STATS_SNAPSHOT_URL", None, OPTIONAL_TEXT,
            "địa chỉ lấy số liệu lúc xây dựng, ví dụ http://127.0.0.1:8100/api/export"),
    Setting("STATS_SNAPSHOT_FILE", None, OPTIONAL_TEXT,
            "tệp số liệu đã lưu (/api/export), dùng khi không có hoặc không lấy được STATS_SNAPSHOT_URL"),
    Setting("STATS_SNAPSHOT_TIMEOUT", 5, number(0.1, 120), "số giây chờ dịch vụ thống kê"),
    # Every page shows the figures: new ones at each build would make every build render, and a
    # deploy upload, every page. The first build of a day renders them all anyway (the header's date).
    Setting("STATS_SNAPSHOT_REFRESH", "daily", choice("daily", "build"),
            "khi nào lấy lại số liệu từ STATS_SNAPSHOT_URL: 'daily' – lần dựng đầu tiên mỗi ngày (các lần "
            "sau trong ngày dùng số liệu đã giữ), 'build' – mỗi lần dựng (mọi trang đều phải dựng lại)"),
    Setting("STATS_OFFSETS", {"total": 0, "paths": {}}, MAPPING, "số lượt xem mang sang từ cổng cũ"),
    Setting("STATS_OFFSETS_FILE", "data/luot-xem.json", TEXT,
            "tệp lượt xem mang sang từ cổng cũ (đường dẫn -> số, do lệnh nhập bài ghi), tính từ thư mục content"),
    Setting("STATS_MANIFEST", "stats-manifest.json", TEXT, "tệp danh sách trang được đếm"),
    # The last snapshot fetched from STATS_SNAPSHOT_URL, for builds that cannot reach the service.
    Setting("STATS_SNAPSHOT_KEEP", ".cache/stats-snapshot.json", OPTIONAL_TEXT,
            "tệp giữ số liệu lấy được lần gần nhất (None: không giữ)"),
    Setting("STATS_POPULAR_COUNT", 5, integer(0, 20), "số bài trong mỗi danh sách \"Đọc nhiều\""),
))

# Files written in the current run (content_written); emptied when a run starts.
_written: set[str] = set()
# Published articles of the current run: path -> title (for the manifest).
_articles: dict[str, str] = {}


def _fill_settings(pelican) -> None:
    fill(pelican.settings, FEATURE)


def _start_run(_pelican) -> None:
    _written.clear()
    _articles.clear()


def _excluded(settings: dict) -> frozenset[str]:
    return frozenset(filter(None, [settings.get("NOTFOUND_SAVE_AS")]))


def _add_filters(generator) -> None:
    excluded = _excluded(generator.settings)
    generator.env.filters["stats_path"] = lambda output_file: page_path(output_file or "", excluded) or ""


def _load_snapshot(settings: dict, offsets: Offsets) -> Snapshot:
    url, file, keep = settings["STATS_SNAPSHOT_URL"], settings["STATS_SNAPSHOT_FILE"], settings["STATS_SNAPSHOT_KEEP"]
    if url:
        if settings["STATS_SNAPSHOT_REFRESH"] == "daily":
            kept = _kept_today(keep, ZoneInfo(settings["TIMEZONE"]))
            if kept is not None:
                return kept
        try:
            with urllib.request.urlopen(url, timeout=settings["STATS_SNAPSHOT_TIMEOUT"]) as response:
                text = response.read().decode("utf-8")
            snapshot = Snapshot.parse(text)
        except (OSError, UnicodeDecodeError, SnapshotError) as exc:
            reason = getattr(exc, "reason", exc)
            found = _saved(file, keep)
            if found is not None:
                fallback = f"số liệu đã lưu lúc {vn_datetime(found.updated)}" if found.updated else "số liệu đã lưu"
            else:
                fallback = "số liệu khởi điểm STATS_OFFSETS"
            problems.warning("STATS_SNAPSHOT_URL", 0,
                             f"không lấy được số liệu thống kê từ {url} ({reason}); trang dùng {fallback}.")
            return found or Snapshot.from_offsets(offsets)
        _keep(keep, text)
        return snapshot
    return _saved(file, None) or Snapshot.from_offsets(offsets)


def _kept_today(keep: str | None, zone: ZoneInfo) -> Snapshot | None:
    """The kept copy of the service's export when the service made it today (in the site's time zone)."""
    if not keep or not os.path.isfile(keep):
        return None
    try:
        kept = Snapshot.parse(Path(keep).read_text(encoding="utf-8"))
    except (OSError, SnapshotError, UnicodeDecodeError):
        return None  # fetched again; if that fails too, the fallback says why
    if kept.updated is None:
        return None
    made = kept.updated if kept.updated.tzinfo else kept.updated.replace(tzinfo=zone)
    if made.astimezone(zone).date() != workflow.current_time(zone).date():
        return None
    log.info("%s dùng số liệu lấy lúc %s; lần dựng đầu tiên của ngày mai lấy lại (STATS_SNAPSHOT_REFRESH = 'daily')",
             LOG_PREFIX, vn_datetime(made))
    return kept


def _saved(file: str | None, keep: str | None) -> Snapshot | None:
    """The newer of STATS_SNAPSHOT_FILE and the kept copy of the last fetched snapshot."""
    found = []
    if file:
        try:
            found.append(Snapshot.parse(Path(file).read_text(encoding="utf-8")))
        except OSError as exc:
            problems.error(file, 0, f"không đọc được tệp số liệu thống kê (STATS_SNAPSHOT_FILE): {exc.strerror}")
        except (SnapshotError, UnicodeDecodeError) as exc:
            problems.error(file, getattr(exc, "line", 0), f"tệp số liệu thống kê {exc}")
    if keep and os.path.isfile(keep):
        try:
            found.append(Snapshot.parse(Path(keep).read_text(encoding="utf-8")))
        except (OSError, SnapshotError, UnicodeDecodeError) as exc:
            # Only a cache: a damaged copy is skipped, never a reason to stop the build.
            log.warning("%s bỏ qua bản số liệu đã lưu %s: %s", LOG_PREFIX, keep, exc)
    dated = [s for s in found if s.updated is not None]
    if dated:
        return max(dated, key=lambda s: s.updated)
    return found[0] if found else None


def _keep(keep: str | None, text: str) -> None:
    if not keep:
        return
    target = Path(keep)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_name(f".{target.name}.{os.getpid()}")
        scratch.write_text(text, encoding="utf-8")
        os.replace(scratch, target)  # a reader never sees half a file
    except OSError as exc:
        log.warning("%s không lưu được số liệu vào %s: %s", LOG_PREFIX, keep, exc)


def _popular(snapshot: Snapshot, articles: list, count: int) -> dict[str, list[tuple]]:
    """"Đọc nhiều": (article, views) of this build's published articles, most read first."""
    by_path = {"/" + a.url: a for a in articles}
    return {period: [(by_path[p], n) for p, n in items if p in by_path and n > 0][:count]
            for period, items in snapshot.popular.items()}


def _prepare(generators) -> None:
    """Before any page is written: the snapshot every template shows."""
    if not generators:
        return
    context, settings = generators[0].context, generators[0].settings
    if not settings["STATS_ENABLED"]:
        return
    offsets = _offsets_or_report(settings)
    context["stats_offsets"] = offsets
    snapshot = _load_snapshot(settings, offsets).with_offsets(offsets)
    context["stats_snapshot"] = snapshot
    context["stats_popular"] = _popular(snapshot, context.get("articles", []), settings["STATS_POPULAR_COUNT"])
    # Titles of published articles travel in the manifest: the live "Đọc nhiều" names them.
    _articles.clear()
    _articles.update(("/" + a.url, a.title) for a in context.get("articles", []))


def current_snapshot(settings: dict) -> Snapshot | None:
    """The figures a build made now would show (None with statistics off), as ``_prepare`` finds them."""
    if not settings["STATS_ENABLED"]:
        return None
    offsets = _offsets_or_report(settings)
    return _load_snapshot(settings, offsets).with_offsets(offsets)


def _offsets_or_report(settings: dict) -> Offsets:
    try:
        return _offsets(settings)
    except SnapshotError as exc:
        problems.error("pelicanconf.py", 0, str(exc))
        return Offsets()


def _offsets(settings: dict) -> Offsets:
    """STATS_OFFSETS with the per-article counts of STATS_OFFSETS_FILE (the settings' own paths win)."""
    value = dict(settings["STATS_OFFSETS"] or {})
    path = Path(settings["PATH"]) / settings["STATS_OFFSETS_FILE"]
    if path.is_file():
        try:
            counts = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SnapshotError(f"tệp lượt xem {path} không đọc được: {exc}") from None
        if not isinstance(counts, dict):
            raise SnapshotError(f"tệp lượt xem {path} phải là một đối tượng JSON: đường dẫn -> số lượt xem")
        value["paths"] = {**counts, **(value.get("paths") or {})}
    return Offsets.parse(value)


def _content_written(path: str, context) -> None:
    _written.add(os.fspath(path))


def _write_manifest(pelican) -> None:
    settings = pelican.settings
    if not settings["STATS_ENABLED"]:
        return
    output = Path(pelican.output_path)
    excluded = _excluded(settings)
    paths = {p for f in _written if (p := page_path(os.path.relpath(f, output), excluded))}
    offsets = _offsets(settings)
    target = output / settings["STATS_MANIFEST"]
    target.write_text(json.dumps(Manifest.of(paths, offsets, _articles).to_json(), ensure_ascii=False), encoding="utf-8")
    log.info("%s %d đường dẫn trong %s", LOG_PREFIX, len(paths), target.name)


def register() -> None:
    signals.initialized.connect(_fill_settings)
    signals.get_generators.connect(_start_run)
    signals.generator_init.connect(_add_filters)
    signals.all_generators_finalized.connect(_prepare)
    signals.content_written.connect(_content_written)
    signals.finalized.connect(_write_manifest)
