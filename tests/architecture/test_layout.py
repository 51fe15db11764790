"""The package's shape: import contracts, no path tricks, a core that loads without Pelican."""
from __future__ import annotations

import subprocess
import sys

from tests.support.sites import ROOT

LINT_IMPORTS = ROOT / ".venv" / "bin" / "lint-imports"


def test_import_contracts_are_kept():
    lint = LINT_IMPORTS if LINT_IMPORTS.exists() else "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_python_file_edits_sys_path():
    files = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and ".git" not in p.parts]
    offenders = [str(p.relative_to(ROOT)) for p in files if "sys." + "path" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_checking_one_file_imports_no_pelican_jinja_or_starlette():
    article = next((ROOT / "content" / "articles").rglob("*.md"))
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "portal", "check", str(article)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "portal" in imported  # the measurement works
    assert imported.isdisjoint({"pelican", "jinja2", "starlette", "uvicorn"})
