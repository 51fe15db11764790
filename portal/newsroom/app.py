"""Routes of the newsroom (see docs/huong-dan-bien-tap.md for what editors see)."""
from __future__ import annotations

import json
import logging
import math
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from portal.core import schema, workflow
from portal.core.article import parse_source
from portal.core.images.sources import SourceError, resolve
from portal.core.people.registry import load_registry

from . import articlefile, web
from .accounts import Accounts, AccountError, system_clock
from .articlefile import ArticleForm
from .checking import Checker
from .config import Config
from .index import ArticleIndex
from .preview import Previewer, related_items
from .publish import BuildQueue
from .roles import User
from .store import Drafts, GitError, PathRefused, Repository, digest, inside, write_atomic
from .uploads import UploadRefused, check_and_store, figure_markdown, scratch_file
from .workflow import Workflow
from . import workflow_routes

log = logging.getLogger("portal.newsroom")
Clock = Callable[[], datetime]
BOM = "\ufeff"


class SecurityHeaders:
    """Pure ASGI middleware: the same headers on every answer, errors included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in web.SECURITY_HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)


class People:
    """The registry for the Nhân vật picker: names with their current role, reloaded when the folder changes."""

    def __init__(self, folder: Path, zone: ZoneInfo):
        self.folder, self.zone = folder, zone
        self._stamp: tuple = ()
        self.choices: list[tuple[str, str]] = []

    def list(self) -> list[tuple[str, str]]:
        files = sorted(self.folder.glob("*.md")) if self.folder.is_dir() else []
        stamp = tuple((p.name, p.stat().st_mtime_ns) for p in files)
        if stamp != self._stamp:
            people, _problems = load_registry((str(p), p.read_text(encoding="utf-8", errors="replace")) for p in files)
            today = datetime.now(self.zone).date()
            self.choices = sorted(((p.name, p.role_on(today)) for p in people), key=lambda c: schema.slugify(c[0]))
            self._stamp = stamp
        return self.choices


class Newsroom:
    def __init__(self, config: Config, clock: Clock = system_clock):
        self.config = config
        self.clock = clock
        self.accounts = Accounts(config.data / "newsroom.sqlite3", clock, config.session_hours)
        self.checker = Checker(config.settings_path)
        settings = self.checker.settings
        self.site_settings = settings
        content = Path(settings.get("PATH") or config.repo / "content")
        self.content_root = content.resolve()
        self.articles_root = self.content_root / (settings.get("ARTICLE_PATHS") or ["articles"])[0]
        self.zone = ZoneInfo(settings.get("TIMEZONE", "Asia/Ho_Chi_Minh"))
        self.index = ArticleIndex(self.articles_root, self.zone)
        self.people = People(self.content_root / settings.get("PEOPLE_PATH", "people"), self.zone)
        self.repo = Repository(config.repo)
        self.drafts = Drafts(config.data / "ban-luu-tam")
        self.builds = BuildQueue(config)
        self._previewer: Previewer | None = None

    @property
    def previewer(self) -> Previewer:
        if self._previewer is None:  # loads Pelican and the theme: only when first needed
            self._previewer = Previewer(self.config.settings_path, self.config.data / "xem-truoc")
        return self._previewer

    def categories(self) -> list[str]:
        names = set(self.index.facets()[0])
        declared = self.site_settings.get("CATEGORIES")
        if declared:
            names |= {c if isinstance(c, str) else c[0] for c in declared}
        prefix = "/" + self.site_settings.get("CATEGORY_URL", "chuyen-muc/{slug}/").split("{", 1)[0]
        names |= {label for label, url in self.site_settings.get("MENU", []) if url.startswith(prefix) and url != prefix}
        return sorted(names, key=schema.slugify)

    def article_url(self, slug: str, date: datetime) -> str:
        return self.site_settings.get("ARTICLE_URL", "{date:%Y}/{date:%m}/{slug}/").format(slug=slug, date=date)

    def now_local(self) -> datetime:
        return self.clock().astimezone(self.zone)


def create_app(config: Config | None = None, clock: Clock = system_clock, prefix: str | None = None) -> Starlette:
    import os

    config = config or Config.from_env()
    room = Newsroom(config, clock)
    room.flow = flow = Workflow(room)  # issue 14: rights, locks, statuses, audit (portal/newsroom/workflow.py)
    accounts = room.accounts

    # Pages ------------------------------------------------------------------
    async def login_page(request: Request):
        session = web.current(request, accounts)
        if session and session.user:
            return web.redirect(request, "/")
        return _login_form(request, session)

    def _login_form(request: Request, session, message: str = "", status: int = 200, name: str = ""):
        fresh = session is None
        if fresh:
            session = accounts.new_session(None)
            request.scope["newsroom_session"] = session
        response = web.page("login.html", request, status, message=message, name=name)
        if fresh:
            web.set_cookie(response, request, session, 2 * 3600, config.secure_cookie)
        return response

    async def login(request: Request):
        session = web.current(request, accounts)
        form = await web.checked_form(request, session)
        name = str(form.get("ten", "")).strip()[:100]
        password = str(form.get("mat_khau", ""))[:1000]
        address = request.client.host if request.client else "?"
        span = web.window(config.login_window_minutes)
        if (accounts.failures("account", name.lower(), span) >= config.login_limit_account
                or accounts.failures("address", address, span) >= config.login_limit_address):
            minutes = math.ceil(config.login_window_minutes)
            return _login_form(request, session, f"Đăng nhập sai quá nhiều lần. Hãy chờ khoảng {minutes} phút rồi thử lại, "
                               "hoặc nhờ quản trị đặt lại mật khẩu.", 429, name)
        user = accounts.verify(name, password)
        if user is None:
            accounts.record_failure("account", name.lower())
            accounts.record_failure("address", address)
            return _login_form(request, session, "Tên đăng nhập hoặc mật khẩu không đúng.", 401, name)
        accounts.clear_failures("account", name.lower())
        accounts.end_session(session.token)  # never keep the pre-login id: no session fixation
        fresh = accounts.new_session(user)
        response = web.redirect(request, "/")
        web.set_cookie(response, request, fresh, int(config.session_hours * 3600), config.secure_cookie)
        return response

    async def logout(request: Request):
        session = web.current(request, accounts)
        await web.checked_form(request, session)
        accounts.end_session(session.token)
        response = web.redirect(request, "/dang-nhap")
        response.delete_cookie(web.COOKIE, path=web.prefix(request) + "/")
        return response

    async def password_page(request: Request):
        web.require_user(request, accounts)
        return web.page("password.html", request)

    async def change_password(request: Request):
        session = web.require_user(request, accounts)
        form = await web.checked_form(request, session)
        new = str(form.get("mat_khau_moi", ""))
        if new != str(form.get("nhap_lai", "")):
            return web.page("password.html", request, 422, message="Hai lần nhập mật khẩu mới không giống nhau.")
        try:
            accounts.change_password(session.user.name, str(form.get("mat_khau_cu", "")), new)
        except AccountError as exc:
            return web.page("password.html", request, 422, message=f"Chưa đổi được: {exc}.")
        # Other sessions end with the old password; this one continues under a new id.
        accounts.end_session(session.token)
        fresh = accounts.new_session(session.user)
        request.scope["newsroom_session"] = fresh
        response = web.page("password.html", request, done=True)
        web.set_cookie(response, request, fresh, int(config.session_hours * 3600), config.secure_cookie)
        return response

    async def article_list(request: Request):
        web.require_user(request, accounts)
        q = request.query_params
        try:
            year = int(q.get("nam", "") or 0) or None
            number = max(1, int(q.get("trang", "1") or 1))
        except ValueError:
            raise HTTPException(400, "Tham số không hợp lệ.") from None
        found = room.index.search(q.get("q", "")[:200], q.get("trang-thai", ""), q.get("chuyen-muc", ""),
                                  q.get("tac-gia", ""), year)
        size = config.page_size
        pages = max(1, math.ceil(len(found) / size))
        number = min(number, pages)
        categories, authors, years, _tags = room.index.facets()
        return web.page("list.html", request, entries=found[(number - 1) * size: number * size], total=len(found),
                        number=number, pages=pages, query=q, categories=categories, authors=authors, years=years,
                        saved=q.get("da-luu"))

    def _form_page(request: Request, form: ArticleForm, *, rel: str = "", base_hash: str = "", problems=None,
                   message: str = "", status: int = 200, restorable: dict | None = None, saved: str = ""):
        session: web.Session = request.scope["newsroom_session"]
        by_field: dict[str, list] = {}
        general = []
        for problem in problems or []:
            (by_field.setdefault(problem[0], []) if problem[0] else general).append(problem)
        categories = room.categories()
        if form.category and form.category not in categories:
            categories = [form.category, *categories]
        people = room.people.list()
        known = {name for name, _ in people}
        people = people + [(name, "") for name in form.people if name not in known]
        by_slug = room.index.by_slug()
        related = [(slug, by_slug[slug].title if slug in by_slug else slug) for slug in form.related]
        entry = room.index.get(rel) if rel else None
        return web.page(
            "form.html", request, status, form=form, rel=rel, base_hash=base_hash, by_field=by_field, general=general,
            message=message, categories=categories, people=people, related=related,
            tags=room.index.facets()[3][:500], restorable=restorable, saved=saved, entry=entry,
            can_publish=flow.rights.allowed(session.user, "publish", form.category),
            can_unpublish=flow.rights.allowed(session.user, "unpublish", form.category),
            article_url=room.article_url(entry.slug, entry.date) if entry and entry.date and not entry.draft else "",
            **flow.form_context(session.user, rel, entry, form, take_lock=status != 409),
        )

    async def new_article(request: Request):
        session = web.require_user(request, accounts)
        flow.rights.require(session.user, "write")
        form = ArticleForm(date=room.now_local().strftime(articlefile.FORM_DATE), author=session.user.shown)
        restorable = None
        saved = room.drafts.load(session.user.name, "")
        if saved and request.query_params.get("khoi-phuc"):
            form = ArticleForm.from_post(saved["form"])
        elif saved:
            restorable = saved
        return _form_page(request, form, restorable=restorable)

    def _read(rel: str) -> tuple[Path, bytes]:
        try:
            path = inside(room.articles_root, rel)
        except PathRefused:
            raise HTTPException(400, "Đường dẫn bài viết không hợp lệ (nằm ngoài thư mục bài viết).") from None
        try:
            return path, path.read_bytes()
        except OSError:
            raise HTTPException(404, "Không tìm thấy bài viết này (có thể đã bị xóa hoặc đổi tên).") from None

    async def edit_article(request: Request):
        session = web.require_user(request, accounts)
        rel = request.query_params.get("tep", "")
        path, data = _read(rel)
        text = data.decode("utf-8-sig", errors="replace")
        source = parse_source(str(path), text)
        form = ArticleForm.from_values(source.values, source.body)
        restorable = None
        saved = room.drafts.load(session.user.name, rel)
        if saved and saved.get("hash") == digest(data):
            if request.query_params.get("khoi-phuc"):
                form = ArticleForm.from_post(saved["form"])
            else:
                restorable = saved
        # What the build will say of the file as saved: a warning (markup it leaves out, a role that
        # differs from the registry's) shows next to its field after every save, not only in the build.
        problems = [(articlefile.field_of_line(source, line), message, "error") for line, message in source.problems] \
            or _checked(path, text)
        return _form_page(request, form, rel=rel, base_hash=digest(data), problems=problems,
                          restorable=restorable, saved=request.query_params.get("da-luu", ""))

    def _checked(path: Path, text: str) -> list[tuple[str, str, str]]:
        """The build's one-file check of ``text`` saved as ``path``: each problem by the form's field."""
        text = text.lstrip(BOM)
        found = room.checker.check(path, text, room.index)
        if not found:
            return []
        source = parse_source(str(path), text)
        return [(articlefile.field_of_line(source, p.line), p.message, p.severity) for p in found]

    def _compose(rel: str, form: ArticleForm) -> tuple[Path, str, bytes | None]:
        """The article's path, its new text, and its bytes on disk now (None for a new article)."""
        if rel:
            path, data = _read(rel)
            original = data.decode("utf-8-sig", errors="replace")
            text = articlefile.apply(original, form)
            if data.startswith(BOM.encode()):
                text = BOM + text
            return path, text, data
        return _new_path(form), articlefile.render_new(form), None

    def _new_path(form: ArticleForm) -> Path:
        try:
            year = datetime.strptime(form.date, articlefile.FORM_DATE).year
        except ValueError:
            year = room.now_local().year
        stem = schema.slugify(form.title)[:100].strip("-") or "bai-moi"
        path = room.articles_root / str(year) / f"{stem}.md"
        number = 1
        while path.exists():
            number += 1
            path = room.articles_root / str(year) / f"{stem}-{number}.md"
        return path

    def _field_problems(form: ArticleForm) -> list[tuple[str, str, str]]:
        found = []
        if not form.title:
            found.append(("title", "Chưa có tiêu đề.", "error"))
        if not form.category:
            found.append(("category", "Hãy chọn một chuyên mục.", "error"))
        elif form.category not in room.categories():
            found.append(("category", f"Chuyên mục '{form.category}' không có trên trang; hãy chọn trong danh sách.", "error"))
        try:
            datetime.strptime(form.date, articlefile.FORM_DATE)
        except ValueError:
            found.append(("date", "Ngày đăng chưa đúng; hãy chọn ngày và giờ.", "error"))
        if form.image:
            try:
                resolve(form.image, room.content_root, room.articles_root / "x.md")
            except SourceError as exc:
                found.append(("image", f"Ảnh đại diện: {exc}.", "error"))
        return found

    async def save(request: Request, action: str):
        session = web.require_user(request, accounts)
        data = await web.checked_form(request, session)
        user: User = session.user
        flow.rights.require(user, "write")
        rel = str(data.get("tep", ""))
        form = ArticleForm.from_post(data)
        entry = None
        if rel:
            _read(rel)  # refuses paths outside the articles folder before anything else
            entry = room.index.get(rel)
        old_status = entry.status if entry else workflow.DRAFT
        old_category = entry.category if entry else None
        if old_status not in workflow.NOT_PUBLIC:
            flow.rights.require(user, "edit_published", old_category)
        if action == "publish":
            flow.rights.require(user, "publish", form.category)
            form.status = workflow.PUBLISHED
        elif action == "unpublish":
            flow.rights.require(user, "unpublish", old_category or form.category)
            form.status = workflow.WITHDRAWN
        else:
            form.status = old_status
        step = flow.prepare(user, rel, entry, form, data, action)
        base_hash = str(data.get("base_hash", ""))
        if step.refusal:
            flow.keep_typing(user, rel, form, base_hash)
            return _form_page(request, form, rel=rel, base_hash=base_hash, status=409, message=step.refusal)
        problems = _field_problems(form) + step.problems
        path, text, on_disk = _compose(rel, form)
        text = flow.apply(text, step)
        if entry is not None and not entry.draft:
            text = articlefile.keep_address(text, entry.slug)
        if on_disk is not None and digest(on_disk) != base_hash:
            return _form_page(request, form, rel=rel, base_hash=base_hash, status=409, message=(
                "Bài này vừa được sửa ở nơi khác (trong phòng biên tập hoặc trực tiếp trong tệp) sau khi bạn mở nó, "
                "nên chưa lưu để không ghi đè. Nội dung bạn gõ vẫn còn dưới đây: hãy chép phần đã sửa, "
                "mở lại bài (tải lại trang) rồi sửa lại."))
        if not problems:
            problems = _checked(path, text)
        if any(severity == "error" for _f, _m, severity in problems):
            return _form_page(request, form, rel=rel, base_hash=base_hash, problems=problems, status=422,
                              message="Chưa lưu: hãy sửa các lỗi được đánh dấu bên dưới.")
        new_rel = path.relative_to(room.articles_root).as_posix()
        changed = on_disk is None or text.encode() != on_disk
        commit = None
        if changed:
            write_atomic(path, text.encode("utf-8"))
            media = _new_media(text)
            verb = step.verb or {"publish": "Đăng bài", "unpublish": "Gỡ bài"}.get(action, "Thêm bài" if on_disk is None else "Sửa bài")
            try:
                commit = room.repo.commit([path, *media], f"{verb}: {form.title}\n\nPhòng biên tập, {user.shown} ({user.name}).", user)
            except GitError as exc:
                log.error("git: %s", exc)
                return _form_page(request, form, rel=new_rel, base_hash=digest(text.encode()), status=500,
                                  message=f"Đã ghi tệp nhưng chưa ghi được vào lịch sử (git): {exc}")
        room.drafts.drop(user.name, rel)
        room.index.refresh(force=True)
        flow.done(user, new_rel, form.title, step, commit)
        if step.build:
            room.builds.request(step.build)
        if step.verb:
            return web.redirect(request, f"/viec-cua-toi?xong={action}")
        if action in ("publish", "unpublish"):
            room.builds.request(f"{'Đăng' if action == 'publish' else 'Gỡ'}: {form.title}")
            return web.redirect(request, "/xuat-ban")
        flag = "1" if commit or changed else "0"
        return web.redirect(request, f"/bai/sua?tep={new_rel}&da-luu={flag}")

    def _new_media(text: str) -> list[Path]:
        """Photos and videos the text refers to that git does not track yet (uploaded for this article)."""
        candidates = []
        for src in set(_media_srcs(text)):
            try:
                candidates.append(resolve(src, room.content_root, room.articles_root / "x.md"))
            except SourceError:
                continue
        return room.repo.untracked(candidates)

    async def save_route(request: Request):
        return await save(request, "save")

    async def publish_route(request: Request):
        return await save(request, "publish")

    async def unpublish_route(request: Request):
        return await save(request, "unpublish")

    async def autosave(request: Request):
        session = web.require_user(request, accounts)
        data = await web.checked_form(request, session)
        rel = str(data.get("tep", ""))
        if rel:
            _read(rel)
        fields = {key: data.getlist(key) if key in ("people", "related") else data.get(key)
                  for key in ("title", "category", "date", "summary", "body", "author", "source", "tags", "people",
                              "related", "image", "featured") if key in data}
        room.drafts.save(session.user.name, rel, {"form": fields, "hash": str(data.get("base_hash", "")),
                                                   "saved": room.now_local().strftime("%H:%M %d/%m/%Y")})
        return JSONResponse({"ok": True, "saved": room.now_local().strftime("%H:%M:%S")})

    async def preview(request: Request):
        session = web.require_user(request, accounts)
        data = await web.checked_form(request, session)
        rel = str(data.get("tep", ""))
        form = ArticleForm.from_post(data)
        form.status = room.index.get(rel).status if rel and room.index.get(rel) else workflow.DRAFT
        path, text, _ = _compose(rel, form)
        by_slug = room.index.by_slug()
        related = related_items([by_slug[s] for s in form.related if s in by_slug], room.site_settings.get(
            "ARTICLE_URL", "{date:%Y}/{date:%m}/{slug}/"))
        html, _problems = room.previewer.render(path.relative_to(room.articles_root).as_posix(), text.lstrip(BOM), related)
        return HTMLResponse(html)

    async def preview_file(request: Request):
        web.require_user(request, accounts)
        found = room.previewer.file(request.path_params["path"])
        if found is None:
            raise HTTPException(404, "Không có tệp này.")
        return FileResponse(found)

    async def upload(request: Request):
        session = web.require_user(request, accounts)
        flow.rights.require(session.user, "write")
        declared = request.headers.get("content-length", "")
        limit = config.max_video_bytes + 1024 * 1024
        if declared.isdigit() and int(declared) > limit:
            return JSONResponse({"ok": False, "message": f"Tệp quá lớn (tối đa {config.max_video_bytes // 1048576} MB)."}, 413)
        data = await web.checked_form(request, session, max_files=1)
        upload_file = data.get("tep")
        if upload_file is None or isinstance(upload_file, str):
            return JSONResponse({"ok": False, "message": "Chưa chọn tệp ảnh hoặc video."}, 400)
        scratch = scratch_file(config.data / "tai-len")
        try:
            copied = 0
            with open(scratch, "wb") as out:
                while chunk := await upload_file.read(1 << 20):
                    copied += len(chunk)
                    if copied > limit:
                        raise UploadRefused(f"Tệp quá lớn (tối đa {config.max_video_bytes // 1048576} MB).")
                    out.write(chunk)
            try:
                year = int(str(data.get("nam", "")) or room.now_local().year)
            except ValueError:
                year = room.now_local().year
            year = min(max(year, 1990), 2100)
            stored = check_and_store(
                scratch, Path(upload_file.filename or "").name, room.content_root, year,
                {"photo": config.max_photo_bytes, "video": config.max_video_bytes},
                room.site_settings.get("IMAGES_MAX_PIXELS", 100_000_000))
        except UploadRefused as exc:
            return JSONResponse({"ok": False, "message": str(exc)}, 400)
        finally:
            scratch.unlink(missing_ok=True)
        caption = " ".join(str(data.get("chu_thich", "")).split())
        credit = " ".join(str(data.get("tac_gia_anh", "")).split())
        return JSONResponse({"ok": True, "src": stored.src, "kind": stored.kind,
                             "markdown": figure_markdown(stored.src, schema.nfc(caption), schema.nfc(credit), stored.kind)})

    async def suggest_related(request: Request):
        web.require_user(request, accounts)
        query = request.query_params.get("q", "")[:200]
        if len(query.strip()) < 2:
            return JSONResponse([])
        found = [e for e in room.index.search(query) if not e.draft][:20]
        return JSONResponse([{"slug": e.slug, "title": e.title, "date": e.date.strftime("%d/%m/%Y") if e.date else ""}
                             for e in found])

    async def build_page(request: Request):
        web.require_user(request, accounts)
        state = room.builds.state()
        for run in (state["current"], state["last"]):
            for key in ("started", "finished"):
                if run and run[key]:
                    run[key + "_local"] = datetime.fromisoformat(run[key]).astimezone(room.zone).strftime("%H:%M:%S %d/%m/%Y")
        return web.page("build.html", request, state=state)

    async def build_state(request: Request):
        web.require_user(request, accounts)
        return JSONResponse(room.builds.state())

    async def http_error(request: Request, exc: HTTPException):
        if exc.status_code in (301, 302, 303, 307) and exc.headers:
            return Response(status_code=exc.status_code, headers=exc.headers)
        wants_json = "application/json" in request.headers.get("accept", "") or request.url.path.startswith("/goi-y")
        if wants_json:
            return JSONResponse({"ok": False, "message": exc.detail}, exc.status_code)
        return web.page("error.html", request, exc.status_code, message=exc.detail)

    routes = [
        Route("/", article_list),
        Route("/dang-nhap", login_page, methods=["GET"]),
        Route("/dang-nhap", login, methods=["POST"]),
        Route("/dang-xuat", logout, methods=["POST"]),
        Route("/mat-khau", password_page, methods=["GET"]),
        Route("/mat-khau", change_password, methods=["POST"]),
        Route("/bai/moi", new_article, methods=["GET"]),
        Route("/bai/sua", edit_article, methods=["GET"]),
        Route("/bai/luu", save_route, methods=["POST"]),
        Route("/bai/dang", publish_route, methods=["POST"]),
        Route("/bai/go", unpublish_route, methods=["POST"]),
        Route("/bai/tu-luu", autosave, methods=["POST"]),
        Route("/bai/xem-truoc", preview, methods=["POST"]),
        Route("/xem-truoc/trang/{path:path}", preview_file, methods=["GET"]),
        Route("/tai-len", upload, methods=["POST"]),
        Route("/goi-y/tin", suggest_related, methods=["GET"]),
        Route("/xuat-ban", build_page, methods=["GET"]),
        Route("/xuat-ban/trang-thai", build_state, methods=["GET"]),
        *workflow_routes.routes(room, accounts, save),
        Mount("/tinh", StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                    exception_handlers={HTTPException: http_error}, lifespan=flow.lifespan)
    app.state.prefix = (prefix if prefix is not None else os.environ.get("NEWSROOM_PREFIX", "")).rstrip("/")
    app.state.newsroom = room
    return app


def _media_srcs(text: str) -> list[str]:
    import re

    found = re.findall(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)", text)
    header = schema.split_header(text)
    for item in header.lines:
        if item.key.lower() == "image":
            found.append(item.value.strip())
    return found
