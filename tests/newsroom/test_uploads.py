"""Photos and videos from the form: recognised by content, checked like the build, nothing left on refusal."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.support.photos import gif, jpeg, png, png_bomb

from .support import git, log_in

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + bytes(range(256)) * 4
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + bytes(300)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def _files(repo):
    return sorted(p.relative_to(repo) for p in (repo / "content").rglob("*") if p.is_file())


def _upload(editor, name: str, data: bytes, **fields):
    return editor.client.post("/tai-len", files={"tep": (name, data, "application/octet-stream")},
                              data={"csrf": editor.csrf, **fields})


def test_photo_stored_with_ascii_name_and_figure_markdown(client, repo):
    editor = log_in(client, "lan")
    answer = _upload(editor, "Hội nghị tổng kết (1).JPG", jpeg((1200, 900)), chu_thich="Toàn cảnh hội nghị.",
                     tac_gia_anh="Văn Nam", nam="2025")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["src"] == "/images/2025/hoi-nghi-tong-ket-1.jpg"
    assert body["markdown"] == '![Toàn cảnh hội nghị.](/images/2025/hoi-nghi-tong-ket-1.jpg "Ảnh: Văn Nam")'
    stored = repo / "content" / "images" / "2025" / "hoi-nghi-tong-ket-1.jpg"
    assert stored.read_bytes() == jpeg((1200, 900))
    second = _upload(editor, "Hội nghị tổng kết (1).jpg", png((300, 200)), nam="2025").json()
    assert second["src"] == "/images/2025/hoi-nghi-tong-ket-1.png"
    third = _upload(editor, "hoi-nghi-tong-ket-1.jpg", jpeg((300, 200)), nam="2025").json()
    assert third["src"] == "/images/2025/hoi-nghi-tong-ket-1-2.jpg"  # never overwrites a photo


def test_format_by_content_not_by_name(client, repo):
    editor = log_in(client, "lan")
    answer = _upload(editor, "anh.jpg", png((100, 80)), nam="2025")
    assert answer.json()["src"] == "/images/2025/anh.png"
    webp = io.BytesIO()
    Image.new("RGB", (50, 40), "red").save(webp, "WEBP")
    assert _upload(editor, "anh-webp.bin", webp.getvalue(), nam="2025").json()["src"] == "/images/2025/anh-webp.webp"


def test_videos(client, repo):
    editor = log_in(client, "lan")
    mp4 = _upload(editor, "Lễ kỷ niệm.mp4", MP4, chu_thich="Lễ kỷ niệm", tac_gia_anh="Minh", nam="2025").json()
    assert mp4["kind"] == "video" and mp4["src"] == "/videos/2025/le-ky-niem.mp4"
    assert mp4["markdown"] == '![Lễ kỷ niệm](/videos/2025/le-ky-niem.mp4 "Video: Minh")'
    assert _upload(editor, "clip.webm", WEBM, nam="2025").json()["src"] == "/videos/2025/clip.webm"


REFUSED = {
    "svg": ("hinh.svg", SVG, "không phải ảnh JPEG"),
    "html": ("trang.jpg", HTML, "không phải ảnh JPEG"),
    "gif": ("dong.gif", gif(), "không phải ảnh JPEG"),
    "empty": ("rong.jpg", b"", "không phải ảnh"),
    "jpeg-html-polyglot": ("da-nang.jpg", jpeg((200, 150)) + HTML, "mã trang web"),
    "png-svg-polyglot": ("da-nang.png", png((64, 48)).replace(b"IEND", b"tEXt<svg onload=alert(1)>IEND"), "mã trang web"),
    "mp4-html-polyglot": ("da-nang.mp4", MP4 + b"<script>alert(1)</script>", "mã trang web"),
    "truncated": ("cat-cut.jpg", jpeg((1200, 900))[:5000], "bị hỏng"),
    "bomb": ("bom.png", png_bomb(), "quá lớn"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_refused_uploads_leave_nothing(client, repo, case):
    name, data, words = REFUSED[case]
    editor = log_in(client, "lan")
    before, head = _files(repo), git(repo, "rev-parse", "HEAD")
    answer = _upload(editor, name, data, nam="2025")
    assert answer.status_code == 400
    assert answer.json()["ok"] is False and words in answer.json()["message"], answer.json()
    assert _files(repo) == before
    assert git(repo, "rev-parse", "HEAD") == head
    assert not list((repo / ".newsroom" / "tai-len").iterdir())


def test_size_limit(repo, accounts_file):
    import shutil
    from starlette.testclient import TestClient
    from portal.newsroom.app import create_app
    from .support import config_for

    config = config_for(repo, max_photo_bytes=50_000)
    config.data.mkdir(parents=True, exist_ok=True)
    shutil.copy(accounts_file, config.data / "newsroom.sqlite3")
    with TestClient(create_app(config)) as client:
        editor = log_in(client, "lan")
        answer = _upload(editor, "lon.jpg", jpeg((2000, 1500)), nam="2025")
        assert answer.status_code == 400 and "vượt giới hạn" in answer.json()["message"]
        assert not (repo / "content" / "images" / "2025").exists()


def test_uploaded_photo_committed_with_the_article(client, repo):
    editor = log_in(client, "lan")
    figure = _upload(editor, "anh bia.jpg", jpeg((800, 600)), chu_thich="Chú thích", tac_gia_anh="Lan", nam="2025").json()
    assert git(repo, "status", "--porcelain", "--untracked-files=all").strip() == "?? content/images/2025/anh-bia.jpg"
    answer = editor.post("/bai/luu", {"title": "Bài có ảnh", "category": "Đoàn thể", "date": "2025-05-01T08:00",
                                      "body": "Mở đầu.\n\n" + figure["markdown"] + "\n"})
    assert answer.status_code == 303, answer.text
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == ["content/articles/2025/bai-co-anh.md", "content/images/2025/anh-bia.jpg"]
    assert git(repo, "status", "--porcelain").strip() == ""


def test_noisy_camera_photos_are_not_mistaken_for_markup(client, repo):
    """Compressed photo data is random bytes: short tags like '<a ' occur in it by chance; they must not refuse it."""
    import os
    editor = log_in(client, "lan")
    for number in range(5):
        buffer = io.BytesIO()
        Image.frombytes("RGB", (1000, 750), os.urandom(1000 * 750 * 3)).save(buffer, "JPEG", quality=95)
        answer = _upload(editor, f"nhieu-{number}.jpg", buffer.getvalue(), nam="2025")
        assert answer.status_code == 200, answer.json()
