// Renders the assessor's plain-JSON results. Presentation only: every number, order and sentence
// comes from Python (assessor.score / assessor.compare).
import { button, fill, h, svg } from "./dom.mjs";

function percent(share) {
  return `${Math.round(share * 100)}%`;
}

function stageName(stage) {
  return `${stage.level} · ${stage.title}`;
}

function answerLabel(id, answer, ctx) {
  if (answer === null || answer === undefined) return "unanswered";
  if (answer === "na") return "not applicable";
  return ctx.label(id, answer) || answer;
}

function practiceLink(entry, ctx) {
  return h("a", { href: new URL(entry.url, ctx.siteRoot).href, class: "mp-practice-link" }, entry.title);
}

function questionLink(id, text) {
  return h("span", { class: "mp-question-link" }, " (", h("a", { href: `#q-${id}` }, text), ")");
}

const MUST_HAVE = () => h("strong", { class: "mp-must" }, "Must-have: ");

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
      `You have reached the top stage, ${top.level} (${top.title}): no stage is left to reach.`));
    return box;
  }
  const required = new Set(next.required_open);
  const coverage = `Stage ${next.level} needs a coverage of ${percent(next.threshold)} (now ${percent(next.coverage)})`;
  const musts = required.size ? ` and every must-have fully in place (${required.size} ${required.size === 1 ? "is" : "are"} not)` : "";
  box.append(
    h("p", { class: "mp-blockers-title", id: "mp-blockers-title" }, `To reach stage ${next.level} (${next.title}) you must still:`),
    h("ol", { class: "mp-blockers-list" }, next.reachable_by.map((id) => {
      const entry = entryOf(result, id);
      return h("li", { "data-practice": id, "data-required": required.has(id) ? "" : null },
        required.has(id) ? MUST_HAVE() : null, practiceLink(entry, ctx),
        ` — your answer: ${answerLabel(id, entry.answer, ctx)}${entry.unevidenced ? ", without evidence" : ""}`,
        questionLink(id, "go to the question"));
    })),
    h("p", { class: "mp-blockers-why" }, `${coverage}${musts}. This is the shortest list that gets there: the must-haves, then open practices in roadmap order.`),
  );
  return box;
}

/** Top answers without evidence, each with a button to the question's evidence field. */
function unevidenced(result, ctx) {
  if (!result.unevidenced.length) return null;
  return [
    h("h3", {}, "Top answers without evidence"),
    h("p", {}, "They count one step lower until you name the evidence: a link or a short note."),
    h("ul", { class: "mp-unevidenced" }, result.unevidenced.map((id) => {
      const entry = entryOf(result, id);
      return h("li", { "data-practice": id }, practiceLink(entry, ctx),
        ` — your answer: ${answerLabel(id, entry.answer, ctx)} `,
        button("Add evidence", () => ctx.onAddEvidence(id), { class: "md-button mp-small", "aria-label": `Add evidence: ${entry.title}` }));
    })),
  ];
}

/** "Not applicable" answers the rules refuse: kept, counted as unanswered. */
function refused(result, ctx) {
  if (!result.not_applicable_refused.length) return null;
  return [
    h("h3", {}, "“Not applicable” answers that do not count"),
    h("p", {}, "This playbook does not accept “not applicable” for these practices (a must-have, or no stated condition under which it is honest), so they count as unanswered:"),
    h("ul", { class: "mp-refused" }, result.not_applicable_refused.map((id) => h("li", { "data-practice": id },
      practiceLink(entryOf(result, id), ctx), questionLink(id, "choose another answer")))),
  ];
}

/** Per standard, how many of its labels are in place (assessor.standards). */
function standards(result, ctx) {
  if (!ctx.standards.length) return null;
  const others = (s) => [[s.open, "open"], [s.not_applicable, "not applicable"], [s.uncovered, "covered by no practice here"]]
    .filter(([n]) => n).map(([n, what]) => `${n} ${what}`).join(", ");
  return [
    h("h3", {}, "Coverage per standard"),
    h("p", {}, "A label is in place when every applicable practice mapped to it is fully in place."),
    h("ul", { class: "mp-standards" }, ctx.standards.map((s) => {
      const open = s.labels.filter((l) => l.status === "open");
      return h("li", { "data-standard": s.id },
        h("span", { class: "mp-standard-line" }, `${s.title}: ${s.in_place} of ${s.total} labels in place`),
        others(s) ? ` (${others(s)})` : "",
        open.length ? h("details", {}, h("summary", {}, "Open labels and what to finish"), h("ul", {}, open.map((l) => h("li", {},
          `${l.label}: `, l.open.map((id, i) => [i ? ", " : "", practiceLink(entryOf(result, id), ctx)]))))) : null);
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
  const summary = rows.map((c) => `${c.title}: stage ${stageName(c.stage)}`).join("; ");
  const chart = svg("svg", {
    class: "mp-chart",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `Stage reached per capability. ${summary}.`,
  });
  result.stages.forEach((stage, i) => {
    chart.append(svg("text", { x: labelWidth + i * cell + cell / 2, y: 14, class: "mp-chart-axis", "text-anchor": "middle" }, String(stage.level)));
  });
  let row = 0;
  const place = (capability) => {
    const y = top + row * rowHeight;
    row += 1;
    const title = capability.title.length > 34 ? `${capability.title.slice(0, 33)}…` : capability.title;
    const group = svg("g", { class: "mp-chart-row" }, svg("title", {}, `${capability.title}: stage ${stageName(capability.stage)}`));
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
    h("caption", {}, "Stage reached per capability"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Capability"), h("th", { scope: "col" }, "Stage"))),
    parts.map((part) => h("tbody", {},
      part.group ? h("tr", { class: "mp-group-row" }, h("th", { scope: "rowgroup", colspan: 2 }, part.group.title)) : null,
      part.rows.map((c) => h("tr", {}, h("th", { scope: "row" }, c.title), h("td", {}, stageName(c.stage)))))),
  );
  return h("figure", { class: "mp-figure" },
    chart,
    h("details", { class: "mp-chart-text" }, h("summary", {}, "The chart as a table"), table),
  );
}

function stageTable(result) {
  return h("table", { class: "mp-table mp-stage-table" },
    h("caption", {}, "Coverage per stage (a stage counts when its coverage reaches the threshold and every lower stage counts)"),
    h("thead", {}, h("tr", {}, ["Stage", "Coverage", "Reached"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, result.stages.map((s) => h("tr", {},
      h("th", { scope: "row" }, stageName(s)),
      h("td", {}, s.applicable ? percent(s.coverage) : s.practices ? "all not applicable" : "no practices"),
      h("td", {}, s.reached ? "yes" : "no"),
    ))),
  );
}

function roadmap(result, ctx) {
  const section = h("div", { class: "mp-roadmap" });
  if (!result.roadmap.length) {
    section.append(h("p", {}, "Nothing left to do: every applicable practice is fully in place."));
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
      section.append(h("h3", {}, `${first ? "First" : "Then"}: stage ${stageName(stage)}`));
      list = h("ol", { start: number + 1, class: "mp-roadmap-list" });
      section.append(list);
    }
    number += 1;
    list.append(h("li", { "data-practice": entry.practice, "data-required": entry.required ? "" : null },
      entry.required ? MUST_HAVE() : null,
      practiceLink(entry, ctx),
      h("span", { class: "mp-roadmap-meta" },
        ` — your answer: ${answerLabel(entry.practice, entry.answer, ctx)}${entry.unevidenced ? ", without evidence" : ""}; ${titles.get(entry.capability) || entry.capability}`),
      questionLink(entry.practice, "back to the question"),
    ));
  }
  return section;
}

function risks(result) {
  const rows = [...result.risks].sort((a, b) => b.exposure - a.exposure);
  return h("table", { class: "mp-table mp-risks" },
    h("caption", {}, "Share of the practices that guard against each risk, up to your next stage, that are not fully in place"),
    h("thead", {}, h("tr", {}, ["Risk", "Exposure", "Open practices"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((risk) => {
      const bar = h("span", { class: "mp-bar", "aria-hidden": "true" }, h("span", { class: "mp-bar-fill" }));
      bar.firstChild.style.width = percent(risk.exposure);
      return h("tr", {},
        h("th", { scope: "row" }, risk.title),
        h("td", {}, bar, " ", percent(risk.exposure)),
        h("td", {}, String(risk.open_practices.length)),
      );
    })),
  );
}

function warnings(result, ctx) {
  if (!result.warnings.length) return null;
  return h("ul", { class: "mp-warnings" }, result.warnings.map((warning) => h("li", {},
    warning.message,
    warning.code === "unknown-practices"
      ? [" ", button("Forget these answers", () => ctx.onForget(Object.keys(result.unknown_answers)), { class: "md-button mp-small" })]
      : null,
  )));
}

/** Replace `container`'s content with the rendered result. */
export function renderResults(container, result, ctx) {
  const counts = result.counts;
  fill(container,
    blockers(result, ctx),
    h("p", { class: "mp-stage", id: "mp-evidenced-stage", "data-stage": result.evidenced_stage.id },
      "Evidenced stage: ", h("strong", {}, stageName(result.evidenced_stage))),
    h("p", { class: "mp-gap", id: "mp-gap", "data-gap": result.reality_gap === null ? "" : String(result.reality_gap) }, result.gap_statement),
    h("p", { class: "mp-counts" },
      `${counts.answered} of ${counts.practices} practices answered, ${counts.not_applicable} not applicable, ${counts.unanswered} unanswered (unanswered counts as “no”).`),
    warnings(result, ctx),
    unevidenced(result, ctx),
    refused(result, ctx),
    h("h3", {}, "Stage per capability"),
    capabilityChart(result, ctx),
    stageTable(result),
    standards(result, ctx),
    h("h3", {}, "Roadmap"),
    h("p", {}, "Open practices in the order to build them: each stage's practices before the next stage's, and what a practice depends on before it."),
    roadmap(result, ctx),
    h("h3", {}, "Risk exposure"),
    risks(result),
  );
}

function directionText(change) {
  if (change.direction === "improved") return `improved by ${change.change}`;
  if (change.direction === "regressed") return `regressed by ${-change.change}`;
  return "unchanged";
}

function practiceChanges(title, items, ctx) {
  if (!items.length) return null;
  return [
    h("h4", {}, `${title} (${items.length})`),
    h("ul", {}, items.map((item) => h("li", {},
      practiceLink(item, ctx),
      `: ${answerLabel(item.practice, item.earlier, ctx)} → ${answerLabel(item.practice, item.current, ctx)}`,
    ))),
  ];
}

/** Replace `container`'s content with a comparison of an earlier export with the current answers. */
export function renderComparison(container, comparison, orphans, ctx) {
  const earlier = comparison.earlier;
  const when = earlier.saved_at ? `saved ${earlier.saved_at}` : "undated";
  const version = earlier.framework_version ? `, framework version ${earlier.framework_version}` : "";
  const overall = comparison.overall;
  const s = comparison.summary;
  fill(container, 
    h("h3", {}, "Compared with your earlier export"),
    h("p", {}, `Earlier export: ${when}${version}, ${earlier.answered} answers.`),
    h("p", { class: "mp-compare-overall", "data-direction": overall.direction },
      `Evidenced stage: ${stageName(overall.earlier)} → ${stageName(overall.current)} (${directionText(overall)}).`),
    h("p", {}, `${s.capabilities_improved} capabilities improved, ${s.capabilities_regressed} regressed; ` +
      `${s.practices_improved} practices improved, ${s.practices_regressed} regressed, ${s.practices_changed} changed otherwise.`),
    h("table", { class: "mp-table mp-compare-table" },
      h("caption", {}, "Stage per capability, earlier and now"),
      h("thead", {}, h("tr", {}, ["Capability", "Earlier", "Now", "Change"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, comparison.capabilities.map((c) => h("tr", { "data-direction": c.direction },
        h("th", { scope: "row" }, c.title),
        h("td", {}, stageName(c.earlier)),
        h("td", {}, stageName(c.current)),
        h("td", {}, directionText(c)),
      ))),
    ),
    practiceChanges("Improved", comparison.practices.improved, ctx),
    practiceChanges("Regressed", comparison.practices.regressed, ctx),
    practiceChanges("Changed to or from “not applicable”, or answered with no change in credit", comparison.practices.changed, ctx),
    Object.keys(orphans).length
      ? h("p", {}, `The earlier export also answers practices this version no longer has: ${Object.keys(orphans).join(", ")}.`)
      : null,
  );
}
