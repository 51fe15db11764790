"""Editor-picked related articles (`Related: slug-a, slug-b`), resolved and checked."""
from __future__ import annotations

import difflib
from collections import defaultdict

from portal.core import problems


def _line(article) -> int:
    return article.metadata.get("source_lines", {}).get("related", 1)


def resolve(articles: list, drafts: list = ()) -> dict[int, list]:
    """For each article (by ``id()``), the articles its Related field names, in order.

    Every unknown slug, draft, ambiguous slug or self-reference is reported
    as an error on the Related line of the file; the build then stops.
    """
    by_slug: dict[str, list] = defaultdict(list)
    for candidate in articles:
        by_slug[candidate.slug].append(candidate)
    draft_slugs = {draft.slug for draft in drafts}
    picked: dict[int, list] = {}
    for article in articles:
        chosen = []
        for slug in dict.fromkeys(getattr(article, "related", None) or []):
            message = problem_with(article, slug, by_slug, draft_slugs)
            if message:
                problems.error(article.source_path, _line(article), f"trường 'Related': {message}")
            else:
                chosen.append(by_slug[slug][0])
        picked[id(article)] = chosen
    return picked


def problem_with(article, slug: str, by_slug: dict, draft_slugs: set) -> str | None:
    """Why ``article`` cannot name ``slug`` in Related (None when it can); ``by_slug`` holds published articles."""
    found = by_slug.get(slug, [])
    if article in found:
        return f"bài viết không thể liên quan đến chính nó ('{slug}'); hãy bỏ slug này"
    if len(found) == 1:
        return None
    if len(found) > 1:
        files = ", ".join(problems.display_path(other.source_path) for other in found)
        return f"có {len(found)} bài cùng slug '{slug}' ({files}); hãy đặt trường 'Slug' khác nhau cho các bài đó"
    if slug in draft_slugs:
        return f"bài '{slug}' còn là bản nháp (Status: draft), chưa đăng nên không thể liên kết"
    guess = difflib.get_close_matches(slug, list(by_slug), n=1, cutoff=0.75)
    hint = f"; có phải ý bạn là '{guess[0]}'?" if guess else ""
    return f"không có bài viết nào có slug '{slug}'{hint} (slug là phần cuối địa chỉ bài, ví dụ 'hoi-nghi-tong-ket')"
