"""The search feature's settings (read by the indexer and the records), its log prefix and logger."""
from __future__ import annotations

import logging

from portal.core.settings import BOOLEAN, TEXT, Feature, Setting, integer, number

log = logging.getLogger("portal.search")
LOG_PREFIX = "[search]"

FEATURE = Feature("search", "SEARCH_", (
    Setting("SEARCH_URL", "tim-kiem/", TEXT, "địa chỉ trang tìm kiếm"),
    Setting("SEARCH_SAVE_AS", "tim-kiem/index.html", TEXT, "tệp của trang tìm kiếm (tên Pelican đặt cho trang mẫu)"),
    Setting("SEARCH_BUNDLE_DIR", "pagefind", TEXT, "thư mục chỉ mục tìm kiếm trong trang xây dựng"),
    Setting("SEARCH_LANGUAGE", "vi", TEXT, "ngôn ngữ của chỉ mục Pagefind"),
    # Folded spellings rank below the words as written (h1 weighs 7, text 1), so
    # an exact-diacritics match comes first.
    Setting("SEARCH_FOLD_TITLE_WEIGHT", 5.0, number(0), "trọng số tiêu đề viết không dấu"),
    Setting("SEARCH_FOLD_BODY_WEIGHT", 0.5, number(0), "trọng số nội dung viết không dấu"),
    # How often one word of an article's lead and body is indexed at most:
    # relevance barely grows past a few, the index does (docs/performance.md).
    Setting("SEARCH_WORD_REPEATS", 2, integer(1, 100), "số lần tối đa một từ của bài được lập chỉ mục"),
    # In Pagefind's stored content, separates the indexed words from the title
    # and lead as written, which search.js shows. Not a word: Pagefind does not
    # index it.
    Setting("SEARCH_FOLD_MARK", "⁂", TEXT, "ký hiệu ngăn phần từ khóa và phần hiển thị"),
    # Articles per Pagefind index: a larger site is split into parts merged in the
    # browser (indexer.py), so an edit re-indexes one part and the indexer's memory
    # stays that of one part. Each part adds to a first query (its pf_meta, its
    # chunks): 2.500 keeps 10.000 articles under 300 KB (docs/performance.md).
    Setting("SEARCH_PART_SIZE", 2500, integer(1), "cứ ngần này bài thì chỉ mục tìm kiếm có thêm một phần"),
    # Where the pages Pagefind reads are written for the seconds it reads them: a folder in memory
    # (tmpfs), since creating 10.000 files and their folders costs several seconds on a disk
    # (docs/performance.md). When it is missing, not writable or too small for the pages, the
    # system's temporary folder; "" always uses that one.
    Setting("SEARCH_SCRATCH_DIR", "/dev/shm", TEXT, "thư mục tạm (trong bộ nhớ) cho các trang Pagefind đọc"),
    # Index in a second process while the build writes the other pages (both
    # cores); a cold build waits for the index before it replaces output/.
    Setting("SEARCH_BACKGROUND", True, BOOLEAN, "lập chỉ mục tìm kiếm song song với việc ghi các trang"),
    # A rebuild puts its pages in place without waiting for the index: readers search the last
    # index for the seconds the new one takes (core/search/follow.py). A cold build, and a
    # rebuild that changes the number of parts, still wait.
    Setting("SEARCH_FOLLOWS", True, BOOLEAN, "khi dựng lại, đưa các trang lên trước, chỉ mục tìm kiếm cập nhật ngay sau"),
))
DEFAULTS = FEATURE.defaults()
