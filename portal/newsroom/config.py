"""The newsroom's settings, read once from environment variables."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(ValueError):
    """An environment variable has a value the newsroom cannot use."""


DEPLOY_KINDS = ("none", "dir", "rsync", "git")


@dataclass(frozen=True)
class Config:
    repo: Path = Path(".")  # the project checkout: settings file, content/, git
    data: Path = Path(".newsroom")  # accounts, sessions, autosaved drafts, logs (never in git)
    settings_file: str = "pelicanconf.py"  # read for categories, the check and the preview
    build_settings: str = "pelicanconf.py"  # what `Đăng bài` builds with (publishconf.py in production)
    output: Path = Path("output")
    deploy: str = "none"  # none | dir:/var/www/portal | rsync:user@host:/path/ | git[:remote]
    secure_cookie: bool | None = None  # None: only when the request came over HTTPS
    session_hours: float = 12.0
    login_limit_account: int = 5  # failed logins per account per window
    login_limit_address: int = 20  # failed logins per address per window
    login_window_minutes: float = 15.0
    max_photo_bytes: int = 25 * 1024 * 1024
    max_video_bytes: int = 300 * 1024 * 1024
    page_size: int = 50
    build_timeout: int = 3600
    build_env: dict = field(default_factory=dict)

    @property
    def settings_path(self) -> Path:
        return self.repo / self.settings_file

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Config":
        env = os.environ if environ is None else environ

        def text(name: str, default: str) -> str:
            return env.get(name, "").strip() or default

        def number(name: str, default: float, kind=int):
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = kind(raw)
            except ValueError:
                raise ConfigError(f"{name}={raw!r}: phải là số") from None
            if value <= 0:
                raise ConfigError(f"{name}={raw!r}: phải lớn hơn 0")
            return value

        repo = Path(text("NEWSROOM_CONTENT", os.getcwd())).resolve()
        settings_file = text("NEWSROOM_SETTINGS", "pelicanconf.py")
        if not (repo / settings_file).is_file():
            raise ConfigError(f"không thấy tệp cài đặt {repo / settings_file} (NEWSROOM_CONTENT, NEWSROOM_SETTINGS)")
        deploy = text("NEWSROOM_DEPLOY", "none")
        if deploy.split(":", 1)[0] not in DEPLOY_KINDS:
            raise ConfigError(f"NEWSROOM_DEPLOY={deploy!r}: chỉ nhận none, dir:/thư/mục, rsync:máy:/thư/mục/ hoặc git[:remote]")
        secure = env.get("NEWSROOM_SECURE_COOKIE", "").strip().lower()
        output = Path(text("NEWSROOM_OUTPUT", "output"))
        return cls(
            repo=repo,
            data=Path(text("NEWSROOM_DATA", str(repo / ".newsroom"))).resolve(),
            settings_file=settings_file,
            build_settings=text("NEWSROOM_BUILD_SETTINGS", settings_file),
            output=output if output.is_absolute() else repo / output,
            deploy=deploy,
            secure_cookie={"1": True, "true": True, "0": False, "false": False}.get(secure),
            session_hours=number("NEWSROOM_SESSION_HOURS", cls.session_hours, float),
            login_limit_account=number("NEWSROOM_LOGIN_LIMIT", cls.login_limit_account),
            login_limit_address=number("NEWSROOM_LOGIN_LIMIT_ADDRESS", cls.login_limit_address),
            login_window_minutes=number("NEWSROOM_LOGIN_WINDOW_MINUTES", cls.login_window_minutes, float),
            max_photo_bytes=number("NEWSROOM_MAX_PHOTO_MB", 25) * 1024 * 1024,
            max_video_bytes=number("NEWSROOM_MAX_VIDEO_MB", 300) * 1024 * 1024,
        )
