"""The editorial workflow in the newsroom: Gửi duyệt, Trả lại, Duyệt, Hẹn giờ đăng (and the rights,
locks and audit around Lưu, Đăng bài, Gỡ bài), "Việc của tôi", and the publishing timer.

Statuses and what a build makes public are the core's (``portal.core.workflow``);
this module only decides who may move an article from one status to another,
writes ``Status:``/``Reason:``/``Expires:`` into the file through the newsroom's
save (one commit, the user as author), and records what happened.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from portal.core import schema
from portal.core import workflow as statuses
from portal.core.site import header_text
from portal.core.workflow import (APPROVED, DRAFT, EXPIRED, LABELS, PENDING, PUBLISHED, RETURNED, SCHEDULED,
                                  WITHDRAWN)

from . import articlefile, history
from .audit import Audit
from .flowdb import FlowDB
from .locks import Locks
from .rights import Rights, outranks
from .store import digest
from .roles import User

log = logging.getLogger("portal.newsroom")

# action -> (statuses it may start from, the status it sets, the right it needs)
TRANSITIONS = {
    "submit": ({DRAFT, RETURNED, WITHDRAWN}, PENDING, "submit"),
    "return": ({PENDING, APPROVED, SCHEDULED}, RETURNED, "return"),
    "approve": ({DRAFT, PENDING, RETURNED}, APPROVED, "approve"),
    "schedule": ({DRAFT, PENDING, RETURNED, APPROVED, SCHEDULED, WITHDRAWN}, SCHEDULED, "schedule"),
}
VERB = {"submit": "Gửi duyệt", "return": "Trả lại", "approve": "Duyệt", "schedule": "Hẹn giờ đăng"}
PUBLIC = {PUBLISHED, SCHEDULED, EXPIRED}
APPROVED_STATES = {APPROVED, SCHEDULED, PUBLISHED, EXPIRED}  # a version someone with the right let through
OWN_EDITABLE = {DRAFT, RETURNED, WITHDRAWN}


def status_key(raw: str | None) -> str:
    """A status key from a key (the newsroom's index keeps keys) or a header value."""
    if not raw or not raw.strip():
        return PUBLISHED
    if raw in LABELS:
        return raw
    try:
        return statuses.parse_status(raw)
    except statuses.StatusError:
        return DRAFT


def header_values(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in schema.split_header(schema.nfc(text.lstrip("\ufeff"))).lines:
        found.setdefault(item.key.lower(), item.value.strip())
    return found


def set_fields(text: str, wanted: dict[str, str | None]) -> str:
    """``text`` with header fields set (None: removed); other lines keep their exact bytes."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom):]
    lines = text.split("\n")
    header = schema.split_header(text)
    drop, done = set(), set()
    for item in header.lines:
        key = next((k for k in wanted if k.lower() == item.key.lower()), None)
        if key is None:
            continue
        for line, _ in item.continuations:
            drop.add(line - 1)
        if key in done or wanted[key] is None:
            drop.add(item.line - 1)
        else:
            lines[item.line - 1] = f"{item.key}: {wanted[key]}"
        done.add(key)
    last = max([h.line for h in header.lines] + [n for h in header.lines for n, _ in h.continuations], default=0)
    added = [f"{key}: {value}" for key, value in wanted.items() if key not in done and value is not None]
    head = [t for i, t in enumerate(lines[:last]) if i not in drop] + added
    return bom + "\n".join(head + lines[last:])


@dataclass
class Step:
    """What a save with ``action`` does besides the form's fields."""
    action: str
    headers: dict[str, str | None] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    refusal: str = ""  # 409: nothing written
    verb: str = ""
    build: str = ""
    detail: str = ""


class Workflow:
    def __init__(self, room, interval: float | None = None):
        self.room = room
        config = room.config
        self.db = FlowDB(config.data / "quy-trinh.sqlite3")
        self.rights = Rights(self.db)
        self.locks = Locks(self.db)
        self.audit = Audit(self.db)
        self.renderer = history.Renderer(room.site_settings)
        self.interval = interval if interval is not None else float(os.environ.get("NEWSROOM_DUE_SECONDS", "30") or 30)
        self.beat = 30.0  # seconds between the edit page's lock heartbeats
        self._owners: tuple[str, dict[str, str]] = ("", {})

    # Who and what ---------------------------------------------------------
    def owners(self) -> dict[str, str]:
        """rel -> the newsroom user who created the article (one `git log` per new commit)."""
        repo = self.room.repo
        if not repo.enabled:
            return {}
        try:
            head = repo.git("rev-parse", "HEAD").strip()
        except history.GitError:
            return {}
        if head != self._owners[0]:
            root = self.room.articles_root
            out = repo.git("log", "--diff-filter=A", "--name-only", "--format=\x1e%ae", "--",
                           str(root.relative_to(repo.root)))
            found: dict[str, str] = {}
            for record in out.split("\x1e")[1:]:
                email, _, names = record.partition("\n")
                user = email[: -len(history.EMAIL_DOMAIN)] if email.endswith(history.EMAIL_DOMAIN) else ""
                for name in names.split():
                    path = (repo.root / name).resolve()
                    if path.is_relative_to(root):
                        found[path.relative_to(root).as_posix()] = user  # oldest record read last: the creator
            self._owners = (head, found)
        return self._owners[1]

    def owner(self, rel: str) -> str:
        return self.owners().get(rel, "")

    def may_save(self, user: User, rel: str, key: str, category: str) -> bool:
        if not rel:
            return self.rights.allowed(user, "write")
        if key in PUBLIC:
            return self.rights.allowed(user, "edit_published", category)
        if key in OWN_EDITABLE and self.owner(rel) == user.name and self.rights.allowed(user, "write"):
            return True
        return self.rights.allowed(user, "edit", category)

    def may(self, user: User, action: str, rel: str, key: str, category: str) -> bool:
        starts, _to, right = TRANSITIONS[action]
        if key not in starts or not self.rights.allowed(user, right, category):
            return False
        if action == "submit" and rel and self.owner(rel) != user.name:
            return self.rights.allowed(user, "edit", category)
        return True

    # The save ---------------------------------------------------------------
    def prepare(self, user: User, rel: str, entry, form: articlefile.ArticleForm, data, action: str) -> Step:
        """Rights (Forbidden: 403, nothing written), the status change and its checks."""
        now = self.room.now_local()
        step = Step(action)
        if rel and entry is None:
            self.room.index.refresh(force=True)
            entry = self.room.index.get(rel)
        key = status_key(entry.status) if entry else DRAFT
        category = entry.category if entry else form.category
        if not self.may_save(user, rel, key, category):
            self.rights.require(user, "edit_published" if key in PUBLIC else "edit", category)
        if form.category and form.category != category and action != "save":
            self.rights.require(user, TRANSITIONS.get(action, (0, 0, action))[2], form.category)
        if action in TRANSITIONS:
            starts, target, right = TRANSITIONS[action]
            self.rights.require(user, right, category)
            if action == "submit" and rel and self.owner(rel) != user.name:
                self.rights.require(user, "edit", category)
            if key not in starts:
                step.refusal = (f"Bài đang ở trạng thái '{LABELS[key]}' nên không thể '{VERB[action]}'. "
                                "Hãy tải lại trang để xem trạng thái mới nhất.")
                return step
            form.status = target
            step.verb, step.detail = VERB[action], ""
            step.headers["Reason"] = None
            if action == "return":
                reason = " ".join(schema.nfc(str(data.get("reason", ""))).split())
                if not reason:
                    step.problems.append(("reason", "Hãy ghi lý do trả lại bài (ô 'Lý do').", "error"))
                step.headers["Reason"] = reason[:500] or None
                step.detail = reason
            if action == "schedule":
                try:
                    when = datetime.strptime(form.date, articlefile.FORM_DATE).replace(tzinfo=self.room.zone)
                except ValueError:
                    when = None
                if when is not None and when <= now:
                    step.problems.append(("date", f"Ngày đăng {when:%H:%M %d/%m/%Y} đã qua: muốn hẹn giờ đăng, hãy chọn "
                                                  f"một thời điểm sau bây giờ ({now:%H:%M %d/%m/%Y}, giờ Việt Nam).", "error"))
                elif when is not None:
                    step.detail = f"đăng lúc {when:%H:%M %d/%m/%Y}"
                step.build = f"Hẹn giờ đăng: {form.title}"
        elif action == "publish":
            step.headers["Reason"] = None
        if "expires" in data:
            self._expiry(form, str(data.get("expires", "")).strip(), step)
        if rel:
            holder = self.locks.blocking(user, rel, now)
            if holder is not None:
                step.refusal = (f"{holder.notice()} Bài chưa được lưu để không ghi đè lên phần người đó đang sửa. "
                                "Nội dung bạn gõ vẫn còn dưới đây và đã được lưu tạm.")
        return step

    def _expiry(self, form, value: str, step: Step) -> None:
        if not value:
            step.headers["Expires"] = None
            return
        try:
            expires = datetime.strptime(value, articlefile.FORM_DATE)
        except ValueError:
            step.problems.append(("expires", "Hết hạn lúc chưa đúng; hãy chọn ngày và giờ.", "error"))
            return
        try:
            date = datetime.strptime(form.date, articlefile.FORM_DATE)
        except ValueError:
            date = None
        if date is not None and expires <= date:
            step.problems.append(("expires", f"Hết hạn lúc {expires:%H:%M %d/%m/%Y} phải sau Ngày đăng "
                                             f"{date:%H:%M %d/%m/%Y}: bài chưa đăng thì chưa thể hết hạn.", "error"))
            return
        step.headers["Expires"] = expires.strftime(articlefile.FILE_DATE)

    def apply(self, text: str, step: Step) -> str:
        return set_fields(text, step.headers) if step.headers else text

    def done(self, user: User, rel: str, title: str, step: Step, commit: str | None) -> None:
        now = self.room.now_local()
        self.locks.release(user, rel)
        if step.action in TRANSITIONS or step.action in ("publish", "unpublish"):
            self.audit.record(now, user, step.action, rel, title, step.detail, commit)

    def keep_typing(self, user: User, rel: str, form: articlefile.ArticleForm, base_hash: str) -> None:
        """A refused save: what the user typed goes to the autosave store, as the page's autosave would."""
        fields = {"title": form.title, "category": form.category, "date": form.date, "summary": form.summary,
                  "body": form.body, "author": form.author, "source": form.source, "tags": form.tags,
                  "people": form.people, "related": form.related, "image": form.image,
                  "featured": "1" if form.featured else ""}
        self.room.drafts.save(user.name, rel, {"form": fields, "hash": base_hash,
                                               "saved": self.room.now_local().strftime("%H:%M %d/%m/%Y")})

    # The edit page ------------------------------------------------------------
    def form_context(self, user: User, rel: str, entry, form: articlefile.ArticleForm, take_lock: bool = True) -> dict:
        now = self.room.now_local()
        if rel and entry is None:  # written on disk within the index's refresh interval
            self.room.index.refresh(force=True)
            entry = self.room.index.get(rel)
        key = status_key(entry.status) if entry else DRAFT
        category = entry.category if entry else form.category
        if entry is None:
            rel = ""
        values = header_values(header_text(entry.path)) if entry else {}
        expires = ""
        if values.get("expires"):
            try:
                expires = schema.parse_date(values["expires"]).strftime(articlefile.FORM_DATE)
            except schema.FieldError:
                expires = ""
        context = {"wf_key": key, "wf_label": LABELS[key], "wf_reason": values.get("reason", ""),
                   "wf_expires": expires, "wf_can_save": self.may_save(user, rel, key, category),
                   "wf_actions": [a for a in TRANSITIONS if self.may(user, a, rel, key, category)],
                   "wf_lock": None, "wf_kept": None, "wf_beat": int(self.beat * 1000), "wf_takeover": False, "wf_taken_by": None, "wf_diff": None, "wf_owner": ""}
        if not rel:
            return context
        context["wf_owner"] = self.owner(rel)
        context["wf_taken_by"] = self.locks.taken_from(user, rel)
        kept = self.room.drafts.load(user.name, rel)
        if kept and kept.get("hash") != digest(entry.path.read_bytes()) and (kept.get("form") or {}).get("body"):
            context["wf_kept"] = kept  # typed before someone else saved (or took the lock over): shown to copy from
        if context["wf_can_save"] and take_lock:
            _mine, other = self.locks.acquire(user, rel, now)
        else:
            other = self.locks.blocking(user, rel, now)
        if other is not None:
            context["wf_lock"] = other
            context["wf_takeover"] = outranks(user, other.role) and context["wf_can_save"]
        if key == PENDING and ({"approve", "return"} & set(context["wf_actions"])):
            context["wf_diff"] = self.review(rel)
        return context

    def review(self, rel: str) -> dict | None:
        """What changed since the last approved version (the whole text when none was approved)."""
        entry = self.room.index.get(rel)
        if entry is None:
            return None
        current = entry.path.read_text(encoding="utf-8-sig", errors="replace")
        base, base_text = None, ""
        for version in history.versions(self.room.repo, entry.path, limit=100):
            try:
                text = history.text_at(self.room.repo, version)
            except history.GitError:
                continue
            if status_key(header_values(text).get("status")) in APPROVED_STATES:
                base, base_text = version, text
                break
        return {"base": base, "html": self.renderer.diff(base_text, current),
                "fields": [c for c in history.header_changes(base_text, current) if c[0].lower() != "status"]}

    # Việc của tôi ---------------------------------------------------------------
    def tasks(self, user: User) -> dict[str, list]:
        waiting, to_publish, returned, mine = [], [], [], []
        owners = self.owners()
        for entry in self.room.index.all():
            key = status_key(entry.status)
            if key in (PUBLISHED, EXPIRED):
                continue
            own = owners.get(entry.rel) == user.name
            if key == PENDING and (self.rights.allowed(user, "approve", entry.category)
                                   or self.rights.allowed(user, "return", entry.category)):
                waiting.append(entry)
            elif key == APPROVED and (self.rights.allowed(user, "publish", entry.category)
                                      or self.rights.allowed(user, "schedule", entry.category)):
                to_publish.append(entry)
            if own and key == RETURNED:
                reason = header_values(header_text(entry.path)).get("reason", "")
                returned.append((entry, reason, self._returned_by(entry.rel)))
            elif own and key in (DRAFT, PENDING, APPROVED, SCHEDULED, WITHDRAWN):
                mine.append((entry, LABELS[key]))
        return {"waiting": waiting, "to_publish": to_publish, "returned": returned, "mine": mine}

    def _returned_by(self, rel: str):
        return next((e for e in self.audit.for_article(rel) if e.action == "return"), None)

    # The publishing timer -------------------------------------------------------
    def tick(self) -> list[str]:
        """Queue a build when a scheduled time or an expiry has come since the last build.

        Runs ``python -m portal due`` (the command line is a layer above the newsroom, so it is
        called, not imported) with the newsroom's clock as PORTAL_CLOCK; the files it names are
        returned and recorded in the audit.
        """
        config = self.room.config
        builds = self.room.builds
        state = builds.state()
        target = Path(config.output).resolve()
        if state["current"] or state["queued"] or not target.with_name(f".{target.name}.built").is_file():
            return []  # busy, or never built from here: publishing builds first
        env = {**os.environ, **(config.build_env or {}), "PORTAL_CLOCK": self.room.clock().isoformat()}
        result = subprocess.run([sys.executable, "-m", "portal", "due", "-s", config.build_settings, "-o", str(target)],
                                cwd=config.repo, env=env, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            if result.returncode != 3:
                log.warning("portal due: %s", (result.stdout + result.stderr).strip()[-2000:])
            return []
        found = [line.split(": ", 1)[1].strip() for line in result.stdout.splitlines()
                 if ": " in line and line[:2].isdigit()]
        builds.request("Đến giờ đăng hoặc hết hạn: " + ", ".join(Path(name).name for name in found))
        now = self.room.now_local()
        for name in found:
            path = (config.repo / name).resolve()
            rel = path.relative_to(self.room.articles_root).as_posix() if path.is_relative_to(self.room.articles_root) else name
            entry = self.room.index.get(rel)
            self.audit.record(now, None, "due", rel, entry.title if entry else rel)
        return found

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await asyncio.to_thread(self.tick)
            except Exception:  # a broken settings file must not stop the timer for good
                log.exception("hẹn giờ đăng: không kiểm tra được")

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        task = asyncio.create_task(self.run()) if self.interval > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
