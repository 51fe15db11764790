"""Old addresses -> new ones: the data file, nginx's map (301) and static redirect pages.

The importer keeps every old address in ``content/data/chuyen-huong.json``
(key -> new path). A key is one of:

- a path, ``/news/xay-dung-dang/hoi-nghi-12.html``: exact match on nginx's
  decoded ``$uri``, and a static page at that path for hosts without server
  configuration;
- ``/index.php?{nv}/{op}``: NukeViet's addresses without URL rewriting
  (``index.php?language=vi&nv=news&op=…``), matched on the query's ``nv``
  and ``op``;
- ``~regex``: a pattern on ``$uri`` (category and tag pages with any page number).

From it, :func:`write_nginx` writes ``deploy/redirects/http.conf`` (maps) and
``deploy/redirects/server.conf`` (the 301), which deploy/nginx.conf includes as
``portal-redirects/*.conf``; :func:`write_pages` is a PORTAL_POSTBUILD step.
"""
from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

DATA_FILE = Path("data") / "chuyen-huong.json"
NGINX_FOLDER = Path("deploy") / "redirects"
QUERY_PREFIX = "/index.php?"
UNSAFE = re.compile(r"[\x00-\x20\"\\$;{}]")


def load(content: Path) -> dict[str, str]:
    try:
        data = json.loads((content / DATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def dump(redirects: dict[str, str]) -> str:
    return json.dumps(dict(sorted(redirects.items())), ensure_ascii=False, indent=1) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_files(redirects: dict[str, str]) -> dict[str, str]:
    """{'http.conf': …, 'server.conf': …} for these redirects."""
    paths, queries, patterns = [], [], []
    for key, target in sorted(redirects.items()):
        if UNSAFE.search(target) or (not key.startswith("~") and UNSAFE.search(key)):
            continue  # cannot be written safely in nginx syntax; listed in the import report
        if key.startswith("~"):
            patterns.append(f"    {_quote(key)} {_quote(target)};")
        elif key.startswith(QUERY_PREFIX):
            rest = key[len(QUERY_PREFIX):]
            queries.append(f"    {_quote(rest)} {_quote(target)};")
            if "/" in rest.partition("/")[2]:  # op written with an encoded slash
                module, _, op = rest.partition("/")
                queries.append(f"    {_quote(module + '/' + op.replace('/', '%2F'))} {_quote(target)};")
        else:
            paths.append(f"    {_quote(key)} {_quote(target)};")
    head = ("# Sinh tự động bởi `python -m portal import` từ content/data/chuyen-huong.json: đừng sửa tay.\n"
            "# Đặt thư mục này thành /etc/nginx/portal-redirects/ (xem docs/import.md).\n")
    longest = max([len(k) for k in redirects] + [64])
    bucket = 1 << (longest + 32).bit_length()  # long old addresses need bigger hash buckets
    http_conf = (
        head
        + f"map_hash_bucket_size {bucket};\nmap_hash_max_size {max(2048, 1 << (2 * len(redirects)).bit_length())};\n"
        + "map $uri $portal_old_path {\n    default \"\";\n" + "\n".join(paths + patterns) + "\n}\n"
        + "map \"$arg_nv/$arg_op\" $portal_old_query {\n    default \"\";\n" + "\n".join(queries) + "\n}\n"
    )
    server_conf = (
        head
        + "if ($portal_old_path) {\n    return 301 $portal_old_path;\n}\n"
        + "set $portal_old_index \"\";\n"
        + "if ($uri = /index.php) {\n    set $portal_old_index $portal_old_query;\n}\n"
        + "if ($portal_old_index) {\n    return 301 $portal_old_index;\n}\n"
    )
    return {"http.conf": http_conf, "server.conf": server_conf}


def page(target: str) -> str:
    """A static redirect page: meta refresh plus a link (no inline script, CSP-ready)."""
    url = html.escape(target, quote=True)
    return (
        "<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<link rel=\"canonical\" href=\"{url}\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n<title>Bài đã chuyển địa chỉ</title>\n</head>\n"
        f"<body>\n<p>Trang này đã chuyển tới <a href=\"{url}\">{url}</a>.</p>\n</body>\n</html>\n"
    )


def page_file(key: str) -> str | None:
    """Where a path's static page goes inside output/ (None for queries and patterns)."""
    if key.startswith(("~", QUERY_PREFIX)) or not key.startswith("/") or ".." in key.split("/"):
        return None
    relative = key.lstrip("/")
    if not relative:
        return None
    if key.endswith("/"):
        return relative + "index.html"
    if "." in relative.rsplit("/", 1)[-1]:
        return relative
    return relative + "/index.html"


def write_pages(output_dir: Path, settings: dict) -> None:
    """PORTAL_POSTBUILD step: a redirect page at every old path that no built page uses."""
    redirects = load(Path(settings["PATH"]))
    for key, target in redirects.items():
        relative = page_file(key)
        if relative is None:
            continue
        path = Path(output_dir) / relative
        if path.exists() or path.parent.is_file():
            continue  # the new site has its own page there
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(target), encoding="utf-8")
        os.utime(path)
