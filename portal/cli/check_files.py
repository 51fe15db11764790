"""`python -m portal check PATH…`: check just these files, without Pelican (see portal.core.check)."""
from __future__ import annotations

import sys

from portal.core.check import check_files
from portal.core.settings import SettingsError
from portal.core.site import Site


def main(settings_file: str, paths: list[str]) -> int:
    try:
        site = Site.load(settings_file)
    except (OSError, SettingsError) as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    found = check_files(site, paths)
    for problem in found:
        print(problem.format(), file=sys.stderr)
    errors = sum(1 for p in found if p.severity == "error")
    warnings = sum(1 for p in found if p.severity == "warning")
    if errors:
        print(f"Kiểm tra thấy {errors} lỗi, {warnings} cảnh báo trong {len(paths)} tệp.", file=sys.stderr)
        return 1
    print(f"Hợp lệ: {len(paths)} tệp, {warnings} cảnh báo.")
    return 0
