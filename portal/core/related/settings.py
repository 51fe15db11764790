"""The related feature's settings: declared once, read by the index and the adapter."""
from __future__ import annotations

import os

from portal.core.settings import BOOLEAN, OPTIONAL_TEXT, Feature, Setting, integer, number, weights

DEFAULT_WEIGHTS = {"text": 6.0, "person": 3.0, "tag": 1.5, "category": 0.5}

FEATURE = Feature("related", "RELATED_", (
    Setting("RELATED_MAX", 5, integer(0, 50), "số tin liên quan tối đa dưới mỗi bài"),
    # Only older news by default: a page's box then never changes when newer news is added.
    Setting("RELATED_INCLUDE_NEWER", False, BOOLEAN, "cho phép gợi ý cả tin mới hơn bài đang đọc"),
    # Merged over the defaults: setting {"person": 5.0} keeps the other weights.
    Setting("RELATED_WEIGHTS", dict(DEFAULT_WEIGHTS), weights(tuple(DEFAULT_WEIGHTS)),
            "trọng số của chữ, nhân vật, thẻ, chuyên mục khi chấm điểm"),
    Setting("RELATED_HALF_LIFE_DAYS", 365, number(1), "sau bao nhiêu ngày điểm của tin cũ giảm một nửa"),
    Setting("RELATED_MIN_SCORE", 0.6, number(0), "điểm tối thiểu để tính là tin liên quan"),
    Setting("RELATED_MAX_DF", 0.05, number(0, 1), "bỏ qua từ có trong quá tỉ lệ này số bài"),
    Setting("RELATED_POSTINGS_CAP", 200, integer(1), "số bài tối đa xét cho mỗi từ khóa"),
    Setting("RELATED_TERMS_PER_DOC", 20, integer(1), "số từ khóa mỗi bài dùng để tìm"),
    Setting("RELATED_CANDIDATES", 20, integer(1), "số bài ứng viên chấm điểm đầy đủ"),
    Setting("RELATED_TEXT_SYLLABLES", 250, integer(1), "số âm tiết đầu bài được lập chỉ mục"),
    Setting("RELATED_JSON_SAVE_AS", "related.json", OPTIONAL_TEXT, "tệp danh sách tin liên quan (None: không viết)"),
    # Processes for sites of 2.000+ articles (forked, Linux); 1 = in-process.
    Setting("RELATED_WORKERS", min(2, os.cpu_count() or 1), integer(1, 64), "số tiến trình cho trang từ 2.000 bài"),
))
DEFAULTS = FEATURE.defaults()
