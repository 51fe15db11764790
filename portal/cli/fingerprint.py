"""Post-build step: content hashes in CSS/JS file names, references rewritten.

`main.css` becomes `main.0123456789.css`, so nginx can cache it for a year
(deploy/nginx.conf) and a new deploy still reaches every reader at once.
Every file under the theme's static css/ and js/ folders is renamed (none is
listed by name), then every `href`/`src` in every HTML file that points at
an old name is rewritten. Must run after any step that adds HTML or assets,
and before compression (see PORTAL_POSTBUILD in publishconf.py).
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

ASSET_FOLDERS = ("css", "js")
HASH_LENGTH = 10
FINGERPRINTED = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.[^./]+$")
REFERENCE = re.compile(r"""(?P<attr>\b(?:href|src)=)(?P<quote>["'])(?P<url>[^"'<>]*)(?P=quote)""")


def fingerprinted_name(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
    return f"{path.stem}.{digest}{path.suffix}"


def rename_assets(output_dir: Path, static_dir: str) -> dict[str, str]:
    """Rename the assets; returns old URL path -> new URL path ('/theme/css/main.css')."""
    renamed: dict[str, str] = {}
    for folder in ASSET_FOLDERS:
        root = output_dir / static_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if FINGERPRINTED.search(path.name):
                continue
            target = path.with_name(fingerprinted_name(path))
            path.rename(target)
            renamed["/" + path.relative_to(output_dir).as_posix()] = "/" + target.relative_to(output_dir).as_posix()
    return renamed


def renamed_in(output_dir: Path, static_dir: str) -> dict[str, str]:
    """What ``rename_assets`` renamed in an output it ran on: old URL path -> new URL path."""
    renamed: dict[str, str] = {}
    for folder in ASSET_FOLDERS:
        root = output_dir / static_dir / folder
        for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else ():
            found = FINGERPRINTED.search(path.name)
            if found:
                original = path.with_name(path.name[:found.start()] + path.suffix)
                renamed["/" + original.relative_to(output_dir).as_posix()] = "/" + path.relative_to(output_dir).as_posix()
    return renamed


def rewrite_references(html: str, renamed: dict[str, str], site_url: str) -> str:
    def replace(match: re.Match) -> str:
        url = match["url"]
        prefix = site_url if site_url and url.startswith(site_url + "/") else ""
        path, mark, rest = url[len(prefix):].partition("?")
        new = renamed.get(path)
        if new is None:
            return match.group(0)
        return f"{match['attr']}{match['quote']}{prefix}{new}{mark}{rest}{match['quote']}"

    return REFERENCE.sub(replace, html)


def fingerprint_assets(output_dir: Path, settings: dict) -> None:
    renamed = rename_assets(Path(output_dir), settings.get("THEME_STATIC_DIR", "theme"))
    if not renamed:
        return
    site_url = settings.get("SITEURL", "")
    for page in Path(output_dir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        updated = rewrite_references(text, renamed, site_url)
        if updated != text:
            # Aside then renamed: the page may be a hard link to the last good output's file.
            scratch = page.with_name(f".{page.name}.fingerprint")
            scratch.write_text(updated, encoding="utf-8")
            os.replace(scratch, page)
