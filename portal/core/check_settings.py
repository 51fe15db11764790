"""Settings of the content checks shared by the build and the one-file check."""
from __future__ import annotations

from portal.core.settings import BOOLEAN, Feature, Setting, choice

FEATURE = Feature("content_schema", "CONTENT_SCHEMA_", (
    # A published article dated in the future would silently stay hidden or
    # appear early; make the editor decide.
    Setting("CONTENT_SCHEMA_FUTURE_IS_ERROR", True, BOOLEAN, "bài đã đăng đề ngày tương lai là lỗi"),
    # An expired article's address may be linked from elsewhere: by default its
    # page stays, with a notice, but it leaves every listing.
    Setting("CONTENT_SCHEMA_EXPIRED", "notice", choice("notice", "remove"),
            "bài hết hạn: 'notice' giữ trang kèm thông báo, 'remove' gỡ trang"),
))
