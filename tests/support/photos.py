"""Test photos made on the fly: camera-like files with EXIF orientation and GPS."""
from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

RED, GREEN, BLUE, YELLOW = (220, 20, 20), (20, 200, 20), (20, 20, 220), (230, 220, 20)
GPS_IFD = 0x8825


def camera_exif(orientation: int = 1, gps: bool = True) -> Image.Exif:
    """What a phone writes: orientation, a GPS position, the camera's serial number."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    if not gps:
        return exif
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (18.0, 40.0, 12.5)
    gps[3], gps[4] = "E", (105.0, 41.0, 3.0)
    return exif


def quadrants(size: tuple[int, int]) -> Image.Image:
    """Stored pixels: red top-left, green top-right, blue bottom-left, yellow bottom-right."""
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(GREEN, (width // 2, 0, width, height // 2))
    image.paste(BLUE, (0, height // 2, width // 2, height))
    image.paste(YELLOW, (width // 2, height // 2, width, height))
    return image


def jpeg(size: tuple[int, int] = (2000, 1500), orientation: int = 1, cmyk: bool = False, gps: bool = True) -> bytes:
    buffer = io.BytesIO()
    image = quadrants(size)
    if cmyk:
        image = image.convert("CMYK")
    image.save(buffer, "JPEG", quality=90, exif=camera_exif(orientation, gps))
    return buffer.getvalue()


def png(size: tuple[int, int], transparent: bool = False, gps: bool = True) -> bytes:
    buffer = io.BytesIO()
    image = quadrants(size).convert("RGBA")
    if transparent:
        image.putalpha(128)
    image.save(buffer, "PNG", **({"exif": camera_exif()} if gps else {}))
    return buffer.getvalue()


def gif(size: tuple[int, int] = (200, 100)) -> bytes:
    buffer = io.BytesIO()
    quadrants(size).save(buffer, "GIF")
    return buffer.getvalue()


def png_bomb(side: int = 30_000) -> bytes:
    """A tiny file that claims side × side pixels: what a decompression bomb looks like."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def colour_at(image: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    """Colour at a fraction of the width and height."""
    return image.convert("RGB").getpixel((int(image.width * x), int(image.height * y)))


def near(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


# Display P3 (Apple's primaries, D50-adapted as ICC requires) with the sRGB tone curve.
P3_TO_XYZ_D50 = ((0.5151, 0.2920, 0.1571), (0.2412, 0.6922, 0.0666), (-0.0011, 0.0419, 0.7841))
SRGB_TO_XYZ_D50 = ((0.4361, 0.3851, 0.1431), (0.2225, 0.7169, 0.0606), (0.0139, 0.0971, 0.7141))
SRGB_CURVE = (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)  # ICC parametric curve, type 3


def display_p3_icc() -> bytes:
    """A minimal ICC v2 matrix/TRC profile for Display P3: what iPhones embed in their photos."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    name = b"Display P3 (test)\0"
    description = b"desc\0\0\0\0" + struct.pack(">I", len(name)) + name + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    curve = b"para\0\0\0\0" + struct.pack(">H", 3) + b"\0\0" + b"".join(s15(v) for v in SRGB_CURVE)
    columns = list(zip(*P3_TO_XYZ_D50))
    tags = [(b"desc", description), (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", xyz(*columns[0])), (b"gXYZ", xyz(*columns[1])), (b"bXYZ", xyz(*columns[2])),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp"
              + b"\0" * 28 + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + data


def p3_to_srgb(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """What a colour-managed screen shows for a Display P3 colour, in sRGB (computed without lcms)."""

    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    def encoded(v: float) -> int:
        v = min(max(v, 0.0), 1.0)
        return round(255 * (v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055))

    rgb = [linear(c / 255) for c in colour]
    x = [sum(m * c for m, c in zip(row, rgb)) for row in P3_TO_XYZ_D50]
    # Invert the sRGB matrix by Cramer's rule: three equations, no numpy needed.
    (a, b, c), (d, e, f), (g, h, i) = SRGB_TO_XYZ_D50
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    inverse = ((e * i - f * h, c * h - b * i, b * f - c * e),
               (f * g - d * i, a * i - c * g, c * d - a * f),
               (d * h - e * g, b * g - a * h, a * e - b * d))
    return tuple(encoded(sum(m * v for m, v in zip(row, x)) / det) for row in inverse)
