"""Turn one source photo into its published derivatives (runs in a worker process).

Pure image work: no Pelican, no site. A source is decoded once, at the
smallest JPEG DCT scale that still covers the largest derivative, turned
upright, converted to sRGB, then resized and encoded for every requested
kind. Nothing from the source's metadata (EXIF, GPS, XMP, ICC) is written.
"""
from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, UnidentifiedImageError

# What editors may use as photos. MPO is how Pillow names many phone JPEGs.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}
ORIENTATION = 0x0112
SIDEWAYS = {5, 6, 7, 8}
# The transpose that turns stored pixels upright, per EXIF orientation (as ImageOps.exif_transpose).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.createProfile("sRGB")
_transforms: dict[bytes, ImageCms.ImageCmsTransform | None] = {}


@dataclass(frozen=True)
class Kind:
    """A family of derivatives: the body photo, the listing thumbnail, the Open Graph image."""

    name: str
    widths: tuple[int, ...]
    ratio: tuple[int, int] | None  # crop to this aspect ratio (centred) when set
    formats: tuple[str, ...]  # "webp", "jpeg"; "jpeg" becomes "png" for transparent photos


@dataclass(frozen=True)
class Encoding:
    webp_quality: int = 80
    jpeg_quality: int = 82
    max_pixels: int = 100_000_000


@dataclass(frozen=True)
class Derivative:
    file: str  # name inside the cache entry
    width: int
    height: int
    format: str  # "webp", "jpeg" or "png"


class BadImage(Exception):
    """A source that cannot be published; ``code`` selects the editor's message."""

    def __init__(self, code: str, detail: str = "", size: tuple[int, int] = (0, 0)):
        super().__init__(code, detail, size)
        self.code, self.detail, self.size = code, detail, size


def targets(kind: Kind, size: tuple[int, int]) -> list[tuple[int, int]]:
    """Output sizes for an upright source of ``size``: never larger than the source."""
    frame_w, _frame_h = frame(kind, size)
    wanted = sorted({w for w in kind.widths if w < frame_w} | {min(frame_w, max(kind.widths))})
    if kind.ratio:
        rw, rh = kind.ratio
        return [(w, max(1, round(w * rh / rw))) for w in wanted]
    width, height = size
    return [(w, max(1, round(height * w / width))) for w in wanted]


def frame(kind: Kind, size: tuple[int, int]) -> tuple[int, int]:
    """The largest centred region of ``size`` with the kind's aspect ratio."""
    width, height = size
    if not kind.ratio:
        return width, height
    rw, rh = kind.ratio
    if width * rh > height * rw:
        return max(1, round(height * rw / rh)), height
    return width, max(1, round(width * rh / rw))


def crop_box(kind: Kind, size: tuple[int, int]) -> tuple[float, float, float, float]:
    fw, fh = frame(kind, size)
    left, top = (size[0] - fw) / 2, (size[1] - fh) / 2
    return left, top, left + fw, top + fh


def render(source: str, orders: list[tuple[Kind, str]], encoding: Encoding) -> dict[str, list[Derivative]]:
    """Encode every kind in ``orders`` (kind, entry directory) from one decode of ``source``."""
    Image.MAX_IMAGE_PIXELS = encoding.max_pixels
    decoded = decode(source, [kind for kind, _ in orders], encoding)
    alpha = _has_transparency(decoded.image)
    if not alpha and decoded.image.mode != "RGB":
        decoded.image = decoded.image.convert("RGB")
    made = {}
    for kind, directory in orders:
        made[kind.name] = _encode_kind(decoded, kind, Path(directory), encoding, alpha)
    return made


@dataclass
class Decoded:
    """A source's pixels in sRGB, still as stored, and the EXIF orientation that turns them upright.

    Turning waits until after the first resize: for a sideways 12-megapixel photo,
    transposing the full decode takes about 30 ms, the 1600 px image about 5 ms.
    """

    image: Image.Image
    orientation: int

    @property
    def size(self) -> tuple[int, int]:
        """The upright size."""
        width, height = self.image.size
        return (height, width) if self.orientation in SIDEWAYS else (width, height)

    def resized(self, size: tuple[int, int], box: tuple[float, float, float, float]) -> Image.Image:
        """The upright region ``box`` (upright coordinates) resized to ``size``, upright."""
        turn = UPRIGHT.get(self.orientation)
        if turn is None:
            return self.image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
        stored_size = size[::-1] if self.orientation in SIDEWAYS else size
        stored = _stored_box(box, self.orientation, self.image.size)
        return self.image.resize(stored_size, Image.Resampling.LANCZOS, box=stored, reducing_gap=3.0).transpose(turn)


def _stored_box(box: tuple[float, float, float, float], orientation: int, stored: tuple[int, int]) -> tuple[float, float, float, float]:
    """Where an upright region lies in the stored pixels (the inverse of ``UPRIGHT[orientation]``)."""
    left, top, right, bottom = box
    width, height = stored
    return {
        2: (width - right, top, width - left, bottom),
        3: (width - right, height - bottom, width - left, height - top),
        4: (left, height - bottom, right, height - top),
        5: (top, left, bottom, right),
        6: (top, height - right, bottom, height - left),
        7: (width - bottom, height - right, width - top, height - left),
        8: (width - bottom, left, width - top, right),
    }[orientation]


def decode(source: str, kinds: list[Kind], encoding: Encoding) -> Decoded:
    """Open, check and load the source in sRGB, as small as the kinds allow."""
    try:
        with warnings.catch_warnings():
            # Between one and two times the limit Pillow only warns: refused below, with the size.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source)
    except UnidentifiedImageError as exc:
        raise BadImage("unreadable", str(exc)) from exc
    except Image.DecompressionBombError as exc:
        raise BadImage("too_large", str(exc)) from exc
    except OSError as exc:
        raise BadImage("damaged", str(exc)) from exc
    with image:
        if image.format not in ACCEPTED_FORMATS:
            raise BadImage("format", image.format or "?")
        stored = image.size
        if stored[0] * stored[1] > encoding.max_pixels:
            raise BadImage("too_large", "", stored)
        try:  # a PNG reads all its data to find EXIF: damage shows up here
            orientation = image.getexif().get(ORIENTATION, 1)
        except (OSError, SyntaxError, ValueError) as exc:
            raise BadImage("damaged", str(exc)) from exc
        _draft(image, orientation, kinds)
        try:
            image.load()
            image = _to_srgb(image)
        except (OSError, SyntaxError, ValueError) as exc:
            raise BadImage("damaged", str(exc)) from exc
    image.info = {}
    return Decoded(image, orientation)


def _draft(image: Image.Image, orientation: int, kinds: list[Kind]) -> None:
    """Ask a JPEG to decode at the smallest DCT scale that still covers every derivative."""
    if image.format not in ("JPEG", "MPO") or not kinds:
        return
    stored = image.size
    upright = stored[::-1] if orientation in SIDEWAYS else stored
    scale = max(w / frame(k, upright)[0] for k in kinds for w, _ in targets(k, upright))
    wanted = (math.ceil(stored[0] * scale), math.ceil(stored[1] * scale))
    image.draft("RGB" if image.mode == "RGB" else None, wanted)


def workload(source: str, kinds: list[Kind]) -> int:
    """A rough cost of rendering ``source``, from its header alone: pixels decoded plus encoded.

    Encoding a pixel (WebP and JPEG) costs about eight times decoding and
    resizing one; the weights only need to rank photos, not time them.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                # Only a JPEG's EXIF is free to read here (a PNG's may sit after its pixels).
                orientation = image.getexif().get(ORIENTATION, 1) if image.format in ("JPEG", "MPO") else 1
                _draft(image, orientation, kinds)
                decoded = image.size
    except Exception:  # noqa: BLE001 - a bad file costs nothing here; the worker reports it
        return 0
    upright = decoded[::-1] if orientation in SIDEWAYS else decoded
    encoded = sum(w * h * len(k.formats) for k in kinds for w, h in targets(k, upright))
    return decoded[0] * decoded[1] + 8 * encoded


def _to_8_bits(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit grey (PNG "I;16", "I") scaled to 8 bits: converted as is, they come out white."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        image = image.convert("I")
    if image.mode == "I":
        low, high = image.getextrema()
        scale = 1 / 257 if high > 255 else 1  # a 16-bit sample reaches 65535; some "I" images hold 8-bit values
        return image.point(lambda value: value * scale).convert("L")
    if image.mode == "F":
        return image.point(lambda value: value * 255 if value <= 1 else value).convert("L")
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours as an sRGB screen shows them; a missing profile is taken as sRGB."""
    icc = image.info.get("icc_profile")
    mode = "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
    image = _to_8_bits(image)
    if image.mode in ("P", "PA", "LA", "La", "1", "L") and image.mode != mode:
        image = image.convert(mode)
    if image.mode == "CMYK" and not icc:
        image = image.convert("RGB")
    transform = _transform(icc, image.mode, mode) if icc else None
    if transform is not None:
        return ImageCms.applyTransform(image, transform)
    return image if image.mode in ("RGB", "RGBA") else image.convert(mode)


def _transform(icc: bytes, mode_in: str, mode_out: str) -> ImageCms.ImageCmsTransform | None:
    key = icc + mode_in.encode() + mode_out.encode()
    if key not in _transforms:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" in ImageCms.getProfileDescription(profile).lower() and mode_in == mode_out:
                _transforms[key] = None  # already sRGB: converting would only cost time
            else:
                _transforms[key] = ImageCms.buildTransform(profile, _SRGB, mode_in, mode_out)
        except (ImageCms.PyCMSError, OSError):
            _transforms[key] = None  # an unreadable profile: show the pixels as they are
    return _transforms[key]


def _has_transparency(image: Image.Image) -> bool:
    return image.mode == "RGBA" and image.getextrema()[3][0] < 255


def _encode_kind(decoded: Decoded, kind: Kind, directory: Path, encoding: Encoding, alpha: bool) -> list[Derivative]:
    directory.mkdir(parents=True, exist_ok=True)
    made: list[Derivative] = []
    previous: Image.Image | None = None
    # Largest first; each smaller size is made from the one before, which costs
    # a fraction of resizing the full decode again.
    for width, height in reversed(targets(kind, decoded.size)):
        if previous is None:
            resized = decoded.resized((width, height), crop_box(kind, decoded.size))
        else:
            resized = previous.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        previous = resized
        for fmt in kind.formats:
            fmt = "png" if fmt == "jpeg" and alpha else fmt
            name = f"{width}.{EXTENSIONS[fmt]}"
            save(resized, directory / name, fmt, encoding)
            made.append(Derivative(name, width, height, fmt))
    return sorted(made, key=lambda d: (d.width, d.format))


def clean_copy(source: str, target: Path, encoding: Encoding) -> str:
    """The photo re-encoded without any metadata, upright, in its own format (for files published at
    their own address: the logo, banner, sidebar links, person photos). Returns the format used."""
    Image.MAX_IMAGE_PIXELS = encoding.max_pixels
    if _is_icon(source):
        return _clean_icon(source, target)
    decoded = decode(source, [], encoding)
    image = decoded.resized(decoded.size, (0, 0, *decoded.size)) if decoded.orientation in UPRIGHT else decoded.image
    with Image.open(source) as original:
        fmt = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp"}[original.format]
    if fmt == "jpeg" and image.mode != "RGB":
        fmt = "png" if _has_transparency(image) else fmt
        image = image if fmt == "png" else image.convert("RGB")
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jpeg":
        image.info = {}
        image.save(target, "JPEG", quality=90, optimize=True, progressive=True)
    elif fmt == "webp":
        image.info = {}
        image.save(target, "WEBP", quality=90)
    else:
        save(image, target, "png", encoding)
    return fmt


def _is_icon(source: str) -> bool:
    try:
        with Image.open(source) as image:
            return image.format == "ICO"
    except Exception:  # noqa: BLE001 - decode() says what is wrong with it
        return False


def _clean_icon(source: str, target: Path) -> str:
    """A site icon (favicon.ico): its largest picture, saved again at every size it had."""
    try:
        with Image.open(source) as icon:
            sizes = sorted(icon.info.get("sizes") or {icon.size})
            icon.size = sizes[-1]
            image = icon.convert("RGBA")
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadImage("damaged", str(exc)) from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    image.info = {}
    image.save(target, "ICO", sizes=sizes)
    return "ico"


def save(image: Image.Image, path: Path, fmt: str, encoding: Encoding) -> None:
    """Write without any metadata: no EXIF, XMP or ICC argument is ever passed."""
    if fmt == "webp":
        # libwebp's default method (4): 3 takes as long here, 2 and below make larger files.
        options = {"quality": encoding.webp_quality}
    elif fmt == "jpeg":
        options = {"quality": encoding.jpeg_quality, "optimize": True, "progressive": True}
    else:
        options = {"optimize": True}
    image.info = {}
    image.save(path, fmt.upper(), **options)

