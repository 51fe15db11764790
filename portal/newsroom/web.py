"""Request plumbing shared by the routes: sessions, CSRF, roles, pages, security headers."""
from __future__ import annotations

import hmac
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .accounts import Accounts, Session
from .roles import ROLES, STATUS_LABELS, User, allowed

COOKIE = "phong_bien_tap"
HERE = Path(__file__).parent
# The newsroom's own pages: files only, no inline script or style, nothing from elsewhere.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "media-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                        trim_blocks=True, lstrip_blocks=True)
templates.globals.update(ROLES=ROLES, STATUS_LABELS=STATUS_LABELS, allowed=allowed)


class Forbidden(HTTPException):
    def __init__(self, detail: str):
        super().__init__(403, detail)


def page(template: str, request: Request, status: int = 200, **context) -> HTMLResponse:
    session: Session | None = request.scope.get("newsroom_session")
    html = templates.get_template(template).render(
        request=request, user=session.user if session else None, csrf=session.csrf if session else "",
        root=prefix(request), **context)
    return HTMLResponse(html, status_code=status)


def secure(request: Request, configured: bool | None) -> bool:
    return configured if configured is not None else request.url.scheme == "https"


def prefix(request: Request) -> str:
    """Where nginx mounts the newsroom ("/phong-bien-tap", or "" on its own host)."""
    return request.app.state.prefix


def set_cookie(response: Response, request: Request, session: Session, max_age: int, configured: bool | None) -> None:
    response.set_cookie(COOKIE, session.token, max_age=max_age, httponly=True, samesite="strict",
                        secure=secure(request, configured), path=prefix(request) + "/")


def current(request: Request, accounts: Accounts) -> Session | None:
    session = accounts.session(request.cookies.get(COOKIE))
    request.scope["newsroom_session"] = session
    return session


def require_user(request: Request, accounts: Accounts) -> Session:
    session = current(request, accounts)
    if session is None or session.user is None:
        raise HTTPException(303, headers={"Location": f"{prefix(request)}/dang-nhap"})
    return session


async def checked_form(request: Request, session: Session | None, *, max_files: int = 0, max_fields: int = 200):
    """The submitted form, after the CSRF token (field ``csrf`` or header X-CSRF-Token) and origin are checked."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise Forbidden("Yêu cầu gửi từ trang khác: bị từ chối.")
    form = await request.form(max_files=max_files, max_fields=max_fields, max_part_size=2 * 1024 * 1024)
    token = request.headers.get("x-csrf-token") or form.get("csrf") or ""
    if session is None or not isinstance(token, str) or not hmac.compare_digest(token.encode(), session.csrf.encode()):
        raise Forbidden("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (mã chống giả mạo sai). "
                        "Hãy tải lại trang rồi thử lại.")
    return form


def require(user: User, action: str, category: str | None = None) -> None:
    if not allowed(user, action, category):
        raise Forbidden(f"Tài khoản '{user.name}' ({ROLES.get(user.role, user.role)}) không có quyền làm việc này.")


def redirect(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(f"{prefix(request)}{path}", status_code=303)


def window(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)
