"""Settings for the local build (`make build`, `make serve`).

Editors normally change only the "Site" block. Pelican's URL patterns are
here; each feature's own settings (prefix LISTINGS_, IMAGES_, PEOPLE_,
RELATED_, SEARCH_, STATS_, SITEMAP_, CONTENT_SCHEMA_) are declared with their
default and meaning in its module (docs/architecture.md lists them) and only
set here to change that default. A misspelt or mistyped one stops the build.
"""
import os

from slugify import slugify

ROOT = os.path.dirname(os.path.abspath(__file__))

# --- Site ----------------------------------------------------------------
SITENAME = "Đảng ủy Khối các cơ quan tỉnh"
SITESUBTITLE = "Cổng thông tin điện tử"
SITEURL = ""
SITE_LOGO = "/images/logo.png"
SITE_BANNER = "/images/banner.jpg"
SITE_ADDRESS = "Số 1 đường Trường Thi, thành phố Vinh, tỉnh Nghệ An"
SITE_CONTACT = "Điện thoại: 0238 3 000 000 · Thư điện tử: dangUyKhoi@example.gov.vn"
# Categories, in menu order: an article's "Category:" must be one of these
# (a misspelt one is an error with a suggestion). To open a new section, add it here.
CATEGORIES = [
    "Xây dựng Đảng",
    "Kiểm tra - Giám sát",
    "Tuyên giáo - Dân vận",
    "Đoàn thể",
    "Tin hoạt động",
]
# Main menu: (label, URL); the categories in the order above (URLs as CATEGORY_URL below).
MENU = (
    [("Trang chủ", "/")]
    + [(name, f"/chuyen-muc/{slugify(name)}/") for name in CATEGORIES]
    + [("Giới thiệu", "/gioi-thieu/")]
)
# Sidebar link images to other agencies' portals: (label, image, URL).
SIDEBAR_LINKS = [
    ("Cổng thông tin Tỉnh ủy", "/images/lien-ket/cong-thong-tin-tinh-uy.png", "https://tinhuy.example.gov.vn/"),
    ("Báo điện tử tỉnh", "/images/lien-ket/bao-dien-tu-tinh.png", "https://baotinh.example.vn/"),
    ("Ban Tổ chức Tỉnh ủy", "/images/lien-ket/ban-to-chuc-tinh-uy.png", "https://bantochuc.example.gov.vn/"),
    ("Dịch vụ công", "/images/lien-ket/dich-vu-cong.png", "https://dichvucong.example.gov.vn/"),
]

AUTHOR = "Văn phòng Đảng ủy Khối"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
LOCALE = ("C.UTF-8",)

# --- Content ---------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "videos"]
ARTICLE_EXCLUDES = []
READERS = {"rst": None, "htm": None, "html": None}  # Markdown only
IGNORE_FILES = [".*", "~*", "*~", "#*#"]
ARTICLE_TRANSLATION_ID = None  # same slugs are reported as duplicate URLs, not translations
PAGE_TRANSLATION_ID = None
FORMATTED_FIELDS = []  # summaries are plain text and escaped like every other field
DEFAULT_DATE = None
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html",
}

# --- URLs ------------------------------------------------------------------
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = ""
DRAFT_SAVE_AS = ""  # drafts are never published
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "chuyen-muc/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "the/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "the/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
AUTHORS_URL = "tac-gia/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_SAVE_AS = ""
NOTFOUND_SAVE_AS = "404.html"
NOTFOUND_URL = "404.html"
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "notfound", "search"]

# Listings: /trang/{n}/ sub-paths (Pelican's {name}{number} collides with slugs
# that end in a digit).
DEFAULT_PAGINATION = 20
DEFAULT_ORPHANS = 0
PAGINATED_TEMPLATES = {"category": None, "tag": None, "author": None, "period_archives": None, "person": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)

# --- Theme and plugins -----------------------------------------------------
THEME = os.path.join(ROOT, "theme")
THEME_STATIC_DIR = "theme"
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
PLUGINS = [
    "portal.adapters.problems",
    "portal.adapters.content_schema",
    "portal.adapters.vn_format",
    "portal.adapters.fragments",  # the theme's {% once %}
    "portal.adapters.listings",
    "portal.adapters.images",
    "portal.adapters.people",  # before related, which uses the people it finds
    "portal.adapters.related",
    "portal.adapters.search",
    "portal.adapters.stats",
    "portal.adapters.incremental",  # last: keys pages by every setting the others filled
]
# Steps run on the built site before it replaces output/ ("module:function").
PORTAL_POSTBUILD: list[str] = ["portal.importer.redirects:write_pages"]  # old portal's addresses (docs/import.md)

# Visitor statistics (portal.adapters.stats, service in stats_service/). The
# old portal's "Tất cả" carries over; per-article old counts go in "paths".
STATS_OFFSETS = {"total": 93308, "paths": {}}

FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
RELATIVE_URLS = False
