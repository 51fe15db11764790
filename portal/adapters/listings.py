"""listings: every listing page, built from one linear-time index.

Owns: category, tag and author pages, year/month/day archives (all paginated
with ``/trang/{n}/``), the home page data (lead, latest, a block per category),
"Tin cùng chuyên mục", "Các tin khác" and the "Xem tin theo ngày" calendar.
Pelican's own taxonomy writers are switched off for the articles generator:
they rescan every article per tag/category/author (quadratic).
"""
from __future__ import annotations

import logging
from datetime import date

from pelican import signals
from pelican.generators import Generator

from portal.core.listings.calendar import NewsCalendar
from portal.core.listings.grouping import ListingIndex, newest_first
from portal.core.listings.home import menu_category_slugs, plan_foot, plan_home
from portal.core.settings import TEXT, Feature, Kind, Setting, fill, integer

log = logging.getLogger("portal.listings")
LOG_PREFIX = "[listings]"

OPTIONAL_TEXT_LIST = Kind(
    "None hoặc một danh sách tên chuyên mục, ví dụ [\"Xây dựng Đảng\", \"Đoàn thể\"]",
    lambda v: v is None or (isinstance(v, (list, tuple)) and all(isinstance(i, str) for i in v)),
)

FEATURE = Feature("listings", "LISTINGS_", (
    Setting("LISTINGS_YEAR_URL", "{date:%Y}/", TEXT, "địa chỉ trang tin theo năm"),
    Setting("LISTINGS_MONTH_URL", "{date:%Y}/{date:%m}/", TEXT, "địa chỉ trang tin theo tháng"),
    Setting("LISTINGS_DAY_URL", "{date:%Y}/{date:%m}/{date:%d}/", TEXT, "địa chỉ trang tin theo ngày"),
    Setting("LISTINGS_SAME_CATEGORY", 5, integer(0, 50), "số tin cùng chuyên mục dưới mỗi bài (các bài gần ngày nhất, cũ hơn trước)"),
    Setting("LISTINGS_HOME_LATEST", 8, integer(0, 100), "số tin mới nhất trên trang chủ"),
    Setting("LISTINGS_HOME_BLOCK", 4, integer(0, 50), "số tin trong mỗi khối chuyên mục trên trang chủ"),
    # None: the order of the categories in MENU; categories not named come after.
    Setting("LISTINGS_HOME_CATEGORIES", None, OPTIONAL_TEXT_LIST,
            "thứ tự các khối chuyên mục trên trang chủ (tên hoặc slug); None: theo thứ tự MENU"),
    Setting("LISTINGS_OTHER_NEWS", 5, integer(0, 50), "số tin trong hộp \"Các tin khác\" dưới mỗi bài"),
))


def _fill_settings(pelican) -> None:
    fill(pelican.settings, FEATURE)


def _save_as(url: str) -> str:
    return url + "index.html" if url.endswith("/") or not url else url


class ListingsGenerator(Generator):
    """Runs after the articles generator: indexes its articles, writes listings."""

    def generate_context(self) -> None:
        settings = self.settings
        self.index = ListingIndex(self.context.get("articles", []))
        self.index.link_neighbours()

        def period_url(key: str):
            return lambda day: settings[key].format(date=day)

        self.day_url = period_url("LISTINGS_DAY_URL")
        self.month_url = period_url("LISTINGS_MONTH_URL")
        self.year_url = period_url("LISTINGS_YEAR_URL")
        order = settings["LISTINGS_HOME_CATEGORIES"]
        if order is None:
            order = menu_category_slugs(settings.get("MENU") or (), settings.get("CATEGORY_URL", ""))
        home = plan_home(self.index.articles, self.index.by_category, self.index.featured(),
                         settings["LISTINGS_HOME_LATEST"], settings["LISTINGS_HOME_BLOCK"], order)
        self.context.update(
            news_calendar=NewsCalendar((date(*key) for key in self.index.by_day), self.day_url, self.month_url),
            home_lead=home.lead,
            home_latest=home.latest,
            home_blocks=home.blocks,
            category_counts={c: len(items) for c, items in self.index.by_category.items()},
            archive_years=[(year, self.year_url(date(year, 1, 1)), len(items))
                           for year, items in sorted(self.index.by_year.items(), reverse=True)],
        )

    def generate_output(self, writer) -> None:
        write = writer.write_file
        for kind, groups in (
            ("category", self.index.by_category),
            ("tag", self.index.by_tag),
            ("author", self.index.by_author),
        ):
            template = self.get_template(kind)
            for wrapper, articles in groups.items():
                write(
                    wrapper.save_as, template, self.context,
                    paginated={"articles": articles},
                    template_name=kind, url=wrapper.url, page_name=wrapper.page_name,
                    articles=articles, **{kind: wrapper},
                )
        template = self.get_template("period_archives")
        periods = (
            ("year", self.index.by_year, lambda k: date(k, 1, 1), self.year_url),
            ("month", self.index.by_month, lambda k: date(*k, 1), self.month_url),
            ("day", self.index.by_day, lambda k: date(*k), self.day_url),
        )
        for granularity, groups, first_day, to_url in periods:
            for key, articles in groups.items():
                day = first_day(key)
                url = to_url(day)
                write(
                    _save_as(url), template, self.context,
                    paginated={"articles": articles},
                    template_name="period_archives", url=url,
                    articles=articles, granularity=granularity, period_date=day,
                    period_num=key if isinstance(key, tuple) else (key,),
                )


def _finish_feet(generators) -> None:
    """After "Tin liên quan" is known (related runs later): the three boxes, each article once."""
    listings = next((g for g in generators if isinstance(g, ListingsGenerator)), None)
    if listings is not None:
        finish_feet(listings.index, listings.context.get("drafts", []), listings.settings)


def finish_feet(index: ListingIndex, drafts: list, settings: dict) -> None:
    """The boxes at the foot of each article of ``index``, from the related articles it has now; the quick rebuild calls it again when those change.

    Drafts (only written by the preview) get the same boxes, made of published
    articles, so the editor sees the page as it will be.
    """
    same, other = settings["LISTINGS_SAME_CATEGORY"], settings["LISTINGS_OTHER_NEWS"]
    in_category = {id(a): i for members in index.by_category.values() for i, a in enumerate(members)}
    for position, article in enumerate(index.articles):
        _set_foot(article, index, index.articles, position, in_category[id(article)], same, other)
    if settings.get("DRAFT_SAVE_AS"):
        for draft in drafts:
            # Where the draft will stand once published (it is usually the newest).
            newest = newest_first([draft, *index.articles])
            members = newest_first([draft, *index.by_category.get(getattr(draft, "category", None), [])])
            _set_foot(draft, index, newest, next(i for i, a in enumerate(newest) if a is draft),
                      next(i for i, a in enumerate(members) if a is draft), same, other, members)


def _set_foot(article, index: ListingIndex, newest: list, position: int, category_position: int,
              same: int, other: int, members: list | None = None) -> None:
    if members is None:
        members = index.by_category.get(getattr(article, "category", None), [])
    foot = plan_foot(article, getattr(article, "related_articles", None) or [], members, category_position,
                     newest, position, same, other)
    article.related_articles = foot.related
    article.same_category = foot.same_category
    article.other_news = foot.other_news
    if article.status == "draft":
        article.newer_article = newest[position - 1] if position > 0 else None
        article.older_article = newest[position + 1] if position + 1 < len(newest) else None


def _disable_quadratic_writers(generator) -> None:
    # Replaced by ListingsGenerator.generate_output; feeds still use the data.
    for name in ("generate_tags", "generate_categories", "generate_authors", "generate_period_archives"):
        setattr(generator, name, lambda write: None)


def _get_generators(_pelican):
    return ListingsGenerator


def register() -> None:
    signals.initialized.connect(_fill_settings)
    signals.article_generator_init.connect(_disable_quadratic_writers)
    signals.get_generators.connect(_get_generators)
    signals.all_generators_finalized.connect(_finish_feet)
