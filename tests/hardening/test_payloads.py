"""Hostile content in every field and the body: nothing executable in any built file, no photo metadata.

Each payload goes into every free-text header field, the body of an article,
a page and a person's biography; the photos are a phone's (EXIF with GPS,
XMP, IPTC), referenced from a body, as a cover, as a person photo and not at
all. The site is built with publishconf.py (feeds on), then every file is read.
"""
from __future__ import annotations

import io
import json
import textwrap

import xml.etree.ElementTree as ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.hardening.scan import fragment_records, site_findings
from tests.support.photos import camera_exif, quadrants
from tests.support.sites import SITE_URL, build_site, publish_settings, write_site

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg/onload=alert(3)>",
    '<iframe src="javascript:alert(4)"></iframe>',
    '<a href="javascript:alert(5)">năm</a>',
    '<a href="java&#9;script:alert(6)">sáu</a>',
    '<a href="&#106;avascript:alert(7)">bảy</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==">tám</a>',
    '<a href="vbscript:msgbox(9)">chín</a>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">mười',
    '<form action="https://evil.example/"><input name="p11"><button>Gửi 11</button></form>',
    '"><script>alert(12)</script>',
    "'><img src=x onerror=alert(13)>",
    "</script><script>alert(14)</script>",
    "<style>body{background:url(javascript:alert(15))}</style>mười lăm",
    '<p style="background:url(javascript:alert(16))" onclick="alert(16)">mười sáu</p>',
    '<object data="javascript:alert(17)"></object>mười bảy',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(18)>',
    '<noscript><p title="</noscript><img src=x onerror=alert(19)>">',
    '<details open ontoggle=alert(20)>hai mươi</details>',
    '<base href="https://evil.example/">hai mốt',
    "`<img src=x onerror=alert(22)>` mở đầu có mã",
]
ATOM = "{http://www.w3.org/2005/Atom}"
FIELDS = ("Title", "Summary", "Tags", "People", "Author", "AuthorRole", "Source", "Category")


def phone_photo(fmt: str = "JPEG") -> bytes:
    """A phone's photo: EXIF with GPS and serial number, XMP with a position, an IPTC block."""
    buffer = io.BytesIO()
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="18,40.2N"/>'
           b"</rdf:RDF></x:xmpmeta>")
    options = {"exif": camera_exif(6), "xmp": xmp}
    quadrants((900, 600)).save(buffer, fmt, **options)
    data = buffer.getvalue()
    if fmt == "JPEG":  # an IPTC (Photoshop APP13) block after SOI
        iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x78\x00\x08Vi tri X"
        data = data[:2] + b"\xff\xed" + (len(iptc) + 2).to_bytes(2, "big") + iptc + data[2:]
    return data


def article_text(number: int, payload: str) -> str:
    one_line = " ".join(payload.split())
    header = {field: one_line for field in FIELDS}
    header["Title"] = f"Tin {number} {one_line}"
    header["Date"] = f"2024-03-{number + 1:02d} 08:00"
    if number == 0:
        header["Image"] = "/images/2024/bia.jpg"
    lines = [f"{key}: {value}" for key, value in header.items()]
    body = f"{payload}\n\nĐoạn giữa có {payload} trong câu.\n\n<div>{payload}</div>\n\n![Ảnh chụp bằng điện thoại.](/images/2024/dien-thoai.jpg)"
    if number == 21:  # no Summary: the lead is this body's first paragraph
        lines = [line for line in lines if not line.startswith("Summary:")]
    return "\n".join(lines) + "\n\n" + body + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    files: dict[str, str | bytes] = {
        f"articles/2024/tin-{number}.md": article_text(number, payload) for number, payload in enumerate(PAYLOADS)
    }
    files.update({
        "articles/2024/x": phone_photo(),  # what the raw <img src=x> payloads point at: published as a clean photo
        "pages/x": phone_photo(),
        "images/2024/dien-thoai.jpg": phone_photo(),
        "images/2024/bia.jpg": phone_photo(),
        "images/2024/khong-dung.jpg": phone_photo(),
        "images/2024/khong-dung.webp": phone_photo("WEBP"),
        "images/nhan-vat/nguoi.jpg": phone_photo(),
        "images/2024/trang.html": "<script>alert('same origin')</script>",
        "images/2024/ve.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "images/2024/ma.js": "alert(1)",
        "pages/gioi-thieu.md": "Title: Giới thiệu\n\n" + "\n\n".join(PAYLOADS) + "\n",
        "people/nguoi.md": "Name: Nguyễn Văn Thử\nPhoto: /images/nhan-vat/nguoi.jpg\nRoles:\n    2020-10: Bí thư\n\n"
                           + "\n\n".join(PAYLOADS) + "\n",
    })
    write_site(root, files, settings=publish_settings(root) + "CATEGORIES = []\n")
    built = build_site(root, env={"SITEURL": SITE_URL})
    assert built.returncode == 0, built.stderr
    return built


def test_no_built_file_holds_anything_executable_or_any_photo_metadata(site):
    assert site_findings(site.output, SITE_URL) == []


def test_every_payload_reached_the_site_as_text(site):
    """The scan above proves nothing if the payloads never reached the pages."""
    for number, payload in enumerate(PAYLOADS):
        page = site.page(f"/2024/03/{_slug(site, number)}/")
        title = page.select_one("h1").get_text()
        assert title == f"Tin {number} {' '.join(payload.split())}", title
        tags = [a.get_text() for a in page.select('a[href*="/the/"]')]
        assert tags, number
    assert len(list((site.output / "pagefind" / "fragment").glob("*.pf_fragment"))) >= len(PAYLOADS)
    assert any("alert(1)" in json.dumps(fragment_records(p)) for p in (site.output / "pagefind" / "fragment").iterdir())


def _slug(site, number: int) -> str:
    found = [p.parent.name for p in (site.output / "2024" / "03").glob("*/index.html") if p.parent.name.startswith(f"tin-{number}-")]
    assert len(found) == 1, (number, found)
    return found[0]


def test_feeds_carry_the_payloads_as_text_only(site):
    for name, entry_tag, summary_tag in (("all.atom.xml", ATOM + "entry", ATOM + "summary"), ("all.rss.xml", "item", "description")):
        data = (site.output / "feeds" / name).read_bytes()
        assert not feedparser.parse(data).bozo
        entries = ElementTree.fromstring(data).iter(entry_tag)
        lead = next(e for e in entries if e.findtext(ATOM + "title" if "atom" in name else "title").startswith("Tin 21 "))
        summary = BeautifulSoup(lead.findtext(summary_tag), "html5lib")  # what a feed reader renders
        assert summary.find("img") is None
        assert "<img src=x onerror=alert(22)> mở đầu có mã" in summary.get_text()


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The scanner itself: a live handler, a javascript: link, a camera photo and a raw .svg are all found."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<html><body><img src="/x.jpg" onerror="alert(1)">'
                                               '<a href=" java\tscript:alert(2)">x</a><script>alert(3)</script></body></html>')
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "all.atom.xml").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><summary type="html">&lt;img src=x onerror=alert(4)&gt;'
        "</summary></entry></feed>")
    (tmp_path / "p.jpg").write_bytes(phone_photo())
    (tmp_path / "v.svg").write_text("<svg/>")
    found = "\n".join(site_findings(tmp_path))
    for expected in ("onerror='alert(1)'", "<a href=' java", "<script>", "all.atom.xml <summary>", "p.jpg: carries",
                     "v.svg"):
        assert expected in found, (expected, found)


def test_warnings_name_every_removal_with_its_line(site):
    warnings = [line for line in site.stderr.splitlines() if "cảnh báo: đã bỏ" in line]
    assert any("tin-0.md:" in w and "<script>" in w for w in warnings), site.stderr[:3000]
    assert any("tin-1.md:" in w and "onerror" in w for w in warnings)
    assert any("tin-5.md:" in w and "'javascript:" in w for w in warnings)
    assert any("gioi-thieu.md:" in w for w in warnings)
    assert any("nguoi.md:" in w for w in warnings)  # the biography


def test_only_used_photos_are_published_and_nothing_raw(site):
    published = {p.relative_to(site.output).as_posix() for p in site.output.rglob("*") if p.is_file()}
    assert not [p for p in published if p.startswith(("images/2024", "videos/"))]
    assert "images/nhan-vat/nguoi.jpg" in published  # the person photo, re-encoded
    with Image.open(site.output / "images/nhan-vat/nguoi.jpg") as photo:
        assert photo.size == (600, 900)  # turned upright by its orientation, which is then dropped
    assert not [p for p in published if "khong-dung" in p]
