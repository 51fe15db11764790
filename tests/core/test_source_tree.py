"""core/source_tree.py: which files of a source folder changed since it was recorded."""
from __future__ import annotations

import os
import time

import pytest

from portal.core import source_tree


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "bai-mot.md").write_text("Title: Bài một\n\nNội dung.\n", encoding="utf-8")
    (tmp_path / "articles" / "bai-hai.md").write_text("Title: Bài hai\n\nNội dung.\n", encoding="utf-8")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "anh.jpg").write_bytes(b"\xff\xd8 not really a photo")
    return tmp_path


@pytest.fixture
def hashed(monkeypatch):
    """The files whose bytes a look reads."""
    read = []
    real = source_tree.hashlib.file_digest

    def counting(handle, name):
        read.append(os.path.basename(handle.name))
        return real(handle, name)

    monkeypatch.setattr(source_tree.hashlib, "file_digest", counting)
    return read


def later(first: source_tree.Look) -> float:
    """A record time well after the files were written: none of them is racily clean."""
    return first.taken_at + source_tree.RACY_SECONDS + 60


def test_a_first_look_finds_every_file_changed(folder):
    first = source_tree.look(folder)
    assert first.changed == {"articles/bai-mot.md", "articles/bai-hai.md", "images/anh.jpg"}
    assert first.record["articles/bai-mot.md"][0] == "file"


def test_an_unchanged_folder_is_looked_at_without_reading_a_file(folder, hashed):
    first = source_tree.look(folder)
    hashed.clear()
    again = source_tree.look(folder, first.record, later(first))
    assert again.changed == set()
    assert hashed == []
    assert again.record == first.record


def test_a_file_saved_with_the_same_bytes_is_no_change(folder, hashed):
    first = source_tree.look(folder)
    article = folder / "articles" / "bai-mot.md"
    article.write_bytes(article.read_bytes())
    hashed.clear()
    again = source_tree.look(folder, first.record, later(first))
    assert again.changed == set()
    assert hashed == ["bai-mot.md"], "its stat moved: its bytes decide"


def test_a_change_that_keeps_size_and_modification_time_is_found(folder):
    article = folder / "articles" / "bai-mot.md"
    before = article.stat()
    first = source_tree.look(folder)
    time.sleep(0.01)
    article.write_text("Title: Bài một\n\nNội dunG.\n", encoding="utf-8")  # same length in bytes
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or an archive would
    assert article.stat().st_size == before.st_size and article.stat().st_mtime_ns == before.st_mtime_ns
    again = source_tree.look(folder, first.record, later(first))
    assert again.changed == {"articles/bai-mot.md"}


def test_a_file_recorded_in_the_same_moment_it_was_written_is_read_again(folder, hashed):
    first = source_tree.look(folder)
    hashed.clear()
    again = source_tree.look(folder, first.record, first.taken_at)
    assert sorted(hashed) == ["anh.jpg", "bai-hai.md", "bai-mot.md"], "racily clean: the stat cannot be trusted"
    assert again.changed == set()


def test_added_removed_and_linked_files(folder):
    first = source_tree.look(folder)
    (folder / "articles" / "bai-hai.md").unlink()
    (folder / "articles" / "bai-ba.md").write_text("Title: Bài ba\n", encoding="utf-8")
    os.symlink("/etc/hostname", folder / "images" / "lien-ket.jpg")
    again = source_tree.look(folder, first.record, later(first))
    assert again.changed == {"articles/bai-hai.md", "articles/bai-ba.md", "images/lien-ket.jpg"}
    assert again.record["images/lien-ket.jpg"][0] == "link", "a link is recorded, never followed"
    (folder / "images" / "lien-ket.jpg").unlink()
    os.symlink("/etc/passwd", folder / "images" / "lien-ket.jpg")
    third = source_tree.look(folder, again.record, later(again))
    assert third.changed == {"images/lien-ket.jpg"}
