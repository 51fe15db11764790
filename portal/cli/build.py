"""Build the site atomically: a failed build never touches the last good output."""
from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from portal.core import detached, problems, read_cache, workflow

from portal.adapters import build_done, incremental
from portal.core.search import follow

from . import due, progress, quick_rebuild, unchanged

from .pelican_run import counting_errors, load_settings, rare_collections, run_full, run_read_phase


def print_report(stream=sys.stderr) -> tuple[int, int]:
    found = problems.collected()
    for problem in found:
        print(problem.format(), file=stream)
    errors = sum(1 for p in found if p.severity == "error")
    return errors, sum(1 for p in found if p.severity == "warning")


def check(settings_file: str) -> int:
    """Validate all content without writing anything. Exit status 1 on errors."""
    settings = load_settings(settings_file)
    problems.reset()
    generators: list = []
    with counting_errors() as counter:
        try:
            generators = run_read_phase(settings)
        except Exception as exc:  # a plugin or Pelican failed to read something
            counter.messages.append(f"{type(exc).__name__}: {exc}")
    errors, warnings = print_report()
    errors += _print_log_errors(counter.messages)
    articles = sum(len(getattr(g, "articles", [])) + len(getattr(g, "drafts", [])) for g in generators)
    if errors:
        print(f"Kiểm tra thấy {errors} lỗi, {warnings} cảnh báo. Hãy sửa các lỗi trên rồi chạy lại.", file=sys.stderr)
        return 1
    print(f"Nội dung hợp lệ: {articles} bài viết, {warnings} cảnh báo.")
    return 0


def _print_log_errors(messages: list[str]) -> int:
    for message in messages:
        print(f"lỗi: {message}", file=sys.stderr)
    return len(messages)


def cache_folder(target: Path) -> Path:
    """Where the build keeps what the next build of ``target`` may reuse (beside it, never in it)."""
    return target.with_name(f".{target.name}.cache")


@rare_collections()  # up to the memo of the last page: the whole site stays alive until build returns
def build(settings_file: str, output: str = "output", **overrides) -> int:
    target = Path(output).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    restore_kept_copy(target)
    _remove_stale_temporaries(target)
    started = time.perf_counter()
    problems.reset()
    overrides.setdefault("BUILD_CACHE_PATH", str(cache_folder(target)))
    overrides.setdefault("BUILD_PREVIOUS_OUTPUT", str(target) if target.is_dir() else "")
    quick = quick_rebuild.attempt(settings_file, target, overrides)
    if quick.rendered is not None:
        return _quick_done(output, target, quick, started)
    staging = _staging_folder(target)
    settings = load_settings(settings_file, output_path=str(staging), **overrides)
    read_at = workflow.current_time(ZoneInfo(settings["TIMEZONE"]))
    # The look at the content folder hashed every file it had not seen: the reading cache's keys use it.
    read_cache.trust_look(settings["PATH"], quick.look)
    with counting_errors() as counter, quick_rebuild.capturing() as capture:
        try:
            with progress.display(settings):
                run_full(settings)
            for step in settings.get("PORTAL_POSTBUILD", []):
                _call(step, staging, settings)
        except problems.ContentErrors:
            pass  # already collected: listed by the report below
        except Exception as exc:
            counter.messages.append(f"{type(exc).__name__}: {exc}")
        finally:
            read_cache.trust_look(None, None)
    errors, warnings = print_report()
    errors += _print_log_errors(counter.messages)
    if errors:
        build_done.send(None, live=False)
        set_aside(staging, target)
        print(
            f"Xây dựng thất bại: {errors} lỗi. Thư mục {output}/ vẫn giữ bản tốt gần nhất, chưa bị thay đổi.",
            file=sys.stderr,
        )
        return 1
    _remove_empty_folders(staging)
    if target.is_dir():
        unchanged.keep_unchanged(staging, target)
    swap_in(staging, target)
    build_done.send(None, live=True)
    incremental.remember_pages(target)
    due.record_build(target, read_at)
    quick_rebuild.record(cache_folder(target), target, quick.look, capture, read_at)
    print(f"Đã xây dựng xong {output}/ trong {time.perf_counter() - started:.1f} giây ({warnings} cảnh báo"
          f"{reuse_summary()}).")
    return 0


def _quick_done(output: str, target: Path, quick: quick_rebuild.Attempt, started: float) -> int:
    """The quick rebuild put the changed articles' pages in place (errors send a build the full way)."""
    _errors, warnings = print_report()
    due.record_build(target, quick.read_at)
    print(f"Đã xây dựng xong {output}/ trong {time.perf_counter() - started:.1f} giây ({warnings} cảnh báo; "
          f"dựng nhanh: đọc lại {quick.read} tệp; dựng {quick.rendered} trang, giữ nguyên {quick.kept} trang).")
    return 0


def wait_for_search(output: str = "output") -> int:
    """Until the search index of the last rebuild of ``output`` is in place (it follows the pages);
    exit status 1 when it could not be made."""
    status = follow.wait(cache_folder(Path(output).resolve()))
    if status.get("state") == "failed":
        print(f"lỗi: chỉ mục tìm kiếm của lần dựng gần nhất không lập được: {status.get('message', '')}. "
              f"Trang {output}/ vẫn dùng chỉ mục cũ; lần dựng sau sẽ lập lại.", file=sys.stderr)
        return 1
    return 0


def reuse_summary() -> str:
    run = incremental.current()
    if run is None or run.cache_dir is None:
        return ""
    read = f"; đọc lại {run.readings_read} tệp" if run.readings_read is not None else ""
    if run.readings_ahead:
        read += f" (song song: {run.readings_ahead})"
    return f"{read}; dựng {run.rendered} trang, giữ nguyên {run.reused} trang"


def _call(step: str, output_dir: Path, settings: dict) -> None:
    module_name, _, function_name = step.partition(":")
    getattr(importlib.import_module(module_name), function_name)(output_dir, settings)


def swap_in(staging: Path, target: Path) -> None:
    """Replace target by staging with two renames on the same file system.

    The last output is then set aside for the next build's folders (or removed in the background):
    20.000 folders take seconds to make and to delete. It is renamed first, so no later run takes
    it for a kept copy."""
    previous = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, previous)
    os.rename(staging, target)
    if previous.exists():
        set_aside(previous, target)


# Left in the spare by the process that emptied it, when it is done.
EMPTIED = ".emptied"


def spare_folder(target: Path) -> Path:
    """Where a replaced output waits for the next build of ``target``, which builds in its folders:
    making 20.000 page folders costs seconds on ext4. Never taken for a kept copy of the site."""
    return target.with_name(f".{target.name}.spare")


def _spare_lock(target: Path) -> Path:
    return cache_folder(target) / "spare.lock"


def set_aside(folder: Path, target: Path) -> None:
    """Keep ``folder`` as the next build's spare folders, or delete it when one is kept already.
    Its files are removed in a detached process (core/detached.py), off the build's time; the next
    build waits for that to end before it takes the folders."""
    if not folder.is_dir():
        return  # a build stopped before its first page (a wrong setting) made no folder
    spare = spare_folder(target)
    if not spare.exists() and not spare.is_symlink():
        try:
            os.rename(folder, spare)
        except OSError:
            pass  # another build set one aside first
        else:
            detached.start(lambda: _empty(spare), _spare_lock(target))
            return
    remove_in_background(folder, target)


def _staging_folder(target: Path) -> Path:
    """This run's staging folder: the spare folders emptied of files when there are any."""
    staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    spare = spare_folder(target)
    detached.wait(_spare_lock(target))  # the spare is being emptied: its folders come next
    if spare.is_dir() and not spare.is_symlink():
        try:
            os.rename(spare, staging)
            try:
                (staging / EMPTIED).unlink()
            except FileNotFoundError:  # a stopped emptying, or a spare set aside by an older version
                _remove_files(staging)
        except OSError:  # taken by another build meanwhile, or not emptied: start from nothing
            shutil.rmtree(staging, ignore_errors=True)
    return staging


def _empty(spare: Path) -> None:
    """The spare's files removed, then marked so: the next build need not look through its 20.000
    folders again (1-3 s at 10.000 articles)."""
    _remove_files(spare)
    (spare / EMPTIED).touch()


def _remove_files(folder: os.PathLike | str) -> None:
    """Every file and link under ``folder`` (never followed), keeping the folders."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _remove_files(entry.path)
            else:
                os.unlink(entry.path)


def _remove_empty_folders(folder: os.PathLike | str) -> bool:
    """Folders left empty under ``folder`` (pages that are gone since the spare's build); True when
    ``folder`` itself is empty."""
    empty = True
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and _remove_empty_folders(entry.path):
                os.rmdir(entry.path)
            else:
                empty = False
    return empty


def remove_in_background(folder: Path, target: Path) -> None:
    """Delete ``folder`` (a leftover beside ``target``) in a process of its own that outlives this one.
    Renamed first to a name of its own, so no run takes it for a kept copy, even half deleted."""
    if not folder.name.startswith(f".{target.name}.del-"):
        discarded = folder.with_name(f".{target.name}.del-{os.getpid()}-{time.monotonic_ns()}")
        os.rename(folder, discarded)
        folder = discarded
    try:
        subprocess.Popen(["rm", "-rf", "--", os.fspath(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:  # no `rm` to start: delete it here, then
        shutil.rmtree(folder, ignore_errors=True)


def restore_kept_copy(target: Path) -> Path | None:
    """A run stopped between the two renames of :func:`swap_in` left no ``target``, only the kept
    previous site: put the newest kept copy back before anything else is touched."""
    if target.exists():
        return None
    kept = sorted(target.parent.glob(f".{target.name}.old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    kept = [p for p in kept if p.is_dir() and not p.is_symlink()]
    if not kept:
        return None
    os.rename(kept[0], target)
    print(f"Đã khôi phục {target.name}/ từ bản giữ lại của lần xây dựng bị dừng giữa chừng ({kept[0].name}).",
          file=sys.stderr)
    return kept[0]


def _remove_stale_temporaries(target: Path) -> None:
    for leftover in target.parent.glob(f".{target.name}.*-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            remove_in_background(leftover, target)
