"""After the import: the content check passes, the site builds, old addresses redirect through nginx,
and a second run changes nothing."""
from __future__ import annotations

import hashlib
import json
import shutil
import urllib.error
import urllib.request

from tests.support.sites import BuiltSite, build_site, free_port, nginx_serving, run_portal

from .conftest import import_mirror, import_nukeviet

ARTICLE = "/2020/06/ban-thuong-vu-duyet-dai-hoi/"


def snapshot(site) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() + str(p.stat().st_mtime_ns)
            for folder in ("content", "deploy", "import") for p in sorted((site / folder).rglob("*")) if p.is_file()}


def test_check_and_build_accept_the_imported_site(imported):
    result = run_portal("check", imported, "-s", "conf.py")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "0 cảnh báo" in result.stdout or "cảnh báo" in result.stdout
    site = build_site(imported)
    assert site.returncode == 0, site.stderr
    page = site.page(ARTICLE)
    captions = [f.get_text(" ", strip=True) for f in page.select("figure figcaption")]
    assert any("Đồng chí Thái Thanh Quý phát biểu" in c and "Ảnh: Thành Duy" in c for c in captions)
    assert page.select("table") and page.select("video")
    manifest = json.loads((site.output / "stats-manifest.json").read_text(encoding="utf-8"))
    assert manifest["offsets"]["paths"][ARTICLE] == 15527  # the old count carries on in the service
    assert "15.527" in page.get_text(" ")
    static = site.output / "news/hoat-dong/ban-thuong-vu-duyet-dai-hoi-101.html"
    assert f'content="0; url={ARTICLE}"' in static.read_text(encoding="utf-8")
    assert (site.output / "tin-tuc/2023/nang-cao-nang-luc-lanh-dao.html").is_file()


def test_second_run_changes_nothing(imported, old_portal):
    before = snapshot(imported)
    result = import_nukeviet(imported, old_portal)
    assert result.returncode == 0, result.stderr
    assert "0 bài mới, 0 bài cập nhật" in result.stdout and "0 ảnh/video chép mới" in result.stdout
    for name, folder in old_portal.mirrors.items():
        result = import_mirror(imported, folder, name)
        assert "0 bài mới, 0 bài cập nhật" in result.stdout, result.stdout
    after = snapshot(imported)
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed <= {"import/bao-cao-nukeviet.txt", *(f"import/bao-cao-mirror-{n}.txt" for n in old_portal.mirrors)}
    assert set(after) == set(before)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


def test_old_addresses_redirect_through_nginx(imported, tmp_path):
    site = BuiltSite(imported, imported / "output", 0, "", "")
    if not site.exists(ARTICLE):
        assert build_site(imported).returncode == 0
    workdir = tmp_path / "nginx"
    shutil.copytree(imported / "deploy/redirects", workdir / "portal-redirects")
    with nginx_serving(imported / "output", workdir, api_port=free_port()) as base:
        cases = {
            "/news/hoat-dong/ban-thuong-vu-duyet-dai-hoi-101.html": ARTICLE,
            "/vi/news/hoat-dong/ban-thuong-vu-duyet-dai-hoi-101.html": ARTICLE,
            "/news/tin-tuc/ban-thuong-vu-duyet-dai-hoi-101.html?fbclid=abc": ARTICLE,
            "/index.php?language=vi&nv=news&op=hoat-dong/ban-thuong-vu-duyet-dai-hoi-101": ARTICLE,
            "/index.php?language=vi&nv=news&op=hoat-dong%2Fban-thuong-vu-duyet-dai-hoi-101": ARTICLE,
            "/news/xay-dung-dang/": "/chuyen-muc/xay-dung-dang/",
            "/vi/news/xay-dung-dang/page-3": "/chuyen-muc/xay-dung-dang/",
            "/news/tag/dai-hoi": "/the/dai-hoi/",
            "/index.php?language=vi&nv=news": "/",
            "/tin-tuc/2023/nang-cao-nang-luc-lanh-dao.html": "/2023/12/nang-cao-nang-luc-lanh-dao/",
        }
        for old, new in cases.items():
            status, location = fetch(base + old)
            assert status == 301, (old, status)
            assert location.endswith(new), (old, location)
            assert fetch(base + new)[0] == 200, new
        assert fetch(base + "/news/khong-co/bai-khong-co-999.html")[0] == 404
        assert fetch(base + ARTICLE)[0] == 200
