"""Pelican adapters, one module per feature; each is listed in PLUGINS by its dotted name.

Adapters never import each other; what they share is here.
"""
from __future__ import annotations

from blinker import signal
from pelican.contents import Content

# Sent (with the Pelican instance) when every page and file of the site is written, before the
# build waits for its search index: a preview can show the pages while the index follows.
pages_written = signal("portal-pages-written")
# Sent by the build command (keyword ``live``): True once the new output is in place, False when the
# build failed and the last good output stays. A rebuild's search index follows on True only.
build_done = signal("portal-build-done")


def forget_rendered_content() -> None:
    """Drop Pelican's memoised ``get_content``/``get_summary`` results.

    A feature that rewrites ``_content`` after reading (people's first-mention
    links, images' ``<picture>``) must call this, or pages keep the old HTML.
    """
    Content.get_content.cache.clear()
    Content.get_summary.cache.clear()
