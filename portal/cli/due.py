"""`python -m portal due`: is a rebuild due because a scheduled article's time or an expiry has come?

Every successful `python -m portal build` records the time it read the content
in `.<output>.built` beside the output folder. `due` reads the headers of every
article (no Pelican) and answers with exit status 0 when some `Hẹn giờ đăng`
time or `Expires` time lies between that moment and now — the site then needs
a build — and 3 when nothing is due. A timer runs it every minute
(`deploy/portal-publish.timer`, docs/deploy.md); the newsroom runs the same check.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from portal.core import schema, workflow
from portal.core.site import Site

NOTHING_DUE = 3


def stamp_path(output: str | Path) -> Path:
    target = Path(output).resolve()
    return target.with_name(f".{target.name}.built")


def record_build(output: str | Path, read_at: datetime) -> None:
    stamp_path(output).write_text(json.dumps({"read_at": read_at.isoformat()}), encoding="utf-8")


def last_build(output: str | Path) -> datetime | None:
    try:
        return datetime.fromisoformat(json.loads(stamp_path(output).read_text(encoding="utf-8"))["read_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def due_articles(site: Site, since: datetime | None, now: datetime) -> list[tuple[datetime, Path]]:
    found = []
    for article in site.articles:
        try:
            expires = schema.parse_date(article.expires_text) if article.expires_text else None
        except schema.FieldError:
            expires = None
        date = article.date
        moments = workflow.due_times(article.status, date and date.replace(tzinfo=now.tzinfo),
                                     expires and expires.replace(tzinfo=now.tzinfo))
        found += [(moment, article.path) for moment in moments if (since is None or since < moment) and moment <= now]
    return sorted(found)


def main(settings_file: str, output: str) -> int:
    site = Site.load(settings_file)
    now = workflow.current_time(site.timezone)
    since = last_build(output)
    if since is None:
        print(f"Chưa có lần dựng trang nào được ghi lại cho {output}/: cần dựng trang.")
        return 0
    due = due_articles(site, since, now)
    for moment, path in due:
        print(f"{moment:%H:%M %d/%m/%Y}: {path.relative_to(site.content_root.parent) if path.is_relative_to(site.content_root.parent) else path}")
    if due:
        print(f"Cần dựng lại: {len(due)} bài đến giờ đăng hoặc hết hạn kể từ lần dựng lúc {since:%H:%M %d/%m/%Y}.")
        return 0
    print("Chưa có bài nào đến giờ đăng hay hết hạn.")
    return NOTHING_DUE
