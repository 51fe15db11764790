"""Settings are declared once per feature and validated at start, naming the key and the file."""
from __future__ import annotations

import pytest

from portal.core.related.settings import FEATURE as RELATED
from portal.core.settings import SettingsError, fill
from tests.support.sites import article, build_site, write_site

ARTICLE = {"articles/2024/tin.md": article("Tin thử", "2024-03-01 08:00", "Tin hoạt động")}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("RELATED_MAXX = 5", "cài đặt 'RELATED_MAXX' không tồn tại; có phải ý bạn là 'RELATED_MAX'?"),
        ('RELATED_MAX = "năm"', "cài đặt 'RELATED_MAX' = 'năm' không hợp lệ: cần một số nguyên từ 0 đến 50"),
        ("IMAGES_WEBP_QUALITY = 120", "cài đặt 'IMAGES_WEBP_QUALITY' = 120 không hợp lệ: cần một số nguyên từ 1 đến 100"),
        ("PEOPLE_DETECT = 'có'", "cài đặt 'PEOPLE_DETECT' = 'có' không hợp lệ: cần True hoặc False"),
        ("LISTINGS_HOME_LATEST = -1", "cài đặt 'LISTINGS_HOME_LATEST' = -1 không hợp lệ"),
    ],
)
def test_a_wrong_setting_stops_the_build_naming_it_and_the_file(tmp_path, line, expected):
    root = write_site(tmp_path / "site", ARTICLE, settings=line + "\n")
    site = build_site(root)
    assert site.returncode != 0
    assert f"conf.py: lỗi: {expected}" in site.stderr
    assert "Traceback" not in site.stderr
    assert not site.output.exists()


def test_every_problem_of_a_feature_is_listed_at_once():
    settings = {"RELATED_MAXX": 1, "RELATED_MIN_SCORE": "cao", "PORTAL_SETTINGS_FILE": "pelicanconf.py"}
    with pytest.raises(SettingsError) as raised:
        fill(settings, RELATED)
    message = str(raised.value)
    assert "pelicanconf.py: lỗi: cài đặt 'RELATED_MAXX'" in message
    assert "pelicanconf.py: lỗi: cài đặt 'RELATED_MIN_SCORE' = 'cao'" in message


def test_defaults_fill_only_missing_values_and_are_not_shared_between_runs():
    first, second = {"RELATED_MAX": 3}, {}
    fill(first, RELATED)
    fill(second, RELATED)
    assert first["RELATED_MAX"] == 3 and second["RELATED_MAX"] == 5
    first["RELATED_WEIGHTS"]["text"] = 0.0
    assert second["RELATED_WEIGHTS"]["text"] == 6.0


def test_each_setting_is_declared_once():
    from portal.adapters import listings, sitemap, stats
    from portal.core import check_settings
    from portal.core.images.settings import FEATURE as IMAGES
    from portal.core.people.settings import FEATURE as PEOPLE
    from portal.core.search.settings import FEATURE as SEARCH

    features = [RELATED, IMAGES, PEOPLE, SEARCH, check_settings.FEATURE, listings.FEATURE, sitemap.FEATURE, stats.FEATURE]
    names = [s.name for f in features for s in f.settings]
    assert len(names) == len(set(names))
    assert all(s.name.startswith(f.prefix) and s.meaning for f in features for s in f.settings)
