#!/usr/bin/env python3
"""Draw deterministic sample "news photos" and site graphics for the portal.

Everything here is synthetic: simple shapes drawn with Pillow from a seeded
random generator, so running the script twice produces the same files.

Outputs (relative to the repository root):

* ``content/images/{year}/{name}.jpg``   1600x1200 JPEG, quality 82, < 250 KB
* ``content/images/logo.png``            96x96 round red/gold emblem-like logo
* ``content/images/banner.jpg``          1200x180 red gradient banner
* ``content/images/lien-ket/{name}.png`` 300x100 sidebar link banners

Usage::

    .venv/bin/python tools/make_sample_photos.py
"""

from __future__ import annotations

import math
import random
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "content" / "images"

W, H = 1600, 1200
JPEG_QUALITY = 82
MAX_BYTES = 250 * 1024

# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------

VIET_SAMPLE = "ĐẢNG ỦY KHỐI CƠ QUAN TỈNH ơư ộ ữ ặ"

_FONT_CANDIDATES_BOLD = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
]
_FONT_CANDIDATES_REGULAR = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
]


def _fc_list_vietnamese() -> list[str]:
    """Font files that fontconfig says cover Vietnamese (may be empty)."""
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=vi", "file"],
            capture_output=True, text=True, check=False, timeout=20,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    return [f for f in files if f.lower().endswith((".ttf", ".otf", ".ttc"))]


def _supports_vietnamese(path: str) -> bool:
    """Rough check: every sample glyph renders to something different from
    the font's 'missing glyph' box."""
    try:
        font = ImageFont.truetype(path, 32)
    except OSError:
        return False
    try:
        missing = font.getmask("\uFFFF").tobytes()
    except Exception:  # pragma: no cover - depends on font
        missing = None
    for ch in set(VIET_SAMPLE.replace(" ", "")):
        mask = font.getmask(ch)
        if mask.size[0] == 0 or mask.size[1] == 0:
            return False
        if missing is not None and mask.tobytes() == missing and ch.isalpha():
            return False
    return True


def _pick_font(candidates: list[str]) -> str | None:
    for path in candidates:
        if Path(path).exists() and _supports_vietnamese(path):
            return path
    for path in _fc_list_vietnamese():
        bold_wanted = candidates is _FONT_CANDIDATES_BOLD
        if bold_wanted and "bold" not in path.lower():
            continue
        if _supports_vietnamese(path):
            return path
    # Any Vietnamese-capable face at all (e.g. no bold variant installed).
    for path in _fc_list_vietnamese():
        if _supports_vietnamese(path):
            return path
    return None


FONT_BOLD = _pick_font(_FONT_CANDIDATES_BOLD)
FONT_REGULAR = _pick_font(_FONT_CANDIDATES_REGULAR) or FONT_BOLD


def font(size: int, bold: bool = True):
    path = FONT_BOLD if bold else FONT_REGULAR
    if path is None:
        return None
    return ImageFont.truetype(path, size)


def fit_font(draw: ImageDraw.ImageDraw, text: str, max_w: int, start: int,
             bold: bool = True, minimum: int = 8):
    """Largest font size <= start whose rendering of text fits in max_w."""
    size = start
    while size >= minimum:
        f = font(size, bold)
        if f is None:
            return None
        l, _, r, _ = draw.textbbox((0, 0), text, font=f)
        if r - l <= max_w:
            return f
        size -= 2
    return font(minimum, bold)


def draw_text_centered(draw, cx, y, text, f, fill, shadow=None):
    if f is None:
        return
    l, t, r, b = draw.textbbox((0, 0), text, font=f)
    x = cx - (r - l) / 2 - l
    if shadow:
        draw.text((x + 2, y + 2 - t), text, font=f, fill=shadow)
    draw.text((x, y - t), text, font=f, fill=fill)


# --------------------------------------------------------------------------
# Generic helpers
# --------------------------------------------------------------------------

def rng_for(name: str) -> random.Random:
    return random.Random(zlib.crc32(name.encode("utf-8")))


def lerp(a, b, t):
    return a + (b - a) * t


def mix(c1, c2, t):
    return tuple(int(round(lerp(a, b, t))) for a, b in zip(c1, c2))


def shade(c, f):
    """Multiply a colour by f (f < 1 darker, f > 1 lighter, clipped)."""
    return tuple(max(0, min(255, int(v * f))) for v in c)


def gradient(size, c1, c2, horizontal=False):
    """Return an RGB image of a linear gradient from c1 to c2."""
    w, h = size
    base = Image.linear_gradient("L")  # 256x256, black top -> white bottom
    if horizontal:
        base = base.rotate(90, expand=True)
    mask = base.resize((max(1, w), max(1, h)))
    return Image.composite(Image.new("RGB", (w, h), c2), Image.new("RGB", (w, h), c1), mask)


def paste_gradient(img, box, c1, c2, horizontal=False):
    x0, y0, x1, y1 = [int(v) for v in box]
    img.paste(gradient((x1 - x0, y1 - y0), c1, c2, horizontal), (x0, y0))


def radial_glow(img, cx, cy, radius, color, strength=0.6):
    """Soft additive-looking light spot."""
    size = int(radius * 2)
    mask = Image.radial_gradient("L").resize((size, size))
    mask = mask.point(lambda v: int((255 - v) * strength))
    layer = Image.new("RGB", (size, size), color)
    img.paste(layer, (int(cx - radius), int(cy - radius)), mask)


def vignette(img, strength=0.35):
    w, h = img.size
    mask = Image.radial_gradient("L").resize((w, h))
    mask = mask.point(lambda v: int(max(0, v - 110) * strength * 1.7))
    dark = Image.new("RGB", (w, h), (10, 8, 8))
    img.paste(dark, (0, 0), mask)


def star_points(cx, cy, r_out, r_in=None, n=5, rot=-90):
    r_in = r_in if r_in is not None else r_out * 0.382
    pts = []
    for i in range(n * 2):
        r = r_out if i % 2 == 0 else r_in
        a = math.radians(rot + i * 180 / n)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


GOLD = (247, 200, 70)
GOLD_DARK = (196, 144, 32)
RED = (200, 22, 28)
RED_DARK = (128, 10, 14)
SKIN = [(232, 190, 160), (222, 176, 142), (210, 162, 128), (238, 200, 172)]
HAIR = [(24, 20, 20), (34, 28, 26), (46, 38, 34), (70, 66, 66), (200, 200, 200)]
SUITS = [(30, 36, 52), (40, 44, 56), (24, 28, 36), (58, 62, 72), (46, 40, 38)]
AODAI = [(196, 28, 36), (40, 80, 170), (236, 236, 240), (150, 30, 90), (230, 180, 60)]
SHIRTS = [(240, 240, 244), (226, 232, 240), (250, 250, 250)]
FLOWERS = [(236, 40, 60), (252, 196, 40), (250, 120, 150), (255, 250, 240),
           (240, 100, 40), (200, 40, 120), (255, 220, 90)]


# --------------------------------------------------------------------------
# Figures and props
# --------------------------------------------------------------------------

def person_back(d, cx, y, s, rng):
    """Seated audience member seen from behind. (cx, y) = top of shoulders."""
    suit = rng.choice(SUITS + [(200, 200, 204), (120, 30, 40), (236, 236, 240)])
    sw = 50 * s
    d.rounded_rectangle((cx - sw, y, cx + sw, y + 95 * s), radius=int(26 * s), fill=suit)
    d.rectangle((cx - 7 * s, y - 12 * s, cx + 7 * s, y + 4 * s), fill=shade(rng.choice(SKIN), 0.85))
    hr = 21 * s
    hair = rng.choice(HAIR)
    d.ellipse((cx - hr, y - 2.1 * hr - 6 * s, cx + hr, y - 6 * s + 0.25 * hr), fill=hair)
    if rng.random() < 0.25:  # long hair
        d.rounded_rectangle((cx - hr * 0.9, y - hr, cx + hr * 0.9, y + 30 * s),
                            radius=int(10 * s), fill=hair)


def person_front(d, cx, y, s, rng, suit=None, female=None, full=False, hold=None):
    """Front-facing person. (cx, y) = top of the head.

    full=True draws legs down to about y + 520*s (standing figure).
    hold: None, 'flowers', 'certificate', 'gift'.
    """
    female = rng.random() < 0.4 if female is None else female
    skin = rng.choice(SKIN)
    hr = 27 * s
    head_cy = y + hr * 1.15
    neck_y = head_cy + hr * 1.05
    sh_y = neck_y + 10 * s
    body_h = (260 if full else 170) * s
    sw = 58 * s

    if female and full and rng.random() < 0.7:
        color = rng.choice(AODAI)
        # ao dai: long dress to the floor, light trousers peeking out
        d.polygon([(cx - sw * 0.85, sh_y), (cx + sw * 0.85, sh_y),
                   (cx + sw * 0.95, y + 505 * s), (cx - sw * 0.95, y + 505 * s)], fill=color)
        d.line((cx, sh_y + 60 * s, cx, y + 505 * s), fill=shade(color, 0.8), width=max(1, int(2 * s)))
        d.rectangle((cx - 24 * s, y + 490 * s, cx + 24 * s, y + 520 * s), fill=(245, 245, 245))
    else:
        suit = suit or (rng.choice([(236, 236, 240), (214, 222, 236)] + SUITS)
                        if female else rng.choice(SUITS + [(236, 238, 242)]))
        d.rounded_rectangle((cx - sw, sh_y, cx + sw, sh_y + body_h),
                            radius=int(24 * s), fill=suit)
        if suit in SUITS:
            shirt = rng.choice(SHIRTS)
            d.polygon([(cx - 16 * s, sh_y), (cx + 16 * s, sh_y), (cx, sh_y + 70 * s)], fill=shirt)
            if not female:
                tie = rng.choice([(150, 20, 30), (30, 50, 110), (90, 20, 30)])
                d.polygon([(cx - 4 * s, sh_y + 6 * s), (cx + 4 * s, sh_y + 6 * s),
                           (cx + 7 * s, sh_y + 58 * s), (cx, sh_y + 68 * s),
                           (cx - 7 * s, sh_y + 58 * s)], fill=tie)
        if full:
            legs = shade(suit, 0.8) if suit in SUITS else (40, 44, 56)
            d.rectangle((cx - sw * 0.78, sh_y + body_h - 10 * s, cx - 3 * s, y + 510 * s), fill=legs)
            d.rectangle((cx + 3 * s, sh_y + body_h - 10 * s, cx + sw * 0.78, y + 510 * s), fill=legs)
            d.ellipse((cx - sw * 0.85, y + 500 * s, cx - 2 * s, y + 522 * s), fill=(20, 20, 22))
            d.ellipse((cx + 2 * s, y + 500 * s, cx + sw * 0.85, y + 522 * s), fill=(20, 20, 22))

    d.rectangle((cx - 9 * s, neck_y - 8 * s, cx + 9 * s, sh_y + 6 * s), fill=shade(skin, 0.92))
    d.ellipse((cx - hr * 0.9, head_cy - hr, cx + hr * 0.9, head_cy + hr * 1.05), fill=skin)
    hair = rng.choice(HAIR[:4] if rng.random() < 0.85 else HAIR)
    d.chord((cx - hr * 0.95, head_cy - hr * 1.1, cx + hr * 0.95, head_cy + hr * 0.5),
            180, 360, fill=hair)
    if female:
        d.rounded_rectangle((cx - hr * 1.0, head_cy - hr * 0.5, cx - hr * 0.7, head_cy + hr * 1.3),
                            radius=int(6 * s), fill=hair)
        d.rounded_rectangle((cx + hr * 0.7, head_cy - hr * 0.5, cx + hr * 1.0, head_cy + hr * 1.3),
                            radius=int(6 * s), fill=hair)

    hy = sh_y + 95 * s
    if hold == "flowers":
        bouquet(d, cx - 8 * s, hy, 34 * s, rng)
    elif hold == "certificate":
        d.rectangle((cx - 40 * s, hy - 20 * s, cx + 40 * s, hy + 36 * s), fill=(168, 18, 24))
        d.rectangle((cx - 34 * s, hy - 14 * s, cx + 34 * s, hy + 30 * s), outline=GOLD, width=max(1, int(3 * s)))
    elif hold == "gift":
        d.rectangle((cx - 36 * s, hy - 10 * s, cx + 36 * s, hy + 50 * s), fill=(200, 30, 36))
        d.rectangle((cx - 5 * s, hy - 10 * s, cx + 5 * s, hy + 50 * s), fill=GOLD)
        d.rectangle((cx - 36 * s, hy + 12 * s, cx + 36 * s, hy + 20 * s), fill=GOLD)


def bouquet(d, cx, cy, r, rng, n=None):
    n = n or int(9 + r / 4)
    d.polygon([(cx - r * 0.3, cy + r * 0.6), (cx + r * 0.3, cy + r * 0.6), (cx, cy + r * 1.8)],
              fill=(240, 236, 220))
    for _ in range(n // 2):
        a = rng.uniform(0, math.tau)
        rr = rng.uniform(0.3, 1.0) * r
        x, y = cx + math.cos(a) * rr, cy + math.sin(a) * rr * 0.8
        d.ellipse((x - r * 0.35, y - r * 0.2, x + r * 0.35, y + r * 0.2), fill=(46, 120, 52))
    for _ in range(n):
        a = rng.uniform(0, math.tau)
        rr = rng.uniform(0, 0.85) * r
        x, y = cx + math.cos(a) * rr, cy + math.sin(a) * rr * 0.8
        fr = r * rng.uniform(0.18, 0.3)
        c = rng.choice(FLOWERS)
        d.ellipse((x - fr, y - fr, x + fr, y + fr), fill=c)
        d.ellipse((x - fr * 0.4, y - fr * 0.4, x + fr * 0.4, y + fr * 0.4), fill=shade(c, 0.8))


def flower_bank(d, x0, x1, y, height, rng, density=1.0):
    """Row of flower pots / arrangements along the front of a stage."""
    x = x0
    while x < x1:
        w = rng.uniform(40, 70)
        for _ in range(int(6 * density)):
            lx = x + rng.uniform(-w * 0.5, w * 0.5)
            ly = y - rng.uniform(0, height * 0.6)
            d.ellipse((lx - 16, ly - 8, lx + 16, ly + 8), fill=rng.choice([(40, 110, 46), (60, 140, 60), (30, 90, 40)]))
        for _ in range(int(9 * density)):
            fx = x + rng.uniform(-w * 0.55, w * 0.55)
            fy = y - rng.uniform(0, height)
            fr = rng.uniform(7, 14)
            c = rng.choice(FLOWERS)
            d.ellipse((fx - fr, fy - fr, fx + fr, fy + fr), fill=c)
        x += w * 0.8


def national_flag(d, x, y, w, wave=0.0):
    h = w * 2 / 3
    d.polygon([(x, y), (x + w, y + wave), (x + w, y + h + wave), (x, y + h)], fill=(214, 22, 28))
    d.polygon(star_points(x + w / 2, y + h / 2 + wave / 2, h * 0.3), fill=(255, 222, 0))


def emblem(d, cx, cy, r):
    """Generic round gold emblem: rings, a star and two laurel arcs."""
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=GOLD)
    d.ellipse((cx - r * 0.86, cy - r * 0.86, cx + r * 0.86, cy + r * 0.86), fill=RED)
    d.polygon(star_points(cx, cy - r * 0.1, r * 0.5), fill=GOLD)
    for side in (-1, 1):
        for i in range(5):
            a = math.radians(110 + i * 18) if side < 0 else math.radians(70 - i * 18)
            lx = cx + math.cos(a) * r * 0.66
            ly = cy + math.sin(a) * r * 0.66
            d.ellipse((lx - r * 0.09, ly - r * 0.05, lx + r * 0.09, ly + r * 0.05), fill=GOLD)


def backdrop(img, d, box, lines, rng, variant=0):
    """Red stage backdrop with gold trim, emblem and slogan text."""
    x0, y0, x1, y1 = box
    top = (176, 16, 20) if variant % 2 == 0 else (150, 12, 18)
    bottom = (214, 34, 30) if variant % 2 == 0 else (196, 24, 26)
    paste_gradient(img, box, top, bottom)
    # light rays / waves in the backdrop
    for i in range(6):
        yy = y1 - (y1 - y0) * (0.12 + i * 0.05)
        d.arc((x0 - 200, yy, x1 + 200, yy + (y1 - y0) * 0.9), 190, 350,
              fill=mix(bottom, (255, 120, 80), 0.12), width=3)
    d.rectangle(box, outline=GOLD_DARK, width=6)
    d.line((x0 + 14, y0 + 14, x1 - 14, y0 + 14), fill=GOLD, width=2)
    bw = x1 - x0
    er = (y1 - y0) * 0.13
    emblem(d, x0 + bw / 2, y0 + er + 26, er)
    # drum-like motif near the corners
    for cx in (x0 + bw * 0.08, x1 - bw * 0.08):
        for k in range(3):
            rr = er * (1.2 - k * 0.35)
            d.ellipse((cx - rr, y1 - er * 1.6 - rr, cx + rr, y1 - er * 1.6 + rr),
                      outline=mix(bottom, GOLD, 0.5), width=2)
    text_top = y0 + er * 2 + 46
    avail = y1 - text_top - 24
    sizes = [0.16, 0.26, 0.22, 0.18]
    y = text_top
    for i, text in enumerate(lines):
        want = int(avail * sizes[min(i, len(sizes) - 1)] * (0.8 if i == 0 else 1))
        f = fit_font(d, text, int(bw * 0.86), max(10, want))
        color = (255, 246, 220) if i == 0 else (255, 222, 60)
        draw_text_centered(d, x0 + bw / 2, y, text, f, color, shadow=(110, 8, 10))
        y += want * 1.28
    if not lines or FONT_BOLD is None:
        # no font: suggest text with gold bars
        for i in range(3):
            wbar = bw * (0.7 - i * 0.15)
            d.rectangle((x0 + bw / 2 - wbar / 2, text_top + i * 60, x0 + bw / 2 + wbar / 2,
                         text_top + i * 60 + 28), fill=GOLD)


def podium(d, cx, floor_y, s, rng, speaker=True):
    """Wooden lectern with a red front panel and flowers, optional speaker."""
    pw, ph = 150 * s, 230 * s
    if speaker:
        person_front(d, cx, floor_y - ph - 120 * s, s, rng)
    wood = (120, 70, 36)
    d.polygon([(cx - pw * 0.62, floor_y - ph), (cx + pw * 0.62, floor_y - ph),
               (cx + pw * 0.5, floor_y), (cx - pw * 0.5, floor_y)], fill=wood)
    d.rectangle((cx - pw * 0.66, floor_y - ph - 14 * s, cx + pw * 0.66, floor_y - ph), fill=shade(wood, 1.25))
    d.rectangle((cx - pw * 0.4, floor_y - ph * 0.82, cx + pw * 0.4, floor_y - ph * 0.35), fill=RED)
    d.polygon(star_points(cx, floor_y - ph * 0.585, 26 * s), fill=GOLD)
    d.line((cx + 10 * s, floor_y - ph - 14 * s, cx + 22 * s, floor_y - ph - 70 * s), fill=(20, 20, 20), width=max(2, int(4 * s)))
    d.ellipse((cx + 16 * s, floor_y - ph - 80 * s, cx + 28 * s, floor_y - ph - 64 * s), fill=(30, 30, 30))
    bouquet(d, cx, floor_y - ph * 0.25, 48 * s, rng, n=22)


def presidium_table(d, x0, x1, y, s, rng, people=5):
    """Head table with seated people on the stage."""
    n = people
    step = (x1 - x0) / n
    for i in range(n):
        cx = x0 + step * (i + 0.5) + rng.uniform(-8, 8) * s
        person_front(d, cx, y - 120 * s, s, rng)
    d.rectangle((x0, y + 40 * s, x1, y + 130 * s), fill=(246, 246, 248))
    d.rectangle((x0, y + 40 * s, x1, y + 58 * s), fill=(200, 26, 32))
    for i in range(n):
        cx = x0 + step * (i + 0.5)
        d.rectangle((cx - 38 * s, y + 16 * s, cx + 38 * s, y + 40 * s), fill=(250, 250, 250))
        d.line((cx - 28 * s, y + 28 * s, cx + 28 * s, y + 28 * s), fill=(180, 30, 30), width=max(1, int(3 * s)))
        d.rectangle((cx + 44 * s, y - 6 * s, cx + 52 * s, y + 40 * s), fill=(210, 230, 240))
    flower_bank(d, x0 + 20, x1 - 20, y + 128 * s, 40 * s, rng, density=0.6)


def audience(d, y_top, y_bottom, x0, x1, rng, rows=6, min_s=0.5, max_s=1.45, tables=True):
    for i in range(rows):
        t = i / max(1, rows - 1)
        y = y_top + (t ** 1.35) * (y_bottom - y_top)
        s = lerp(min_s, max_s, t)
        step = 118 * s
        offset = rng.uniform(0, step)
        spread = (x1 - x0) * (0.85 + 0.25 * t)
        cx_mid = (x0 + x1) / 2
        if tables and i > 0:
            ty = y - 30 * s
            d.rectangle((cx_mid - spread / 2, ty, cx_mid + spread / 2, ty + 26 * s), fill=(236, 236, 236))
            d.rectangle((cx_mid - spread / 2, ty + 26 * s, cx_mid + spread / 2, ty + 60 * s), fill=(36, 74, 150))
        x = cx_mid - spread / 2 + offset
        while x < cx_mid + spread / 2:
            if rng.random() < 0.9:
                person_back(d, x + rng.uniform(-10, 10) * s, y + rng.uniform(-6, 6) * s, s, rng)
            x += step
        # chair backs in front of the heads
        x = cx_mid - spread / 2 + offset
        chair = (120, 26, 34)
        while x < cx_mid + spread / 2:
            d.rounded_rectangle((x - 44 * s, y + 62 * s, x + 44 * s, y + 150 * s),
                                radius=int(12 * s), fill=chair)
            x += step


def ceiling(img, d, y1, rng, color=(60, 48, 40)):
    paste_gradient(img, (0, 0, W, y1), shade(color, 0.6), color)
    n = rng.randint(5, 8)
    for i in range(n):
        x = (i + 0.5) * W / n
        d.ellipse((x - 26, y1 * 0.45 - 9, x + 26, y1 * 0.45 + 9), fill=(255, 246, 214))
        radial_glow(img, x, y1 * 0.45, 90, (255, 230, 170), 0.35)


def sky(img, y1, top=(92, 150, 214), bottom=(196, 222, 242)):
    paste_gradient(img, (0, 0, W, y1), top, bottom)


def clouds(d, rng, y0, y1, n=6):
    for _ in range(n):
        cx, cy = rng.uniform(0, W), rng.uniform(y0, y1)
        for _ in range(6):
            rx, ry = rng.uniform(40, 110), rng.uniform(20, 44)
            ox, oy = rng.uniform(-90, 90), rng.uniform(-14, 14)
            d.ellipse((cx + ox - rx, cy + oy - ry, cx + ox + rx, cy + oy + ry), fill=(246, 248, 252))


def trees(d, rng, y_base, n=18, big=1.0):
    for _ in range(n):
        x = rng.uniform(-40, W + 40)
        h = rng.uniform(120, 260) * big
        d.rectangle((x - 7 * big, y_base - h * 0.45, x + 7 * big, y_base), fill=(90, 62, 40))
        for _ in range(5):
            r = rng.uniform(0.25, 0.4) * h
            ox, oy = rng.uniform(-0.3, 0.3) * h, rng.uniform(-0.3, 0.05) * h
            g = rng.choice([(52, 120, 56), (70, 140, 64), (40, 100, 48), (88, 150, 70)])
            d.ellipse((x + ox - r, y_base - h * 0.6 + oy - r, x + ox + r, y_base - h * 0.6 + oy + r), fill=g)


def bunting(d, x0, x1, y, sag, rng):
    n = int((x1 - x0) / 44)
    prev = None
    for i in range(n + 1):
        t = i / n
        x = lerp(x0, x1, t)
        yy = y + sag * 4 * t * (1 - t)
        if prev:
            d.line((prev[0], prev[1], x, yy), fill=(90, 90, 90), width=2)
        if i < n:
            c = rng.choice([(214, 22, 28), (255, 210, 0), (40, 90, 190), (40, 150, 70), (255, 255, 255)])
            nx = lerp(x0, x1, (i + 1) / n)
            ny = y + sag * 4 * ((i + 1) / n) * (1 - (i + 1) / n)
            d.polygon([(x, yy), (nx, ny), ((x + nx) / 2, (yy + ny) / 2 + 36)], fill=c)
        prev = (x, yy)


def hanging_banner(d, box, text, fill=(200, 20, 26), text_color=(255, 230, 80)):
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=fill)
    d.rectangle((x0 + 6, y0 + 6, x1 - 6, y1 - 6), outline=text_color, width=2)
    f = fit_font(d, text, int((x1 - x0) * 0.9), int((y1 - y0) * 0.55))
    draw_text_centered(d, (x0 + x1) / 2, y0 + (y1 - y0) * 0.22, text, f, text_color, shadow=shade(fill, 0.5))


# --------------------------------------------------------------------------
# Scenes
# --------------------------------------------------------------------------

def scene_hall(img, d, rng, lines, variant):
    """Conference hall seen from the audience: backdrop, head table, podium."""
    wall = (206, 180, 150)
    paste_gradient(img, (0, 0, W, 720), shade(wall, 0.7), wall)
    ceiling(img, d, 120, rng)
    # side curtains
    for x0, x1 in ((0, 170), (W - 170, W)):
        paste_gradient(img, (x0, 100, x1, 720), (120, 10, 20), (170, 20, 30), horizontal=True)
        for k in range(6):
            xx = x0 + (k + 0.5) * (x1 - x0) / 6
            d.line((xx, 110, xx, 716), fill=(100, 8, 16), width=3)
    bx0, bx1 = 200, W - 200
    backdrop(img, d, (bx0, 130, bx1, 600), lines, rng, variant)
    # stage
    paste_gradient(img, (120, 600, W - 120, 700), (150, 100, 64), (110, 70, 44))
    d.rectangle((120, 690, W - 120, 712), fill=(200, 26, 32))
    speaker_left = variant % 2 == 0
    podium_x = 330 if speaker_left else W - 330
    table_x0, table_x1 = (520, W - 230) if speaker_left else (230, W - 520)
    presidium_table(d, table_x0, table_x1, 540, 0.55, rng, people=rng.randint(5, 7))
    podium(d, podium_x, 700, 0.78, rng)
    national_flag(d, W - 190 if speaker_left else 150, 180, 110, wave=6)
    flower_bank(d, 140, W - 140, 708, 50, rng)
    audience(d, 760, 1080, 60, W - 60, rng, rows=5, min_s=0.55, max_s=1.5)


def scene_podium(img, d, rng, lines, variant):
    """Closer shot of a speaker at the podium in front of the backdrop."""
    backdrop(img, d, (-20, -20, W + 20, 900), lines, rng, variant)
    # dim the lower half of the backdrop to create depth
    paste_gradient(img, (0, 880, W, H), (120, 80, 52), (80, 52, 34))
    cx = 560 if variant % 2 == 0 else W - 560
    podium(d, cx, 1180, 1.9, rng)
    bouquet(d, cx + (380 if variant % 2 == 0 else -380), 1050, 120, rng, n=40)
    national_flag(d, 80 if variant % 2 else W - 300, 120, 220, wave=12)


def scene_group(img, d, rng, lines, variant):
    """Group photo: two rows of standing people in front of the backdrop."""
    paste_gradient(img, (0, 0, W, H), (150, 120, 96), (196, 170, 140))
    backdrop(img, d, (60, 40, W - 60, 760), lines, rng, variant)
    paste_gradient(img, (0, 760, W, H), (170, 110, 70), (120, 74, 44))
    d.rectangle((0, 760, W, 790), fill=(200, 26, 32))
    n_back = rng.randint(9, 11)
    n_front = n_back - 1
    for row, (n, y, s) in enumerate(((n_back, 520, 0.9), (n_front, 600, 1.0))):
        step = (W - 160) / n
        for i in range(n):
            cx = 80 + step * (i + 0.5) + (step / 2 if row == 0 else 0) * 0 + rng.uniform(-10, 10)
            hold = None
            if row == 1 and rng.random() < 0.45:
                hold = rng.choice(["flowers", "certificate"])
            person_front(d, cx, y + rng.uniform(-10, 10), s, rng, full=True, hold=hold)
    flower_bank(d, 0, W, H - 10, 70, rng, density=1.3)


def scene_ceremony(img, d, rng, lines, variant):
    """Award / admission ceremony: leaders presenting to a line of people."""
    wall = (214, 192, 160)
    paste_gradient(img, (0, 0, W, H), shade(wall, 0.75), wall)
    ceiling(img, d, 90, rng, color=(80, 60, 46))
    backdrop(img, d, (120, 110, W - 120, 720), lines, rng, variant)
    paste_gradient(img, (0, 720, W, H), (160, 100, 62), (110, 66, 40))
    d.rectangle((0, 720, W, 744), fill=(196, 24, 30))
    n = rng.randint(6, 8)
    step = (W - 300) / n
    for i in range(n):
        cx = 150 + step * (i + 0.5) + rng.uniform(-8, 8)
        person_front(d, cx, 560 + rng.uniform(-12, 12), 1.02, rng, full=True,
                     hold=rng.choice(["flowers", "certificate", "certificate"]))
    # the presenting leader at one end, turned slightly
    lx = W - 130 if variant % 2 == 0 else 130
    person_front(d, lx, 548, 1.08, rng, full=True, female=False, hold="flowers")
    flower_bank(d, 0, W, H - 4, 60, rng)


def scene_meeting(img, d, rng, lines, variant):
    """Working session around a U-shaped table."""
    wall = (226, 214, 192)
    paste_gradient(img, (0, 0, W, 640), shade(wall, 0.8), wall)
    ceiling(img, d, 70, rng, color=(120, 104, 90))
    backdrop(img, d, (380, 90, W - 380, 470), lines, rng, variant)
    national_flag(d, 200, 150, 130)
    # screen on the other side
    d.rectangle((W - 330, 140, W - 90, 300), fill=(30, 40, 60))
    paste_gradient(img, (W - 322, 148, W - 98, 292), (60, 110, 180), (150, 190, 230))
    for k in range(4):
        d.rectangle((W - 300, 170 + k * 28, W - 300 + rng.randint(90, 190), 182 + k * 28), fill=(240, 244, 250))
    # carpet
    paste_gradient(img, (0, 640, W, H), (150, 40, 44), (110, 26, 30))
    # far table with people
    far_y = 560
    for i in range(7):
        cx = 380 + i * (W - 760) / 6
        person_front(d, cx, far_y - 130, 0.62, rng)
    d.rectangle((300, far_y, W - 300, far_y + 70), fill=(246, 246, 248))
    d.rectangle((300, far_y + 40, W - 300, far_y + 70), fill=(40, 84, 160))
    for i in range(7):
        cx = 380 + i * (W - 760) / 6
        d.rectangle((cx - 30, far_y - 14, cx + 30, far_y + 2), fill=(252, 252, 252))
        d.rectangle((cx + 34, far_y - 40, cx + 40, far_y), fill=(200, 226, 240))
    # side tables in perspective with people seen from the side/back
    for side in (-1, 1):
        for k in range(4):
            t = k / 3
            s = lerp(0.72, 1.35, t)
            y = lerp(680, 1010, t)
            cx = W / 2 + side * lerp(420, 640, t)
            px = cx + side * 90 * s
            person_back(d, px, y - 40 * s, s, rng)
            d.polygon([(cx - 70 * s, y), (cx + 70 * s, y), (cx + 80 * s, y + 60 * s), (cx - 80 * s, y + 60 * s)],
                      fill=(246, 246, 248))
            d.rectangle((cx - 80 * s, y + 60 * s, cx + 80 * s, y + 120 * s), fill=(40, 84, 160))
    # flowers in the middle of the U
    bouquet(d, W / 2, 820, 110, rng, n=46)
    bouquet(d, W / 2 - 150, 860, 70, rng, n=24)
    bouquet(d, W / 2 + 150, 860, 70, rng, n=24)


def scene_sports(img, d, rng, lines, variant):
    """Trade-union sports festival: field, banner, bunting, athletes."""
    sky(img, 470)
    clouds(d, rng, 40, 260, n=5)
    trees(d, rng, 470, n=22)
    # grandstand
    d.rectangle((0, 380, W, 470), fill=(210, 210, 214))
    for k in range(4):
        d.line((0, 392 + k * 20, W, 392 + k * 20), fill=(170, 170, 176), width=3)
    for _ in range(90):
        x, y = rng.uniform(0, W), rng.uniform(384, 455)
        c = rng.choice(SUITS + [(220, 40, 40), (40, 90, 200), (250, 250, 250), (250, 200, 40)])
        d.ellipse((x - 7, y - 7, x + 7, y + 7), fill=c)
    title = lines[1] if len(lines) > 1 else (lines[0] if lines else "")
    hanging_banner(d, (220, 250, W - 220, 350), title)
    bunting(d, 0, W, 96, 70, rng)
    if variant % 3 == 2:
        # indoor-like blue court for volleyball
        paste_gradient(img, (0, 470, W, H), (40, 110, 170), (30, 90, 150))
        d.rectangle((120, 520, W - 120, H - 40), outline=(250, 250, 250), width=6)
    else:
        paste_gradient(img, (0, 470, W, H), (88, 160, 70), (58, 130, 52))
        for k in range(6):
            y = 470 + (k ** 1.5) * 60
            d.line((0, y, W, y), fill=(210, 236, 200), width=3 + k)
    team_colors = [(220, 30, 40), (30, 80, 190), (250, 200, 30), (40, 150, 80), (250, 250, 250)]
    if variant % 3 == 0:
        # tug of war: rope across the field, two teams leaning back
        y_rope = 860
        d.line((80, y_rope, W - 80, y_rope + 6), fill=(220, 200, 150), width=10)
        d.rectangle((W / 2 - 6, y_rope - 40, W / 2 + 6, y_rope + 40), fill=(220, 30, 40))
        for side, color in ((-1, team_colors[0]), (1, team_colors[1])):
            for k in range(5):
                x = W / 2 + side * (120 + k * 120)
                _athlete(d, x, y_rope - 150, 1.0, color, rng, lean=-side * 22)
    elif variant % 3 == 1:
        # running race
        for k in range(6):
            x = 240 + k * 210 + rng.uniform(-30, 30)
            y = 700 + rng.uniform(-30, 60) + (k % 2) * 60
            _athlete(d, x, y, 1.1 + (k % 2) * 0.15, rng.choice(team_colors), rng, run=True)
    else:
        # volleyball net
        d.line((W / 2, 520, W / 2, H - 40), fill=(60, 60, 60), width=8)
        d.rectangle((180, 640, W - 180, 700), outline=(245, 245, 245), width=4)
        for x in range(180, W - 180, 24):
            d.line((x, 640, x, 700), fill=(235, 235, 235), width=1)
        d.ellipse((W / 2 - 300, 500, W / 2 - 250, 550), fill=(250, 230, 80))
        for side, color in ((-1, team_colors[2]), (1, team_colors[3])):
            for k in range(4):
                x = W / 2 + side * (180 + (k % 2) * 240 + rng.uniform(-20, 20))
                y = 720 + (k // 2) * 170
                _athlete(d, x, y, 1.0 + (k // 2) * 0.2, color, rng, arms_up=k < 2)


def _athlete(d, x, y, s, color, rng, lean=0, run=False, arms_up=False):
    skin = rng.choice(SKIN)
    shorts = (30, 30, 40)
    hip = (x + lean * s, y + 190 * s)
    shoulder = (x, y + 70 * s)
    # legs
    if run:
        d.line((hip[0], hip[1], hip[0] - 50 * s, hip[1] + 110 * s), fill=skin, width=int(20 * s))
        d.line((hip[0], hip[1], hip[0] + 70 * s, hip[1] + 80 * s), fill=skin, width=int(20 * s))
        d.line((hip[0] + 70 * s, hip[1] + 80 * s, hip[0] + 50 * s, hip[1] + 160 * s), fill=skin, width=int(18 * s))
    else:
        d.line((hip[0] - 14 * s, hip[1], hip[0] - 30 * s - lean * s, hip[1] + 170 * s), fill=skin, width=int(22 * s))
        d.line((hip[0] + 14 * s, hip[1], hip[0] + 30 * s - lean * s, hip[1] + 170 * s), fill=skin, width=int(22 * s))
    d.rounded_rectangle((hip[0] - 38 * s, hip[1] - 20 * s, hip[0] + 38 * s, hip[1] + 40 * s), radius=int(10 * s), fill=shorts)
    # torso
    d.polygon([(shoulder[0] - 44 * s, shoulder[1]), (shoulder[0] + 44 * s, shoulder[1]),
               (hip[0] + 38 * s, hip[1]), (hip[0] - 38 * s, hip[1])], fill=color)
    # arms
    if arms_up:
        d.line((shoulder[0] - 40 * s, shoulder[1] + 10 * s, shoulder[0] - 60 * s, shoulder[1] - 90 * s), fill=skin, width=int(16 * s))
        d.line((shoulder[0] + 40 * s, shoulder[1] + 10 * s, shoulder[0] + 60 * s, shoulder[1] - 90 * s), fill=skin, width=int(16 * s))
    elif run:
        d.line((shoulder[0] - 40 * s, shoulder[1] + 14 * s, shoulder[0] - 80 * s, shoulder[1] + 90 * s), fill=skin, width=int(16 * s))
        d.line((shoulder[0] + 40 * s, shoulder[1] + 14 * s, shoulder[0] + 70 * s, shoulder[1] - 10 * s), fill=skin, width=int(16 * s))
    else:
        d.line((shoulder[0] - 40 * s, shoulder[1] + 14 * s, shoulder[0] - 10 * s + lean * 3 * s, shoulder[1] + 110 * s), fill=skin, width=int(16 * s))
        d.line((shoulder[0] + 40 * s, shoulder[1] + 14 * s, shoulder[0] + 10 * s + lean * 3 * s, shoulder[1] + 110 * s), fill=skin, width=int(16 * s))
    d.ellipse((x - 28 * s, y, x + 28 * s, y + 60 * s), fill=skin)
    d.chord((x - 30 * s, y - 4 * s, x + 30 * s, y + 40 * s), 180, 360, fill=rng.choice(HAIR[:3]))


def scene_volunteer(img, d, rng, lines, variant):
    """Youth union volunteers outdoors: road, trees, blue shirts, banner."""
    sky(img, 520, (110, 170, 226), (210, 230, 246))
    clouds(d, rng, 40, 300, n=6)
    # houses
    for _ in range(7):
        x = rng.uniform(0, W - 200)
        w, h = rng.uniform(140, 240), rng.uniform(120, 220)
        c = rng.choice([(236, 220, 180), (230, 200, 170), (210, 220, 230), (250, 236, 200)])
        d.rectangle((x, 520 - h, x + w, 520), fill=c)
        d.polygon([(x - 14, 520 - h), (x + w + 14, 520 - h), (x + w / 2, 520 - h - 60)],
                  fill=rng.choice([(170, 70, 50), (150, 60, 46), (120, 110, 110)]))
        for k in range(2):
            d.rectangle((x + 20 + k * (w - 70), 520 - h + 40, x + 50 + k * (w - 70), 520 - h + 80), fill=(90, 120, 150))
    trees(d, rng, 540, n=12, big=1.3)
    # road in perspective
    paste_gradient(img, (0, 540, W, H), (150, 170, 110), (110, 140, 80))
    d.polygon([(W / 2 - 80, 540), (W / 2 + 80, 540), (W - 100, H), (100, H)], fill=(150, 150, 154))
    for k in range(6):
        t0, t1 = k / 6, (k + 0.5) / 6
        y0, y1 = 540 + (H - 540) * t0 ** 1.6, 540 + (H - 540) * t1 ** 1.6
        d.polygon([(W / 2 - 3 - 5 * t0, y0), (W / 2 + 3 + 5 * t0, y0), (W / 2 + 3 + 5 * t1, y1), (W / 2 - 3 - 5 * t1, y1)],
                  fill=(245, 245, 245))
    title = lines[1] if len(lines) > 1 else (lines[0] if lines else "")
    d.line((260, 300, 260, 560), fill=(110, 110, 110), width=8)
    d.line((W - 260, 300, W - 260, 560), fill=(110, 110, 110), width=8)
    hanging_banner(d, (260, 300, W - 260, 390), title, fill=(30, 90, 190), text_color=(255, 255, 255))
    shirt = (40, 110, 200) if variant % 2 == 0 else (30, 140, 90)
    people = sorted(((rng.uniform(80, W - 80), rng.uniform(600, 900)) for _ in range(12)), key=lambda p: p[1])
    for x, y in people:
        s = lerp(0.5, 1.05, (y - 600) / 300)
        _volunteer(d, x, y, s, shirt, rng)


def _volunteer(d, x, y, s, shirt, rng):
    skin = rng.choice(SKIN)
    d.rectangle((x - 30 * s, y + 190 * s, x - 4 * s, y + 330 * s), fill=(40, 44, 60))
    d.rectangle((x + 4 * s, y + 190 * s, x + 30 * s, y + 330 * s), fill=(40, 44, 60))
    d.rounded_rectangle((x - 46 * s, y + 60 * s, x + 46 * s, y + 200 * s), radius=int(16 * s), fill=shirt)
    d.ellipse((x - 26 * s, y, x + 26 * s, y + 58 * s), fill=skin)
    d.chord((x - 30 * s, y - 6 * s, x + 30 * s, y + 34 * s), 180, 360, fill=(30, 80, 170) if rng.random() < 0.5 else (24, 20, 20))
    tool = rng.random()
    if tool < 0.4:  # broom
        d.line((x + 40 * s, y + 90 * s, x + 110 * s, y + 320 * s), fill=(150, 110, 60), width=int(8 * s) + 1)
        d.polygon([(x + 95 * s, y + 300 * s), (x + 135 * s, y + 290 * s), (x + 150 * s, y + 340 * s), (x + 100 * s, y + 350 * s)], fill=(200, 170, 90))
    elif tool < 0.7:  # bag of rubbish / supplies
        d.ellipse((x + 40 * s, y + 150 * s, x + 100 * s, y + 230 * s), fill=rng.choice([(30, 30, 30), (230, 230, 230), (220, 60, 60)]))
    else:  # a small tree sapling
        d.line((x + 50 * s, y + 120 * s, x + 50 * s, y + 210 * s), fill=(110, 80, 50), width=int(5 * s) + 1)
        d.ellipse((x + 20 * s, y + 70 * s, x + 80 * s, y + 140 * s), fill=(60, 150, 60))


def scene_visit(img, d, rng, lines, variant):
    """Leaders visiting a family: living room, gift, flowers."""
    wall = rng.choice([(236, 214, 170), (226, 220, 196), (240, 224, 190)])
    paste_gradient(img, (0, 0, W, 760), shade(wall, 0.85), wall)
    paste_gradient(img, (0, 760, W, H), (170, 130, 96), (130, 96, 68))
    # window with light
    d.rectangle((1080, 120, 1460, 520), fill=(120, 90, 60))
    paste_gradient(img, (1100, 140, 1440, 500), (220, 236, 246), (250, 250, 240))
    d.line((1270, 140, 1270, 500), fill=(120, 90, 60), width=10)
    radial_glow(img, 1270, 320, 380, (255, 250, 230), 0.35)
    # framed pictures and a certificate on the wall
    d.rectangle((180, 150, 420, 330), fill=(150, 110, 50))
    paste_gradient(img, (196, 166, 404, 314), (180, 200, 170), (110, 140, 100))
    d.rectangle((520, 170, 740, 320), fill=(170, 130, 40))
    d.rectangle((534, 184, 726, 306), fill=(252, 244, 220))
    d.polygon(star_points(630, 230, 30), fill=(214, 22, 28))
    for k in range(3):
        d.line((560, 270 + k * 12, 700, 270 + k * 12), fill=(140, 120, 90), width=3)
    # sofa and host
    d.rounded_rectangle((120, 640, 760, 900), radius=40, fill=(130, 60, 40))
    d.rounded_rectangle((100, 560, 780, 700), radius=40, fill=(150, 74, 50))
    person_front(d, 330, 470, 1.0, rng, female=False, suit=(236, 236, 238))
    person_front(d, 560, 480, 0.96, rng, female=True, suit=(150, 30, 90))
    # tea table
    d.rectangle((280, 880, 900, 930), fill=(110, 66, 36))
    for k in range(4):
        d.ellipse((360 + k * 70, 850, 400 + k * 70, 884), fill=(240, 240, 230))
    bouquet(d, 760, 800, 80, rng, n=30)
    # visitors standing with gift and flowers
    for k, hold in enumerate(("gift", "flowers", None)):
        person_front(d, 1000 + k * 190, 400 + k * 14, 1.05, rng, full=True, female=(k == 1), hold=hold)


def scene_class(img, d, rng, lines, variant):
    """Study session: projector screen with slide, audience at desks."""
    wall = (230, 226, 214)
    paste_gradient(img, (0, 0, W, 700), shade(wall, 0.8), wall)
    ceiling(img, d, 80, rng, color=(150, 140, 124))
    # small red backdrop on the left, projector screen on the right
    backdrop(img, d, (90, 120, 700, 560), lines[:3], rng, variant)
    d.rectangle((820, 130, 1500, 560), fill=(40, 40, 46))
    paste_gradient(img, (834, 144, 1486, 546), (250, 250, 252), (226, 232, 240))
    d.rectangle((834, 144, 1486, 214), fill=(190, 24, 30))
    f = fit_font(d, lines[-1] if lines else "", 600, 34)
    if lines:
        draw_text_centered(d, 1160, 162, lines[-1], f, (255, 240, 200))
    for k in range(6):
        d.rectangle((880, 250 + k * 46, 880 + rng.randint(300, 560), 266 + k * 46), fill=(120, 130, 150))
        d.ellipse((860, 252 + k * 46, 872, 264 + k * 46), fill=(190, 24, 30))
    paste_gradient(img, (0, 700, W, H), (140, 104, 74), (106, 76, 52))
    podium(d, 760, 720, 0.62, rng)
    audience(d, 760, 1070, 40, W - 40, rng, rows=5, min_s=0.6, max_s=1.55)


SCENES = {
    "hall": scene_hall,
    "podium": scene_podium,
    "group": scene_group,
    "ceremony": scene_ceremony,
    "meeting": scene_meeting,
    "sports": scene_sports,
    "volunteer": scene_volunteer,
    "visit": scene_visit,
    "class": scene_class,
}


# --------------------------------------------------------------------------
# Photo list: (year, file name, scene, variant, backdrop text lines)
# --------------------------------------------------------------------------

TOP = "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH"

PHOTOS = [
    # 2024
    ("2024", "ket-nap-dang-vien-01", "ceremony", 0,
     [TOP, "LỄ KẾT NẠP ĐẢNG VIÊN MỚI", "NĂM 2024"]),
    ("2024", "ket-nap-dang-vien-02", "podium", 1,
     [TOP, "LỄ KẾT NẠP ĐẢNG VIÊN MỚI", "NĂM 2024"]),
    ("2024", "hoc-tap-tu-tuong-01", "class", 0,
     [TOP, "HỘI NGHỊ CHUYÊN ĐỀ", "HỌC TẬP VÀ LÀM THEO BÁC", "Chuyên đề năm 2024"]),
    ("2024", "hoc-tap-tu-tuong-02", "hall", 1,
     [TOP, "HỘI NGHỊ CHUYÊN ĐỀ HỌC TẬP VÀ LÀM THEO", "TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH"]),
    ("2024", "kiem-tra-giam-sat-01", "meeting", 0,
     [TOP, "HỘI NGHỊ SƠ KẾT CÔNG TÁC", "KIỂM TRA, GIÁM SÁT 6 THÁNG ĐẦU NĂM 2024"]),
    ("2024", "hoi-thao-cnvc-01", "sports", 0,
     [TOP, "HỘI THAO CÔNG NHÂN VIÊN CHỨC NĂM 2024"]),
    ("2024", "hoi-thao-cnvc-02", "sports", 1,
     [TOP, "HỘI THAO CÔNG NHÂN VIÊN CHỨC NĂM 2024"]),
    ("2024", "hoi-thao-cnvc-03", "sports", 2,
     [TOP, "HỘI THAO CÔNG NHÂN VIÊN CHỨC NĂM 2024"]),
    ("2024", "ung-ho-vung-lu-01", "ceremony", 1,
     [TOP, "LỄ TIẾP NHẬN ỦNG HỘ", "ĐỒNG BÀO BỊ THIỆT HẠI DO BÃO LŨ"]),
    # 2025
    ("2025", "tham-chuc-tet-01", "visit", 0, []),
    ("2025", "tham-chuc-tet-02", "visit", 1, []),
    ("2025", "thang-thanh-nien-01", "volunteer", 0,
     [TOP, "THÁNG THANH NIÊN 2025 - TÌNH NGUYỆN VÌ CỘNG ĐỒNG"]),
    ("2025", "thang-thanh-nien-02", "volunteer", 1,
     [TOP, "ĐOÀN KHỐI RA QUÂN TÌNH NGUYỆN"]),
    ("2025", "chuan-bi-dai-hoi-01", "meeting", 1,
     [TOP, "HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ KHỐI", "CHUẨN BỊ ĐẠI HỘI NHIỆM KỲ 2025 - 2030"]),
    ("2025", "chuan-bi-dai-hoi-02", "podium", 0,
     [TOP, "HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ KHỐI", "CHUẨN BỊ ĐẠI HỘI NHIỆM KỲ 2025 - 2030"]),
    ("2025", "giam-sat-chuyen-de-01", "meeting", 2,
     [TOP, "GIÁM SÁT CHUYÊN ĐỀ NĂM 2025"]),
    ("2025", "so-ket-6-thang-01", "hall", 0,
     [TOP, "HỘI NGHỊ SƠ KẾT CÔNG TÁC XÂY DỰNG ĐẢNG", "6 THÁNG ĐẦU NĂM 2025"]),
    ("2025", "so-ket-6-thang-02", "podium", 1,
     [TOP, "HỘI NGHỊ SƠ KẾT CÔNG TÁC XÂY DỰNG ĐẢNG", "6 THÁNG ĐẦU NĂM 2025"]),
    ("2025", "chuyen-doi-so-01", "class", 1,
     [TOP, "HỘI NGHỊ TẬP HUẤN", "CHUYỂN ĐỔI SỐ TRONG CÔNG TÁC ĐẢNG", "Sổ tay đảng viên điện tử"]),
    ("2025", "quan-triet-nghi-quyet-01", "hall", 1,
     [TOP, "HỘI NGHỊ HỌC TẬP, QUÁN TRIỆT", "NGHỊ QUYẾT ĐẠI HỘI ĐẢNG BỘ TỈNH"]),
    ("2025", "cong-doan-tuyen-duong-01", "group", 0,
     [TOP, "CÔNG ĐOÀN VIÊN CHỨC TỈNH", "TUYÊN DƯƠNG ĐOÀN VIÊN TIÊU BIỂU NĂM 2025"]),
    # 2026
    ("2026", "dan-van-kheo-01", "hall", 0,
     [TOP, "HỘI NGHỊ PHÁT ĐỘNG PHONG TRÀO THI ĐUA", "“DÂN VẬN KHÉO” NĂM 2026"]),
    ("2026", "dan-van-kheo-02", "group", 1,
     [TOP, "PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO”", "NĂM 2026"]),
    ("2026", "chi-bo-kieu-mau-01", "hall", 1,
     [TOP, "HỘI NGHỊ SƠ KẾT MÔ HÌNH", "“CHI BỘ KIỂU MẪU”", "GIAI ĐOẠN 2024 - 2026"]),
    ("2026", "chi-bo-kieu-mau-02", "podium", 0,
     [TOP, "HỘI NGHỊ SƠ KẾT MÔ HÌNH “CHI BỘ KIỂU MẪU”", "GIAI ĐOẠN 2024 - 2026"]),
    ("2026", "chi-bo-kieu-mau-03", "group", 0,
     [TOP, "TUYÊN DƯƠNG CHI BỘ KIỂU MẪU", "GIAI ĐOẠN 2024 - 2026"]),
    ("2026", "giam-sat-neu-guong-01", "meeting", 0,
     [TOP, "GIÁM SÁT CHUYÊN ĐỀ VIỆC THỰC HIỆN", "QUY ĐỊNH VỀ TRÁCH NHIỆM NÊU GƯƠNG"]),
    ("2026", "tong-ket-nam-01", "hall", 0,
     [TOP, "HỘI NGHỊ TRIỂN KHAI KẾ HOẠCH", "TỔNG KẾT CÔNG TÁC NĂM 2026"]),
]


def make_photo(year, name, scene, variant, lines):
    rng = rng_for(f"{year}/{name}")
    img = Image.new("RGB", (W, H), (200, 190, 180))
    d = ImageDraw.Draw(img)
    SCENES[scene](img, d, rng, lines, variant)
    # soften like a lens, add light fall-off and a warm tone
    img = img.filter(ImageFilter.GaussianBlur(1.1))
    vignette(img, 0.45)
    warm = Image.new("RGB", (W, H), (255, 214, 170))
    img = Image.blend(img, warm, 0.05)
    out = IMAGES / year / f"{name}.jpg"
    out.parent.mkdir(parents=True, exist_ok=True)
    quality = JPEG_QUALITY
    img.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    if out.stat().st_size > MAX_BYTES:
        # very busy picture: soften a bit more instead of lowering quality
        img = img.filter(ImageFilter.GaussianBlur(1.2))
        img.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out


# --------------------------------------------------------------------------
# Logo, banner and sidebar link images
# --------------------------------------------------------------------------

def make_logo():
    scale = 4
    size = 96 * scale
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = size / 2
    d.ellipse((2 * scale, 2 * scale, size - 2 * scale, size - 2 * scale), fill=GOLD + (255,))
    d.ellipse((6 * scale, 6 * scale, size - 6 * scale, size - 6 * scale), fill=(180, 16, 22, 255))
    d.ellipse((11 * scale, 11 * scale, size - 11 * scale, size - 11 * scale), outline=GOLD + (255,), width=2 * scale)
    d.polygon(star_points(c, c - 6 * scale, 22 * scale), fill=(255, 214, 0, 255))
    # stylised laurel
    for side in (-1, 1):
        for i in range(6):
            a = math.radians(100 + i * 14) if side < 0 else math.radians(80 - i * 14)
            lx = c + math.cos(a) * 30 * scale
            ly = c + math.sin(a) * 30 * scale
            d.ellipse((lx - 4 * scale, ly - 2.4 * scale, lx + 4 * scale, ly + 2.4 * scale), fill=GOLD + (255,))
    # ribbon / book at the bottom
    d.rounded_rectangle((c - 20 * scale, c + 20 * scale, c + 20 * scale, c + 27 * scale), radius=2 * scale,
                        fill=(255, 214, 0, 255))
    img = img.resize((96, 96), Image.LANCZOS)
    out = IMAGES / "logo.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, "PNG", optimize=True)
    return out


def make_banner():
    bw, bh = 1200, 180
    img = gradient((bw, bh), (150, 8, 14), (222, 36, 30), horizontal=True)
    d = ImageDraw.Draw(img)
    # gentle gold waves / drum rings on the right
    for k in range(7):
        r = 40 + k * 38
        d.ellipse((bw - 120 - r, bh / 2 - r, bw - 120 + r, bh / 2 + r), outline=(236, 120, 60), width=2)
    for k in range(4):
        y = bh - 30 + k * 6
        d.arc((-200, y - 60, bw + 200, y + 200), 190, 350, fill=(240, 170, 70), width=2)
    # logo on the left
    logo = Image.open(IMAGES / "logo.png") if (IMAGES / "logo.png").exists() else None
    if logo is not None:
        big = logo.resize((132, 132), Image.LANCZOS)
        img.paste(big, (34, 24), big)
    d.line((0, bh - 6, bw, bh - 6), fill=GOLD, width=4)
    text = "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"
    if FONT_BOLD:
        f = fit_font(d, text, bw - 240, 54)
        l, t, r, b = d.textbbox((0, 0), text, font=f)
        x = 190
        y = (bh - (b - t)) / 2 - t
        d.text((x + 3, y + 3), text, font=f, fill=(90, 0, 6))
        d.text((x, y), text, font=f, fill=(255, 222, 60))
    img = img.filter(ImageFilter.SMOOTH)
    out = IMAGES / "banner.jpg"
    img.save(out, "JPEG", quality=88, optimize=True)
    return out


LINK_BANNERS = [
    ("cong-thong-tin-tinh-uy", "Cổng thông tin", "Tỉnh ủy", ((170, 14, 20), (220, 40, 34)), "star"),
    ("bao-dien-tu-tinh", "Báo điện tử", "tỉnh", ((18, 70, 150), (40, 120, 210)), "paper"),
    ("ban-to-chuc-tinh-uy", "Ban Tổ chức", "Tỉnh ủy", ((130, 16, 30), (196, 40, 50)), "people"),
    ("dich-vu-cong", "Dịch vụ công", "trực tuyến", ((10, 110, 110), (30, 160, 150)), "globe"),
]


def make_link_banner(name, line1, line2, colors, icon):
    bw, bh = 300, 100
    img = gradient((bw, bh), colors[0], colors[1], horizontal=True).convert("RGBA")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, bw - 1, bh - 1), outline=(255, 214, 90, 255), width=2)
    cx, cy, r = 50, 50, 32
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 255, 235))
    ic = colors[0] + (255,)
    if icon == "star":
        d.ellipse((cx - r + 5, cy - r + 5, cx + r - 5, cy + r - 5), fill=(200, 20, 26, 255))
        d.polygon(star_points(cx, cy, 19), fill=(255, 214, 0, 255))
    elif icon == "paper":
        d.rectangle((cx - 18, cy - 20, cx + 18, cy + 20), fill=ic)
        d.rectangle((cx - 13, cy - 15, cx + 13, cy - 6), fill=(255, 255, 255, 255))
        for k in range(3):
            d.line((cx - 13, cy + 1 + k * 6, cx + 13, cy + 1 + k * 6), fill=(255, 255, 255, 255), width=2)
    elif icon == "people":
        for dx, s in ((-12, 0.8), (12, 0.8), (0, 1.0)):
            d.ellipse((cx + dx - 7 * s, cy - 18 * s, cx + dx + 7 * s, cy - 4 * s), fill=ic)
            d.pieslice((cx + dx - 13 * s, cy - 2 * s, cx + dx + 13 * s, cy + 24 * s), 180, 360, fill=ic)
    else:  # globe
        d.ellipse((cx - 22, cy - 22, cx + 22, cy + 22), outline=ic, width=3)
        d.ellipse((cx - 10, cy - 22, cx + 10, cy + 22), outline=ic, width=2)
        d.line((cx - 22, cy, cx + 22, cy), fill=ic, width=2)
        d.line((cx, cy - 22, cx, cy + 22), fill=ic, width=2)
    if FONT_BOLD:
        f1 = fit_font(d, line1, 200, 24)
        f2 = fit_font(d, line2.upper(), 200, 26)
        d.text((96, 22), line1, font=f1, fill=(255, 255, 255, 255))
        d.text((96, 52), line2.upper(), font=f2, fill=(255, 222, 80, 255))
    out = IMAGES / "lien-ket" / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    img.convert("RGB").save(out, "PNG", optimize=True)
    return out


def main(argv=None) -> int:
    if FONT_BOLD is None:
        print("warning: no Vietnamese-capable font found; drawing without text", file=sys.stderr)
    else:
        print(f"font: {FONT_BOLD}")
    too_big = []
    for year, name, scene, variant, lines in PHOTOS:
        out = make_photo(year, name, scene, variant, lines)
        size = out.stat().st_size
        print(f"{out.relative_to(ROOT)}  {size // 1024} KB")
        if size > MAX_BYTES:
            too_big.append(out)
    for out in (make_logo(), make_banner()):
        print(f"{out.relative_to(ROOT)}  {out.stat().st_size // 1024} KB")
    for spec in LINK_BANNERS:
        out = make_link_banner(*spec)
        print(f"{out.relative_to(ROOT)}  {out.stat().st_size // 1024} KB")
    if too_big:
        print("files over the size limit:", *too_big, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
