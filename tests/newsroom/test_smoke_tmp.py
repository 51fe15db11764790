from .support import log_in, git

def test_smoke(client, repo):
    editor = log_in(client, "hung")
    page = client.get("/")
    assert "Viết bài mới" in page.text and "Đảng ủy" in page.text
    assert "Đảng ủy" in client.get("/?q=dang uy").text
    form = client.get("/bai/sua?tep=2024/hoi-nghi-dang-uy.md")
    assert form.status_code == 200, form.text
    print(form.text[:3000])
