"""The UI's own words: one message catalog per language, chosen by `theme.language`.

A catalog (`messages/<language>.yml`) maps flat keys to texts with `{name}` placeholders; a text
that depends on a count is a mapping of plural forms (`one`, `other`, ...). English is complete by
definition; every other catalog has exactly its keys and placeholders (a test checks ours). A
fork overrides any text in mkdocs.yml, or gives a whole catalog file for a language we lack; a
text missing in the chosen language is taken from English with a warning that names it, so
`mkdocs build --strict` fails. The framework's own text is never translated here.

The first segment of a key says where the text is used: a browser module's name (`render`,
`results`, ... : every `*.mjs` in assessor_wasm/web) ships the text to the page as plain text
(`browser()`); `assessment.*` is HTML of the questionnaire; the other sections are Markdown of
the generated pages (`practice`, `stage`, ...), or plain text (`nav`, `number`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError

from assessor.cpython.load import read_yaml
from assessor.source import LocatedDict, Problem, suggest

CATALOGS = Path(__file__).resolve().parent / "messages"
WEB_DIR = Path(__file__).resolve().parents[2] / "assessor_wasm" / "web"
ENGLISH = "en"
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
# CLDR's plural categories; a text names those its language needs ("other" always).
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
# Languages whose singular also covers 0 (CLDR: French "0 pratique"); elsewhere only 1 is.
_ZERO_IS_ONE = frozenset({"fr", "pt"})

Message = str | Mapping[str, str]
Logger = logging.Logger | logging.LoggerAdapter[logging.Logger]


def browser_sections() -> frozenset[str]:
    """The key sections shipped to the page: one per browser module (render, results, ...)."""
    return frozenset(p.stem for p in WEB_DIR.glob("*.mjs"))


def placeholders(message: Message) -> set[str]:
    """The `{name}` placeholders of a text, over all its plural forms."""
    forms = message.values() if isinstance(message, Mapping) else [message]
    return {name for form in forms for name in PLACEHOLDER.findall(form)}


@dataclass(frozen=True)
class Messages:
    """The texts of one build, complete (missing ones were taken from English), and how numbers
    read in their language."""

    language: str  # the catalog's language ("en", "fr", ..., or a fork's)
    texts: Mapping[str, Message]

    def __call__(self, key: str, /, **values: object) -> str:
        """The text of `key` with its placeholders filled; numbers written in the language."""
        return PLACEHOLDER.sub(lambda m: self._value(values[m.group(1)]), self._form(key, values))

    def html(self, key: str, /, **values: object) -> Markup:
        """An HTML text (the questionnaire's `assessment.*`): the text is the catalog's markup,
        each value is escaped unless it is markup already."""

        def fill(match: re.Match[str]) -> str:
            value = values[match.group(1)]
            return value if isinstance(value, Markup) else escape(self._value(value))

        return Markup(PLACEHOLDER.sub(fill, self._form(key, values)))

    def text(self, key: str, /, **values: object) -> Markup:
        """A plain text in HTML: text and values escaped."""
        return escape(self(key, **values))

    def _form(self, key: str, values: Mapping[str, object]) -> str:
        message = self.texts[key]
        if isinstance(message, str):
            return message
        count = values.get("count")
        form = self.plural(count) if isinstance(count, int | float) else "other"
        return message.get(form, message["other"])

    def _value(self, value: object) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.number(value)
        return str(value)

    def plural(self, count: float) -> str:
        """The plural form of a count: "one" or "other" (the page uses all of CLDR's)."""
        if count == 1 or (count == 0 and self.language.split("-")[0] in _ZERO_IS_ONE):
            return "one"
        return "other"

    def number(self, value: float) -> str:
        """2.0 -> '2', 1.5 -> '1.5' ('1,5' in French); never grouped (neither is the page's)."""
        text = str(int(value)) if float(value).is_integer() else f"{value:g}"
        whole, _, fraction = text.partition(".")
        return whole + (f"{self.texts['number.decimal']}{fraction}" if fraction else "")

    def percent(self, share: float) -> str:
        """0.8 -> '80%' ('80 %' in French); a decimal only when it says something: '82.5%'."""
        value = float(f"{share * 100:.1f}")
        return self("number.percent", value=value)

    def browser(self) -> dict[str, Message]:
        """The texts the browser modules use (their sections), for the page's strings module."""
        sections = browser_sections()
        return {k: v for k, v in self.texts.items() if k.split(".", 1)[0] in sections}


# --- catalogs --------------------------------------------------------------------------------


def catalog_path(language: str) -> Path:
    """Where our catalog of a language is (it may not exist)."""
    return CATALOGS / f"{language}.yml"


def available() -> tuple[str, ...]:
    """The languages we have a catalog for."""
    return tuple(sorted(p.stem for p in CATALOGS.glob("*.yml")))


@dataclass(frozen=True)
class Catalog:
    """A catalog file as read: its texts, the line of each key, and the problems of its shape."""

    file: str
    texts: dict[str, Message]
    lines: dict[str, int | None]
    problems: list[Problem]


def read_catalog(path: Path) -> Catalog:
    """A catalog file's texts by key, each checked for its shape (problems: file:line each)."""
    problems: list[Problem] = []
    data = read_yaml(path, problems)
    file = str(getattr(data, "file", path))
    if data is None:
        return Catalog(file, {}, {}, problems)
    if not isinstance(data, LocatedDict):
        line = getattr(data, "line", None)
        problems.append(Problem(file, line, "", "must be a mapping of message keys to texts"))
        return Catalog(file, {}, {}, problems)
    texts: dict[str, Message] = {}
    for key, value in data.items():
        message, why = _message(value)
        if message is None:
            problems.append(Problem(file, data.key_lines.get(key), str(key), why))
        else:
            texts[str(key)] = message
    return Catalog(file, texts, dict(data.key_lines), problems)


def _message(value: object) -> tuple[Message | None, str]:
    """A text or a mapping of plural forms, checked; ("", why) when it is neither."""
    if isinstance(value, str):
        return value, ""
    if isinstance(value, Mapping):
        forms = {str(k): v for k, v in value.items()}
        unknown = [k for k in forms if k not in PLURAL_FORMS]
        if unknown:
            return None, (f"unknown plural form '{unknown[0]}' (known: {', '.join(PLURAL_FORMS)})")
        if "other" not in forms:
            return None, "plural forms must include 'other'"
        if not all(isinstance(v, str) for v in forms.values()):
            return None, "each plural form must be a text"
        return forms, ""
    return None, f"must be a text (or plural forms: one, other), got {type(value).__name__}"


@cache
def _our_catalog(language: str) -> dict[str, Message]:
    catalog = read_catalog(catalog_path(language))
    if catalog.problems:
        raise PluginError("\n".join(str(p) for p in catalog.problems))
    return catalog.texts


def english() -> Messages:
    """The English texts: complete by definition."""
    return Messages(ENGLISH, _our_catalog(ENGLISH))


def catalog_language(language: str | None) -> str | None:
    """Our catalog for a theme language: 'fr' for 'fr' or 'fr-CA'; None when we have none."""
    if not language:
        return ENGLISH
    ours = available()
    for candidate in (language, language.split("-")[0]):
        if candidate in ours:
            return candidate
    return None


def check_overrides(
    overrides: Mapping[str, Any], where: str, lines: Mapping[str, int | None] | None = None
) -> tuple[dict[str, Message], list[str]]:
    """A fork's texts, checked against English: known keys, a text (or plural forms) each, and
    no placeholder English does not fill. Returns (texts, problems)."""
    base = english().texts
    out: dict[str, Message] = {}
    problems: list[str] = []
    for key, value in overrides.items():
        line = (lines or {}).get(key)
        at = f"{where}:{line}: {key}" if line else f"{where}.{key}"
        if key not in base:
            problems.append(
                f"{at}: unknown message key{suggest(str(key), list(base), cutoff=0.7)}"
                f" (the keys are those of {catalog_path(ENGLISH)})"
            )
            continue
        message, why = _message(value)
        if message is None:
            problems.append(f"{at}: {why}")
            continue
        extra = sorted(placeholders(message) - placeholders(base[key]))
        if extra:
            known = ", ".join(f"{{{n}}}" for n in sorted(placeholders(base[key]))) or "none"
            problems.append(f"{at}: unknown placeholder {{{extra[0]}}} (this message has: {known})")
            continue
        out[str(key)] = message
    return out, problems


def read_overrides(value: object, where: str, base_dir: Path) -> dict[str, Message]:
    """`messages:` of the config: a mapping of texts, or a catalog file (relative to
    mkdocs.yml) of the same shape; a PluginError lists every problem."""
    if value is None:
        return {}
    if isinstance(value, str):
        path = (base_dir / value).resolve()
        if not path.is_file():
            raise PluginError(f"{where}: no such catalog file: {path}")
        catalog = read_catalog(path)
        if catalog.problems:
            raise PluginError("\n".join(str(p) for p in catalog.problems))
        # A file names its own lines: "file:line: key: message".
        out, bad = check_overrides(catalog.texts, catalog.file, catalog.lines)
        if bad:
            raise PluginError("\n".join(bad))
        return out
    if not isinstance(value, Mapping):
        raise PluginError(
            f"{where}: must be a mapping of message keys to texts, or the path of a catalog file"
        )
    out, bad = check_overrides({str(k): v for k, v in value.items()}, where)
    if bad:
        raise PluginError("\n".join(bad))
    return out


def resolve(language: str | None, overrides: Mapping[str, Message], log: Logger) -> Messages:
    """The texts of a build in `language` (theme.language), with the fork's overrides on top.

    A language we have no catalog for is English, unless the overrides translate it; each text
    still missing is English, with a warning that names it.
    """
    ours = catalog_language(language)
    base = english().texts
    if ours is None and not overrides:
        log.warning(
            "playbook: no message catalog for theme.language '%s' (there are: %s); the playbook's "
            "UI is in English. Give the texts under `messages:` to translate it.",
            language,
            ", ".join(available()),
        )
        return Messages(ENGLISH, base)
    name = ours or str(language)
    own: dict[str, Message] = dict(_our_catalog(ours)) if ours else {}
    own.update(overrides)
    texts: dict[str, Message] = {}
    for key, english_text in base.items():
        if key in own:
            texts[key] = own[key]
        else:
            log.warning("playbook: message '%s' has no %s translation; using English", key, name)
            texts[key] = english_text
    return Messages(name, texts)
