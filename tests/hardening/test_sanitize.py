"""The allowlist sanitiser on its own: what editors paste survives, the rest goes with a reason and a line."""
from __future__ import annotations

from markdown import Markdown

from portal.core.sanitize import sanitize_html


def markdown(text: str) -> str:
    md = Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.sane_lists", "portal.core.images.markup"],
                  output_format="html")
    return md.convert(text)


def test_the_portals_own_figures_galleries_videos_footnotes_and_tables_survive():
    html = markdown(
        '![Toàn cảnh.](/images/a.jpg "Ảnh: Văn Nam")\n\n![Một.](/images/b.jpg)\n![Hai.](/images/c.jpg)\n\n'
        "![Video.](/videos/v.mp4)\n\nCâu có chú thích[^1].\n\n| Cột | Số |\n|:--|--:|\n| a | 1 |\n\n"
        "1. một\n2. hai\n\n## Mục\n\n> Trích dẫn *nghiêng* **đậm** <sub>2</sub> <sup>3</sup> <u>gạch</u>\n\n"
        "[web](https://a.vn/) [thư](mailto:a@b.vn) [gọi](tel:+84238) [trong trang](/2024/05/tin/)\n\n[^1]: Ghi chú."
    )
    result = sanitize_html(html)
    assert result.removals == ()
    assert result.html.count('data-media="figure"') == 1 and result.html.count('data-media="gallery"') == 2
    assert 'data-media="video"' in result.html and '<div class="gallery">' in result.html
    assert '<span class="caption">Toàn cảnh.</span>' in result.html and '<span class="credit">Ảnh: Văn Nam</span>' in result.html
    assert '<th align="left">Cột</th>' in result.html and 'style=' not in result.html
    assert 'class="footnote-ref"' in result.html and 'id="fn:1"' in result.html
    for kept in ("<ol>", "<h2>Mục</h2>", "<blockquote>", "<em>", "<strong>", "<sub>", "<sup>", "<u>",
                 'href="https://a.vn/"', 'href="mailto:a@b.vn"', 'href="tel:+84238"', 'href="/2024/05/tin/"'):
        assert kept in result.html, kept


def test_word_and_web_debris_is_cleaned_into_plain_paragraphs():
    pasted = ('<p class="MsoNormal" style="mso-margin-top-alt:auto;line-height:150%"><span lang="VI" '
              'style="font-size:14.0pt;font-family:&quot;Times New Roman&quot;"><font face="Arial" color="red">'
              'Đảng ủy Khối<o:p></o:p></font></span></p><!--[if gte mso 9]><xml><w:WordDocument/></xml><![endif]-->')
    result = sanitize_html(pasted)
    assert result.html == "<p>Đảng ủy Khối</p>"
    assert [r.kind for r in result.removals] == ["debris"]
    assert "Word" in result.removals[0].message and "<font>" in result.removals[0].message


def test_raw_images_become_placeholders_and_unsafe_ones_disappear():
    result = sanitize_html('<p><IMG SRC="/images/a.jpg" alt="Ảnh" onerror="x()"> <img src="javascript:alert(1)"></p>')
    assert result.html == '<p><img data-media="inline" src="/images/a.jpg" alt="Ảnh"> </p>'
    assert {r.name for r in result.removals} == {"onerror", "javascript"}


def test_each_removal_finds_its_line_even_when_obfuscated():
    source = 'Dòng một.\n\n<a href="java&#9;script:alert(1)">x</a>\n\n<p><b onmouseover="x()">y</b></p>\n\n<ScRiPt>z</ScRiPt>\n'
    result = sanitize_html(markdown(source))
    lines = {r.name: r.line_in(source) for r in result.removals}
    assert lines == {"javascript": 3, "onmouseover": 5, "script": 7}
    assert "<script>" not in result.html.lower() and "javascript" not in result.html and "onmouseover" not in result.html


def test_a_placeholder_keeps_its_address_for_the_photo_checks_unless_it_could_run():
    result = sanitize_html('<p><img data-media="inline" src="java&#9;script:alert(1)" alt="a">'
                           r'<img data-media="figure" src="C:\anh.jpg" alt="b"></p>')
    assert result.html == r'<p><img data-media="figure" src="C:\anh.jpg" alt="b"></p>'
    assert [r.name for r in result.removals] == ["javascript"]
