// The organisation roll-up page: many teams' answers files go to Python's "org" request
// (assessor.org); this module shows its reply: how many teams reached each stage, the reality
// gap across teams, the practices that block the most teams (linked to their pages), and a
// heatmap of teams x capabilities whose cells name their stage in words as well as in colour.
// The CSV comes from Python too. Text only, never HTML.
import { button, h } from "./dom.mjs";
import { num, pct, t } from "./i18n.mjs";
import { download, gapText, mountPage, practiceLink, stageName } from "./many.mjs";

// Heatmap rows shown at once: 500 rows of 20 cells take half a second of style and layout on a
// slow machine, during which the page would not respond.
const PAGE_ROWS = 100;

// Relative luminance (WCAG) of an sRGB colour given as 0-255 channels.
function luminance([r, g, b]) {
  const linear = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function hslToRgb(hue, saturation, lightness) {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const f = (n) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/**
 * One colour per stage, light (the lowest) to dark (the highest), each with the text colour
 * (black or white) that contrasts more with it: one of the two always reaches 4.5:1.
 */
function palette(stages) {
  const colours = new Map();
  stages.forEach((stage, index) => {
    const share = stages.length > 1 ? index / (stages.length - 1) : 0;
    const rgb = hslToRgb(215, 0.55, 0.95 - share * 0.62);
    const l = luminance(rgb);
    const text = (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
    colours.set(stage.id, { background: `rgb(${rgb.join(", ")})`, text });
  });
  return colours;
}

function paint(cell, colours, stageId) {
  const colour = colours.get(stageId);
  if (!colour) return cell;
  // CSSOM, not a style attribute: allowed under a Content-Security-Policy without inline styles.
  cell.style.backgroundColor = colour.background;
  cell.style.color = colour.text;
  return cell;
}

function stageCounts(result, colours) {
  const total = result.teams.length || 1;
  return h("table", { class: "mp-table", id: "mp-stage-counts" },
    h("thead", {}, h("tr", {}, [t("org.evidenced"), t("org.teams"), t("org.share")].map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, result.stages.map((stage) => {
      const count = result.stage_counts[stage.id];
      const fill = h("span", { class: "mp-bar-fill" });
      fill.style.width = `${(100 * count) / total}%`;
      paint(fill, colours, stage.id);
      return h("tr", { "data-stage": stage.id },
        h("th", { scope: "row" }, stageName(result.stages, stage.id)),
        h("td", { class: "mp-count" }, num(count)),
        h("td", {}, h("span", { class: "mp-bar", "aria-hidden": "true" }, fill), ` ${pct(count / total)}`));
    })));
}

function gapSummary(result) {
  const gap = result.reality_gap;
  const text = gap.teams
    ? t("org.gap_summary", { mean: gapText(gap.mean), median: gapText(gap.median), count: gap.teams })
    : t("org.no_estimate");
  return h("p", { id: "mp-org-gap", "data-mean": gap.mean ?? "", "data-median": gap.median ?? "" }, text);
}

function blockers(result, context) {
  if (!result.common_blockers.length) return h("p", { id: "mp-no-blockers" }, t("org.no_blockers"));
  return h("ol", { id: "mp-common-blockers" }, result.common_blockers.map((b) => h("li", { "data-practice": b.practice },
    practiceLink(context, b.url, b.title),
    b.required ? [" ", h("span", { class: "mp-must-badge" }, t("org.must_have"))] : null,
    t("org.blocks", { count: b.teams }))));
}

function legend(result, colours) {
  return h("ul", { class: "mp-heat-legend", "aria-label": t("org.stages") }, result.stages.map((stage) =>
    paint(h("li", { "data-stage": stage.id }, stageName(result.stages, stage.id)), colours, stage.id)));
}

// The rows of one page of teams, with buttons to the others when there are more than fit.
function paged(tbody, teams, makeRow) {
  const pages = Math.ceil(teams.length / PAGE_ROWS);
  const where = h("span", { id: "mp-heat-page", "aria-live": "polite" });
  const previous = button(t("org.previous"), () => show(page - 1), { class: "md-button mp-small", "data-page": "previous" });
  const next = button(t("org.next"), () => show(page + 1), { class: "md-button mp-small", "data-page": "next" });
  let page = 0;
  function show(number) {
    page = number;
    const first = page * PAGE_ROWS;
    const shown = teams.slice(first, first + PAGE_ROWS);
    tbody.replaceChildren(...shown.map(makeRow));
    where.textContent = t("org.range", { first: first + 1, last: first + shown.length, total: teams.length });
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  show(0);
  return pages > 1 ? h("p", { class: "mp-heat-pager" }, where, " ", previous, " ", next) : null;
}

function heatmap(result, colours) {
  const stages = result.stages;
  const cell = (stageId, attrs = {}) => paint(h("td", { class: "mp-heat", "data-stage": stageId ?? "", ...attrs }, stageName(stages, stageId)), colours, stageId);
  const row = (team) => h("tr", { "data-team": team.team },
    h("th", { scope: "row" }, team.team, h("span", { class: "mp-file" }, team.file)),
    cell(team.evidenced_stage, { "data-column": "evidenced" }),
    h("td", { "data-column": "self-estimate", "data-stage": team.self_estimate ?? "" }, stageName(stages, team.self_estimate)),
    h("td", { "data-column": "gap" }, gapText(team.reality_gap)),
    result.capabilities.map((c) => cell(team.capabilities[c.id], { "data-capability": c.id })));
  // A fixed layout: the browser sizes the columns from these widths instead of measuring every
  // cell of hundreds of rows (half a second of layout for 500 teams otherwise).
  const widths = [12, 8, 8, 4, ...result.capabilities.map(() => 8)];
  const table = h("table", { class: "mp-table mp-heatmap", id: "mp-heatmap" },
    h("colgroup", {}, widths.map((width) => {
      const col = h("col");
      col.style.width = `${width}em`;
      return col;
    })),
    h("thead", {}, h("tr", {},
      [t("org.team_file"), t("org.evidenced"), t("org.self_estimate"), t("org.gap")].map((title) => h("th", { scope: "col" }, title)),
      result.capabilities.map((c) => h("th", { scope: "col", "data-capability": c.id }, c.title)))),
    h("tbody"));
  const pager = paged(table.tBodies[0], result.teams, row);
  table.style.width = `${widths.reduce((a, b) => a + b, 0)}em`;
  return [pager, h("div", { class: "mp-scroll", role: "region", "aria-labelledby": "mp-heatmap-title", tabindex: "0" }, table)];
}

function render(reply, context) {
  const result = reply.org;
  const colours = palette(result.stages);
  const count = result.teams.length;
  return [
    h("h2", { id: "mp-stages-title" }, t("org.by_stage", { count })),
    stageCounts(result, colours),
    h("h2", { id: "mp-gap-title" }, t("org.reality_gap")),
    gapSummary(result),
    h("h2", { id: "mp-blockers-title" }, t("org.blockers")),
    h("p", {}, t("org.blockers_intro")),
    blockers(result, context),
    h("h2", { id: "mp-heatmap-title" }, t("org.heatmap")),
    h("p", {}, t("org.heatmap_intro")),
    legend(result, colours),
    heatmap(result, colours),
  ];
}

const page = {
  op: "org",
  used: (reply) => reply.org.teams.length,
  render,
  actions: {
    csv: (v) => download(v.reply.csv, v.reply.filename, "text/csv"),
  },
};

/** Wire up the organisation roll-up page (assess.mjs calls this on every visit). */
export function mount(root) {
  mountPage(root, page);
}
