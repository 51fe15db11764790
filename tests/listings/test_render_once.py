"""``{% once %}`` (portal.adapters.fragments): a box the same on many pages is rendered once per key."""
from __future__ import annotations

from types import SimpleNamespace

from jinja2 import Environment

from portal.adapters.fragments import RenderOnce

TEMPLATE = "{% once month, SITEURL %}<a href=\"{{ SITEURL }}/{{ seen(month.url) }}\">{{ month.name }}</a>{% endonce %}"


def environment():
    env = Environment(extensions=[RenderOnce], autoescape=True)
    rendered = []
    env.globals["seen"] = lambda value: rendered.append(value) or value
    return env, rendered


def test_the_body_is_rendered_once_per_key_and_repeated_as_is():
    env, rendered = environment()
    template = env.from_string(TEMPLATE)
    march = SimpleNamespace(url="2024/03/", name="Tháng <3>")
    first = template.render(month=march, SITEURL="")
    assert first == '<a href="/2024/03/">Tháng &lt;3&gt;</a>'
    assert template.render(month=march, SITEURL="") == first  # not escaped a second time
    assert rendered == ["2024/03/"]


def test_another_object_or_another_siteurl_is_rendered_again():
    env, rendered = environment()
    template = env.from_string(TEMPLATE)
    march, april = SimpleNamespace(url="2024/03/", name="3"), SimpleNamespace(url="2024/04/", name="4")
    template.render(month=march, SITEURL="")
    assert template.render(month=april, SITEURL="") == '<a href="/2024/04/">4</a>'
    # With RELATIVE_URLS every folder depth has its own SITEURL: text keys compare by value.
    assert template.render(month=march, SITEURL="..") == '<a href="../2024/03/">3</a>'
    assert template.render(month=march, SITEURL="".join([".", "."])) == '<a href="../2024/03/">3</a>'
    # An object equal to another is still another key: objects are compared by identity.
    assert template.render(month=SimpleNamespace(url="2024/03/", name="3"), SITEURL="") == '<a href="/2024/03/">3</a>'
    assert rendered == ["2024/03/", "2024/04/", "2024/03/", "2024/03/"]


def test_each_environment_keeps_its_own():
    first, rendered_first = environment()
    second, rendered_second = environment()
    march = SimpleNamespace(url="2024/03/", name="3")
    first.from_string(TEMPLATE).render(month=march, SITEURL="")
    second.from_string(TEMPLATE).render(month=march, SITEURL="")
    assert rendered_first == rendered_second == ["2024/03/"]


def test_a_build_environment_reads_each_template_file_once(tmp_path, monkeypatch):
    import os

    from jinja2 import FileSystemLoader

    from portal.adapters.fragments import prepare

    (tmp_path / "box.html").write_text("<p>{{ n }}</p>", encoding="utf-8")
    (tmp_path / "page.html").write_text('{% include "box.html" %}', encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(tmp_path)))
    prepare(env)
    assert env.get_template("page.html").render(n=1) == "<p>1</p>"
    looked_at = []
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: looked_at.append(path) or real_stat(path, *a, **k))
    for n in range(2, 5):
        assert env.get_template("page.html").render(n=n) == f"<p>{n}</p>"
    assert looked_at == []  # Jinja's default looks at both files on every page
