"""Photos, galleries and videos on a built site: markup, files, metadata, cache."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.support.sites import article, build_site, write_site
from tests.support.photos import BLUE, GREEN, RED, YELLOW, colour_at, jpeg, near, png

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}

REPORT = """Mở đầu bài viết.

![Đồng chí Nguyễn Văn A phát biểu <em>chỉ đạo</em> & "kết luận".](/images/2024/hoi-nghi-01.jpg "Ảnh: Thành Duy")

Đoạn giữa bài.

![Đại biểu dự hội nghị.](/images/2024/dai-bieu.jpg "Ảnh: Minh Châu")
![Ảnh tên có dấu cách và dấu.](/images/2024/hội nghị 02.jpg)
![Ảnh tên mã hoá URL.](/images/2024/h%E1%BB%99i%20ngh%E1%BB%8B%2003.jpg)

Biểu tượng ![nhỏ](/images/2024/bieu-tuong.png) trong câu.

![Toàn cảnh hội nghị.](/videos/toan-canh.mp4)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("photos")
    write_site(root, {
        "articles/2024/phong-su.md": article("Phóng sự ảnh hội nghị", "2024-05-17 14:00", "Tin hoạt động", REPORT),
        "articles/2024/bia.md": article("Tin có ảnh bìa riêng", "2024-05-18 08:00", "Tin hoạt động",
                                        "Nội dung không có ảnh.", Image="/images/2024/bia.jpg"),
        "articles/2024/video-dau.md": article("Tin mở đầu bằng video", "2024-05-19 08:00", "Tin hoạt động",
                                              "![Video.](/videos/toan-canh.mp4)\n\n![Ảnh sau video.](/images/2024/bia.jpg)"),
        "articles/2024/nhap.md": article("Bản nháp", "2024-05-20 08:00", "Tin hoạt động",
                                         "![Ảnh nháp.](/images/2024/nhap.jpg)", Status="draft"),
        "images/2024/nhap.jpg": jpeg((800, 600), gps=False),
        "pages/gioi-thieu.md": "Title: Giới thiệu\n\n![Trụ sở cơ quan.](/images/tru-so.jpg)\n",
        "images/2024/hoi-nghi-01.jpg": jpeg((2000, 1500), orientation=6),  # portrait, stored sideways
        "images/2024/dai-bieu.jpg": jpeg((1200, 900)),  # smaller than the largest width
        "images/2024/hội nghị 02.jpg": jpeg((1000, 750)),
        "images/2024/hội nghị 03.jpg": jpeg((1000, 750)),
        "images/2024/bieu-tuong.png": png((300, 200), transparent=True),  # tiny: used at its size
        "images/2024/bia.jpg": jpeg((1600, 1200)),
        "images/2024/khong-dung.jpg": jpeg((800, 600)),  # in no article, has GPS
        "images/tru-so.jpg": jpeg((900, 600)),
        "images/logo.png": png((64, 64), gps=False),
        "images/lien-ket/tinh-uy.png": png((300, 100), gps=False),
        "videos/toan-canh.mp4": b"\x00\x00\x00\x18ftypmp42",
    }, settings=f"THEME_TEMPLATES_OVERRIDES = [{str(root / 'templates')!r}]\n")
    # What the page head (issue 8) does with article.og_image.
    head = root / "templates" / "partials" / "article_head.html"
    head.parent.mkdir(parents=True)
    head.write_text('{% if article.og_image %}<meta property="og:image" content="{{ SITEURL }}{{ article.og_image }}">{% endif %}')
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    return built


@pytest.fixture(scope="module")
def report(site):
    return site.page("/2024/05/phong-su-anh-hoi-nghi/")


def published(site, url: str) -> Path:
    assert url.startswith("/"), url
    return site.output / url.lstrip("/")


def candidates(srcset: str) -> list[tuple[str, int]]:
    return [(url, int(width.rstrip("w"))) for url, width in (c.strip().split() for c in srcset.split(","))]


def test_figure_has_picture_caption_and_separate_credit(report):
    figure = report.select(".article-body > figure.photo")[0]
    img = figure.select_one("picture > img")
    caption = 'Đồng chí Nguyễn Văn A phát biểu <em>chỉ đạo</em> & "kết luận".'
    # Issue 18: the visible caption is the text alternative; alt no longer repeats it (was == caption).
    assert img["alt"] == ""
    assert figure.select_one("figcaption .caption").get_text() == caption
    assert figure.select_one("figcaption .credit").get_text() == "Ảnh: Thành Duy"
    assert figure.select("figcaption em") == []  # editor text is text, never markup
    assert figure.select_one("picture > source")["type"] == "image/webp"


def test_first_photo_is_fetched_first_and_the_others_lazily(report, site):
    images = report.select(".article-body img")
    assert images[0].get("fetchpriority") == "high" and not images[0].get("loading")
    assert all(i.get("loading") == "lazy" and not i.get("fetchpriority") for i in images[1:])
    assert site.page("/gioi-thieu/").select_one("main img").get("fetchpriority") == "high"


def test_srcset_widths_never_upscale(report):
    widths = []
    for picture in report.select(".article-body picture"):
        webp = [w for _, w in candidates(picture.source["srcset"])]
        fallback = [w for _, w in candidates(picture.img["srcset"])]
        assert webp == fallback
        widths.append(webp)
    # Upright 1500 × 2000; 1200 wide; two 1000 wide; a 300 px icon used at its size.
    assert widths == [[480, 960, 1500], [480, 960, 1200], [480, 960, 1000], [480, 960, 1000], [300]]


def test_every_candidate_exists_with_the_width_it_claims(report, site):
    for picture in report.select(".article-body picture"):
        for tag, mime in ((picture.source, "WEBP"), (picture.img, None)):
            for url, width in candidates(tag["srcset"]):
                with Image.open(published(site, url)) as image:
                    assert image.width == width
                    assert mime is None or image.format == mime


def test_width_and_height_attributes_match_the_src_file(report, site):
    for img in report.select("main img"):
        with Image.open(published(site, img["src"])) as image:
            assert (int(img["width"]), int(img["height"])) == image.size, img["src"]


def test_rotated_photo_is_upright_in_every_published_size(report, site):
    picture = report.select_one(".article-body figure picture")
    urls = [url for url, _ in candidates(picture.source["srcset"]) + candidates(picture.img["srcset"])]
    assert len(urls) == 6
    for url in urls:
        with Image.open(published(site, url)) as image:
            assert image.height > image.width, url
            corners = [colour_at(image, x, y) for x, y in ((0.2, 0.2), (0.8, 0.2), (0.2, 0.8), (0.8, 0.8))]
            assert all(near(got, want) for got, want in zip(corners, (BLUE, RED, YELLOW, GREEN))), (url, corners)


def test_no_published_image_carries_exif_gps_or_a_profile(site):
    files = [p for p in site.output.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES]
    assert len(files) > 30
    for path in files:
        data = path.read_bytes()
        assert b"Exif" not in data and b"SERIAL-12345" not in data and b"PhoneMaker" not in data, path
        with Image.open(io.BytesIO(data)) as image:
            assert len(image.getexif()) == 0 and "icc_profile" not in image.info, path


def test_gallery_of_consecutive_lines(report):
    gallery = report.select_one(".article-body .gallery")
    captions = [f.select_one(".caption").get_text() for f in gallery.select("figure")]
    assert captions == ["Đại biểu dự hội nghị.", "Ảnh tên có dấu cách và dấu.", "Ảnh tên mã hoá URL."]
    assert [f.select(".credit") != [] for f in gallery.select("figure")] == [True, False, False]
    assert all("50vw" in s["sizes"] for s in gallery.select("source"))


def test_inline_photo_stays_in_its_sentence(report):
    paragraph = next(p for p in report.select(".article-body p") if "Biểu tượng" in p.get_text())
    img = paragraph.select_one("picture img")
    assert img["alt"] == "nhỏ" and img["src"].endswith(".png")  # transparent: PNG fallback
    assert (img["width"], img["height"]) == ("300", "200")


def test_video_line_becomes_a_playable_figure(report, site):
    figure = report.select_one(".article-body figure.video")
    video = figure.select_one("video")
    assert video.has_attr("controls") and video["preload"] == "metadata"
    assert video["src"] == "/videos/toan-canh.mp4" and published(site, video["src"]).is_file()
    assert figure.select_one(".caption").get_text() == "Toàn cảnh hội nghị."


def test_cover_photo_gets_a_thumbnail_and_an_open_graph_image(site):
    home = site.page("/")
    cards = {c.select_one(".card-title").get_text(strip=True): c for c in home.select("main .card")}
    card = cards["Tin có ảnh bìa riêng"].select_one(".card-image picture img")
    with Image.open(published(site, card["src"])) as image:
        assert image.size == (int(card["width"]), int(card["height"]))
        assert image.width * 3 == image.height * 4  # 4:3 crop


@pytest.mark.parametrize("url", ["/2024/05/tin-co-anh-bia-rieng/", "/2024/05/phong-su-anh-hoi-nghi/",
                                 "/2024/05/tin-mo-dau-bang-video/"])
def test_open_graph_image_is_1200_by_630(site, url):
    # Covers: a 1600 × 1200 Image header, the body's first photo (upright 1500 × 2000),
    # and the first photo after a video (a video is never a cover).
    og = site.page(url).select_one('meta[property="og:image"]')["content"]
    assert og.startswith("/anh/")
    with Image.open(published(site, og)) as image:
        assert image.size == (1200, 630) and image.format == "JPEG"


def test_source_photos_stay_out_and_site_images_are_published(site):
    assert not (site.output / "images" / "2024").exists()  # nhap.jpg too: its article is a draft
    assert not (site.output / "images" / "tru-so.jpg").exists()
    assert not list(site.output.rglob("khong-dung*"))  # in no article: never published
    assert not (site.output / "images" / "lien-ket" / "tinh-uy.png").exists()  # named nowhere
    for name in ("logo.png", "lien-ket/dich-vu-cong.png"):  # named by the settings: re-encoded, not copied
        data = (site.output / "images" / name).read_bytes()
        assert not any(chunk in data for chunk in (b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"iCCP")), name
        with Image.open(io.BytesIO(data)) as image:
            assert len(image.getexif()) == 0 and not image.info, name
    names = {p.name for p in (site.output / "anh").rglob("*")}
    assert not any(n.startswith("khong-dung") for n in names)


def test_second_build_reuses_the_cache_without_encoding(site):
    cache = site.root / ".cache" / "images"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.rglob("*") if p.is_file() and p.name != "sources.json"}
    again = build_site(site.root, output="output-again")
    assert again.returncode == 0, again.stderr
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.rglob("*") if p.is_file() and p.name != "sources.json"}
    assert after == before  # not one file written
    published_files = [p for p in (again.output / "anh").rglob("*") if p.is_file()]
    inodes = {ino for ino, _ in before.values()}
    assert published_files and all(p.stat().st_ino in inodes for p in published_files)  # linked from the cache


def test_changed_photo_is_encoded_again_and_old_derivatives_are_gone(tmp_path):
    root = write_site(tmp_path / "site", {
        "articles/a.md": article("Tin A", "2024-01-02 08:00", "Tin", "![Ảnh.](/images/a.jpg)\n\n![Ảnh 2.](/images/b.jpg)"),
        "images/a.jpg": jpeg((800, 600)),
        "images/b.jpg": jpeg((700, 500)),
    })
    first = build_site(root)
    names = {p.name for p in (first.output / "anh").iterdir()}
    (root / "content/images/a.jpg").write_bytes(jpeg((640, 480)))
    (root / "content/articles/a.md").write_text(article("Tin A", "2024-01-02 08:00", "Tin", "![Ảnh.](/images/a.jpg)"))
    second = build_site(root)
    assert second.returncode == 0, second.stderr
    now = {p.name for p in (second.output / "anh").iterdir()}
    assert now and not (now & names)  # new key for a.jpg; b.jpg no longer used
    assert any(n.endswith("-640.webp") for n in now)


def test_copy_sources_setting_publishes_originals_re_encoded_without_metadata(tmp_path):
    root = write_site(tmp_path / "site", {
        "articles/a.md": article("Tin A", "2024-01-02 08:00", "Tin", "![Ảnh.](/images/a.jpg)\n\n![Ảnh 2.](/images/b.jpg)"),
        "images/a.jpg": jpeg((800, 600), orientation=6),
        "images/b.jpg": jpeg((800, 600)),
    }, settings="IMAGES_COPY_SOURCES = True\n")
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    for name in ("a.jpg", "b.jpg"):
        data = (built.output / "images" / name).read_bytes()
        assert b"Exif" not in data and b"SERIAL-12345" not in data, name
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG" and len(image.getexif()) == 0
    with Image.open(built.output / "images/a.jpg") as image:
        assert image.size == (600, 800)  # turned upright: the orientation tag is gone with the rest
