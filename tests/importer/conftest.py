"""A real MariaDB server with the old portal's NukeViet tables, and the site the importer fills."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.sites import article, run_portal, write_site

from . import samples
from .mariadb import mariadb_server


@dataclass
class OldPortal:
    url: str
    uploads: Path
    server: object
    mirrors: dict[str, Path]


@pytest.fixture(scope="session")
def old_portal(tmp_path_factory) -> OldPortal:
    base = tmp_path_factory.mktemp("old-portal")
    dump, uploads = samples.write_nukeviet(base)
    with mariadb_server(base / "mariadb") as server:
        server.load(dump)
        yield OldPortal(server.url, uploads, server, samples.write_mirrors(base / "mirrors"))


HAND_WRITTEN = article("Tổng kết công tác năm", "2023-12-30 08:00", "Xây dựng Đảng", "Bài viết tay đã có.",
                       Slug="tong-ket-cong-tac")


def new_site(root: Path) -> Path:
    return write_site(root, {"articles/2023/tong-ket-cong-tac.md": HAND_WRITTEN}, settings="STATS_ENABLED = True\n")


def import_nukeviet(site: Path, portal: OldPortal, *extra: str):
    return run_portal("import", site, "nukeviet", "--db", portal.url, "--prefix", samples.PREFIX,
                      "--uploads", str(portal.uploads), *extra)


def import_mirror(site: Path, folder: Path, rules: str, *extra: str):
    return run_portal("import", site, "mirror", str(folder), "--rules", rules, *extra)


@pytest.fixture(scope="module")
def imported(tmp_path_factory, old_portal) -> Path:
    """A site with the whole old archive imported (NukeViet and the three saved portals)."""
    site = new_site(tmp_path_factory.mktemp("imported") / "site")
    result = import_nukeviet(site, old_portal)
    assert result.returncode == 0, result.stderr + result.stdout
    for name, folder in old_portal.mirrors.items():
        result = import_mirror(site, folder, name)
        assert result.returncode == 0, result.stderr + result.stdout
    return site
