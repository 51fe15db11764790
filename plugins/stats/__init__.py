"""stats: the "Thống kê truy cập" sidebar box and "Lượt xem" per article.

Pages carry a snapshot of the figures (works without JavaScript); the theme's
stats.js sends the view to the counting service (stats_service/) and shows
live figures. The build writes a manifest of page paths the service counts.

Settings (defaults in ``apply_defaults``): STATS_ENABLED, STATS_API_URL,
STATS_SNAPSHOT_URL, STATS_SNAPSHOT_FILE, STATS_SNAPSHOT_TIMEOUT,
STATS_OFFSETS, STATS_MANIFEST.
"""
from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from pathlib import Path

import problems
from pelican import signals

from .manifest import manifest, page_path
from .snapshot import Offsets, Snapshot, SnapshotError

log = logging.getLogger("portal.stats")
LOG_PREFIX = "[stats]"

DEFAULTS = {
    "STATS_ENABLED": True,
    "STATS_API_URL": "/api/",
    "STATS_SNAPSHOT_URL": None,  # e.g. "http://127.0.0.1:8100/api/export"
    "STATS_SNAPSHOT_FILE": None,  # a saved /api/export answer, used when the URL is not set or fails
    "STATS_SNAPSHOT_TIMEOUT": 5,
    "STATS_OFFSETS": {"total": 0, "paths": {}},
    "STATS_MANIFEST": "stats-manifest.json",
}

_written: set[str] = set()


def apply_defaults(settings: dict) -> dict:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings


def _initialized(pelican) -> None:
    apply_defaults(pelican.settings)


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
    _written.clear()
    if not generators:
        return
    context, settings = generators[0].context, generators[0].settings
    if not settings["STATS_ENABLED"]:
        return
    try:
        offsets = Offsets.parse(settings["STATS_OFFSETS"])
    except SnapshotError as exc:
        problems.error("pelicanconf.py", 0, str(exc))
        offsets = Offsets()
    context["stats_offsets"] = offsets
    context["stats_snapshot"] = _load_snapshot(settings, offsets)


def _content_written(path: str, context) -> None:
    _written.add(os.fspath(path))


def _write_manifest(pelican) -> None:
    settings = pelican.settings
    if not settings["STATS_ENABLED"]:
        return
    output = Path(pelican.output_path)
    excluded = _excluded(settings)
    paths = {p for f in _written if (p := page_path(os.path.relpath(f, output), excluded))}
    offsets = Offsets.parse(settings["STATS_OFFSETS"])
    target = output / settings["STATS_MANIFEST"]
    target.write_text(json.dumps(manifest(paths, offsets), ensure_ascii=False), encoding="utf-8")
    log.info("%s %d đường dẫn trong %s", LOG_PREFIX, len(paths), target.name)


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.generator_init.connect(_add_filters)
    signals.all_generators_finalized.connect(_prepare)
    signals.content_written.connect(_content_written)
    signals.finalized.connect(_write_manifest)
