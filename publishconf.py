"""Settings for the published site (`make publish`, `make deploy`, CI).

Everything of pelicanconf.py, plus what only a public site needs: an absolute
SITEURL (from the environment), feeds, sitemap.xml and robots.txt,
fingerprinted CSS/JS names and pre-compressed files for nginx.

    SITEURL=https://dangUyKhoi.example.gov.vn make publish
"""
import os

from pelicanconf import *  # noqa: F401,F403

SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
if not SITEURL.startswith(("https://", "http://")):
    # Feeds, sitemap, canonical links and Open Graph need the public address.
    raise SystemExit(
        "lỗi: publishconf.py cần địa chỉ trang công khai trong biến môi trường SITEURL, "
        "ví dụ: SITEURL=https://dangUyKhoi.example.gov.vn make publish"
        + (f" (giá trị hiện tại '{SITEURL}' không bắt đầu bằng https://)" if SITEURL else "")
    )
RELATIVE_URLS = False

# --- Feeds (written by Pelican's generate_feeds, which the listings plugin
# keeps: it replaces only the category/tag/author page writers) -----------
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = True

# --- Statistics snapshot for readers without JavaScript ----------------
# e.g. STATS_SNAPSHOT_URL=http://127.0.0.1:8100/api/export (docs/deploy.md)
if os.environ.get("STATS_SNAPSHOT_URL"):
    STATS_SNAPSHOT_URL = os.environ["STATS_SNAPSHOT_URL"]

# --- Sitemap and robots.txt ----------------------------------------------
# Above SITEMAP_MAX_URLS (the sitemaps.org limit, 50.000) an index of parts is written.
PLUGINS = PLUGINS + ["portal.adapters.sitemap"]

# --- Post-build steps ----------------------------------------------------
# ORDER MATTERS: fingerprinting renames CSS/JS and rewrites every HTML file,
# and compression must see the final bytes of every file. Both therefore stay
# LAST; steps from pelicanconf (search index, manifests...) run before them.
PORTAL_POSTBUILD = list(globals().get("PORTAL_POSTBUILD", [])) + [
    "portal.cli.fingerprint:fingerprint_assets",
    "portal.cli.compress:precompress",
]
