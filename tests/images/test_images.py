"""The images plugin's pure parts: editor syntax, the pipeline, the cache."""
from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown import Markdown
from PIL import Image, ImageChops, ImageOps, ImageStat

from portal.core.images import workpool

from portal.core.images.settings import kinds
from portal.core.images.cache import ImageCache, entry_key
from portal.core.images.markup import placeholder_attributes
from portal.core.images.pipeline import BadImage, Encoding, Kind, decode, render, targets, workload
from portal.core.images.sources import SourceError, line_of, resolve
from tests.support.photos import BLUE, GREEN, RED, YELLOW, colour_at, display_p3_icc, jpeg, near, p3_to_srgb, png, quadrants

ROOT = Path(__file__).resolve().parents[2]
BODY = Kind("body", (480, 960, 1600), None, ("webp", "jpeg"))
SETTINGS = {"IMAGES_WIDTHS": (480, 960, 1600), "IMAGES_CARD_WIDTHS": (240, 480, 960),
            "IMAGES_CARD_RATIO": (4, 3), "IMAGES_OG_SIZE": (1200, 630)}


def convert(text: str) -> BeautifulSoup:
    md = Markdown(extensions=["markdown.extensions.extra", "portal.core.images.markup"], output_format="html")
    return BeautifulSoup(md.convert(text), "html5lib")


# --- Editor syntax ------------------------------------------------------------


def test_photo_alone_becomes_figure_with_caption_and_credit():
    soup = convert('Mở đầu.\n\n![Đồng chí A phát biểu.](/images/a.jpg "Ảnh: Thành Duy")\n\nTiếp.')
    figure = soup.select_one("figure.photo")
    image = figure.select_one("img[data-media=figure]")
    assert image["src"] == "/images/a.jpg" and image["alt"] == "Đồng chí A phát biểu."
    assert figure.select_one("figcaption .caption").get_text() == "Đồng chí A phát biểu."
    assert figure.select_one("figcaption .credit").get_text() == "Ảnh: Thành Duy"
    assert [p.get_text() for p in soup.select("p")] == ["Mở đầu.", "Tiếp."]


def test_caption_and_credit_are_escaped_text():
    soup = convert('![Lời <script>alert(1)</script> & "trích"](/images/a.jpg "Ảnh: <b>X</b> & Y")')
    assert soup.select("script") == [] and soup.select("figcaption b") == []
    assert soup.select_one(".caption").get_text() == 'Lời <script>alert(1)</script> & "trích"'
    assert soup.select_one(".credit").get_text() == "Ảnh: <b>X</b> & Y"


def test_no_title_means_no_credit_and_no_text_means_no_caption():
    soup = convert("![Chỉ chú thích](/images/a.jpg)\n\n![](/images/b.jpg)")
    first, second = soup.select("figure")
    assert first.select(".credit") == [] and first.select_one(".caption").get_text() == "Chỉ chú thích"
    assert second.select("figcaption") == []


def test_consecutive_photo_lines_form_a_gallery():
    soup = convert("![Một](/images/1.jpg)\n![Hai](/images/2.jpg)  \n![Ba](/images/3.jpg)\n\n![Bốn](/images/4.jpg)")
    gallery = soup.select_one("div.gallery")
    assert [f.select_one(".caption").get_text() for f in gallery.select("figure")] == ["Một", "Hai", "Ba"]
    assert {i["data-media"] for i in gallery.select("img")} == {"gallery"}
    assert soup.select_one("body > figure img")["data-media"] == "figure"


def test_photo_inside_a_paragraph_stays_inline():
    soup = convert("Trong câu ![biểu tượng](/images/icon.png) vẫn là chữ.")
    paragraph = soup.select_one("p")
    assert paragraph.select_one("img")["data-media"] == "inline"
    assert soup.select("figure") == [] and "vẫn là chữ" in paragraph.get_text()


def test_video_line_becomes_a_video_figure():
    soup = convert("![Toàn cảnh hội nghị](/videos/hoi-nghi.mp4)")
    figure = soup.select_one("figure.video")
    assert figure.select_one("img")["data-media"] == "video"
    assert figure.select_one(".caption").get_text() == "Toàn cảnh hội nghị"


def test_placeholder_attributes_decode_entities():
    assert placeholder_attributes('<img alt="a &amp; &quot;b&quot;" data-media="figure" src="/x y.jpg">') == {
        "alt": 'a & "b"', "data-media": "figure", "src": "/x y.jpg"}


# --- Sources --------------------------------------------------------------------


def test_names_with_spaces_and_diacritics_resolve_raw_or_encoded(tmp_path):
    photo = tmp_path / "images" / "2024" / "hội nghị 01.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"x")
    article = tmp_path / "articles" / "a.md"
    for src in ("/images/2024/hội nghị 01.jpg", "/images/2024/h%E1%BB%99i%20ngh%E1%BB%8B%2001.jpg",
                "/images/2024/ho\u0302\u0323i nghi\u0323 01.jpg"):  # the last one is NFD
        assert resolve(src, tmp_path, article) == photo


def test_missing_photo_suggests_the_file_that_differs_only_in_case(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "Hoi-Nghi.JPG").write_bytes(b"x")
    with pytest.raises(SourceError, match="gần giống: Hoi-Nghi.JPG"):
        resolve("/images/hoi-nghi.jpg", tmp_path, tmp_path / "a.md")
    with pytest.raises(SourceError, match="trang web khác"):
        resolve("https://example.com/a.jpg", tmp_path, tmp_path / "a.md")
    with pytest.raises(SourceError, match="ngoài thư mục content"):
        resolve("/../secret.jpg", tmp_path, tmp_path / "a.md")


def test_line_of_finds_raw_or_encoded_paths_after_a_line():
    text = "Title: A\n\n![a](/images/x%20y.jpg)\n\n![b](/images/x y.jpg)\n"
    assert line_of(text, "/images/x%20y.jpg") == 3
    assert line_of(text, "/images/x y.jpg", first_line=4) == 5
    assert line_of(text, "/images/z.jpg") == 0


# --- Pipeline -------------------------------------------------------------------


def test_targets_never_upscale_and_keep_the_ratio():
    assert targets(BODY, (4000, 3000)) == [(480, 360), (960, 720), (1600, 1200)]
    assert targets(BODY, (1200, 900)) == [(480, 360), (960, 720), (1200, 900)]
    assert targets(BODY, (300, 200)) == [(300, 200)]
    og = Kind("og", (1200,), (1200, 630), ("jpeg",))
    assert targets(og, (4000, 3000)) == [(1200, 630)]
    assert targets(og, (800, 600)) == [(800, 420)]


@pytest.mark.parametrize(
    "orientation, corners",
    [
        (1, (RED, GREEN, BLUE, YELLOW)),
        (2, (GREEN, RED, YELLOW, BLUE)),  # mirrored
        (3, (YELLOW, BLUE, GREEN, RED)),  # upside down
        (4, (BLUE, YELLOW, RED, GREEN)),
        (5, (RED, BLUE, GREEN, YELLOW)),
        (6, (BLUE, RED, YELLOW, GREEN)),  # phone held upright: turned a quarter clockwise
        (7, (YELLOW, GREEN, BLUE, RED)),
        (8, (GREEN, YELLOW, RED, BLUE)),
    ],
)
def test_published_photo_is_upright(tmp_path, orientation, corners):
    source = tmp_path / "a.jpg"
    source.write_bytes(jpeg((400, 300), orientation))
    made = render(str(source), [(BODY, str(tmp_path / "out"))], Encoding())["body"]
    with Image.open(tmp_path / "out" / made[-1].file) as image:
        assert image.size == ((300, 400) if orientation > 4 else (400, 300))
        found = [colour_at(image, x, y) for x, y in ((0.2, 0.2), (0.8, 0.2), (0.2, 0.8), (0.8, 0.8))]
    assert all(near(got, want) for got, want in zip(found, corners)), found


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("region", [(0, 0, 1, 1), (0.1, 0.3, 0.6, 0.5), (0.5, 0.05, 0.95, 0.9)])
def test_resizing_before_turning_gives_the_pixels_of_turning_first(tmp_path, orientation, region):
    """The pipeline turns a photo after its first resize: same pixels, for any crop."""
    stored = Image.radial_gradient("L").resize((320, 240)).convert("RGB")  # no symmetry to hide a mistake
    stored.paste(quadrants((160, 120)), (0, 0))
    exif = Image.Exif()
    exif[0x0112] = orientation
    source = tmp_path / "a.png"
    stored.save(source, exif=exif)
    with Image.open(source) as saved:
        upright = ImageOps.exif_transpose(saved)
    box = (region[0] * upright.width, region[1] * upright.height, region[2] * upright.width, region[3] * upright.height)
    size = (round((box[2] - box[0]) / 3), round((box[3] - box[1]) / 3))
    expected = upright.resize(size, Image.Resampling.LANCZOS, box=box)
    got = decode(str(source), [BODY], Encoding()).resized(size, box)
    difference = ImageStat.Stat(ImageChops.difference(got.convert("RGB"), expected)).mean
    assert max(difference) < 1.5, difference


def test_render_uses_draft_decoding_and_writes_no_metadata(tmp_path):
    source = tmp_path / "a.jpg"
    source.write_bytes(jpeg((4000, 3000), 1))
    made = render(str(source), [(BODY, str(tmp_path / "out"))], Encoding())["body"]
    assert [(d.width, d.height, d.format) for d in made] == [
        (480, 360, "jpeg"), (480, 360, "webp"), (960, 720, "jpeg"), (960, 720, "webp"),
        (1600, 1200, "jpeg"), (1600, 1200, "webp")]
    for derivative in made:
        data = (tmp_path / "out" / derivative.file).read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (derivative.width, derivative.height)
            assert len(image.getexif()) == 0 and "icc_profile" not in image.info
        assert b"Exif" not in data and b"SERIAL-12345" not in data


def test_draft_mode_decodes_only_what_the_largest_width_needs(tmp_path):
    source = tmp_path / "a.jpg"
    source.write_bytes(jpeg((4000, 3000), 1))
    assert decode(str(source), [BODY], Encoding()).size == (2000, 1500)  # DCT scale 1/2
    small = Kind("small", (480,), None, ("jpeg",))
    assert decode(str(source), [small], Encoding()).size == (500, 375)  # DCT scale 1/8


def test_cmyk_and_transparent_photos(tmp_path):
    cmyk = tmp_path / "cmyk.jpg"
    cmyk.write_bytes(jpeg((600, 400), cmyk=True))
    image = decode(str(cmyk), [BODY], Encoding()).image
    assert image.mode == "RGB" and near(colour_at(image, 0.2, 0.2), RED, 60)
    clear = tmp_path / "clear.png"
    clear.write_bytes(png((300, 200), transparent=True))
    made = render(str(clear), [(BODY, str(tmp_path / "out"))], Encoding())["body"]
    assert {d.format for d in made} == {"webp", "png"}  # JPEG has no transparency


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_wide_gamut_photo_is_converted_to_srgb(tmp_path, fmt):
    """An iPhone's Display P3 photo looks the same after publishing, with no profile attached."""
    source = tmp_path / f"p3.{fmt.lower()}"
    Image.new("RGB", (400, 300), (200, 60, 40)).save(source, fmt, icc_profile=display_p3_icc(), quality=95)
    with Image.open(source) as original:
        stored = original.convert("RGB").getpixel((200, 150))
    expected = p3_to_srgb(stored)
    assert max(abs(a - b) for a, b in zip(expected, stored)) > 10  # the conversion is visible
    kind = Kind("test", (200,), None, ("png",))
    made = render(str(source), [(kind, str(tmp_path / "out"))], Encoding())["test"]
    with Image.open(tmp_path / "out" / made[0].file) as image:
        assert "icc_profile" not in image.info
        assert near(image.convert("RGB").getpixel((100, 75)), expected, 2)


def test_bad_sources_raise_bad_image_with_a_code(tmp_path):
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(jpeg((800, 600))[:5000])
    with pytest.raises(BadImage) as caught:
        decode(str(truncated), [BODY], Encoding())
    assert caught.value.code == "damaged"
    big = tmp_path / "big.jpg"
    big.write_bytes(jpeg((3000, 2000)))
    with pytest.raises(BadImage) as caught:
        decode(str(big), [BODY], Encoding(max_pixels=5_000_000))
    assert (caught.value.code, caught.value.size) == ("too_large", (3000, 2000))


# --- Cache and batch ----------------------------------------------------------------


def test_entry_key_changes_with_content_and_settings():
    base = entry_key("abc", BODY, Encoding())
    assert base == entry_key("abc", BODY, Encoding())
    assert base != entry_key("abd", BODY, Encoding())
    assert base != entry_key("abc", BODY, Encoding(webp_quality=70))
    assert base != entry_key("abc", Kind("body", (480, 960), None, ("webp", "jpeg")), Encoding())


def test_content_hash_is_reused_until_the_file_changes(tmp_path):
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"one")
    store = ImageCache(tmp_path / "cache")
    first = store.content_hash(photo)
    store.save_index()
    assert ImageCache(tmp_path / "cache").content_hash(photo) == first
    # What `cp -p` or rsync do: new bytes, same size, the old modification time.
    before = photo.stat()
    photo.write_bytes(b"two")
    os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (photo.stat().st_size, photo.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert ImageCache(tmp_path / "cache").content_hash(photo) != first


def test_batch_encodes_once_then_serves_from_cache(tmp_path):
    photos = []
    for n in range(3):
        photos.append(tmp_path / f"{n}.jpg")
        photos[-1].write_bytes(jpeg((1000 + n, 750), 6))
    requests = {photos[0]: {"body", "card", "og"}, photos[1]: {"body"}, photos[2]: {"body"}}
    cold = workpool.run(requests, kinds(SETTINGS), Encoding(), tmp_path / "cache", workers=2)
    assert (cold.encoded, cold.reused, cold.failures) == (3, 0, {})
    entry = cold.entries[(photos[0], "og")]
    assert [(d.width, d.height) for d in entry.files] == [(750, 394)]  # upright 750 wide: not upscaled
    warm = workpool.run(requests, kinds(SETTINGS), Encoding(), tmp_path / "cache", workers=2)
    assert (warm.encoded, warm.reused) == (0, 5)
    assert warm.entries == cold.entries


def test_workload_ranks_sideways_and_larger_photos_first(tmp_path):
    sizes = {"upright": ((4000, 3000), 1), "sideways": ((4000, 3000), 6), "small": ((1200, 900), 1)}
    for name, (size, orientation) in sizes.items():
        (tmp_path / f"{name}.jpg").write_bytes(jpeg(size, orientation))
    (tmp_path / "broken.jpg").write_bytes(b"not a photo")
    cost = {name: workload(str(tmp_path / f"{name}.jpg"), [BODY]) for name in [*sizes, "broken"]}
    # Upright: decoded at half size; sideways: a 1600 px wide portrait needs the full decode.
    assert cost["sideways"] > 1.5 * cost["upright"] > 1.5 * cost["small"] > 0 == cost["broken"]


PROGRESS_SCRIPT = """
import sys
from pathlib import Path
from portal.core.images import workpool
from portal.core.images.settings import kinds
from portal.core.images.pipeline import Encoding
settings = {"IMAGES_WIDTHS": (480,), "IMAGES_CARD_WIDTHS": (240,), "IMAGES_CARD_RATIO": (4, 3), "IMAGES_OG_SIZE": (1200, 630)}
photos = sorted(Path(sys.argv[1]).glob("*.jpg"))
outcome = workpool.run({p: {"body"} for p in photos}, kinds(settings), Encoding(), Path(sys.argv[2]), progress=True)
assert outcome.encoded == len(photos)
"""


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_bar_shows_on_a_terminal_only(tmp_path, terminal):
    for n in range(3):
        (tmp_path / f"{n}.jpg").write_bytes(jpeg((800, 600)))
    command = [sys.executable, "-c", PROGRESS_SCRIPT, str(tmp_path), str(tmp_path / "cache")]
    environment = dict(os.environ, COLUMNS="100", TERM="xterm")
    if terminal:
        controller, terminal_end = pty.openpty()
        process = subprocess.Popen(command, stderr=terminal_end, stdout=subprocess.DEVNULL, env=environment)
        os.close(terminal_end)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=60) == 0
        os.close(controller)
        text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", shown.decode("utf-8", "replace"))
        assert "Đang xử lý ảnh" in text and "3/3" in text, text
    else:
        finished = subprocess.run(command, capture_output=True, env=environment, timeout=60, check=True)
        assert finished.stderr == b""
