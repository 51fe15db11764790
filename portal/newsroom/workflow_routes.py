"""Routes of the editorial workflow (issue 14): status buttons, Việc của tôi, history, locks, audit, rights."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.core import schema

from . import history, web
from .rights import ACTIONS
from .roles import ADMIN, ROLES
from .store import PathRefused, digest, inside, write_atomic
from .workflow import PUBLIC, set_fields, status_key

DONE = {"submit": "Đã gửi duyệt.", "return": "Đã trả lại bài, kèm lý do.", "approve": "Đã duyệt bài.",
        "schedule": "Đã hẹn giờ đăng; trang sẽ tự được dựng lại khi đến giờ."}


def routes(room, accounts, save) -> list[Route]:
    flow = room.flow

    def article(rel: str):
        try:
            path = inside(room.articles_root, rel)
        except PathRefused:
            raise HTTPException(400, "Đường dẫn bài viết không hợp lệ (nằm ngoài thư mục bài viết).") from None
        entry = room.index.get(rel)
        if entry is None or not path.is_file():
            raise HTTPException(404, "Không tìm thấy bài viết này (có thể đã bị xóa hoặc đổi tên).")
        return path, entry

    def action(name: str):
        async def route(request: Request):
            return await save(request, name)
        return route

    async def my_tasks(request: Request):
        session = web.require_user(request, accounts)
        return web.page("viec_cua_toi.html", request, tasks=flow.tasks(session.user),
                        done=DONE.get(request.query_params.get("xong", ""), ""))

    async def audit_page(request: Request):
        web.require_user(request, accounts)
        return web.page("nhat_ky.html", request, events=flow.audit.recent(300))

    async def history_page(request: Request):
        web.require_user(request, accounts)
        rel = request.query_params.get("tep", "")
        path, entry = article(rel)
        versions = history.versions(room.repo, path)
        session = request.scope["newsroom_session"]
        data = path.read_bytes()
        return web.page("lich_su.html", request, rel=rel, entry=entry, versions=versions, base_hash=digest(data),
                        events=flow.audit.for_article(rel),
                        can_restore=flow.may_save(session.user, rel, status_key(entry.status), entry.category))

    def _version(versions, commit: str):
        found = next((v for v in versions if v.commit == commit), None)
        if found is None:
            raise HTTPException(404, "Không có phiên bản này trong lịch sử của bài.")
        return found

    async def compare_page(request: Request):
        web.require_user(request, accounts)
        q = request.query_params
        rel = q.get("tep", "")
        path, entry = article(rel)
        versions = history.versions(room.repo, path)
        newer = _version(versions, q.get("den", "")) if q.get("den") else None
        older = _version(versions, q.get("tu", ""))
        old_text = history.text_at(room.repo, older)
        new_text = history.text_at(room.repo, newer) if newer else path.read_text(encoding="utf-8-sig", errors="replace")
        if newer and versions.index(newer) > versions.index(older):
            older, newer, old_text, new_text = newer, older, new_text, old_text
        return web.page("so_sanh.html", request, rel=rel, entry=entry, older=older, newer=newer,
                        diff=flow.renderer.diff(old_text, new_text),
                        fields=history.header_changes(old_text, new_text))

    async def restore(request: Request):
        session = web.require_user(request, accounts)
        data = await web.checked_form(request, session)
        user = session.user
        rel = str(data.get("tep", ""))
        path, entry = article(rel)
        key = status_key(entry.status)
        if not flow.may_save(user, rel, key, entry.category):
            flow.rights.require(user, "edit_published" if key in PUBLIC else "edit", entry.category)
        version = _version(history.versions(room.repo, path), str(data.get("phien_ban", "")))
        on_disk = path.read_bytes()
        if digest(on_disk) != str(data.get("base_hash", "")):
            raise HTTPException(409, "Bài vừa được lưu ở nơi khác sau khi bạn mở trang lịch sử, nên chưa khôi phục "
                                     "để không ghi đè. Hãy tải lại trang lịch sử rồi chọn lại phiên bản.")
        holder = flow.locks.blocking(user, rel, room.now_local())
        if holder is not None:
            raise HTTPException(409, f"{holder.notice()} Hãy chờ người đó lưu xong rồi khôi phục.")
        # The old text, but the status the article has now: restoring never publishes or unpublishes by itself.
        current = on_disk.decode("utf-8-sig", errors="replace")
        now_status = {k: v for k, v in ((k, current_header(current, k)) for k in ("Status", "Reason", "Expires"))}
        text = set_fields(history.text_at(room.repo, version), now_status)
        if on_disk.startswith("\ufeff".encode()) and not text.startswith("\ufeff"):
            text = "\ufeff" + text
        write_atomic(path, text.encode("utf-8"))
        title = entry.title
        commit = room.repo.commit([path], f"Khôi phục phiên bản {version.short} ({version.at:%H:%M %d/%m/%Y}): {title}"
                                          f"\n\nPhòng biên tập, {user.shown} ({user.name}).", user)
        room.index.refresh(force=True)
        flow.audit.record(room.now_local(), user, "restore", rel, title, f"phiên bản {version.short}", commit)
        return web.redirect(request, f"/bai/lich-su?tep={rel}&da-khoi-phuc={version.short}")

    async def lock_keep(request: Request):
        session = web.require_user(request, accounts)
        data = await web.checked_form(request, session)
        rel = str(data.get("tep", ""))
        article(rel)
        lock = flow.locks.heartbeat(session.user, rel, room.now_local())
        if lock is None:
            taken = flow.locks.taken_from(session.user, rel)
            holder = flow.locks.holder(rel, room.now_local())
            who = taken or (holder.shown if holder else "người khác")
            return JSONResponse({"ok": False, "message": f"{who} đã nhận quyền sửa bài này. Phần bạn đang gõ "
                                 "được lưu tạm; hãy tải lại trang để xem bản mới."})
        return JSONResponse({"ok": True})

    async def lock_release(request: Request):
        session = web.require_user(request, accounts)
        data = await web.checked_form(request, session)
        rel = str(data.get("tep", ""))
        article(rel)
        flow.locks.release(session.user, rel)
        return Response(status_code=204)

    async def lock_take(request: Request):
        session = web.require_user(request, accounts)
        data = await web.checked_form(request, session)
        rel = str(data.get("tep", ""))
        _path, entry = article(rel)
        user = session.user
        key = status_key(entry.status)
        if not flow.may_save(user, rel, key, entry.category):
            flow.rights.require(user, "edit_published" if key in PUBLIC else "edit", entry.category)
        lock, previous = flow.locks.acquire(user, rel, room.now_local(), take_over=True)
        if lock.user != user.name:
            raise web.Forbidden(f"{lock.notice()} Chỉ người có vai trò cao hơn mới nhận quyền sửa được.")
        if previous is not None:
            flow.audit.record(room.now_local(), user, "takeover", rel, entry.title, f"từ {previous.shown}")
        return web.redirect(request, f"/bai/sua?tep={rel}")

    async def rights_page(request: Request):
        session = web.require_user(request, accounts)
        flow.rights.require(session.user, "accounts")
        return web.page("phan_quyen.html", request, table=flow.rights.table(), actions=ACTIONS,
                        roles=[r for r in ROLES if r != ADMIN], categories=room.categories(),
                        saved=request.query_params.get("da-luu"))

    async def rights_save(request: Request):
        session = web.require_user(request, accounts)
        data = await web.checked_form(request, session, max_fields=500)
        flow.rights.require(session.user, "accounts")
        for role in ROLES:
            if role == ADMIN:
                continue
            chosen = {a for a in data.getlist(f"{role}.quyen") if a in ACTIONS}
            categories = [c for c in data.getlist(f"{role}.chuyen_muc") if c in room.categories()]
            flow.rights.set(role, chosen, categories)
        flow.audit.record(room.now_local(), session.user, "rights", "", "Phân quyền")
        return web.redirect(request, "/phan-quyen?da-luu=1")

    return [
        Route("/bai/gui-duyet", action("submit"), methods=["POST"]),
        Route("/bai/tra-lai", action("return"), methods=["POST"]),
        Route("/bai/duyet", action("approve"), methods=["POST"]),
        Route("/bai/hen-gio", action("schedule"), methods=["POST"]),
        Route("/bai/lich-su", history_page, methods=["GET"]),
        Route("/bai/lich-su/so-sanh", compare_page, methods=["GET"]),
        Route("/bai/khoi-phuc", restore, methods=["POST"]),
        Route("/bai/khoa/giu", lock_keep, methods=["POST"]),
        Route("/bai/khoa/nha", lock_release, methods=["POST"]),
        Route("/bai/khoa/nhan", lock_take, methods=["POST"]),
        Route("/viec-cua-toi", my_tasks, methods=["GET"]),
        Route("/nhat-ky", audit_page, methods=["GET"]),
        Route("/phan-quyen", rights_page, methods=["GET"]),
        Route("/phan-quyen", rights_save, methods=["POST"]),
    ]


def current_header(text: str, key: str) -> str | None:
    for item in schema.split_header(schema.nfc(text)).lines:
        if item.key.lower() == key.lower():
            return item.value.strip() or None
    return None
