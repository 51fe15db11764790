""".github/workflows/deploy.yml: valid, and shaped as docs/deploy.md says."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.sites import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"
ON_MAIN_PUSH = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: dict) -> list[dict]:
    return job["steps"]


def runs(job: dict) -> list[str]:
    return [s["run"].strip() for s in steps(job) if "run" in s]


def uses(job: dict, action: str) -> dict:
    found = [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"{action} used {len(found)} times"
    return found[0]


def test_valid_against_the_github_workflow_schema():
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or "check-jsonschema"
    result = subprocess.run([checker, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps: []\n", encoding="utf-8")  # no runs-on
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or "check-jsonschema"
    result = subprocess.run([checker, "--builtin-schema", "vendor.github-workflows", str(broken)],
                            capture_output=True, text=True)
    assert result.returncode != 0


def test_triggers_push_to_main_and_pull_requests(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" in triggers
    assert workflow["permissions"] == {"contents": "read"}


def test_build_job_tests_publishes_and_caches(workflow):
    build = workflow["jobs"]["build"]
    assert "if" not in build  # pull requests are tested and built too
    commands = runs(build)
    assert commands.index("make test") < commands.index("make publish") < commands.index("make linkcheck")
    caches = {s["with"]["path"] for s in steps(build) if s.get("uses", "").startswith("actions/cache@")}
    assert caches == {".cache/images", ".output.cache/readings.sqlite", "/github/home/.cache/pip"}
    assert build["env"]["PIP_CACHE_DIR"] == "/github/home/.cache/pip"
    publish = next(s for s in steps(build) if s.get("run") == "make publish")
    assert "steps.pages.outputs.base_url" in publish["env"]["SITEURL"]
    artifact = uses(build, "actions/upload-pages-artifact")
    assert artifact["with"]["path"] == "output/"
    assert artifact["if"] == ON_MAIN_PUSH
    assert uses(build, "actions/configure-pages")["if"] == "github.event_name != 'pull_request'"
    assert build["permissions"] == {"contents": "read", "pages": "read"}


def test_pages_job_deploys_only_from_main_with_the_pages_permissions(workflow):
    pages = workflow["jobs"]["pages"]
    assert pages["if"] == ON_MAIN_PUSH
    assert pages["needs"] == "build"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    deploy = uses(pages, "actions/deploy-pages")
    assert pages["environment"]["url"] == f"${{{{ steps.{deploy['id']}.outputs.page_url }}}}"


def test_server_job_is_switched_on_by_a_variable_and_uses_the_ssh_secret(workflow):
    server = workflow["jobs"]["server"]
    assert server["if"] == ON_MAIN_PUSH + " && vars.DEPLOY_SSH == 'true'"
    assert server["needs"] == "build"
    assert runs(server)[-1] == "make deploy"
    key_step = next(s for s in steps(server) if "DEPLOY_SSH_KEY" in s.get("env", {}))
    assert key_step["env"]["DEPLOY_SSH_KEY"] == "${{ secrets.DEPLOY_SSH_KEY }}"
    deploy = next(s for s in steps(server) if s.get("run") == "make deploy")
    assert set(deploy["env"]) >= {"SITEURL", "DEPLOY_TARGET"}
    assert server["concurrency"]["cancel-in-progress"] is False  # never stop an rsync half-way


def test_every_action_is_pinned_to_a_major_version(workflow):
    for job in workflow["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                assert "@v" in step["uses"], step["uses"]
