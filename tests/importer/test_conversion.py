"""Units of the conversion: legacy encodings, captions and credits, dates and counts of saved pages."""
from __future__ import annotations

import pytest

from portal.importer import body, legacy
from portal.importer.mirror import parse_count, parse_date
from portal.importer.model import Report

UNICODE = "Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2023, triển khai nhiệm vụ"


def to_tcvn3(text: str) -> str:
    back = {v: k for k, v in legacy.TCVN3.items()}
    return "".join(back.get(ch.lower(), back.get(ch, ch)) if ch not in "ĂÂĐÊÔƠƯ" else back[ch] for ch in text)


def to_vni(text: str) -> str:
    back = {v: k for k, v in legacy.VNI.items()}
    return "".join(back.get(ch, ch) for ch in text)


def test_tcvn3_and_vni_round_trip_and_unicode_is_left_alone():
    tcvn = to_tcvn3(UNICODE)
    assert tcvn != UNICODE and legacy.detect(tcvn) == "tcvn3"
    # TCVN3 has no upper-case accented codes of its own: those come back lower-case.
    text, found = legacy.fix(tcvn)
    assert found == "tcvn3" and text.lower() == UNICODE.lower()
    vni = to_vni(UNICODE)
    assert legacy.detect(vni) == "vni" and legacy.fix(vni) == (UNICODE, "vni")
    assert legacy.fix("Hµ Néi")[0] == "Hà Nội" and legacy.fix("Haø Noäi")[0] == "Hà Nội"
    for text in (UNICODE, "Café crème brûlée à la carte", "Ngày 15/7/2024", "Copyright © 2020 «Báo»", ""):
        assert legacy.fix(text) == (text, None)


@pytest.mark.parametrize("caption, expected", [
    ("Đồng chí Nguyễn Văn Thông phát biểu. Ảnh: Thành Duy", ("Đồng chí Nguyễn Văn Thông phát biểu.", "Ảnh: Thành Duy")),
    ("Các đại biểu dự hội nghị (Ảnh: Minh Châu)", ("Các đại biểu dự hội nghị", "Ảnh: Minh Châu")),
    ("Toàn cảnh - Ảnh:   Hữu Phước", ("Toàn cảnh", "Ảnh: Hữu Phước")),
    ("Toàn cảnh hội nghị", ("Toàn cảnh hội nghị", "")),
])
def test_caption_credit(caption, expected):
    assert body.split_credit(caption) == expected


def test_body_drops_debris_keeps_tables_and_reports_missing_photos():
    report = Report()
    placed = []

    def place(src, video):
        placed.append((src, video))
        return None if "missing" in src else f"/images/2020/{src.rsplit('/', 1)[-1]}"

    html = ('<p class="MsoNormal"><span style="color:red">Chữ<o:p></o:p></span></p>'
            '<p><img src="/uploads/missing.jpg"></p><p><em>Chú thích ảnh thiếu. Ảnh: A</em></p>'
            '<table><tr><th>Cột</th></tr><tr><td>1</td></tr></table><iframe src="https://x.example/v"></iframe>')
    markdown = body.convert(html, "bài id=9", report, place)
    assert markdown.startswith("Chữ\n") and "| Cột |" in markdown
    assert "Chú thích ảnh thiếu." in markdown  # the caption stays as text when its photo is gone
    assert "![" not in markdown and "span" not in markdown and "iframe" not in markdown
    assert ("Nội dung nhúng bị bỏ", "bài id=9") == report.lines[0][:2]


def test_saved_page_dates_and_counts():
    assert str(parse_date("Thứ 5 Ngày 21/06/2018", "{thu} Ngày %d/%m/%Y")) == "2018-06-21 00:00:00"
    assert str(parse_date("Thứ 6, 29/12/2023 | 19:17:16", "{thu}, %d/%m/%Y | %H:%M:%S")) == "2023-12-29 19:17:16"
    assert str(parse_date("Cập nhật: Chủ nhật, 01/02/2015", "{thu}, %d/%m/%Y")) == "2015-02-01 00:00:00"
    assert parse_date("31/02/2020", "%d/%m/%Y") is None
    assert parse_count("15,527 lượt xem") == 15527 and parse_count("Lượt xem: 207") == 207 and parse_count("") == 0


def test_saved_file_names_give_the_old_addresses():
    from portal.importer.mirror import old_addresses

    assert old_addresses("tin-tuc/2023/bai.html") == ["/tin-tuc/2023/bai.html"]
    assert old_addresses("tin-tuc/index.html") == ["/tin-tuc/index.html", "/tin-tuc/"]
    assert old_addresses("index.php?language=vi&nv=news&op=hoat-dong%2Fbai-12.html") == ["/index.php?news/hoat-dong/bai-12"]
