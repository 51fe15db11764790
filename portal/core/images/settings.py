"""The images feature's settings, and the kinds of derivatives and encoding they describe."""
from __future__ import annotations

from portal.core.settings import BOOLEAN, TEXT, Feature, Setting, integer, integers, optional_integer

from .pipeline import Encoding, Kind

FEATURE = Feature("images", "IMAGES_", (
    Setting("IMAGES_WIDTHS", (480, 960, 1600), integers(), "các độ rộng (px) của ảnh trong bài"),
    Setting("IMAGES_CARD_WIDTHS", (240, 480, 960), integers(), "các độ rộng (px) của ảnh đại diện trong danh sách"),
    Setting("IMAGES_CARD_RATIO", (4, 3), integers(2), "tỉ lệ khung ảnh đại diện (rộng, cao)"),
    Setting("IMAGES_OG_SIZE", (1200, 630), integers(2), "kích thước ảnh chia sẻ mạng xã hội (rộng, cao)"),
    Setting("IMAGES_WEBP_QUALITY", 80, integer(1, 100), "chất lượng nén WebP"),
    Setting("IMAGES_JPEG_QUALITY", 82, integer(1, 100), "chất lượng nén JPEG"),
    # Larger photos are refused (decompression bombs); 100 million covers 108 MP phones.
    Setting("IMAGES_MAX_PIXELS", 100_000_000, integer(1), "số điểm ảnh tối đa của một ảnh gốc"),
    Setting("IMAGES_CACHE_DIR", ".cache/images", TEXT, "thư mục bộ nhớ đệm ảnh đã xử lý"),
    Setting("IMAGES_OUTPUT_DIR", "anh", TEXT, "thư mục ảnh đã xử lý trong trang xây dựng"),
    Setting("IMAGES_COPY_SOURCES", False, BOOLEAN, "đăng cả ảnh gốc ở địa chỉ của nó (mã hóa lại, đã xóa thông tin đi kèm)"),
    Setting("IMAGES_WORKERS", None, optional_integer(1), "số tiến trình xử lý ảnh (None: mọi lõi)"),
    Setting("IMAGES_PROGRESS", True, BOOLEAN, "hiện thanh tiến độ (chỉ trên cửa sổ dòng lệnh)"),
    # Widths of the main text column, from theme/static/css/main.css (.layout).
    Setting("IMAGES_SIZES",
            "(min-width: 72rem) 50.5rem, (min-width: 48rem) calc(100vw - 21.5rem), calc(100vw - 2rem)",
            TEXT, "thuộc tính sizes của ảnh trong bài"),
    Setting("IMAGES_GALLERY_SIZES",
            "(min-width: 72rem) 25rem, (min-width: 48rem) calc(50vw - 11rem), calc(50vw - 1.25rem)",
            TEXT, "thuộc tính sizes của ảnh trong bộ ảnh"),
    Setting("IMAGES_CARD_SIZES", "(min-width: 48rem) 12rem, 7.5rem", TEXT, "thuộc tính sizes của ảnh đại diện"),
))


def kinds(settings: dict) -> dict[str, Kind]:
    og_width, og_height = settings["IMAGES_OG_SIZE"]
    return {
        "body": Kind("body", tuple(settings["IMAGES_WIDTHS"]), None, ("webp", "jpeg")),
        "card": Kind("card", tuple(settings["IMAGES_CARD_WIDTHS"]), tuple(settings["IMAGES_CARD_RATIO"]), ("webp", "jpeg")),
        "og": Kind("og", (og_width,), (og_width, og_height), ("jpeg",)),
    }


def encoding(settings: dict) -> Encoding:
    return Encoding(settings["IMAGES_WEBP_QUALITY"], settings["IMAGES_JPEG_QUALITY"], settings["IMAGES_MAX_PIXELS"])
