"""fragments: parts of the theme rendered once per build and repeated, not rendered on every page.

``{% once cal, SITEURL %}…{% endonce %}`` renders its body for the first page that shows those
keys and gives every later page with the same keys that HTML. Text, numbers and None are compared
by value, any other key by identity (the month of the "Xem tin theo ngày" calendar: one of 144
objects at 10.000 articles, shown on all 19.767 pages); the body must show nothing but its keys
and the build's settings. ``SITEURL`` is a key because it differs from page to page when
``RELATIVE_URLS`` is on. The calendar alone was 39 % of the 7,4 million values escaped while a cold
build rendered its pages (profiled).

The rendered HTML is kept on the template environment, which Pelican makes anew for each
generator of each build: what one build kept never reaches the next. A process that keeps one
environment and renders new objects with it (the newsroom's preview) calls ``forget`` first.

The templates themselves are read once per build as well: by default Jinja looks at the file of
every template a page extends, includes or imports, each time, in case it changed (a ``stat``:
10 to 14 per page, about 240.000 at 10.000 articles; 2,5 µs each on an idle machine, 3 % of a
cold build's samples under py-spy). It cannot change while a build renders, and the next build
makes its environments anew.
"""
from __future__ import annotations

from typing import Callable

from jinja2 import nodes
from jinja2.ext import Extension
from pelican import signals

PLAIN = (str, int, float, bool, type(None))


class RenderOnce(Extension):
    tags = {"once"}

    def __init__(self, environment):
        super().__init__(environment)
        # Each entry kept with its key, so that the key's id is never reused while it counts.
        environment.extend(rendered_once={})

    def parse(self, parser) -> nodes.Node:
        line = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endonce",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", [nodes.List(keys)]), [], [], body).set_lineno(line)

    def _render(self, keys: list, caller: Callable[[], str]) -> str:
        found = tuple((type(key), key) if type(key) in PLAIN else ("id", id(key)) for key in keys)
        kept = self.environment.rendered_once.get(found)
        if kept is None:
            kept = self.environment.rendered_once[found] = (keys, caller())
        return kept[1]


def forget(environment) -> None:
    """Drop what ``environment`` rendered once (and the objects kept with it)."""
    kept = getattr(environment, "rendered_once", None)
    if kept is not None:
        kept.clear()


def prepare(environment) -> None:
    """Ready a build's template environment: ``{% once %}``, templates read once."""
    environment.add_extension(RenderOnce)
    environment.auto_reload = False


def _prepare(generator) -> None:
    prepare(generator.env)


def register() -> None:
    signals.generator_init.connect(_prepare)
