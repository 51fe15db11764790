"""Wrong password, unreachable server, missing table or column: a clear message, nothing written."""
from __future__ import annotations

from urllib.parse import quote

from tests.support.sites import free_port, run_portal

from . import samples
from .conftest import import_nukeviet, new_site
from .mariadb import DATABASE, PASSWORD, USER


def files(site):
    return sorted(p.relative_to(site) for p in site.rglob("*"))


def run(site, url, prefix=samples.PREFIX, uploads=None):
    return run_portal("import", site, "nukeviet", "--db", url, "--prefix", prefix, "--uploads", str(uploads or site))


def test_wrong_password_and_unreachable_server(tmp_path, old_portal):
    site = new_site(tmp_path / "site")
    before = files(site)
    port = old_portal.server.port
    result = run(site, f"mysql://{USER}:sai-mat-khau@127.0.0.1:{port}/{DATABASE}")
    assert result.returncode == 2
    assert f"lỗi: máy chủ 127.0.0.1:{port} từ chối đăng nhập của '{USER}': sai tên đăng nhập hoặc mật khẩu" in result.stderr
    assert "sai-mat-khau" not in result.stderr and "Traceback" not in result.stderr
    closed = free_port()
    result = run(site, f"mysql://{USER}:{quote(PASSWORD)}@127.0.0.1:{closed}/{DATABASE}")
    assert result.returncode == 2
    assert f"không kết nối được máy chủ cơ sở dữ liệu 127.0.0.1:{closed}" in result.stderr
    result = run(site, f"mysql://{USER}:{quote(PASSWORD)}@127.0.0.1:{port}/khong_co")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = run(site, "postgres://a@b/c")
    assert result.returncode == 2 and "sai dạng" in result.stderr
    assert files(site) == before


def test_missing_table_or_column_names_it(tmp_path, old_portal):
    site = new_site(tmp_path / "site")
    before = files(site)
    result = run(site, old_portal.url, prefix="nv4_vi_tintuc")
    assert result.returncode == 2
    assert "cơ sở dữ liệu không có bảng nv4_vi_tintuc_rows, nv4_vi_tintuc_detail, nv4_vi_tintuc_cat" in result.stderr
    # An older NukeViet: the body is not in _detail.bodyhtml.
    old_portal.server.root_sql(
        f"USE {DATABASE};\n"
        "CREATE TABLE nv3_vi_news_rows LIKE nv4_vi_news_rows;\n"
        "CREATE TABLE nv3_vi_news_cat LIKE nv4_vi_news_cat;\n"
        "CREATE TABLE nv3_vi_news_detail (id int unsigned NOT NULL, bodytext longtext, PRIMARY KEY (id));\n")
    result = run(site, old_portal.url, prefix="nv3_vi_news")
    assert result.returncode == 2
    assert "bảng nv3_vi_news_detail thiếu cột bodyhtml (cơ sở dữ liệu của phiên bản NukeViet khác?)" in result.stderr
    result = run(site, old_portal.url, uploads=tmp_path / "khong-co")
    assert result.returncode == 2 and f"không có thư mục ảnh cũ {tmp_path / 'khong-co'}" in result.stderr
    assert files(site) == before


def test_not_a_site_folder(tmp_path, old_portal):
    (tmp_path / "empty").mkdir()
    result = import_nukeviet(tmp_path / "empty", old_portal)
    assert result.returncode == 2 and "không có thư mục content/" in result.stderr
