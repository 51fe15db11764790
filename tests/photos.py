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
