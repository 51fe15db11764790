"""Settings for the editors' preview (`make serve`).

Like pelicanconf.py, but drafts (`Status: draft`) are written at the address
they will have once published, with the "BẢN NHÁP" flag that article.html
shows for them. Never used by `make build` or `make publish`: pelicanconf.py
leaves DRAFT_SAVE_AS empty, so drafts are not written there.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F401,F403
from pelicanconf import ARTICLE_SAVE_AS, ARTICLE_URL  # noqa: E402

DRAFT_URL = ARTICLE_URL
DRAFT_SAVE_AS = ARTICLE_SAVE_AS
