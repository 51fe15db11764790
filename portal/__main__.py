"""`python -m portal build|check|new`: the commands behind the Makefile."""
from __future__ import annotations

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "plugins"))

from . import build as build_module  # noqa: E402
from .pelican_run import quiet_pelican_info  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal", description="Công cụ xây dựng cổng thông tin")
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="xây dựng trang vào thư mục output/")
    build_cmd.add_argument("-s", "--settings", default="pelicanconf.py")
    build_cmd.add_argument("-o", "--output", default="output")
    check_cmd = sub.add_parser("check", help="chỉ kiểm tra nội dung, không xây dựng")
    check_cmd.add_argument("-s", "--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    quiet_pelican_info()
    if args.command == "build":
        return build_module.build(args.settings, args.output)
    return build_module.check(args.settings)


if __name__ == "__main__":
    sys.exit(main())
