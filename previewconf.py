"""Settings for the editors' preview (`make serve`).

Like pelicanconf.py, but drafts (`Status: draft`) are written at the address
they will have once published, with the "BẢN NHÁP" flag that article.html
shows for them. Never used by `make build` or `make publish`: pelicanconf.py
leaves DRAFT_SAVE_AS empty, so drafts are not written there.
"""
from pelicanconf import *  # noqa: F401,F403
from pelicanconf import ARTICLE_SAVE_AS, ARTICLE_URL

DRAFT_URL = ARTICLE_URL
DRAFT_SAVE_AS = ARTICLE_SAVE_AS
