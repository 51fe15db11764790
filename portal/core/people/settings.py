"""The people feature's settings (read by the build and by the one-file check)."""
from __future__ import annotations

from portal.core.settings import BOOLEAN, TEXT, Feature, Setting

FEATURE = Feature("people", "PEOPLE_", (
    Setting("PEOPLE_PATH", "people", TEXT, "thư mục danh bạ nhân vật trong content/, mỗi người một tệp"),
    Setting("PEOPLE_URL", "nhan-vat/{slug}/", TEXT, "địa chỉ trang một nhân vật"),
    Setting("PEOPLE_INDEX_URL", "nhan-vat/", TEXT, "địa chỉ trang danh sách nhân vật"),
    # Find registered names in article bodies even when People omits them
    # (an article opts out with "People-Detect: no").
    Setting("PEOPLE_DETECT", True, BOOLEAN, "tự nhận diện tên nhân vật trong bài"),
))
