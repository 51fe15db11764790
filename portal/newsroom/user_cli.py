"""`python -m portal.newsroom.user_cli NAME ROLE` (make newsroom-user): create or change an account.

The password is typed twice (never echoed), or read from NEWSROOM_PASSWORD for scripts.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from .accounts import Accounts, AccountError
from .config import Config, ConfigError
from .roles import ROLES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make newsroom-user", description="Tạo hoặc sửa tài khoản phòng biên tập")
    parser.add_argument("user", help="tên đăng nhập")
    parser.add_argument("role", choices=list(ROLES), help="vai trò")
    parser.add_argument("--categories", default="", help="biên tập viên: các chuyên mục được đăng, cách nhau bởi dấu phẩy")
    parser.add_argument("--display", default="", help="tên hiển thị (tác giả của commit)")
    parser.add_argument("--keep-password", action="store_true", help="chỉ đổi vai trò, giữ mật khẩu")
    args = parser.parse_args(argv)
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 2
    password = None
    if not args.keep_password:
        password = os.environ.get("NEWSROOM_PASSWORD")
        if password is None:
            password = getpass.getpass("Mật khẩu: ")
            if getpass.getpass("Nhập lại mật khẩu: ") != password:
                print("lỗi: hai lần nhập mật khẩu không giống nhau", file=sys.stderr)
                return 1
    categories = tuple(c.strip() for c in args.categories.split(",") if c.strip())
    try:
        created = Accounts(config.data / "newsroom.sqlite3").set_user(
            args.user, args.role, password, categories, args.display)
    except AccountError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    scope = f" (chuyên mục: {', '.join(categories)})" if categories else ""
    print(f"Đã {'tạo' if created else 'cập nhật'} tài khoản '{args.user}' với vai trò {ROLES[args.role]}{scope}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
