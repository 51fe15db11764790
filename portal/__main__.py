"""`python -m portal build|check|new`: the commands behind the Makefile."""
from __future__ import annotations

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "plugins"))

from . import build as build_module  # noqa: E402
from .pelican_run import load_settings, quiet_pelican_info  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal", description="Công cụ xây dựng cổng thông tin")
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="xây dựng trang vào thư mục output/")
    build_cmd.add_argument("-s", "--settings", default="pelicanconf.py")
    build_cmd.add_argument("-o", "--output", default="output")
    check_cmd = sub.add_parser("check", help="chỉ kiểm tra nội dung, không xây dựng")
    check_cmd.add_argument("-s", "--settings", default="pelicanconf.py")
    new_cmd = sub.add_parser("new", help="tạo bài viết mới (bản nháp)")
    new_cmd.add_argument("--title", required=True, help="tiêu đề bài viết")
    new_cmd.add_argument("--category", required=True, help="chuyên mục")
    new_cmd.add_argument("--new-category", action="store_true", help="cho phép mở chuyên mục mới")
    new_cmd.add_argument("-s", "--settings", default="pelicanconf.py")
    links_cmd = sub.add_parser("linkcheck", help="kiểm tra mọi liên kết nội bộ trong trang đã xây dựng")
    links_cmd.add_argument("output", nargs="?", default="output")
    links_cmd.add_argument("--site-url", default=os.environ.get("SITEURL", ""))
    args = parser.parse_args(argv)
    quiet_pelican_info()
    if args.command == "build":
        return build_module.build(args.settings, args.output)
    if args.command == "new":
        from . import new
        return new.main(load_settings(args.settings), args.title, args.category, args.new_category)
    if args.command == "linkcheck":
        from . import linkcheck
        return linkcheck.main(args.output, args.site_url)
    return build_module.check(args.settings)


if __name__ == "__main__":
    sys.exit(main())
