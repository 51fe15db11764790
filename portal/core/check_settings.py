"""Settings of the content checks shared by the build and the one-file check."""
from __future__ import annotations

from portal.core.settings import BOOLEAN, Feature, Setting

FEATURE = Feature("content_schema", "CONTENT_SCHEMA_", (
    # A published article dated in the future would silently stay hidden or
    # appear early; make the editor decide.
    Setting("CONTENT_SCHEMA_FUTURE_IS_ERROR", True, BOOLEAN, "bài đã đăng đề ngày tương lai là lỗi"),
))
