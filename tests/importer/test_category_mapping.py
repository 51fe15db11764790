"""The category mapping file: parents merged on request, editors' choices applied on the next run."""
from __future__ import annotations

from tests.support.sites import run_portal

from .conftest import import_nukeviet, new_site
from .test_nukeviet_import import header

ARTICLE = "content/articles/2020/ban-thuong-vu-duyet-dai-hoi.md"


def test_parents_merged_then_mapping_edited(tmp_path, old_portal):
    site = new_site(tmp_path / "site")
    assert import_nukeviet(site, old_portal, "--parents", "gop").returncode == 0
    assert header(site / ARTICLE)["Category"] == "Tin tức"  # "Hoạt động Đảng ủy" merged into its parent
    mapping = site / "import/chuyen-muc-nukeviet.toml"
    text = mapping.read_text(encoding="utf-8")
    assert 'cap_cha = "gop"' in text
    mapping.write_text(text.replace('alias = "hoat-dong"\ncha = 1\nmoi = "Tin tức"',
                                    'alias = "hoat-dong"\ncha = 1\nmoi = "Tin hoạt động"'), encoding="utf-8")
    result = import_nukeviet(site, old_portal)
    assert result.returncode == 0, result.stderr
    assert "1 bài cập nhật" in result.stdout
    assert header(site / ARTICLE)["Category"] == "Tin hoạt động"
    assert 'moi = "Tin hoạt động"' in mapping.read_text(encoding="utf-8")
    # the one-file check accepts what the importer wrote
    result = run_portal("check", site, "-s", "conf.py", ARTICLE)
    assert result.returncode == 0, result.stderr + result.stdout
    mapping.write_text("cap_cha = [", encoding="utf-8")
    result = import_nukeviet(site, old_portal)
    assert result.returncode == 2 and f"tệp ánh xạ chuyên mục {mapping} sai cú pháp TOML" in result.stderr
