"""What an editor reads when a photo cannot be published."""
from __future__ import annotations

from pathlib import Path

from .pipeline import BadImage

CONVERT_HINT = "Hãy mở ảnh bằng phần mềm xem ảnh và lưu lại dưới dạng JPEG (.jpg)"


def _millions(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f} triệu".replace(".", ",")


def bad_image(src: str, file: Path, error: BadImage, max_pixels: int) -> str:
    what = f"ảnh '{src}'"
    if error.code == "format":
        return f"{what} có định dạng {error.detail}, không được hỗ trợ; chỉ dùng JPEG, PNG hoặc WebP. {CONVERT_HINT}"
    if error.code == "unreadable":
        if file.suffix.lower() in (".heic", ".heif"):
            return f"{what} là ảnh HEIC của iPhone, không được hỗ trợ. {CONVERT_HINT}, hoặc đặt iPhone chụp ở chế độ 'Tương thích nhất'"
        return f"{what} không phải tệp ảnh đọc được (tệp hỏng hoặc sai đuôi tên tệp). {CONVERT_HINT}"
    if error.code == "damaged":
        return (
            f"{what} bị hỏng hoặc chưa chép hết (tệp bị cắt cụt); "
            "hãy chép lại ảnh gốc từ máy ảnh, điện thoại hoặc thư điện tử"
        )
    if error.code == "too_large":
        width, height = error.size
        size = f" ({width:,} × {height:,} điểm ảnh)".replace(",", ".") if width else ""
        return (
            f"{what} quá lớn{size}, vượt giới hạn {_millions(max_pixels)} điểm ảnh; "
            "hãy thu nhỏ ảnh (ví dụ cạnh dài 4.000 điểm ảnh) rồi đưa lên lại"
        )
    return f"{what} không xử lý được: {error.detail}"
