"""The assessment page and its runtime assets, as the hooks generate them (no browser needed)."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from conftest import ROOT, golden_cases, score, without_prose
from hostile import answers_file
from mkdocs.exceptions import PluginError
from payload import gzip_sizes, page_payload
from sitebuild import BuiltSite

import assessor
from assessor import Framework, parse_answers
from assessor.codec import framework_from_trusted_dict
from assessor.cpython.load import load_framework
from playbook_site import assessment, runtime
from playbook_site.wheel import build_wheel, content_hash

DEFAULT = load_framework(ROOT / "framework")


class _Form(HTMLParser):
    """Collects what the questionnaire offers, in document order."""

    # Elements whose text a test reads, by class.
    WATCHED = ("mp-must", "mp-na-when", "mp-note-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fieldsets: list[str] = []
        self.radios: dict[str, list[str]] = {}
        self.radio_attrs: dict[tuple[str, str], dict[str, str]] = {}
        self.option_labels: dict[str, list[str]] = {}  # radio name -> label texts
        self.textareas: list[str] = []
        self.text_inputs: list[dict[str, str]] = []
        self.label_for: dict[str, str] = {}  # <label for> -> its text
        self.links: list[str] = []
        self.app: dict[str, str] = {}
        self.scripts: list[dict[str, str]] = []
        self.details: list[dict[str, str]] = []
        self.headings: list[tuple[str, str, str]] = []  # (tag, id, text)
        # class -> practice id (or "" outside a question) -> text
        self.texts: dict[str, dict[str, str]] = {c: {} for c in self.WATCHED}
        self.by_id: dict[str, str] = {}  # the text of watched elements that have an id
        self._fieldset = ""
        # (tag, attributes, text) of the elements whose text is being collected
        self._open: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "fieldset":
            self.fieldsets.append(values.get("id", ""))
            self._fieldset = values.get("data-practice", "")
        elif tag == "input" and values.get("type") == "radio":
            self.radios.setdefault(values["name"], []).append(values.get("value", ""))
            self.radio_attrs[values["name"], values.get("value", "")] = values
            self._open.append(("radio", values, []))
        elif tag == "input" and values.get("type") == "text":
            self.text_inputs.append(values)
        elif tag == "textarea":
            self.textareas.append(values["id"])
        elif tag == "a":
            self.links.append(values.get("href", ""))
        elif tag == "script":
            self.scripts.append(values)
        elif tag == "details":
            self.details.append(values)
        if tag in ("label", "h2", "h3") or set(values.get("class", "").split()) & set(self.WATCHED):
            self._open.append((tag, values, []))
        if values.get("id") == "mp-assessment":
            self.app = values

    def handle_data(self, data: str) -> None:
        for _, _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset":
            self._fieldset = ""
        if tag == "label" and self._open and self._open[-1][0] == "radio":
            _, values, text = self._open.pop()
            self.option_labels.setdefault(values["name"], []).append(
                " ".join("".join(text).split())
            )
        if not self._open or self._open[-1][0] != tag:
            return
        _, values, chunks = self._open.pop()
        text = " ".join("".join(chunks).split())
        if "for" in values:
            self.label_for[values["for"]] = text
        if tag in ("h2", "h3"):
            self.headings.append((tag, values.get("id", ""), text))
        for name in set(values.get("class", "").split()) & set(self.WATCHED):
            self.texts[name][self._fieldset] = text
            if "id" in values:
                self.by_id[values["id"]] = text


def _html(framework: Framework) -> str:
    runtime_urls = runtime.build(framework).urls
    source = assessment.render_page(framework, runtime_urls)
    return markdown.markdown(source, extensions=["toc", "attr_list", "md_in_html"])


def _form(framework: Framework) -> tuple[str, _Form]:
    runtime_urls = runtime.build(framework).urls
    source = assessment.render_page(framework, runtime_urls)
    parser = _Form()
    parser.feed(markdown.markdown(source, extensions=["toc", "attr_list", "md_in_html"]))
    return source, parser


@pytest.mark.parametrize("name", ["default", "kitchen", "pantry"])
def test_questionnaire_asks_self_estimate_first_then_every_practice(
    name: str, kitchen: Framework, pantry: Framework
) -> None:
    framework = {"default": DEFAULT, "kitchen": kitchen, "pantry": pantry}[name]
    _, form = _form(framework)
    # With groups, the questions follow the groups' order (pantry: as capability_order too).
    practices = [p.id for c in framework.capabilities for p in c.practices]
    assert form.fieldsets == ["q-self-estimate"] + [f"q-{pid}" for pid in practices]
    assert form.radios["self-estimate"] == [s.id for s in framework.stages] + [""]
    assert form.textareas == [f"note-{pid}" for pid in practices]
    assert [link for link in form.links if link.startswith("../practices/")] == [
        f"../practices/{pid}/" for pid in practices
    ]
    # One script only: the boot module, loaded early so that Python starts at once.
    boot = form.app["data-module"].replace("/page.mjs", "/boot.mjs")
    assert form.scripts == [{"type": "module", "async": "", "src": boot}]


def test_default_framework_offers_na_only_where_honest_and_names_must_haves() -> None:
    """The default framework's policy is `listed`: the page follows the model's own rule."""
    _, form = _form(DEFAULT)
    scale = [o.id for o in DEFAULT.answer_scale]
    assert DEFAULT.not_applicable_policy == "listed"
    offered = {p.id for p in DEFAULT.practices if form.radios[f"answer-{p.id}"] == [*scale, "na"]}
    refused = {p.id for p in DEFAULT.practices if form.radios[f"answer-{p.id}"] == scale}
    assert offered == {p.id for p in DEFAULT.practices if p.not_applicable_when and not p.required}
    assert refused == {p.id for p in DEFAULT.practices} - offered
    assert offered and refused
    assert set(form.texts["mp-na-when"]) == offered
    for practice in DEFAULT.practices:
        if practice.id in offered:
            assert form.texts["mp-na-when"][practice.id] == (
                f"Honest only when: {' '.join(practice.not_applicable_when.split())}"
            )
    assert set(form.texts["mp-must"]) == {p.id for p in DEFAULT.practices if p.required}
    assert form.texts["mp-must"]["code-in-version-control"] == (
        "Must-have for stage 1 (Repeatable): the stage is not reached until this is fully in "
        "place, and “not applicable” is not an answer here."
    )


PANTRY_OPTIONS = {
    "shelf-labels": ["no", "partial", "yes"],  # required: no N/A
    "stock-count": ["none", "some", "half", "all"],  # no condition under `listed`: no N/A
    "expiry-rotation": ["no", "partial", "yes"],
    "donation-log": ["no", "yes", "na"],
    "fridge-check": ["no", "partial", "yes"],
    "cold-chain": ["no", "yes"],
    "pickup-slots": ["none", "some", "half", "all"],
    "allergen-labels": ["no", "partial", "yes", "na"],
    "partner-audit": ["no", "partial", "yes"],
    "waste-review": ["no", "partial", "yes"],
}


def test_each_question_offers_its_own_scale_and_na_only_where_honest(pantry: Framework) -> None:
    _, form = _form(pantry)
    assert {k[len("answer-") :]: v for k, v in form.radios.items() if k != "self-estimate"} == (
        PANTRY_OPTIONS
    )
    assert form.option_labels["answer-stock-count"] == [
        "No shelf or slot", "Some of them", "At least half of them", "All of them"
    ]  # fmt: skip
    assert form.option_labels["answer-cold-chain"] == ["No", "Yes"]
    assert form.option_labels["answer-allergen-labels"] == [
        "No", "Sometimes", "Always, and we can show it", "Not applicable to us"
    ]  # fmt: skip
    assert form.texts["mp-na-when"] == {
        "donation-log": "Honest only when: You take no donations: everything is bought.",
        "allergen-labels": "Honest only when: You hand out only unopened, factory-labelled goods.",
    }
    na = form.radio_attrs["answer-allergen-labels", "na"]
    assert na["aria-describedby"] == "na-when-allergen-labels"


def test_must_haves_are_named_in_words(pantry: Framework) -> None:
    _, form = _form(pantry)
    rest = (
        "the stage is not reached until this is fully in place, and “not applicable” is not an "
        "answer here."
    )
    assert form.texts["mp-must"] == {
        "shelf-labels": f"Must-have for stage 1 (Stocked): {rest}",
        "cold-chain": f"Must-have for stage 2 (Managed): {rest}",
        "pickup-slots": f"Must-have for stage 2 (Managed): {rest}",
    }
    html = _html(pantry)
    assert html.count(" data-required=") == 3
    assert (
        '<fieldset class="mp-q" id="q-cold-chain" data-practice="cold-chain" data-required="">'
        in html
    )


@pytest.mark.parametrize("name", ["kitchen", "pantry"])
def test_every_question_has_a_labelled_evidence_field(
    name: str, kitchen: Framework, pantry: Framework
) -> None:
    framework = {"kitchen": kitchen, "pantry": pantry}[name]
    _, form = _form(framework)
    ids = [p.id for p in framework.practices]
    fields = [i for i in form.text_inputs if "data-evidence-item" in i]
    assert [i["id"] for i in fields] == [f"ev-{pid}-1" for pid in ids]
    for field in fields:
        pid = field["id"][len("ev-") : -len("-1")]
        assert form.label_for[field["id"]] == "Evidence 1"
        assert field["maxlength"] == "500"
        assert field["data-evidence-item"] == ""
        assert field["aria-describedby"] == f"ev-hint-{pid}"
    hints = {k: v for k, v in form.by_id.items() if k.startswith("ev-hint-")}
    assert hints == {f"ev-hint-{pid}": _evidence_hint(framework.evidence_required) for pid in ids}
    boxes = [d for d in form.details if "data-evidence" in d]
    assert [d["data-evidence"] for d in boxes] == ids
    # Open at once where a top answer needs evidence (pantry), folded away where it does not.
    assert all(("open" in d) is framework.evidence_required for d in boxes)
    assert form.app["data-evidence-max-items"] == "10"
    assert form.app["data-evidence-max-chars"] == "500"


def _evidence_hint(required: bool) -> str:
    needs = ": a top answer counts in full only with at least one" if required else ""
    return (
        f"Links or short notes, one per item (up to 10){needs}. They stay in this browser and go "
        "into exports and share links."
    )


def test_the_page_refuses_the_evidence_links_python_refuses(pantry: Framework) -> None:
    """The page's check of an evidence link uses Python's own patterns (answers.py)."""
    _, form = _form(pantry)
    refused = re.compile(form.app["data-evidence-refused"], re.IGNORECASE)
    ignored = re.compile(form.app["data-evidence-ignored"])
    for text, bad in [("javascript:alert(1)", True), ("java\tscript:x", True),
                      (" DATA:text/html,x", True), ("https://git.example.com/x", False),
                      ("tag v41 in the registry", False), ("blob:https://x", True)]:  # fmt: skip
        assert bool(refused.match(ignored.sub("", text[:100]))) is bad, text
        with pytest.raises(assessor.ValidationError) if bad else contextlib.nullcontext():
            parse_answers(answers_file("pantry", evidence={"shelf-labels": [text]}), pantry)


def test_questionnaire_is_grouped_by_capability_group(
    pantry: Framework, kitchen: Framework
) -> None:
    _, form = _form(pantry)
    assert form.headings == [
        ("h2", "self-estimate", "Your own estimate first"),
        ("h2", "group-keep", "Keeping stock"),
        ("h3", "cap-shelves", "Shelves"),
        ("h3", "cap-intake", "Intake"),
        ("h2", "group-share", "Sharing food"),
        ("h3", "cap-distribution", "Distribution"),
        ("h2", "results", "Results"),
        ("h2", "history", "History"),
    ]
    html = _html(pantry)
    assert html.index('id="group-keep"') < html.index('id="q-shelf-labels"')
    assert html.index('id="q-cold-chain"') < html.index('id="group-share"')
    assert '<p class="mp-group-summary">What happens between the door and the shelf.</p>' in html
    assert '<p class="mp-group-summary">What happens between the shelf and the client.</p>' in html
    # Without groups, capabilities stay at the second level.
    _, plain = _form(kitchen)
    assert [h for h in plain.headings if h[0] == "h3"] == []
    assert [h[1] for h in plain.headings] == [
        "self-estimate",
        *(f"cap-{c.id}" for c in kitchen.capabilities),
        "results",
        "history",
    ]


def test_questionnaire_shows_evidence_and_capability_headings(kitchen: Framework) -> None:
    source, _ = _form(kitchen)
    html = markdown.markdown(source, extensions=["toc", "attr_list", "md_in_html"])
    assert '<h2 id="cap-storage">Food storage</h2>' in html
    assert "You should be able to show:" in html
    assert "<li>A roll of labels next to the fridge</li>" in html
    assert html.index('id="q-self-estimate"') < html.index('id="q-labelled-leftovers"')
    assert html.index('id="cap-storage"') < html.index('id="cap-cleaning"')


def test_na_is_offered_only_when_the_framework_allows_it(kitchen: Framework) -> None:
    _, form = _form(kitchen)
    scale = [o.id for o in kitchen.answer_scale]
    assert all(form.radios[f"answer-{p.id}"] == [*scale, "na"] for p in kitchen.practices)
    assert form.texts["mp-na-when"] == {}
    assert form.texts["mp-must"] == {}
    strict = dataclasses.replace(kitchen, allow_not_applicable=False)
    _, form = _form(strict)
    assert form.radios["answer-labelled-leftovers"] == ["no", "partial", "yes"]
    nowhere = dataclasses.replace(kitchen, not_applicable="nowhere")
    _, form = _form(nowhere)
    assert all(form.radios[f"answer-{p.id}"] == scale for p in kitchen.practices)


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
        capability.practices[0], title=evil, question=evil, evidence=(evil,),
        not_applicable_when=evil,
    )  # fmt: skip
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
    assert form.texts["mp-na-when"] == {practice.id: f"Honest only when: {evil}"}
    # The theme writes the front matter's description into a <meta> unescaped: it must arrive
    # as HTML text already.
    import yaml

    meta = yaml.safe_load(source.split("---", 2)[1])
    assert meta["description"] == (
        "Check with evidence which stage of the &lt;script&gt;alert(1)&lt;/script&gt; *x* "
        "[y](javascript:alert(2)) {#z} &amp; &lt;img src=x onerror=a()&gt; your team has reached."
    )


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
        changed = b"\nconst changed = 1;\n" if name == "worker.mjs" else b""
        (web / name).write_bytes(data + changed)
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
        slim = framework_from_trusted_dict(json.loads(data))
        assert slim == without_prose(framework)
    slim_kitchen = framework_from_trusted_dict(json.loads(runtime.framework_json(kitchen)))
    for case in golden_cases():
        assert score(slim_kitchen, case["answers"]) == score(kitchen, case["answers"])


def test_our_payload_is_within_budget() -> None:
    # What the assessment page loads (the runtime also holds other pages' modules).
    assets = runtime.build(DEFAULT)
    counted = page_payload(assets, assets.urls.page_module_url, [])
    sizes = gzip_sizes(assets.files, counted)
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


def test_wheel_ships_the_sources_without_comments_and_docstrings() -> None:
    import ast
    import io
    import zipfile

    from playbook_site.wheel import PACKAGE_DIR

    _, data = build_wheel()
    shipped = zipfile.ZipFile(io.BytesIO(data))
    modules = sorted(n for n in shipped.namelist() if n.endswith(".py"))
    assert modules == sorted(f"assessor/{p.name}" for p in PACKAGE_DIR.glob("*.py"))
    for name in modules:
        source = (PACKAGE_DIR / name.split("/", 1)[1]).read_text(encoding="utf-8")
        code = shipped.read(name).decode("utf-8")
        assert '"""' not in code and "\n#" not in code, name
        # Same code: the shipped module's tree equals the source's without its docstrings.
        expected = ast.parse(source)
        for node in ast.walk(expected):
            body = getattr(node, "body", None)
            if (
                isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)
            ):  # fmt: skip
                node.body = body[1:] or [ast.Pass()]  # type: ignore[attr-defined]
        assert ast.dump(ast.parse(code)) == ast.dump(expected), name
