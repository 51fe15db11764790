"""`python -m portal linkcheck output/`: every internal link and image resolves.

Reads each built HTML file once (stdlib parser: fast enough for a whole
portal), follows every internal href/src/srcset/poster/action and the
Open Graph URLs, and checks the target file (and `#fragment` id) exists.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

URL_ATTRIBUTES = {"href", "src", "poster", "action"}
OG_URL_PROPERTIES = {"og:url", "og:image"}
EXTERNAL_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "sms:")
SKIPPED_PREFIXES = ("/api/",)  # served by the statistics service, not by files


@dataclass(frozen=True)
class Broken:
    page: str
    url: str
    tag: str

    def format(self) -> str:
        return f"{self.page}: liên kết hỏng '{self.url}' (thẻ <{self.tag}>)"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name])
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.links.append((tag, value.strip()))
            elif name in ("srcset", "imagesrcset"):
                self.links += [(tag, part.strip().split()[0]) for part in value.split(",") if part.strip()]
        if tag == "meta" and values.get("property") in OG_URL_PROPERTIES and values.get("content"):
            self.links.append((tag, values["content"].strip()))


def _page_url(output: Path, page: Path) -> str:
    relative = page.relative_to(output).as_posix()
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def _target(output: Path, path: str) -> Path | None:
    candidate = output / unquote(path).lstrip("/")
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check(output: Path, site_url: str = "") -> list[Broken]:
    output = Path(output)
    pages: dict[Path, _Collector] = {}
    for page in sorted(output.rglob("*.html")):
        collector = _Collector()
        collector.feed(page.read_text(encoding="utf-8"))
        pages[page] = collector
    broken = []
    for page, collector in pages.items():
        base = _page_url(output, page)
        shown = page.relative_to(output).as_posix()
        for tag, url in collector.links:
            if not url or url.lower().startswith(EXTERNAL_SCHEMES):
                continue
            if site_url and (url == site_url or url.startswith(site_url + "/")):
                url_path = url[len(site_url):] or "/"
            elif urlsplit(url).scheme or url.startswith("//"):
                continue  # another site
            else:
                url_path = urljoin(base, url)
            parts = urlsplit(url_path)
            if parts.path.startswith(SKIPPED_PREFIXES):
                continue
            target = _target(output, parts.path)
            if target is None:
                broken.append(Broken(shown, url, tag))
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    broken.append(Broken(shown, url, tag))
    return broken


def main(output: str, site_url: str = "") -> int:
    found = check(Path(output), site_url.rstrip("/"))
    for item in found:
        print(item.format(), file=sys.stderr)
    if found:
        print(f"Có {len(found)} liên kết hỏng trong {output}/.", file=sys.stderr)
        return 1
    print(f"Mọi liên kết nội bộ trong {output}/ đều dẫn tới tệp có thật.")
    return 0
