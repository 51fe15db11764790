"""The reading cache keys a file by the digest of its bytes, taken from the build's look at the
content folder while the file keeps the stat the look recorded, and read again otherwise."""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from portal.core import read_cache, source_tree

FORGED = "f" * 64  # a digest no file here has: seen only when the bytes were not read again


@pytest.fixture(autouse=True)
def _forget_the_look():
    yield
    read_cache.trust_look(None, None)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _look_with_forged_digests(root: Path, seconds_later: float) -> source_tree.Look:
    """The folder's look as if taken ``seconds_later``, every file recorded with ``FORGED``."""
    look = source_tree.look(root)
    record = {name: [*entry[:5], FORGED] if entry[0] == "file" else entry for name, entry in look.record.items()}
    return dataclasses.replace(look, record=record, taken_at=look.taken_at + seconds_later)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "tin.md").write_text("Title: Tin\n\nNội dung.\n", encoding="utf-8")
    return tmp_path


def test_without_a_look_the_bytes_are_read(folder):
    path = folder / "articles" / "tin.md"
    assert read_cache.source_digest(str(path)) == _sha256(path)


def test_a_file_the_look_saw_is_not_read_again(folder):
    read_cache.trust_look(str(folder), _look_with_forged_digests(folder, source_tree.RACY_SECONDS + 1))
    assert read_cache.source_digest(str(folder / "articles" / "tin.md")) == FORGED
    assert read_cache.source_digest(str(folder / "articles" / ".." / "articles" / "tin.md")) == FORGED


def test_a_file_changed_after_the_look_is_read_again(folder):
    path = folder / "articles" / "tin.md"
    read_cache.trust_look(str(folder), _look_with_forged_digests(folder, source_tree.RACY_SECONDS + 1))
    path.write_text("Title: Tin\n\nNội dung đã sửa sau khi xem thư mục.\n", encoding="utf-8")
    assert read_cache.source_digest(str(path)) == _sha256(path)


def test_a_file_changed_just_before_the_look_is_read_again(folder):
    """Its stat may not move if it changes again within the same clock tick: "racily clean"."""
    read_cache.trust_look(str(folder), _look_with_forged_digests(folder, 0.0))
    path = folder / "articles" / "tin.md"
    assert read_cache.source_digest(str(path)) == _sha256(path)


def test_forgetting_the_look(folder):
    read_cache.trust_look(str(folder), _look_with_forged_digests(folder, source_tree.RACY_SECONDS + 1))
    read_cache.trust_look(None, None)
    path = folder / "articles" / "tin.md"
    assert read_cache.source_digest(str(path)) == _sha256(path)


def test_the_key_is_the_same_from_the_look_or_from_the_bytes(folder):
    path = str(folder / "articles" / "tin.md")
    from_bytes = read_cache.ReadCache.file_key(path, path, "/cwd")
    look = source_tree.look(folder)
    read_cache.trust_look(str(folder), dataclasses.replace(look, taken_at=look.taken_at + source_tree.RACY_SECONDS + 1))
    assert read_cache.source_digest(path) == look.record["articles/tin.md"][5]
    assert read_cache.ReadCache.file_key(path, path, "/cwd") == from_bytes
    assert read_cache.ReadCache.file_key(path, path, "/elsewhere") != from_bytes
