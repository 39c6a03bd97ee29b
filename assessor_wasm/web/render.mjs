// Renders the assessor's plain-JSON results. Presentation only: every number and order comes from
// Python (assessor.score / assessor.compare); the words are the page's (i18n.mjs), put together
// from the result's data (the gap statement and the warnings too: Python's English sentences are
// for the CLI and the report).
import { button, fill, h, svg } from "./dom.mjs";
import { num, pct as percent, t, tp, when } from "./i18n.mjs";

function stageName(stage) {
  return `${stage.level} · ${stage.title}`;
}

function answerLabel(id, answer, ctx) {
  if (answer === null || answer === undefined) return t("render.unanswered");
  if (answer === "na") return t("render.na");
  return ctx.label(id, answer) || answer;
}

// " — your answer: …" after a practice's link (", without evidence" when it counts lower), and
// in the roadmap the practice's capability.
function yourAnswer(id, entry, ctx, capability) {
  const keys = capability === undefined
    ? ["render.answer", "render.answer_unevidenced"]
    : ["render.answer_in", "render.answer_unevidenced_in"];
  return ` ${t(keys[entry.unevidenced ? 1 : 0], { answer: answerLabel(id, entry.answer, ctx), capability })}`;
}

function practiceLink(entry, ctx) {
  return h("a", { href: new URL(entry.url, ctx.siteRoot).href, class: "mp-practice-link" }, entry.title);
}

function questionLink(id, text) {
  return h("span", { class: "mp-question-link" }, " (", h("a", { href: `#q-${id}` }, text), ")");
}

const MUST_HAVE = () => [h("strong", { class: "mp-must" }, t("render.must_have")), " "];

// Every practice a result names is open, so the roadmap has its title and page.
function entryOf(result, id) {
  return result.roadmap.find((e) => e.practice === id) || { practice: id, title: id, url: `practices/${id}/`, answer: null };
}

/** What stands between the team and the next stage: `next_stage`, or the top stage reached. */
function blockers(result, ctx) {
  const next = result.next_stage;
  const box = h("section", { class: "mp-blockers", id: "mp-blockers", "aria-labelledby": "mp-blockers-title", "data-next-stage": next ? next.id : "" });
  if (!next) {
    const top = result.evidenced_stage;
    box.append(h("p", { class: "mp-blockers-title", id: "mp-blockers-title" },
      t("render.top", { level: top.level, title: top.title })));
    return box;
  }
  const required = new Set(next.required_open);
  const needs = { level: next.level, threshold: percent(next.threshold), coverage: percent(next.coverage), count: required.size };
  box.append(
    h("p", { class: "mp-blockers-title", id: "mp-blockers-title" }, t("render.reach", { level: next.level, title: next.title })),
    h("ol", { class: "mp-blockers-list" }, next.reachable_by.map((id) => {
      const entry = entryOf(result, id);
      return h("li", { "data-practice": id, "data-required": required.has(id) ? "" : null },
        required.has(id) ? MUST_HAVE() : null, practiceLink(entry, ctx),
        yourAnswer(id, entry, ctx),
        questionLink(id, t("render.to_question")));
    })),
    h("p", { class: "mp-blockers-why" }, t(required.size ? "render.needs_must_haves" : "render.needs", needs)),
  );
  return box;
}

/** Top answers without evidence, each with a button to the question's evidence field. */
function unevidenced(result, ctx) {
  if (!result.unevidenced.length) return null;
  return [
    h("h3", {}, t("render.unevidenced")),
    h("p", {}, t("render.unevidenced_why")),
    h("ul", { class: "mp-unevidenced" }, result.unevidenced.map((id) => {
      const entry = entryOf(result, id);
      return h("li", { "data-practice": id }, practiceLink(entry, ctx),
        ` ${t("render.answer", { answer: answerLabel(id, entry.answer, ctx) })} `,
        button(t("render.add_evidence"), () => ctx.onAddEvidence(id), { class: "md-button mp-small", "aria-label": t("render.add_evidence_to", { practice: entry.title }) }));
    })),
  ];
}

/** "Not applicable" answers the rules refuse: kept, counted as unanswered. */
function refused(result, ctx) {
  if (!result.not_applicable_refused.length) return null;
  return [
    h("h3", {}, t("render.refused")),
    h("p", {}, t("render.refused_why")),
    h("ul", { class: "mp-refused" }, result.not_applicable_refused.map((id) => h("li", { "data-practice": id },
      practiceLink(entryOf(result, id), ctx), questionLink(id, t("render.other_answer"))))),
  ];
}

/** Per standard, how many of its labels are in place (assessor.standards). */
function standards(result, ctx) {
  if (!ctx.standards.length) return null;
  const others = (s) => [[s.open, "render.labels_open"], [s.not_applicable, "render.labels_na"], [s.uncovered, "render.labels_uncovered"]]
    .filter(([n]) => n).map(([n, key]) => t(key, { count: n })).join(", ");
  return [
    h("h3", {}, t("render.standards")),
    h("p", {}, t("render.standards_rule")),
    h("ul", { class: "mp-standards" }, ctx.standards.map((s) => {
      const open = s.labels.filter((l) => l.status === "open");
      return h("li", { "data-standard": s.id },
        h("span", { class: "mp-standard-line" }, t("render.standard", { title: s.title, in_place: s.in_place, count: s.total })),
        others(s) ? ` (${others(s)})` : "",
        open.length ? h("details", {}, h("summary", {}, t("render.open_labels")), h("ul", {}, open.map((l) => h("li", {},
          tp("render.open_label", { label: l.label, practices: l.open.map((id, i) => [i ? ", " : "", practiceLink(entryOf(result, id), ctx)]) }))))) : null);
    })),
  ];
}

// Capabilities under their group's heading, in group order, when the framework has groups.
function grouped(result, ctx) {
  if (!ctx.groups.length) return [{ group: null, rows: result.capabilities }];
  return ctx.groups.map((group) => ({ group, rows: result.capabilities.filter((c) => c.group === group.id) }))
    .filter((part) => part.rows.length);
}

/** Per-capability stages as an inline SVG bar chart (under group headings), plus a table. */
export function capabilityChart(result, ctx) {
  const levels = result.stages.length;
  const parts = grouped(result, ctx);
  const rows = parts.flatMap((part) => part.rows);
  const labelWidth = 230;
  const cell = 44;
  const rowHeight = 26;
  const top = 22;
  const width = labelWidth + levels * cell + 150;
  const height = top + (rows.length + (ctx.groups.length ? parts.length : 0)) * rowHeight + 6;
  const stageOf = (c) => t("render.chart_row", { capability: c.title, stage: stageName(c.stage) });
  const chart = svg("svg", {
    class: "mp-chart",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": t("render.chart_label", { rows: rows.map(stageOf).join("; ") }),
  });
  result.stages.forEach((stage, i) => {
    chart.append(svg("text", { x: labelWidth + i * cell + cell / 2, y: 14, class: "mp-chart-axis", "text-anchor": "middle" }, String(stage.level)));
  });
  let row = 0;
  const place = (capability) => {
    const y = top + row * rowHeight;
    row += 1;
    const title = capability.title.length > 34 ? `${capability.title.slice(0, 33)}…` : capability.title;
    const group = svg("g", { class: "mp-chart-row" }, svg("title", {}, stageOf(capability)));
    group.append(svg("text", { x: labelWidth - 8, y: y + 16, "text-anchor": "end", class: "mp-chart-label" }, title));
    for (let level = 0; level < levels; level += 1) {
      const reached = level <= capability.stage.level;
      group.append(svg("rect", {
        x: labelWidth + level * cell + 2, y: y + 3, width: cell - 4, height: rowHeight - 8, rx: 3,
        class: reached ? "mp-chart-bar mp-chart-bar--reached" : "mp-chart-bar",
      }));
    }
    group.append(svg("text", { x: labelWidth + levels * cell + 8, y: y + 16, class: "mp-chart-value" }, capability.stage.title));
    chart.append(group);
  };
  for (const part of parts) {
    if (part.group) {
      chart.append(svg("text", { x: 4, y: top + row * rowHeight + 16, class: "mp-chart-group" }, part.group.title));
      row += 1;
    }
    part.rows.forEach(place);
  }
  const table = h("table", { class: "mp-table" },
    h("caption", {}, t("render.chart")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("render.capability")), h("th", { scope: "col" }, t("render.stage")))),
    parts.map((part) => h("tbody", {},
      part.group ? h("tr", { class: "mp-group-row" }, h("th", { scope: "rowgroup", colspan: 2 }, part.group.title)) : null,
      part.rows.map((c) => h("tr", {}, h("th", { scope: "row" }, c.title), h("td", {}, stageName(c.stage)))))),
  );
  return h("figure", { class: "mp-figure" },
    chart,
    h("details", { class: "mp-chart-text" }, h("summary", {}, t("render.chart_table")), table),
  );
}

function stageTable(result) {
  return h("table", { class: "mp-table mp-stage-table" },
    h("caption", {}, t("render.coverage")),
    h("thead", {}, h("tr", {}, ["render.stage", "render.coverage_col", "render.reached"].map((key) => h("th", { scope: "col" }, t(key))))),
    h("tbody", {}, result.stages.map((s) => h("tr", {},
      h("th", { scope: "row" }, stageName(s)),
      h("td", {}, s.applicable ? percent(s.coverage) : t(s.practices ? "render.all_na" : "render.no_practices")),
      h("td", {}, t(s.reached ? "render.yes" : "render.no")),
    ))),
  );
}

function roadmap(result, ctx) {
  const section = h("div", { class: "mp-roadmap" });
  if (!result.roadmap.length) {
    section.append(h("p", {}, t("render.done")));
    return section;
  }
  const titles = new Map(result.capabilities.map((c) => [c.id, c.title]));
  const stages = new Map(result.stages.map((s) => [s.level, s]));
  let list = null;
  let number = 0;
  let level = null;
  for (const entry of result.roadmap) {
    if (entry.stage_level !== level) {
      level = entry.stage_level;
      const stage = stages.get(level);
      const first = number === 0;
      section.append(h("h3", {}, t(first ? "render.first" : "render.then", { stage: stageName(stage) })));
      list = h("ol", { start: number + 1, class: "mp-roadmap-list" });
      section.append(list);
    }
    number += 1;
    list.append(h("li", { "data-practice": entry.practice, "data-required": entry.required ? "" : null },
      entry.required ? MUST_HAVE() : null,
      practiceLink(entry, ctx),
      h("span", { class: "mp-roadmap-meta" },
        yourAnswer(entry.practice, entry, ctx, titles.get(entry.capability) || entry.capability)),
      questionLink(entry.practice, t("render.back")),
    ));
  }
  return section;
}

function risks(result) {
  const rows = [...result.risks].sort((a, b) => b.exposure - a.exposure);
  return h("table", { class: "mp-table mp-risks" },
    h("caption", {}, t("render.risks_caption")),
    h("thead", {}, h("tr", {}, ["render.risk", "render.exposure", "render.open_practices"].map((key) => h("th", { scope: "col" }, t(key))))),
    h("tbody", {}, rows.map((risk) => {
      const bar = h("span", { class: "mp-bar", "aria-hidden": "true" }, h("span", { class: "mp-bar-fill" }));
      bar.firstChild.style.width = percent(risk.exposure);
      return h("tr", {},
        h("th", { scope: "row" }, risk.title),
        h("td", {}, bar, " ", percent(risk.exposure)),
        h("td", {}, num(risk.open_practices.length)),
      );
    })),
  );
}

// Python's percentages (`:.0%`): half to even, from the same double.
function pythonPercent(part, total) {
  const x = (part / total) * 100;
  let whole = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && whole % 2) whole -= 1;
  return percent(whole / 100);
}

// The values of a warning listing practices.
function listed(ids) {
  return { count: ids.length, ids: ids.join(", ") };
}

// What each warning says, from the result's data: [key, values]. An unknown code keeps Python's
// sentence.
const WARNINGS = {
  "many-not-applicable": (r) => ["render.warn_na", { count: r.counts.not_applicable, total: r.counts.practices, share: pythonPercent(r.counts.not_applicable, r.counts.practices) }],
  "many-unanswered": (r) => ["render.warn_unanswered", { count: r.unanswered.length, total: r.counts.practices, share: pythonPercent(r.unanswered.length, r.counts.practices) }],
  "not-applicable-refused": (r) => ["render.warn_na_refused", listed(r.not_applicable_refused)],
  // The result lists these practices only in the warning: "…: id, id."
  "not-applicable-without-reason": (r, w) => ["render.warn_na_why", listed(w.message.slice(w.message.lastIndexOf(": ") + 2, -1).split(", "))],
  unevidenced: (r) => ["render.warn_unevidenced", listed(r.unevidenced)],
  "unknown-practices": (r) => ["render.warn_unknown", listed(Object.keys(r.unknown_answers))],
};

function warnings(result, ctx) {
  if (!result.warnings.length) return null;
  return h("ul", { class: "mp-warnings" }, result.warnings.map((warning) => h("li", {},
    WARNINGS[warning.code] ? t(...WARNINGS[warning.code](result, warning)) : warning.message,
    warning.code === "unknown-practices"
      ? [" ", button(t("render.forget"), () => ctx.onForget(Object.keys(result.unknown_answers)), { class: "md-button mp-small" })]
      : null,
  )));
}

// The reality gap in one sentence (Python's `gap_statement`, in the page's language).
function gapStatement(result) {
  const evidenced = result.evidenced_stage;
  const mine = result.self_estimate;
  const gap = result.reality_gap;
  if (!mine || gap === null) return t("render.gap_none", { level: evidenced.level, title: evidenced.title });
  const key = gap > 0 ? "render.gap_over" : gap < 0 ? "render.gap_under" : "render.gap_match";
  return t(key, { mine_level: mine.level, mine_title: mine.title, level: evidenced.level, title: evidenced.title, count: Math.abs(gap) });
}

/** Replace `container`'s content with the rendered result. */
export function renderResults(container, result, ctx) {
  const counts = result.counts;
  fill(container,
    blockers(result, ctx),
    h("p", { class: "mp-stage", id: "mp-evidenced-stage", "data-stage": result.evidenced_stage.id },
      tp("render.evidenced", { stage: h("strong", {}, stageName(result.evidenced_stage)) })),
    h("p", { class: "mp-gap", id: "mp-gap", "data-gap": result.reality_gap === null ? "" : String(result.reality_gap) }, gapStatement(result)),
    h("p", { class: "mp-counts" }, t("render.counts", { answered: counts.answered, count: counts.practices, na: counts.not_applicable, unanswered: counts.unanswered })),
    warnings(result, ctx),
    unevidenced(result, ctx),
    refused(result, ctx),
    h("h3", {}, t("render.per_capability")),
    capabilityChart(result, ctx),
    stageTable(result),
    standards(result, ctx),
    h("h3", {}, t("render.roadmap")),
    h("p", {}, t("render.roadmap_order")),
    roadmap(result, ctx),
    h("h3", {}, t("render.risk_exposure")),
    risks(result),
  );
}

function directionText(change) {
  if (change.direction === "improved") return t("render.improved_by", { count: change.change });
  if (change.direction === "regressed") return t("render.regressed_by", { count: -change.change });
  return t("render.unchanged");
}

function practiceChanges(key, items, ctx) {
  if (!items.length) return null;
  return [
    h("h4", {}, t("render.changes", { title: t(key), count: items.length })),
    h("ul", {}, items.map((item) => h("li", {}, tp("render.change", {
      practice: practiceLink(item, ctx),
      earlier: answerLabel(item.practice, item.earlier, ctx),
      current: answerLabel(item.practice, item.current, ctx),
    })))),
  ];
}

/** Replace `container`'s content with a comparison of an earlier export with the current answers. */
export function renderComparison(container, comparison, orphans, ctx) {
  const earlier = comparison.earlier;
  const saved = earlier.saved_at ? when(earlier.saved_at) ?? earlier.saved_at : null;
  const version = earlier.framework_version;
  const key = saved === null
    ? (version ? "render.earlier_undated_version" : "render.earlier_undated")
    : (version ? "render.earlier_version" : "render.earlier");
  const overall = comparison.overall;
  const s = comparison.summary;
  fill(container,
    h("h3", {}, t("render.compared")),
    h("p", {}, t(key, { date: saved, version, count: earlier.answered })),
    h("p", { class: "mp-compare-overall", "data-direction": overall.direction },
      t("render.compare_overall", { earlier: stageName(overall.earlier), current: stageName(overall.current), change: directionText(overall) })),
    h("p", {}, t("render.compare_counts", {
      capabilities_improved: s.capabilities_improved, capabilities_regressed: s.capabilities_regressed,
      practices_improved: s.practices_improved, practices_regressed: s.practices_regressed, practices_changed: s.practices_changed,
    })),
    h("table", { class: "mp-table mp-compare-table" },
      h("caption", {}, t("render.compare_caption")),
      h("thead", {}, h("tr", {}, ["render.capability", "render.earlier_col", "render.now", "render.change_col"].map((key) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, comparison.capabilities.map((c) => h("tr", { "data-direction": c.direction },
        h("th", { scope: "row" }, c.title),
        h("td", {}, stageName(c.earlier)),
        h("td", {}, stageName(c.current)),
        h("td", {}, directionText(c)),
      ))),
    ),
    practiceChanges("render.improved", comparison.practices.improved, ctx),
    practiceChanges("render.regressed", comparison.practices.regressed, ctx),
    practiceChanges("render.changed", comparison.practices.changed, ctx),
    Object.keys(orphans).length
      ? h("p", {}, t("render.orphans", { ids: Object.keys(orphans).join(", ") }))
      : null,
  );
}
