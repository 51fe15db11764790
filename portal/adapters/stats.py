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

from pelican import signals

from portal.core import problems
from portal.core.settings import BOOLEAN, MAPPING, OPTIONAL_TEXT, TEXT, Feature, Setting, fill, number
from portal.core.stats.manifest import Manifest, page_path
from portal.core.stats.snapshot import Offsets, Snapshot, SnapshotError

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
    Setting("STATS_OFFSETS", {"total": 0, "paths": {}}, MAPPING, "số lượt xem mang sang từ cổng cũ"),
    Setting("STATS_OFFSETS_FILE", "data/luot-xem.json", TEXT,
            "tệp lượt xem mang sang từ cổng cũ (đường dẫn -> số, do lệnh nhập bài ghi), tính từ thư mục content"),
    Setting("STATS_MANIFEST", "stats-manifest.json", TEXT, "tệp danh sách trang được đếm"),
))

# Files written in the current run (content_written); emptied when a run starts.
_written: set[str] = set()


def _fill_settings(pelican) -> None:
    fill(pelican.settings, FEATURE)


def _start_run(_pelican) -> None:
    _written.clear()


def _excluded(settings: dict) -> frozenset[str]:
    return frozenset(filter(None, [settings.get("NOTFOUND_SAVE_AS")]))


def _add_filters(generator) -> None:
    excluded = _excluded(generator.settings)
    generator.env.filters["stats_path"] = lambda output_file: page_path(output_file or "", excluded) or ""


def _load_snapshot(settings: dict, offsets: Offsets) -> Snapshot:
    url, file = settings["STATS_SNAPSHOT_URL"], settings["STATS_SNAPSHOT_FILE"]
    if url:
        try:
            with urllib.request.urlopen(url, timeout=settings["STATS_SNAPSHOT_TIMEOUT"]) as response:
                return Snapshot.parse(response.read().decode("utf-8"))
        except (OSError, UnicodeDecodeError, SnapshotError) as exc:
            fallback = "tệp STATS_SNAPSHOT_FILE" if file else "số liệu khởi điểm STATS_OFFSETS"
            reason = getattr(exc, "reason", exc)
            problems.warning("STATS_SNAPSHOT_URL", 0,
                             f"không lấy được số liệu thống kê từ {url} ({reason}); trang dùng {fallback}.")
    if file:
        try:
            return Snapshot.parse(Path(file).read_text(encoding="utf-8"))
        except OSError as exc:
            problems.error(file, 0, f"không đọc được tệp số liệu thống kê (STATS_SNAPSHOT_FILE): {exc.strerror}")
        except (SnapshotError, UnicodeDecodeError) as exc:
            problems.error(file, getattr(exc, "line", 0), f"tệp số liệu thống kê {exc}")
    return Snapshot.from_offsets(offsets)


def _prepare(generators) -> None:
    """Before any page is written: the snapshot every template shows."""
    if not generators:
        return
    context, settings = generators[0].context, generators[0].settings
    if not settings["STATS_ENABLED"]:
        return
    try:
        offsets = _offsets(settings)
    except SnapshotError as exc:
        problems.error("pelicanconf.py", 0, str(exc))
        offsets = Offsets()
    context["stats_offsets"] = offsets
    context["stats_snapshot"] = _load_snapshot(settings, offsets)


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
    target.write_text(json.dumps(Manifest.of(paths, offsets).to_json(), ensure_ascii=False), encoding="utf-8")
    log.info("%s %d đường dẫn trong %s", LOG_PREFIX, len(paths), target.name)


def register() -> None:
    signals.initialized.connect(_fill_settings)
    signals.get_generators.connect(_start_run)
    signals.generator_init.connect(_add_filters)
    signals.all_generators_finalized.connect(_prepare)
    signals.content_written.connect(_content_written)
    signals.finalized.connect(_write_manifest)
