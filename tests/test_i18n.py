"""The translated UI: the catalogs, a fork's texts, and builds in another language (no browser)."""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import KITCHEN, PANTRY, ROOT
from languagesite import build_in
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from sitebuild import read_html

from assessor.cpython.load import load_framework
from playbook_site import assessment, i18n, pages, settings
from playbook_site.plugin import PlaybookPlugin

LANGUAGES = ("fr", "de", "es")
# Texts that read the same in English and in a translation (words only: texts without letters,
# such as "{label}: {what}.", need no entry).
SAME_AS_ENGLISH = {
    "fr": {"nav.guide", "earlier.notes", "team.question", "team.consensus"},
    "de": {"nav.standards", "standards.title", "standards.standard", "render.roadmap", "org.teams"},
    "es": {"render.no"},
}
ENGLISH = i18n.read_catalog(i18n.catalog_path("en"))
MKDOCS_YML = str(ROOT / "mkdocs.yml")


def _forms(message: i18n.Message) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [message]


# --- the catalogs ----------------------------------------------------------------------------


def test_english_catalog_is_well_formed() -> None:
    assert ENGLISH.problems == []
    assert len(ENGLISH.texts) > 300
    assert i18n.available() == ("de", "en", "es", "fr")
    # The browser gets only its modules' texts; the pages' texts stay on the build's side.
    browser = i18n.english().browser()
    assert "render.evidenced" in browser and "results.progress" in browser
    assert not [k for k in browser if k.split(".")[0] in ("practice", "assessment", "nav")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_exactly_the_english_keys_and_placeholders(language: str) -> None:
    catalog = i18n.read_catalog(i18n.catalog_path(language))
    assert catalog.problems == []
    assert list(catalog.texts) == list(ENGLISH.texts)  # same keys, same order
    wrong = {
        key: (sorted(i18n.placeholders(text)), sorted(i18n.placeholders(ENGLISH.texts[key])))
        for key, text in catalog.texts.items()
        if i18n.placeholders(text) != i18n.placeholders(ENGLISH.texts[key])
    }
    assert wrong == {}
    # The build picks "one" or "other"; every plural text has both.
    plural = {k: sorted(v) for k, v in catalog.texts.items() if isinstance(v, dict)}
    assert {k: v for k, v in plural.items() if v != ["one", "other"]} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_translated(language: str) -> None:
    catalog = i18n.read_catalog(i18n.catalog_path(language)).texts
    same = {
        key
        for key, text in ENGLISH.texts.items()
        if catalog[key] == text
        and any(re.search("[A-Za-z]", i18n.PLACEHOLDER.sub("", f)) for f in _forms(text))
    }
    assert same == SAME_AS_ENGLISH[language]


def _sources(folder: Path, *suffixes: str) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.suffix in suffixes
    )


def test_every_text_is_used_and_every_key_used_exists() -> None:
    web = _sources(ROOT / "assessor_wasm" / "web", ".mjs")
    site = _sources(ROOT / "hooks", ".py", ".j2")
    sections = "|".join(sorted({k.split(".")[0] for k in ENGLISH.texts}))
    quoted = re.findall(rf"[\"']((?:{sections})\.[a-z_]+)[\"']", web + site)
    # File names ("matrix.md") are not keys.
    used = {q for q in quoted if q.rsplit(".", 1)[1] not in ("md", "html", "yaml")}
    used |= {f"assessment.{key}" for key in assessment.FALLBACK_KEYS}
    assert sorted(used - set(ENGLISH.texts)) == []
    assert sorted(set(ENGLISH.texts) - used) == []


def test_numbers_percentages_and_plurals_follow_the_language() -> None:
    english, french, german = (i18n.resolve(lang, {}, _log()) for lang in ("en", "fr", "de"))
    assert (english.percent(0.8), english.percent(0.825), english.number(1.5)) == (
        "80%", "82.5%", "1.5",
    )  # fmt: skip
    assert (french.percent(0.8), french.percent(0.825), french.number(1.5)) == (
        "80\u00a0%", "82,5\u00a0%", "1,5",
    )  # fmt: skip
    assert (german.number(2.0), german.number(20001)) == ("2", "20001")
    assert [french("stage.practices", count=n) for n in (0, 1, 2)] == [
        "0 pratique", "1 pratique", "2 pratiques",
    ]  # fmt: skip
    assert [english("stage.practices", count=n) for n in (0, 1, 2)] == [
        "0 practices", "1 practice", "2 practices",
    ]  # fmt: skip


# --- a fork's texts --------------------------------------------------------------------------


def _log() -> logging.Logger:
    return logging.getLogger("mkdocs.test.i18n")


def test_texts_given_in_mkdocs_yml_replace_the_catalogs(kitchen: Any) -> None:
    extra = {"playbook": {"messages": {"practice.why": "Why we care", "nav.home": "Start here"}}}
    options = settings.read_settings(extra, MKDOCS_YML)
    assert options.messages == {"practice.why": "Why we care", "nav.home": "Start here"}
    messages = i18n.resolve("fr", options.messages, _log())
    page = pages.render_pages(kitchen, messages)["practices/labelled-leftovers.md"]
    assert "\n## Why we care\n" in page
    assert "\n## Comment y parvenir\n" in page  # the rest is the French catalog's


def test_unknown_message_keys_and_placeholders_are_refused_with_their_path() -> None:
    extra = {
        "playbook": {
            "messages": {"practice.whyy": "Why", "stage.next_is": "Next: {stag}", "nav.home": 3}
        }
    }
    with pytest.raises(PluginError) as caught:
        settings.read_settings(extra, MKDOCS_YML)
    assert str(caught.value).splitlines() == [
        "mkdocs.yml: extra.playbook.messages.practice.whyy: unknown message key "
        f"(did you mean 'practice.why'?) (the keys are those of {i18n.catalog_path('en')})",
        "mkdocs.yml: extra.playbook.messages.stage.next_is: unknown placeholder {stag} "
        "(this message has: {stage}, {summary})",
        "mkdocs.yml: extra.playbook.messages.nav.home: must be a text (or plural forms: one, "
        "other), got int",
    ]


def test_the_plugin_takes_the_sites_language_and_its_messages_option(tmp_path: Path) -> None:
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: Ours\ntheme:\n  name: material\n  language: de\n")
    (tmp_path / "docs").mkdir()
    plugin = PlaybookPlugin()
    options = {"framework": str(KITCHEN), "messages": {"practice.why": "Warum wir das tun"}}
    assert plugin.load_config(options, str(config_file)) == ([], [])
    plugin.on_config(load_config(str(config_file)))
    assert plugin.build is not None
    messages = plugin.build.messages
    assert (messages("practice.why"), messages("nav.home")) == ("Warum wir das tun", "Start")
    wrong = PlaybookPlugin()
    assert wrong.load_config({"messages": {"nav.hom": "Start"}}, str(config_file)) == ([], [])
    with pytest.raises(
        PluginError, match=r"^mkdocs.yml: plugins.maturity-playbook.messages.nav.hom: "
    ):
        wrong.on_config(load_config(str(config_file)))
    errors, _ = PlaybookPlugin().load_config({"messages": ["nav.home"]})
    assert [key for key, _ in errors] == ["messages"]


def test_a_catalog_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "it.yml"
    path.write_text(
        "nav.home: Inizio\nnav.stages: Stadi\nnav.hom: Casa\n"
        "stage.practices:\n  one: '{count} pratica'\n  altri: '{count} pratiche'\n",
        encoding="utf-8",
    )
    extra = {"playbook": {"messages": "it.yml"}}
    with pytest.raises(PluginError) as caught:
        settings.read_settings(extra, str(tmp_path / "mkdocs.yml"))
    assert str(caught.value).splitlines() == [
        f"{path}:4: stage.practices: unknown plural form 'altri' "
        "(known: zero, one, two, few, many, other)"
    ]
    path.write_text("nav.home: Inizio\nnav.stages: Stadi\nnav.hom: Casa\n", encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        settings.read_settings(extra, str(tmp_path / "mkdocs.yml"))
    assert str(caught.value).startswith(
        f"{path}:3: nav.hom: unknown message key (did you mean 'nav.home'?)"
    )
    path.write_text("nav.home: Inizio\n", encoding="utf-8")
    options = settings.read_settings(extra, str(tmp_path / "mkdocs.yml"))
    assert options.messages == {"nav.home": "Inizio"}


def test_a_language_without_a_catalog_is_english_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.test.i18n"):
        messages = i18n.resolve("it", {}, _log())
    assert messages("nav.home") == "Home"
    assert caplog.messages == [
        "playbook: no message catalog for theme.language 'it' (there are: de, en, es, fr); the "
        "playbook's UI is in English. Give the texts under `messages:` to translate it."
    ]


def test_each_text_missing_in_a_fork_catalog_is_english_and_named(
    caplog: pytest.LogCaptureFixture,
) -> None:
    given = {key: f"[{key}]" for key in ENGLISH.texts if key not in ("nav.home", "render.no")}
    with caplog.at_level(logging.WARNING, logger="mkdocs.test.i18n"):
        messages = i18n.resolve("it", given, _log())
    assert caplog.messages == [
        "playbook: message 'nav.home' has no it translation; using English",
        "playbook: message 'render.no' has no it translation; using English",
    ]
    assert (messages("nav.home"), messages("nav.stages")) == ("Home", "[nav.stages]")
    assert messages.browser()["render.no"] == "no"


def test_a_regional_language_takes_its_language_catalog(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.test.i18n"):
        messages = i18n.resolve("fr-CA", {}, _log())
        assert i18n.resolve(None, {}, _log()).language == "en"
    assert (messages.language, messages("nav.home")) == ("fr", "Accueil")
    assert caplog.messages == []


@pytest.fixture
def short_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Our catalogs, with the French one lacking `practice.tools`."""
    for name in ("en.yml", "fr.yml"):
        shutil.copy(i18n.CATALOGS / name, tmp_path / name)
    french = tmp_path / "fr.yml"
    text = french.read_text(encoding="utf-8")
    french.write_text(text.replace("practice.tools: Outils\n", ""), encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGS", tmp_path)
    i18n._our_catalog.cache_clear()
    yield
    i18n._our_catalog.cache_clear()


def test_a_text_missing_in_our_catalog_is_english_with_a_warning(
    short_french: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.test.i18n"):
        messages = i18n.resolve("fr", {}, _log())
    assert caplog.messages == [
        "playbook: message 'practice.tools' has no fr translation; using English"
    ]
    assert (messages("practice.tools"), messages("practice.pitfalls")) == ("Tools", "Pièges")


# --- builds ----------------------------------------------------------------------------------


def test_strict_build_fails_when_a_text_is_missing(tmp_path: Path) -> None:
    given = {key: f"[{key}]" for key in ENGLISH.texts if key != "matrix.title"}
    result = build_in(KITCHEN, tmp_path / "site", "it", {"messages": given})
    assert result.returncode != 0
    assert "playbook: message 'matrix.title' has no it translation; using English" in (
        result.stderr
    )


def test_build_uses_the_texts_of_mkdocs_yml_and_refuses_unknown_keys(tmp_path: Path) -> None:
    result = build_in(
        KITCHEN, tmp_path / "site", "en", {"messages": {"practice.why": "Why we care"}}
    )
    assert result.returncode == 0, result.stderr
    page = read_html(tmp_path / "site" / "practices" / "labelled-leftovers" / "index.html")
    assert "Why we care" in page.article and "Why it matters" not in page.article
    result = build_in(KITCHEN, tmp_path / "bad", "en", {"messages": {"practice.wy": "Why"}})
    assert result.returncode != 0
    assert "mkdocs.yml: extra.playbook.messages.practice.wy: unknown message key" in result.stderr


# A French build of two frameworks: the kitchen (the plainest) and the pantry (must-haves, named
# scales, groups, standards, evidence required).
FRENCH = {"kitchen": KITCHEN, "pantry": PANTRY}
# Pages the playbook generates (the hand-written ones in content/ stay as their author wrote).
GENERATED = (
    "stages", "capabilities", "practices", "matrix", "risks", "standards", "assessment", "team",
    "organisation",
)  # fmt: skip


# English fragments that are French words as well, or inside one (fr.yml: "figurent dans les
# exports", "correspondent"; the texts French writes as English does: "Question", "Consensus").
FRENCH_TOO = {"exports", "respondent"} | {
    text for key in SAME_AS_ENGLISH["fr"] if isinstance(text := ENGLISH.texts[key], str)
}


@dataclass(frozen=True)
class FrenchSite:
    """A French build of one framework."""

    framework: Path
    root: Path


@pytest.fixture(scope="module", params=sorted(FRENCH))
def french_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> FrenchSite:
    out = tmp_path_factory.mktemp(f"fr-{request.param}") / "site"
    result = build_in(FRENCH[request.param], out, "fr")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return FrenchSite(FRENCH[request.param], out)


def _generated_pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("index.html"))
    pages = [p for p in found if p.relative_to(site).parts[0] in GENERATED]
    assert len(pages) > 10
    # The team pages are among them (their words come from the catalogs too).
    assert {p.relative_to(site).parts[0] for p in pages} >= {"assessment", "team", "organisation"}
    return pages


def _english_fragments() -> set[str]:
    """Pieces of the English texts that a page would show as they are: the text between the
    placeholders and the markup, of more than one word or six letters."""
    found = set()
    for key, message in ENGLISH.texts.items():
        if key.startswith("number."):
            continue
        for form in _forms(message):
            plain = re.sub(r"<[^>]+>|\*\*|\]\(\{[a-z_]+\}\)|\[", "", form)
            for piece in i18n.PLACEHOLDER.split(plain)[::2]:
                piece = piece.strip(" .,:;()“”\"'\u2014\u2013·-")
                if " " in piece or len(piece) > 6:
                    found.add(piece)
    return found


def _framework_text(directory: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(directory.rglob("*.yaml")))


def test_french_build_shows_no_english_ui_text(french_site: FrenchSite) -> None:
    own = _framework_text(french_site.framework)
    # Pieces the framework's own (English) text happens to contain are not the UI's.
    fragments = {f for f in _english_fragments() if f not in own} - FRENCH_TOO
    french = i18n.read_catalog(i18n.catalog_path("fr")).texts
    assert "Why it matters" in fragments and "Self-assessment" in fragments
    for path in _generated_pages(french_site.root):
        page = read_html(path)
        shown = [f for f in fragments if f in page.article or f in page.title]
        assert shown == [], path
        nav = [french[k] for k in ("nav.stages", "nav.capabilities") if french[k] not in page.text]
        assert nav == [], path
        assert "Stages" not in page.text.split() and "Capabilities" not in page.text.split()
    home = (french_site.root / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home


def test_french_build_ships_the_french_texts_to_the_browser(french_site: FrenchSite) -> None:
    french = i18n.resolve("fr", {}, _log())
    source = (french_site.root / "assessment" / "index.html").read_text(encoding="utf-8")
    root = re.search(r'<div class="mp-app" id="mp-assessment"[^>]*>', source, re.S)
    assert root is not None
    fallback = re.search(r'data-fallback-text="([^"]*)"', root.group(0))
    assert fallback is not None
    texts = json.loads(html.unescape(fallback.group(1)))
    assert texts == {
        key.removeprefix("fallback_"): french.texts[f"assessment.{key}"]
        for key in assessment.FALLBACK_KEYS
    }
    module = re.search(r'data-module="([^"]*)/page\.mjs"', root.group(0))
    assert module is not None
    folder = french_site.root / "assessment" / module.group(1)
    strings = (folder / "strings.mjs").read_text(encoding="utf-8")
    assert strings.startswith("export default {") and strings.endswith("};\n")
    assert json.loads(strings.removeprefix("export default ").rstrip(";\n")) == french.browser()
    # French punctuation keeps its no-break space (the page's text, read as HTML).
    assert "<legend>À quel stade pensez-vous que se trouve votre équipe\u00a0?</legend>" in source
    assert read_html(french_site.root / "assessment" / "index.html").title.startswith(
        "Auto-évaluation - "
    )


def test_french_stage_page_writes_its_percentage_the_french_way(french_site: FrenchSite) -> None:
    framework = load_framework(french_site.framework)
    percent = i18n.resolve("fr", {}, _log()).percent(framework.stage_threshold)
    assert percent.endswith("\u00a0%")
    source = (french_site.root / "stages" / "index.html").read_text(encoding="utf-8")
    assert f"au moins <strong>{percent}</strong> des pratiques de ce stade" in source
