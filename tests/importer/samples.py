"""The old portal the importer tests bring over: a NukeViet database with uploads, and saved HTML pages."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.support.photos import jpeg, png

from .nukeviet_sample import Row, write_dump

PREFIX = "nv4_vi_news"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def stamp(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZONE).timestamp())


CATS = [(1, 0, "Tin tức", "tin-tuc"), (2, 1, "Hoạt động Đảng ủy", "hoat-dong"), (3, 0, "Xây dựng Đảng", "xay-dung-dang")]
SOURCES = [(1, "Báo Nghệ An")]
TAGS = [(1, "dai-hoi", "đại hội"), (2, "chi-bo", "chi bộ")]

BODY_101 = """
<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->
<p class="MsoNormal" style="text-align:justify"><span style="font-family:'Times New Roman'">Sáng 30/6, Ban Thường vụ Tỉnh ủy
làm việc với Ban Thường vụ Đảng ủy Khối&nbsp;về công tác chuẩn bị đại hội.<o:p></o:p></span></p>
<p style="text-align:center"><img alt="dai-bieu.jpg" src="/uploads/news/2020_06/dai-bieu.jpg" style="width:600px" /></p>
<p style="text-align:center"><em>Đồng chí Thái Thanh Quý phát biểu tại cuộc làm việc. Ảnh: Thành Duy</em></p>
<p><strong>HOÀN THÀNH CƠ BẢN CÁC MỤC TIÊU</strong></p>
<table class="image" align="center"><tbody>
<tr><td><img src="http://dangUyKhoi.example.vn/uploads/news/2020_06/%E1%BA%A2nh%20H%E1%BB%99i%20ngh%E1%BB%8B.jpg" /></td></tr>
<tr><td>Các đại biểu dự hội nghị (Ảnh: Minh Châu)</td></tr></tbody></table>
<table border="1" style="width:100%"><tbody>
<tr><td>Chỉ tiêu</td><td>Kết quả</td></tr><tr><td>Đảng viên</td><td>5.112</td></tr></tbody></table>
<figure class="image"><img src="/uploads/news/2020_06/toan-canh.png" /><figcaption>Toàn cảnh hội nghị</figcaption></figure>
<p><video controls src="/uploads/news/2020_06/tong-ket.mp4?_t=1703855338"></video></p>
<script>alert("x")</script>
<p onclick="alert(1)">Ban Thường vụ Tỉnh ủy thống nhất thời gian tổ chức đại hội.</p>
"""

TCVN3_TITLE = "Héi nghÞ tæng kÕt c«ng t¸c x©y dùng §¶ng"
TCVN3_BODY = "<p>Ban Th\xadêng vô §¶ng ñy Khèi tæ chøc héi nghÞ tæng kÕt c«ng t¸c x©y dùng §¶ng n¨m 2010.</p>"


def rows() -> list[Row]:
    return [
        Row(101, 2, "Ban Thường vụ Tỉnh ủy duyệt Đại hội Đảng bộ Khối", "ban-thuong-vu-duyet-dai-hoi",
            stamp("2020-06-30 15:20"), BODY_101, listcatid="2,1",
            hometext="<p>(Baonghean.vn) - Ban Thường vụ Tỉnh ủy đề nghị Đảng bộ Khối tạo đột phá.</p>",
            homeimgfile="2020_06/anh-bia.jpg", homeimgalt="Quang cảnh cuộc làm việc", sourceid=1,
            author="Thành Duy", hitstotal=15527, tags=[1, 2], edittime=stamp("2020-07-01 08:00")),
        Row(102, 3, "Tổng kết công tác năm 2023", "tong-ket-cong-tac", stamp("2023-12-29 19:17"),
            '<p>Nội dung tổng kết.</p><p><img src="/uploads/news/2023_12/khong-co.jpg" /></p>'
            '<p><img src="/uploads/news/2023_12/hong.jpg" /></p>', hitstotal=207, tags=[2]),
        Row(103, 3, TCVN3_TITLE, "hoi-nghi-tong-ket-2010", stamp("2010-12-20 08:00"), TCVN3_BODY),
        Row(104, 3, "Bản nháp chưa duyệt", "ban-nhap", stamp("2024-01-05 09:00"), status=4),
        Row(105, 3, "Bài không có ngày", "khong-co-ngay", 0),
        Row(106, 99, "Bài thuộc chuyên mục đã xóa", "chuyen-muc-da-xoa", stamp("2019-03-01 10:00")),
        Row(107, 3, "Bài đã hết hạn", "het-han", stamp("2018-01-01 10:00"), exptime=stamp("2018-02-01 10:00")),
        Row(109, 3, "Bài đã ngưng vì hết hạn", "het-han-cu", stamp("2017-01-01 10:00"), status=3,
            exptime=stamp("2017-03-01 10:00")),
        Row(110, 3, "Bài hẹn giờ đăng", "hen-gio-dang", stamp("2099-01-01 08:00"), status=2),
        Row(108, 1, "Bài của nhiều tác giả", "nhieu-tac-gia", stamp("2021-05-04 07:30"), detail=False,
            hometext="Sapo không kèm thân bài."),
    ]


def write_nukeviet(base: Path) -> tuple[Path, Path]:
    """(dump.sql, uploads/) of the old NukeViet portal."""
    uploads = base / "uploads"
    news = uploads / "news"
    files = {
        "2020_06/anh-bia.jpg": jpeg((800, 600), gps=False),
        "2020_06/dai-bieu.jpg": jpeg((800, 600), gps=False),
        "2020_06/Ảnh Hội nghị.jpg": jpeg((640, 480), gps=False),
        "2020_06/toan-canh.png": png((320, 200), gps=False),
        "2020_06/tong-ket.mp4": b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64,
        "2023_12/hong.jpg": b"\xff\xd8\xff\xe0 this is not a photo",
    }
    for name, data in files.items():
        (news / name).parent.mkdir(parents=True, exist_ok=True)
        (news / name).write_bytes(data)
    dump = write_dump(base / "nukeviet.sql", PREFIX, CATS, SOURCES, TAGS, rows(),
                      authors=[(108, 1, "minh-chau", "Minh Châu"), (108, 2, "huu-phuoc", "Hữu Phước")])
    return dump, uploads


DANG_UY_KHOI = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="banner"><img src="/themes/default/images/banner.jpg" alt="image banner"></div>
<ul class="breadcrumbs"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc/">Tin hoạt động</a></li></ul>
<div class="news_column">
<h1>{title}</h1>
<span class="ngay-dang">Thứ 5 Ngày 21/06/2018</span>
<div class="luot-xem">Lượt xem: 207</div>
<div class="hometext">Đảng ủy Khối các cơ quan tỉnh là cấp ủy cấp trên cơ sở, có 63 tổ chức cơ sở đảng trực thuộc.</div>
<div id="news-bodyhtml">
<p>Nghị quyết Đại hội Đảng bộ Khối xác định cải cách hành chính là nhiệm vụ trọng tâm.</p>
<p style="text-align:center"><img src="../uploads/news/2018_06/hoi-nghi.jpg" alt=""></p>
<p style="text-align:center"><em>Đồng chí Nguyễn Thị Kim Chi phát biểu chỉ đạo tại hội nghị</em></p>
<p>Ngày 16/02/2022, đã tổ chức quán triệt cho hơn 700 cán bộ, đảng viên.</p>
<p class="tac-gia" style="text-align:right"><strong>Hồng Khanh</strong><br>(Ủy viên BTV, Chủ nhiệm UBKT Đảng ủy Khối)</p>
</div>
<div class="phan-trang">1 2 3 4 5 ...</div>
</div>
<div class="thong-ke"><h3>Thống kê truy cập</h3><ul><li>Đang online: 16</li><li>Tất cả: 93308</li></ul></div>
</body></html>"""

BAN_TO_CHUC = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>
<div class="page-date">Thứ 2, 26/02/2024, 17:37[GMT+7]</div>
<div class="breadcrumb"><a href="/">Trang chủ</a><a href="/xay-dung-dang/">Xây dựng Đảng</a></div>
<div class="news-detail">
<h1 class="news-title">Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng</h1>
<div class="news-info"><span class="news-date">Thứ 6, 29/12/2023 | 19:17:16</span> <span class="news-views">15,527 lượt xem</span></div>
<div class="news-sapo">Chiều ngày 29/12, Ban Tổ chức Tỉnh ủy tổ chức hội nghị tổng kết công tác năm 2023.</div>
<div class="news-content">
<table><tr><td><img src="/Uploads/tong-ket-2023.jpg"></td></tr>
<tr><td>Đồng chí Bí thư Tỉnh ủy phát biểu tại hội nghị.</td></tr></table>
<p>Video: <video controls><source src="/Uploads/video/291223_-_TONG_KET.mp4?_t=1703855338" type="video/mp4"></video></p>
<p>Năm 2023, toàn ngành tổ chức xây dựng Đảng đã tập trung tham mưu.</p>
<p class="news-author">Đào Quyên</p>
</div>
<div class="tin-cung-chuyen-muc"><h3>Tin cùng chuyên mục</h3><a href="/a.html">Bài khác</a></div>
<div class="xem-tin-theo-ngay">Xem tin theo ngày</div>
</div></body></html>"""

BAO_NGHE_AN = """<html><head><meta charset="utf-8"></head><body><article class="detail">
<span class="detail-cate">Thời sự</span>
<h1 class="detail-title">Ban Thường vụ Tỉnh ủy Nghệ An duyệt Đại hội đại biểu Đảng bộ Khối CCQ tỉnh lần thứ XX</h1>
<div class="detail-time">30/06/2020 15:20</div>
<div class="detail-sapo">(Baonghean.vn) - Ban Thường vụ Tỉnh ủy đề nghị Đảng bộ Khối Các cơ quan tỉnh cần tạo được đột phá.</div>
<div class="detail-content">
<p>Sáng 30/6, Ban Thường vụ Tỉnh ủy Nghệ An làm việc với Ban Thường vụ Đảng ủy Khối CCQ tỉnh.</p>
<figure><img src="https://baonghean.vn/images/dong-chi-thong.jpg"><figcaption>Đồng chí Nguyễn Văn Thông phát biểu. Ảnh: Thành Duy</figcaption></figure>
<figure><img src="/images/toan-canh.jpg"><figcaption>Toàn cảnh cuộc làm việc. Ảnh: Thành Duy</figcaption></figure>
<p><strong>HOÀN THÀNH CƠ BẢN CÁC MỤC TIÊU, CHỈ TIÊU</strong></p>
<p>Nhiệm kỳ 2015 - 2020, Đảng bộ Khối CCQ tỉnh hoàn thành cơ bản mục tiêu.</p>
<div class="tin-lien-quan"><h3>Tin liên quan</h3><a href="/x.html">Đảng ủy Khối tổ chức hội nghị trực tuyến</a></div>
</div>
<div class="cac-tin-khac">Các tin khác</div>
</article></body></html>"""


def write_mirrors(base: Path) -> dict[str, Path]:
    """One saved site per shipped rules file (name -> mirror folder)."""
    mirrors = {}
    site = base / "dang-uy-khoi"
    (site / "tin-tuc").mkdir(parents=True)
    (site / "tin-tuc" / "tang-cuong-cai-cach-hanh-chinh-207.html").write_text(
        DANG_UY_KHOI.format(title="Đảng ủy Khối các cơ quan tỉnh: tăng cường chỉ đạo cải cách hành chính"), encoding="utf-8")
    (site / "index.html").write_text("<html><body><h1>Trang chủ</h1><a href='tin-tuc/x.html'>x</a></body></html>", encoding="utf-8")
    (site / "uploads" / "news" / "2018_06").mkdir(parents=True)
    (site / "uploads" / "news" / "2018_06" / "hoi-nghi.jpg").write_bytes(jpeg((640, 480), gps=False))
    mirrors["dang-uy-khoi"] = site
    site = base / "ban-to-chuc"
    (site / "Uploads" / "video").mkdir(parents=True)
    (site / "Uploads" / "tong-ket-2023.jpg").write_bytes(jpeg((640, 480), gps=False))
    (site / "Uploads" / "video" / "291223_-_TONG_KET.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    (site / "tin-tuc" / "2023").mkdir(parents=True)
    (site / "tin-tuc" / "2023" / "nang-cao-nang-luc-lanh-dao.html").write_text(BAN_TO_CHUC, encoding="utf-8")
    mirrors["ban-to-chuc"] = site
    site = base / "bao-nghe-an"
    (site / "images").mkdir(parents=True)
    (site / "images" / "toan-canh.jpg").write_bytes(jpeg((640, 480), gps=False))
    (site / "thoi-su" / "chinh-tri").mkdir(parents=True)
    (site / "thoi-su" / "chinh-tri" / "duyet-dai-hoi-khoi-ccq-265123.html").write_text(BAO_NGHE_AN, encoding="utf-8")
    mirrors["bao-nghe-an"] = site
    return mirrors
