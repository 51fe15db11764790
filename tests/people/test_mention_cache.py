"""Names found in an article's HTML, kept between builds (pure core)."""
from __future__ import annotations

import json

from portal.core.people import mention_cache
from portal.core.people.directory import PeopleDirectory
from portal.core.people.linking import find_mentions
from portal.core.people.mention_cache import MentionCache
from portal.core.people.registry import load_registry

from tests.people.test_roles import BLOC, HOA, PROVINCE

HTML = ("<p>Đồng chí Nguyễn Văn Thông, Phó Bí thư Thường trực Tỉnh ủy, và đồng chí <strong>Trần Thu Hoà"
        "</strong> dự hội nghị.</p><h2>Nguyễn Văn Thông</h2><p>Nguyễn V. Thông phát biểu.</p>")


def directory(*files: tuple[str, str]) -> PeopleDirectory:
    people, problems = load_registry(list(files))
    assert not problems
    return PeopleDirectory(people)


def cache_for(found: PeopleDirectory, kept=None) -> MentionCache:
    return MentionCache(found.registered, found.spellings, kept)


def plain(mentions) -> list:
    return [(m.start, m.end, [e.key for e in m.target], m.text, m.role, m.linkable) for m in mentions]


def test_a_kept_result_is_the_one_found_and_is_found_again_only_for_new_html(tmp_path):
    first = directory(("p/a.md", BLOC), ("p/b.md", PROVINCE), ("p/h.md", HOA))
    cache = cache_for(first)
    expected = find_mentions(HTML, first.matcher)
    assert plain(cache.find(HTML, first.matcher)) == plain(expected)
    assert len(expected) == 4 and (cache.hits, cache.misses) == (0, 1)
    mention_cache.save(tmp_path / "m.json", cache)

    # The next build: a directory made again from the same registry.
    second = directory(("p/a.md", BLOC), ("p/b.md", PROVINCE), ("p/h.md", HOA))
    again = cache_for(second, mention_cache.load(tmp_path / "m.json"))
    reused = again.find(HTML, second.matcher)
    assert (again.hits, again.misses) == (1, 0)
    assert plain(reused) == plain(find_mentions(HTML, second.matcher))
    assert all(entry in second.registered for m in reused for entry in m.target)  # this build's people
    edited = HTML.replace("dự hội nghị", "chủ trì hội nghị")
    assert plain(again.find(edited, second.matcher)) == plain(find_mentions(edited, second.matcher))
    assert (again.hits, again.misses) == (1, 1)


def test_another_registry_or_a_damaged_file_starts_again(tmp_path):
    first = directory(("p/a.md", BLOC), ("p/h.md", HOA))
    cache = cache_for(first)
    cache.find(HTML, first.matcher)
    mention_cache.save(tmp_path / "m.json", cache)
    kept = mention_cache.load(tmp_path / "m.json")

    grown = directory(("p/a.md", BLOC), ("p/b.md", PROVINCE), ("p/h.md", HOA))  # a namesake joins
    fresh = cache_for(grown, kept)
    assert plain(fresh.find(HTML, grown.matcher)) == plain(find_mentions(HTML, grown.matcher))
    assert fresh.misses == 1

    damaged = json.loads(json.dumps(kept))
    for stored in damaged["found"].values():
        stored[0][2] = [99]  # a person the registry does not have
    same = directory(("p/a.md", BLOC), ("p/h.md", HOA))
    checked = cache_for(same, damaged)
    assert plain(checked.find(HTML, same.matcher)) == plain(find_mentions(HTML, same.matcher))
    assert checked.misses == 1
    (tmp_path / "m.json").write_text("{not json", encoding="utf-8")
    assert mention_cache.load(tmp_path / "m.json") is None


SOURCE = "Title: Hội nghị\n\nĐồng chí Nguyễn Văn Thông dự.\n\nĐồng chí Nguyễn Văn Thông, Phó Bí thư Thường trực Tỉnh ủy, phát biểu.\n"


def test_a_warnings_line_is_kept_by_the_source_text_and_found_again_when_it_changes(tmp_path, monkeypatch):
    from portal.core.people import attribution
    from portal.core.people.roles import StatedRole

    registry = directory(("p/a.md", BLOC), ("p/h.md", HOA))
    role = StatedRole("Phó Bí thư Thường trực Tỉnh ủy", ())
    cache = cache_for(registry)
    assert cache.source_line(SOURCE, "Nguyễn Văn Thông", role, 0) == attribution.source_line(
        SOURCE, "Nguyễn Văn Thông", role, 0) == 5
    mention_cache.save(tmp_path / "m.json", cache)

    looked_up = []
    monkeypatch.setattr(mention_cache, "source_line", lambda *args: looked_up.append(args) or 99)
    again = cache_for(registry, mention_cache.load(tmp_path / "m.json"))
    assert again.source_line(SOURCE, "Nguyễn Văn Thông", role, 0) == 5 and not looked_up
    edited = SOURCE.replace("Title: Hội nghị\n", "Title: Hội nghị\nTags: a\n")
    assert again.source_line(edited, "Nguyễn Văn Thông", role, 0) == 99 and len(looked_up) == 1
    assert again.source_line(SOURCE, "Nguyễn Văn Thông", role, 1) == 99, "another occurrence is looked up"


def test_texts_searched_ahead_on_two_cores_are_what_one_core_finds_and_are_kept(tmp_path, monkeypatch):
    found = directory(("p/a.md", BLOC), ("p/b.md", PROVINCE), ("p/h.md", HOA))
    texts = [HTML.replace("dự hội nghị", f"dự hội nghị lần {number}") for number in range(mention_cache.PREFILL_MIN_TEXTS)]
    texts += ["<p>Không ai được nhắc tên.</p>", HTML]
    cache = cache_for(found)
    searched_here = []
    real_find = mention_cache.find_mentions
    monkeypatch.setattr(mention_cache, "find_mentions",
                        lambda markup, matcher: searched_here.append(markup) or real_find(markup, matcher))
    cache.find_ahead(texts, found.matcher, workers=2)
    # Worker 0 is this process: it searched its own chunks, the fork the others.
    assert 0 < len(searched_here) < len(texts)
    searched_here.clear()
    for text in texts:
        assert plain(cache.find(text, found.matcher)) == plain(real_find(text, found.matcher))
    assert searched_here == [] and (cache.hits, cache.misses) == (0, len(texts))
    mention_cache.save(tmp_path / "m.json", cache)

    again = cache_for(found, mention_cache.load(tmp_path / "m.json"))
    again.find_ahead(texts, found.matcher, workers=2)  # all kept: nothing to search, no fork
    assert searched_here == []
    assert plain(again.find(texts[7], found.matcher)) == plain(real_find(texts[7], found.matcher))
    assert (again.hits, again.misses) == (1, 0)


def test_a_few_texts_or_one_worker_are_left_to_find(monkeypatch):
    found = directory(("p/a.md", BLOC), ("p/h.md", HOA))
    cache = cache_for(found)
    searched = []
    real_find = mention_cache.find_mentions
    monkeypatch.setattr(mention_cache, "find_mentions",
                        lambda markup, matcher: searched.append(markup) or real_find(markup, matcher))
    cache.find_ahead([HTML], found.matcher, workers=2)
    cache.find_ahead([HTML + str(n) for n in range(mention_cache.PREFILL_MIN_TEXTS)], found.matcher, workers=1)
    assert searched == []
    assert plain(cache.find(HTML, found.matcher)) == plain(real_find(HTML, found.matcher))
    assert searched == [HTML] and cache.misses == 1
