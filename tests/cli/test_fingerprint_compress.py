"""Post-build steps on a synthetic output folder: fingerprinting, then compression."""
from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import brotli

from portal.cli.compress import precompress
from portal.cli.fingerprint import fingerprint_assets

SITE = "https://example.test"


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def test_every_css_and_js_file_is_renamed_and_every_reference_rewritten(tmp_path):
    write(tmp_path, "theme/css/main.css", "body{color:red}")
    write(tmp_path, "theme/css/print.css", "@media print{}")
    write(tmp_path, "theme/js/stats.js", "console.log(1)")
    write(tmp_path, "theme/js/vendor/lib.js", "var x")
    write(tmp_path, "theme/images/logo.png", "png")
    page = write(tmp_path, "2024/01/tin/index.html", (
        f'<link rel="stylesheet" href="{SITE}/theme/css/main.css">'
        "<link rel='stylesheet' href='/theme/css/print.css?v=1'>"
        f'<script src="{SITE}/theme/js/stats.js" defer></script><script src="/theme/js/vendor/lib.js"></script>'
        '<img src="/theme/images/logo.png" alt=""><p>/theme/css/main.css is text, not a reference</p>'
        '<a href="https://other.example/theme/css/main.css">other site</a>'))
    fingerprint_assets(tmp_path, {"THEME_STATIC_DIR": "theme", "SITEURL": SITE})
    names = {
        "main": f"theme/css/main.{short_hash('body{color:red}')}.css",
        "print": f"theme/css/print.{short_hash('@media print{}')}.css",
        "stats": f"theme/js/stats.{short_hash('console.log(1)')}.js",
        "lib": f"theme/js/vendor/lib.{short_hash('var x')}.js",
    }
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "theme").rglob("*") if p.is_file()) == sorted(
        [*names.values(), "theme/images/logo.png"])
    assert page.read_text(encoding="utf-8") == (
        f'<link rel="stylesheet" href="{SITE}/{names["main"]}">'
        f"<link rel='stylesheet' href='/{names['print']}?v=1'>"
        f'<script src="{SITE}/{names["stats"]}" defer></script><script src="/{names["lib"]}"></script>'
        '<img src="/theme/images/logo.png" alt=""><p>/theme/css/main.css is text, not a reference</p>'
        '<a href="https://other.example/theme/css/main.css">other site</a>')
    fingerprint_assets(tmp_path, {"THEME_STATIC_DIR": "theme", "SITEURL": SITE})  # a second run changes nothing
    assert (tmp_path / names["main"]).is_file()


def test_text_files_get_identical_gzip_and_brotli_copies_others_do_not(tmp_path):
    texts = {name: write(tmp_path, name, f"<p>{name} " + "Đảng ủy Khối " * 50 + "</p>")
             for name in ("index.html", "a/b.css", "c.js", "sitemap.xml", "d.json", "robots.txt", "e.svg")}
    (tmp_path / "f.png").write_bytes(b"\x89PNG")
    precompress(tmp_path, {})
    for path in texts.values():
        data = path.read_bytes()
        assert gzip.decompress(Path(f"{path}.gz").read_bytes()) == data
        assert brotli.decompress(Path(f"{path}.br").read_bytes()) == data
        assert len(Path(f"{path}.br").read_bytes()) < len(data)
    assert not (tmp_path / "f.png.gz").exists() and not (tmp_path / "f.png.br").exists()
    first = (tmp_path / "index.html.gz").read_bytes()
    precompress(tmp_path, {}, workers=2)
    assert (tmp_path / "index.html.gz").read_bytes() == first  # same bytes each build: rsync skips them
    assert not (tmp_path / "index.html.gz.gz").exists()


def test_many_files_are_compressed_in_parallel_workers(tmp_path):
    paths = [write(tmp_path, f"p{i}/index.html", f"<p>{i}</p>" * 20) for i in range(80)]
    precompress(tmp_path, {"PORTAL_COMPRESS_BROTLI_QUALITY": 5}, workers=2)
    assert all(brotli.decompress(Path(f"{p}.br").read_bytes()) == p.read_bytes() for p in paths)


def test_a_rebuild_links_the_copies_of_the_pages_it_kept_and_compresses_the_rest(tmp_path):
    previous, staging = tmp_path / "output", tmp_path / "staging"
    pages = {name: write(previous, f"{name}/index.html", f"<p>{name} " + "Đảng ủy Khối " * 50 + "</p>")
             for name in ("kept", "rendered", "edited-in-place")}
    precompress(previous, {})
    for name in ("kept", "edited-in-place"):  # linked by the page memo
        (staging / name).mkdir(parents=True)
        (staging / name / "index.html").hardlink_to(pages[name])
    write(staging, "rendered/index.html", "<p>rendered again " + "Đảng ủy Khối " * 50 + "</p>")
    edited = pages["edited-in-place"]
    edited.write_text(edited.read_text(encoding="utf-8") + "<p>changed after its copies</p>", encoding="utf-8")
    later = Path(f"{edited}.gz").stat().st_mtime_ns + 10**9  # on a coarse clock the write may share their tick
    os.utime(edited, ns=(later, later))

    precompress(staging, {"BUILD_PREVIOUS_OUTPUT": str(previous)})
    for suffix in (".gz", ".br"):
        kept = Path(f"{staging / 'kept' / 'index.html'}{suffix}")
        assert kept.samefile(f"{pages['kept']}{suffix}"), "the kept page's copy is the last output's file"
        for name in ("rendered", "edited-in-place"):
            copy = Path(f"{staging / name / 'index.html'}{suffix}")
            assert not copy.samefile(f"{pages[name]}{suffix}")
    for name in pages:
        page = staging / name / "index.html"
        assert gzip.decompress(Path(f"{page}.gz").read_bytes()) == page.read_bytes()
        assert brotli.decompress(Path(f"{page}.br").read_bytes()) == page.read_bytes()
    assert sorted(p.name for p in (staging / "kept").iterdir()) == ["index.html", "index.html.br", "index.html.gz"]


def test_compressing_again_never_writes_through_a_linked_copy(tmp_path):
    page = write(tmp_path / "output", "index.html", "<p>" + "Đảng ủy Khối " * 50 + "</p>")
    precompress(tmp_path / "output", {})
    (tmp_path / "kept.gz").hardlink_to(f"{page}.gz")  # the last output's copy, linked by a rebuild
    kept = (tmp_path / "kept.gz").read_bytes()
    page.write_text("<p>" + "Trang mới " * 50 + "</p>", encoding="utf-8")
    precompress(tmp_path / "output", {})
    assert (tmp_path / "kept.gz").read_bytes() == kept
    assert gzip.decompress(Path(f"{page}.gz").read_bytes()) == page.read_bytes()
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == ["index.html", "index.html.br", "index.html.gz"]
