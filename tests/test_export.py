"""`python -m playbook_site export`: the playbook as plain files, built without hooks or plugins."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import KITCHEN, ROOT
from pluginsupport import (
    build_env,
    data_attributes,
    entry_points_dir,
    html_pages,
    mkdocs_build,
    write_site,
)
from sitebuild import DEFAULT_SITE_URL, BuiltSite, local_target, page_url

from assessor import ValidationError
from assessor.cpython.load import load_framework
from playbook_site import csp, navigation, pages, snapshot, teams

DEFAULT = load_framework(ROOT / "framework")
QUESTION = re.compile(r'<fieldset class="mp-q" id="q-([^"]+)"')


def run_export(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Any:
    """`python -m playbook_site export ...` in a subprocess."""
    if env is None:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=DEFAULT_SITE_URL)
        env.pop("PLAYBOOK_FRAMEWORK", None)
    return subprocess.run(
        [sys.executable, "-m", "playbook_site", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def plain_env() -> dict[str, str]:
    """A build environment that names no framework: the exported config must not need one."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("PLAYBOOK_FRAMEWORK", None)
    env.pop("SITE_URL", None)
    return env


@dataclass(frozen=True)
class Exported:
    """The default framework exported, and its plain build."""

    out: Path
    site: Path
    stdout: str
    build_stderr: str


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """Export the default framework from this repository's mkdocs.yml, then build it plainly."""
    base = tmp_path_factory.mktemp("export")
    out = base / "plain"
    proc = run_export("export", str(out), "--framework", str(ROOT / "framework"))
    if proc.returncode != 0:
        pytest.fail(f"export failed:\n{proc.stderr}")
    site = base / "site"
    build = mkdocs_build(out / "mkdocs.yml", site, plain_env())
    if build.returncode != 0:
        pytest.fail(f"the exported site failed to build strictly:\n{build.stderr}")
    return Exported(out, site, proc.stdout, build.stderr)


def test_export_writes_plain_files_and_a_config_without_hooks(exported: Exported) -> None:
    docs = exported.out / "docs"
    markdown = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    generated = {*pages.render_pages(DEFAULT), pages.ASSESSMENT, teams.TEAM, teams.ORGANISATION}
    assert markdown == generated | {"index.md", "scoring.md", "customize.md"}
    assert exported.stdout == (
        f"Exported {len(markdown)} pages ({sum(1 for p in docs.rglob('*') if p.is_file())} "
        f"files) to {docs}; build it with: mkdocs build -f {exported.out / 'mkdocs.yml'}\n"
    )
    config = yaml.safe_load((exported.out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config
    assert "watch" not in config
    assert "extra" not in config  # extra.playbook was all it held
    assert config["plugins"] == ["search"]
    assert config["docs_dir"] == "docs"
    assert config["site_name"] == DEFAULT.title
    assert config["theme"]["custom_dir"] == "overrides"
    assert config["nav"] == navigation.build_nav(
        DEFAULT, ["index.md", "scoring.md", "customize.md"], ["scoring.md", "customize.md"]
    )
    theme = ROOT / "hooks" / "theme"
    copied = exported.out / "overrides"
    assert sorted(p.relative_to(copied) for p in copied.rglob("*") if p.is_file()) == sorted(
        [Path("main.html"), *(p.relative_to(theme) for p in theme.rglob("*") if p.is_file())]
    )


def test_export_builds_strictly_with_plain_mkdocs(exported: Exported) -> None:
    assert "WARNING" not in exported.build_stderr
    assert (exported.site / "assessment" / "index.html").is_file()


def test_export_yields_the_same_pages_as_the_hooks(
    exported: Exported, site_default: BuiltSite
) -> None:
    hooks = html_pages(site_default.root)
    assert html_pages(exported.site) == hooks
    different = [
        page
        for page in sorted(hooks)
        if _same_parts(exported.site / page) != _same_parts(site_default.root / page)
    ]
    assert different == []
    # The policy the hook writes into each page, the export's theme writes too.
    for page in sorted(hooks):
        for root in (exported.site, site_default.root):
            html = (root / page).read_text(encoding="utf-8")
            assert POLICY.findall(html) == [csp.policy()], (root, page)


POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
# An export has no start-up snapshot (it is made and written by `mkdocs build` only): the
# assessment page starts Python the plain way.
SNAPSHOT = re.compile(r' data-snapshot="[^"]*"')


def _same_parts(page: Path) -> str:
    """The page without what the hook and the export write differently: where the policy sits
    (and the white space around it), and the snapshot's URL."""
    html = page.read_text(encoding="utf-8")
    return " ".join(SNAPSHOT.sub("", POLICY.sub("", html)).split())


def test_exported_assessment_has_the_same_questionnaire_and_assets(
    exported: Exported, site_default: BuiltSite
) -> None:
    page = Path("assessment") / "index.html"
    plain = (exported.site / page).read_text(encoding="utf-8")
    hooks = (site_default.root / page).read_text(encoding="utf-8")
    assert QUESTION.findall(plain) == QUESTION.findall(hooks) == [p.id for p in DEFAULT.practices]
    attributes = data_attributes(plain, "mp-assessment")
    assert attributes.pop("snapshot") == ""
    assert (
        data_attributes(hooks, "mp-assessment").pop("snapshot").endswith("/" + snapshot.FILE_NAME)
    )
    assert attributes == {
        k: v for k, v in data_attributes(hooks, "mp-assessment").items() if k != "snapshot"
    }
    url = page_url(exported.site, exported.site / page)
    for key in ("module", "worker", "wheel", "framework", "index-url"):
        target = local_target(exported.site, url, attributes[key])
        assert target is not None, key
        file = target[0].parent / "pyodide.mjs" if key == "index-url" else target[0]
        twin = site_default.root / file.relative_to(exported.site)
        assert file.read_bytes() == twin.read_bytes(), key


# --- the command line -------------------------------------------------------------------------


def test_a_folder_with_files_is_refused_without_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    proc = run_export("export", str(tmp_path), "--framework", str(KITCHEN))
    assert proc.returncode == 1
    assert proc.stderr == (
        f"error: {tmp_path}: the folder is not empty; choose an empty one, or pass --force to "
        "replace its docs/, overrides/ and mkdocs.yml\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_force_replaces_only_what_an_export_writes(tmp_path: Path) -> None:
    stale = tmp_path / "docs" / "practices" / "gone.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("# Gone\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    proc = run_export("export", str(tmp_path), "--framework", str(KITCHEN), "--force")
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "docs" / "practices" / "labelled-leftovers.md").is_file()
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Kitchen Hygiene Playbook"


def test_the_sources_are_never_overwritten(tmp_path: Path) -> None:
    proc = run_export("export", str(ROOT), "--force")
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {ROOT}: the export would overwrite its own sources (")
    inside = run_export("export", str(ROOT / "content" / "out"))
    assert inside.returncode == 1
    assert inside.stderr == (
        f"error: {ROOT / 'content' / 'out'}: the output folder lies inside docs_dir "
        f"({ROOT / 'content'}); choose another one\n"
    )
    assert not (ROOT / "content" / "out").exists()


def test_a_config_without_the_playbook_is_refused(tmp_path: Path) -> None:
    config_file, _ = write_site(tmp_path / "site", {"site_name": "Plain"}, {"index.md": "# Hi\n"})
    proc = run_export("export", str(tmp_path / "out"), "-f", str(config_file))
    assert proc.returncode == 1
    assert proc.stderr == (
        f"error: {config_file}: neither the playbook's hook nor the maturity-playbook plugin "
        "generated any file: this config does not build a playbook\n"
    )


def test_an_invalid_framework_is_reported_with_file_and_line(tmp_path: Path) -> None:
    framework = tmp_path / "kitchen"
    shutil.copytree(KITCHEN, framework)
    risks = framework / "risks.yaml"
    risks.write_text(risks.read_text(encoding="utf-8") + "- {id: x}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_framework(framework)
    proc = run_export("export", str(tmp_path / "out"), "--framework", str(framework))
    assert proc.returncode == 1
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 2 and all(p.startswith(f"{risks}:8: ") for p in problems)
    # Every problem as the CLI prints it, one per line, then their count.
    assert proc.stderr == "error: " + "\n".join([*problems, "2 problems found."]) + "\n"
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2() -> None:
    assert run_export().returncode == 2
    assert run_export("export").returncode == 2
    assert run_export("publish", "x").returncode == 2


# --- a site that uses the plugin, with a prefix ---------------------------------------------


def test_a_plugin_site_exports_without_the_plugin(tmp_path: Path) -> None:
    config: dict[str, Any] = {
        "site_name": "Platform",
        "site_url": DEFAULT_SITE_URL,
        "theme": {"name": "material"},
        "plugins": ["search", {"maturity-playbook": {"framework": str(KITCHEN), "prefix": "k"}}],
        "validation": {"nav": {"omitted_files": "warn"}},
    }
    config_file, _ = write_site(tmp_path / "project", config, {"index.md": "# Platform\n"})
    env = build_env(entry_points_dir(tmp_path / "entry-points"))
    with_plugin = mkdocs_build(config_file, tmp_path / "site-plugin", env)
    assert with_plugin.returncode == 0, with_plugin.stderr
    out = tmp_path / "plain"
    proc = run_export("export", str(out), "-f", str(config_file), cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    written = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert written["plugins"] == ["search"]
    assert written["site_name"] == "Platform"
    assert written["markdown_extensions"] == ["admonition", "attr_list", "md_in_html"]
    assert written["extra_javascript"] == [
        {"path": "k/assets/assessment/assess.mjs", "type": "module"}
    ]
    assert written["extra_css"] == ["k/assets/assessment/assess.css"]
    assert written["nav"][0] == "index.md"
    assert list(written["nav"][1]) == ["Kitchen Hygiene Playbook"]
    plain = mkdocs_build(out / "mkdocs.yml", tmp_path / "site-plain", plain_env())
    assert plain.returncode == 0, plain.stderr
    assert "WARNING" not in plain.stderr
    assert html_pages(tmp_path / "site-plain") == html_pages(tmp_path / "site-plugin")
