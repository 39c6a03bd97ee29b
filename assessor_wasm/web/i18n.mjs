// The page's own words. strings.mjs is written by the build (hooks/playbook_site/runtime.py): the
// texts of the site's language (theme.language) whose key starts with a module's name, from the
// catalogs in hooks/playbook_site/messages/. Numbers, percentages and dates are written with Intl
// in the page's language (<html lang>, set by the theme from the same setting).
//
// A module adds a text by adding its key to every catalog (en.yml first) and calling t("key").
import strings from "./strings.mjs";

const locale = document.documentElement.lang || "en";
// Never grouped, as the generated pages write numbers (i18n.py): "20001 entries".
const numbers = new Intl.NumberFormat(locale, { useGrouping: false });
const percents = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
const plurals = new Intl.PluralRules(locale);
const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/;

// A text, or its plural form for `values.count` (CLDR's categories; "other" when the catalog has
// no form of that name). An unknown key shows as itself (tests keep every key in the catalogs).
function text(key, values) {
  const message = strings[key] ?? key;
  if (typeof message === "string") return message;
  return message[plurals.select(values.count)] ?? message.other;
}

function value(v) {
  return typeof v === "number" ? numbers.format(v) : v;
}

/** The text of `key` with its {placeholders} filled; numbers are written in the page's language. */
export function t(key, values = {}) {
  return tp(key, values).join("");
}

/** t() as parts for dom.mjs h(): a value may be an element (a link, a <strong>) or a list of them. */
export function tp(key, values = {}) {
  return text(key, values).split(PLACEHOLDER).map((part, i) => (i % 2 ? value(values[part]) : part)).filter((part) => part !== "");
}

/** A number in the page's language: 1.5 -> "1.5" ("1,5" in French); `digits`: exactly that many decimals. */
export function num(n, digits) {
  if (digits === undefined) return numbers.format(n);
  return new Intl.NumberFormat(locale, { useGrouping: false, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** A share as a whole percentage in the page's language: 0.8 -> "80%" ("80 %" in French). */
export function pct(share) {
  return percents.format(share);
}

/** A moment (ISO text) as the page's language writes date and time; null when it is not one. */
export function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date.toLocaleString(locale);
}
