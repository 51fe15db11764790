"""Fixtures: sites built once per session by the real CLI, and a browser."""
from __future__ import annotations

import pytest

from tests.support.sites import BuiltSite, CHROMIUM, CHROMIUM_ARGS, PHONE, ROOT, SITE_URL, publish_demo, run_portal


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> BuiltSite:
    """The repository's own sample content, built with its pelicanconf."""
    root = tmp_path_factory.mktemp("sample")
    settings = root / "conf.py"
    # The counting service does not run beside it (test_browser_stats covers that).
    settings.write_text(f"from pelicanconf import *\nPATH = {str(ROOT / 'content')!r}\nSTATS_ENABLED = False\n",
                        encoding="utf-8")
    result = run_portal("build", ROOT, "-s", str(settings), "-o", str(root / "output"))
    site = BuiltSite(ROOT, root / "output", result.returncode, result.stdout, result.stderr)
    assert site.returncode == 0, site.stderr
    return site


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page that records console errors and failed requests."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    page.console_errors = []
    page.external_requests = []
    page.failed_responses = []
    page.on("response", lambda r: r.status >= 400 and page.failed_responses.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("request", lambda r: not r.url.startswith(("http://127.0.0.1", "data:")) and page.external_requests.append(r.url))
    yield page
    context.close()


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> BuiltSite:
    return publish_demo(tmp_path_factory.mktemp("published"), SITE_URL)
