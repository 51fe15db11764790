"""Settings of the incremental build (the reading cache and the page memo)."""
from __future__ import annotations

import os

from portal.core.settings import BOOLEAN, TEXT, Feature, Setting, integer

FEATURE = Feature("build", "BUILD_", (
    # `python -m portal build` sets both folders next to the output it builds
    # (.output.cache/ and output/); a plain `pelican` run leaves them empty and
    # builds everything, as before.
    Setting("BUILD_CACHE_PATH", "", TEXT,
            "thư mục bộ nhớ đệm của lần dựng (rỗng: không dùng, dựng lại toàn bộ)"),
    Setting("BUILD_PREVIOUS_OUTPUT", "", TEXT,
            "thư mục bản dựng tốt gần nhất; trang không đổi được lấy lại từ đó thay vì dựng lại"),
    Setting("BUILD_INCREMENTAL", True, BOOLEAN,
            "dùng lại những gì không đổi từ lần dựng trước (False: luôn dựng lại toàn bộ)"),
    Setting("BUILD_QUICK", True, BOOLEAN,
            "khi chỉ nội dung vài bài đổi (không đổi tiêu đề, tóm tắt, ảnh, nhân vật...), chỉ dựng lại trang "
            "của các bài ấy (False: luôn đi hết các bước của lần dựng)"),
    # A cold build converts every file: on every core, then read in order from the cache.
    Setting("BUILD_READ_WORKERS", min(4, os.cpu_count() or 1), integer(1, 64),
            "số tiến trình làm song song: chuyển tệp Markdown chưa có trong bộ nhớ đệm, tìm tên nhân vật trong bài (1: một tiến trình)"),
))
