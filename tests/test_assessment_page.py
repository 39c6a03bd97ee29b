"""The assessment page and its runtime assets, as the hooks generate them (no browser needed)."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from conftest import ROOT, golden_cases, score
from mkdocs.exceptions import PluginError
from sitebuild import BuiltSite

import assessor
from assessor import Framework
from assessor.codec import framework_from_dict
from assessor.cpython.load import load_framework
from playbook_site import assessment, runtime
from playbook_site.wheel import build_wheel, content_hash

DEFAULT = load_framework(ROOT / "framework")


class _Form(HTMLParser):
    """Collects what the questionnaire offers, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fieldsets: list[str] = []
        self.radios: dict[str, list[str]] = {}
        self.textareas: list[str] = []
        self.links: list[str] = []
        self.app: dict[str, str] = {}
        self.scripts: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "fieldset":
            self.fieldsets.append(values.get("id", ""))
        elif tag == "input" and values.get("type") == "radio":
            self.radios.setdefault(values["name"], []).append(values.get("value", ""))
        elif tag == "textarea":
            self.textareas.append(values["id"])
        elif tag == "a":
            self.links.append(values.get("href", ""))
        elif tag == "script":
            self.scripts.append(values)
        if values.get("id") == "mp-assessment":
            self.app = values


def _form(framework: Framework) -> tuple[str, _Form]:
    runtime_urls = runtime.build(framework).urls
    source = assessment.render_page(framework, runtime_urls)
    parser = _Form()
    parser.feed(markdown.markdown(source, extensions=["toc", "attr_list", "md_in_html"]))
    return source, parser


@pytest.mark.parametrize("name", ["default", "kitchen"])
def test_questionnaire_asks_self_estimate_first_then_every_practice(
    name: str, kitchen: Framework
) -> None:
    framework = DEFAULT if name == "default" else kitchen
    _, form = _form(framework)
    practices = [p.id for c in framework.capabilities for p in c.practices]
    assert form.fieldsets == ["q-self-estimate"] + [f"q-{pid}" for pid in practices]
    assert form.radios["self-estimate"] == [s.id for s in framework.stages] + [""]
    scale = [o.id for o in framework.answer_scale] + ["na"]
    for pid in practices:
        assert form.radios[f"answer-{pid}"] == scale
    assert form.textareas == [f"note-{pid}" for pid in practices]
    assert [link for link in form.links if link.startswith("../practices/")] == [
        f"../practices/{pid}/" for pid in practices
    ]
    # One script only: the boot module, loaded early so that Python starts at once.
    boot = form.app["data-module"].replace("/page.mjs", "/boot.mjs")
    assert form.scripts == [{"type": "module", "async": "", "src": boot}]


def test_questionnaire_shows_evidence_and_capability_headings(kitchen: Framework) -> None:
    source, _ = _form(kitchen)
    html = markdown.markdown(source, extensions=["toc", "attr_list", "md_in_html"])
    assert '<h2 id="cap-storage">Food storage</h2>' in html
    assert "You should be able to show:" in html
    assert "<li>A roll of labels next to the fridge</li>" in html
    assert html.index('id="q-self-estimate"') < html.index('id="q-labelled-leftovers"')
    assert html.index('id="cap-storage"') < html.index('id="cap-cleaning"')


def test_na_is_offered_only_when_the_framework_allows_it(kitchen: Framework) -> None:
    strict = dataclasses.replace(kitchen, allow_not_applicable=False)
    _, form = _form(strict)
    assert form.radios["answer-labelled-leftovers"] == ["no", "partial", "yes"]


def test_page_config_names_every_asset_relative_to_the_page(kitchen: Framework) -> None:
    _, form = _form(kitchen)
    uris = set(runtime.build(kitchen).files)
    app = form.app
    assert app["data-framework-id"] == "kitchen"
    assert app["data-answers-format"] == assessor.ANSWERS_FORMAT
    assert app["data-site-root"] == "../"
    assert app["data-index-url"] == f"../assets/pyodide/{runtime.pinned_pyodide_version()}/"
    for key in ("data-module", "data-worker", "data-wheel", "data-framework"):
        assert app[key].startswith("../")
        assert app[key][3:] in uris, key


def test_hostile_framework_text_stays_text(kitchen: Framework) -> None:
    evil = "<script>alert(1)</script> *x* [y](javascript:alert(2)) {#z} & <img src=x onerror=a()>"
    capability = dataclasses.replace(kitchen.capabilities[0], title=evil, summary=evil)
    practice = dataclasses.replace(
        capability.practices[0], title=evil, question=evil, evidence=(evil,)
    )
    capability = dataclasses.replace(capability, practices=(practice, *capability.practices[1:]))
    hostile = dataclasses.replace(
        kitchen, capabilities=(capability, *kitchen.capabilities[1:]), title=evil
    )
    source, form = _form(hostile)
    html = markdown.markdown(source, extensions=["toc", "attr_list", "md_in_html"])
    assert html.count("<script") == 1  # the boot module's own tag
    assert "<img" not in html
    assert "javascript:" not in [link.split("(")[0] for link in form.links]
    assert len(form.scripts) == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A *b* <c> & d", "A \\*b\\* &lt;c\\> &amp; d"), ("x {#y}", "x \\{\\#y\\}"),
     ("1. item", "1\\. item"), ("line\nbreak", "line break")],
)  # fmt: skip
def test_md_heading_escapes_markdown(text: str, expected: str) -> None:
    assert assessment.md_heading(text) == expected


# --- runtime assets ----------------------------------------------------------------------------


def test_runtime_ships_the_five_pyodide_files_under_the_pinned_version(kitchen: Framework) -> None:
    uris = runtime.build(kitchen).files
    version = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"][
        "pyodide"
    ]
    pyodide = sorted(u for u in uris if u.startswith("assets/pyodide/"))
    assert pyodide == sorted(f"assets/pyodide/{version}/{name}" for name in runtime.PYODIDE_FILES)
    assert all(isinstance(uris[u], Path) for u in pyodide)


def test_wheel_path_carries_its_content_hash_and_is_reproducible(kitchen: Framework) -> None:
    first, second = runtime.build(kitchen).files, runtime.build(kitchen).files
    wheels = [u for u in first if u.endswith(".whl")]
    assert len(wheels) == 1
    wheel = first[wheels[0]]
    assert isinstance(wheel, bytes)
    assert wheels[0].split("/")[2] == hashlib.sha256(wheel).hexdigest()[:12]
    assert wheels[0].split("/")[2] == content_hash(wheel)
    assert first == second
    assert wheel == build_wheel()[1]


def test_hashed_paths_change_when_content_changes(
    kitchen: Framework, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = runtime.build(kitchen).urls
    renamed = dataclasses.replace(kitchen, title="Another title")
    assert runtime.build(renamed).urls.framework_url != (before.framework_url)
    web = tmp_path / "web"
    web.mkdir()
    for name, data in runtime.web_files().items():
        (web / name).write_bytes(data + (b"\n// changed\n" if name == "worker.mjs" else b""))
    monkeypatch.setattr(runtime, "WEB_DIR", web)
    after = runtime.build(kitchen).urls
    assert after.worker_url != before.worker_url
    assert after.page_module_url.rsplit("/", 1)[0] == after.worker_url.rsplit("/", 1)[0]
    assert after.wheel_url == before.wheel_url


def test_framework_json_scores_like_the_full_framework(kitchen: Framework) -> None:
    for framework in (kitchen, DEFAULT):
        built = runtime.build(framework)
        data = built.files[built.urls.framework_url]
        assert isinstance(data, bytes)
        slim = framework_from_dict(json.loads(data))
        assert slim.id == framework.id
        assert [p.id for p in slim.practices] == [p.id for p in framework.practices]
    slim_kitchen = framework_from_dict(json.loads(runtime.framework_json(kitchen)))
    for case in golden_cases():
        assert score(slim_kitchen, case["answers"]) == score(kitchen, case["answers"])


def test_our_payload_is_within_budget() -> None:
    uris = runtime.build(DEFAULT).files
    ours = {u: d for u, d in uris.items() if not u.startswith("assets/pyodide/")}
    sizes = {
        u: len(gzip.compress(d if isinstance(d, bytes) else d.read_bytes()))
        for u, d in ours.items()
    }
    assert sum(sizes.values()) <= 100 * 1024, sizes


def test_web_sources_hard_code_no_asset_url() -> None:
    for name, data in runtime.web_files().items():
        text = data.decode("utf-8")
        assert "assets/" not in text, name
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), name
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text, name
        assert "eval(" not in text and "new Function" not in text, name


def _fake_pyodide(tmp_path: Path, version: str, files: tuple[str, ...]) -> Path:
    folder = tmp_path / "node_modules" / "pyodide"
    folder.mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    for name in files:
        (folder / name).write_bytes(b"x")
    return folder


def test_missing_pyodide_fails_with_the_setup_command(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match=r"missing.*run `npm ci` \(or the README's set-up"):
        runtime.pyodide_dir(tmp_path / "node_modules" / "pyodide")


def test_other_pyodide_version_fails_with_the_setup_command(tmp_path: Path) -> None:
    folder = _fake_pyodide(tmp_path, "0.1.0", runtime.PYODIDE_FILES)
    with pytest.raises(
        PluginError, match=r"holds Pyodide 0\.1\.0, but package\.json pins .*npm ci"
    ):
        runtime.pyodide_dir(folder)


def test_incomplete_pyodide_fails_with_the_setup_command(tmp_path: Path) -> None:
    folder = _fake_pyodide(tmp_path, runtime.pinned_pyodide_version(), runtime.PYODIDE_FILES[:2])
    with pytest.raises(PluginError, match=r"lacks pyodide\.asm\.wasm, .*npm ci"):
        runtime.pyodide_dir(folder)


def test_build_without_pyodide_fails_with_the_setup_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("PLAYBOOK_FRAMEWORK", str(ROOT / "tests" / "fixtures" / "kitchen"))
    monkeypatch.setattr(runtime, "NODE_PYODIDE", tmp_path / "nowhere" / "pyodide")
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    with pytest.raises(Abort):
        build(config)
    assert "The Pyodide runtime is missing" in caplog.text
    assert "run `npm ci` (or the README's set-up command)" in caplog.text
    assert not (tmp_path / "site" / "assets" / "pyodide").exists()


# --- the built site ----------------------------------------------------------------------------


def _app_config(site: BuiltSite) -> dict[str, str]:
    parser = _Form()
    parser.feed((site.root / "assessment" / "index.html").read_text(encoding="utf-8"))
    return parser.app


def test_built_site_serves_the_assets_the_page_names(site_kitchen: BuiltSite) -> None:
    app = _app_config(site_kitchen)
    page_dir = site_kitchen.root / "assessment"
    for key in ("data-module", "data-worker", "data-wheel", "data-framework"):
        assert (page_dir / app[key]).resolve().is_file(), key
    index = (page_dir / app["data-index-url"]).resolve()
    for name in runtime.PYODIDE_FILES:
        assert (index / name).read_bytes() == (
            ROOT / "node_modules" / "pyodide" / name
        ).read_bytes()
    assert (page_dir / app["data-wheel"]).resolve().read_bytes() == build_wheel()[1]
    assert (site_kitchen.root / runtime.ENTRY_MODULE).is_file()
    assert (site_kitchen.root / runtime.STYLESHEET).is_file()


def test_every_page_loads_the_entry_module_as_a_module(site_kitchen: BuiltSite) -> None:
    for name in ("index.html", "assessment/index.html", "practices/stock-rotation/index.html"):
        text = (site_kitchen.root / name).read_text(encoding="utf-8")
        assert re.search(
            r'<script src="[./]*assets/assessment/assess\.mjs" type="module">', text
        ), name


def test_two_builds_give_identical_assets(site_kitchen: BuiltSite, tmp_path: Path) -> None:
    from sitebuild import build_site

    result = build_site(site_kitchen.framework_dir, tmp_path / "again", site_kitchen.site_url)
    assert result.returncode == 0, result.stderr

    def files(root: Path) -> dict[str, bytes]:
        folder = root / "assets"
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for sub in ("assessor", "assessment")
            for p in sorted((folder / sub).rglob("*"))
            if p.is_file()
        }

    assert files(site_kitchen.root) == files(tmp_path / "again")
