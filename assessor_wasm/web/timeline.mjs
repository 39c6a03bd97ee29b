// A team's history on the assessment page (#mp-history): several dated exports, chosen or
// dropped, read by the worker's "history" request (assessor.history: the timeline in date order
// and assessor.compare between consecutive files), drawn as a chart with the same numbers as a
// table, then what improved or regressed from one export to the next. Presentation only; the
// visitor's own answers are never touched.
import { filePayload } from "./actions.mjs";
import { fill, h, svg } from "./dom.mjs";
import { byId } from "./messages.mjs";
import { context } from "./results.mjs";
import { call } from "./scorer.mjs";

const COLUMN = 112; // chart width per export
const LEFT = 190; // room for the stage names
const ROW = 30; // stage panel: height per level
const BAR_ROW = 24; // coverage panel: height per stage

function percent(share) {
  return `${Math.round(share * 100)}%`;
}

function stageName(stage) {
  return `${stage.level} · ${stage.title}`;
}

function short(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

// How an export is named: its date (or "undated") and its file.
function when(entry) {
  return entry.dated ? entry.saved_at.slice(0, 10) : "undated";
}

function exportName(entry) {
  return `${when(entry)} (${entry.file})`;
}

/** The chart: evidenced stage and self-estimate as lines over the exports, then per stage a
 * bar of its coverage under each export; the same numbers follow as a table. */
function chart(history) {
  const { stages, timeline } = history;
  const stageOf = new Map(stages.map((s) => [s.id, s]));
  const levels = stages.length;
  const top = 34;
  const stageHeight = levels * ROW;
  const barsTop = top + stageHeight + 44;
  const width = LEFT + timeline.length * COLUMN + 10;
  const height = barsTop + levels * BAR_ROW + 6;
  const x = (i) => LEFT + i * COLUMN + COLUMN / 2;
  const y = (level) => top + (levels - 1 - level) * ROW + ROW / 2;
  const describe = timeline.map((e) => `${exportName(e)}: evidenced stage ${stageName(stageOf.get(e.evidenced_stage))}, ` +
    `self-estimate ${e.self_estimate ? stageName(stageOf.get(e.self_estimate)) : "none"}`).join("; ");
  const title = `Evidenced stage, self-estimate and coverage per stage over ${timeline.length} exports, oldest first. ${describe}.`;
  const chart = svg("svg", {
    class: "mp-chart mp-tl-chart", viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-labelledby": "mp-history-chart-title",
  }, svg("title", { id: "mp-history-chart-title" }, title));
  // Legend: line style and marker, never colour alone.
  chart.append(
    svg("line", { x1: 4, y1: 10, x2: 30, y2: 10, class: "mp-tl-line mp-tl-evidenced" }),
    svg("circle", { cx: 17, cy: 10, r: 4.5, class: "mp-tl-point mp-tl-evidenced" }),
    svg("text", { x: 36, y: 14 }, "Evidenced stage"),
    svg("line", { x1: 170, y1: 10, x2: 196, y2: 10, class: "mp-tl-line mp-tl-self" }),
    svg("rect", { x: 177, y: 4, width: 12, height: 12, class: "mp-tl-point mp-tl-self" }),
    svg("text", { x: 202, y: 14 }, "Self-estimate"),
  );
  for (const stage of stages) {
    chart.append(
      svg("line", { x1: LEFT, y1: y(stage.level), x2: width - 10, y2: y(stage.level), class: "mp-tl-grid" }),
      svg("text", { x: LEFT - 8, y: y(stage.level) + 4, "text-anchor": "end" }, short(stageName(stage), 26)),
    );
  }
  const line = (kind, key) => {
    // A missing self-estimate breaks the line rather than dropping it to a stage.
    let run = [];
    const runs = [run];
    timeline.forEach((e, i) => {
      if (e[key]) run.push(`${x(i)},${y(stageOf.get(e[key]).level)}`);
      else runs.push((run = []));
    });
    for (const points of runs) {
      if (points.length > 1) chart.append(svg("polyline", { points: points.join(" "), class: `mp-tl-line mp-tl-${kind}` }));
    }
  };
  line("evidenced", "evidenced_stage");
  line("self", "self_estimate");
  timeline.forEach((e, i) => {
    const evidenced = stageOf.get(e.evidenced_stage);
    chart.append(svg("circle", { cx: x(i), cy: y(evidenced.level), r: 4.5, class: "mp-tl-point mp-tl-evidenced", "data-file": e.file },
      svg("title", {}, `${exportName(e)}: evidenced stage ${stageName(evidenced)}`)));
    if (e.self_estimate) {
      const self = stageOf.get(e.self_estimate);
      chart.append(svg("rect", { x: x(i) - 6, y: y(self.level) - 6, width: 12, height: 12, class: "mp-tl-point mp-tl-self", "data-file": e.file },
        svg("title", {}, `${exportName(e)}: self-estimate ${stageName(self)}`)));
    }
    chart.append(
      svg("text", { x: x(i), y: top + stageHeight + 14, "text-anchor": "middle" }, when(e)),
      svg("text", { x: x(i), y: top + stageHeight + 28, "text-anchor": "middle", class: "mp-chart-axis" }, short(e.file, 16)),
    );
  });
  chart.append(svg("text", { x: 4, y: barsTop - 6, class: "mp-chart-group" }, "Coverage per stage"));
  stages.forEach((stage, row) => {
    const rowY = barsTop + row * BAR_ROW;
    chart.append(svg("text", { x: LEFT - 8, y: rowY + 15, "text-anchor": "end" }, short(stageName(stage), 26)));
    timeline.forEach((e, i) => {
      const share = e.coverage[stage.id];
      const reached = stage.level <= stageOf.get(e.evidenced_stage).level;
      const left = LEFT + i * COLUMN + 8;
      chart.append(svg("g", { class: "mp-chart-row" },
        svg("title", {}, `${exportName(e)}: ${stageName(stage)} coverage ${percent(share)}${reached ? ", reached" : ""}`),
        svg("rect", { x: left, y: rowY + 5, width: 56, height: 13, class: "mp-chart-bar" }),
        svg("rect", { x: left, y: rowY + 5, width: 56 * share, height: 13, class: reached ? "mp-chart-bar mp-chart-bar--reached" : "mp-chart-bar mp-tl-open" }),
        svg("text", { x: left + 62, y: rowY + 16 }, percent(share))));
    });
  });
  const table = h("table", { class: "mp-table mp-tl-table" },
    h("caption", {}, "Evidenced stage, self-estimate and coverage per stage of each export, oldest first"),
    h("thead", {}, h("tr", {}, ["Saved", "File", "Evidenced stage", "Self-estimate", ...stages.map((s) => `Coverage ${stageName(s)}`)]
      .map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, timeline.map((e) => h("tr", { "data-file": e.file },
      h("th", { scope: "row" }, e.dated ? e.saved_at : "undated"),
      h("td", {}, e.file),
      h("td", {}, stageName(stageOf.get(e.evidenced_stage))),
      h("td", {}, e.self_estimate ? stageName(stageOf.get(e.self_estimate)) : "none"),
      stages.map((s) => h("td", {}, percent(e.coverage[s.id]))),
    ))),
  );
  // Natural size, so many exports scroll sideways instead of shrinking the text.
  chart.style.width = `${width}px`;
  return h("figure", { class: "mp-figure mp-tl-figure" },
    h("div", { class: "mp-tl-scroll", tabindex: 0, role: "group", "aria-label": "History chart" }, chart),
    h("details", { class: "mp-chart-text" }, h("summary", {}, "The chart as a table"), table));
}

function answerLabel(ctx, id, answer) {
  if (answer === null || answer === undefined) return "unanswered";
  if (answer === "na") return "not applicable";
  return ctx.label(id, answer) || answer;
}

function moved(direction, title, items, ctx) {
  if (!items.length) return null;
  return [
    h("p", { class: "mp-tl-direction" }, h("strong", {}, `${title} (${items.length})`)),
    h("ul", { "data-direction": direction }, items.map((item) => h("li", { "data-practice": item.practice },
      h("a", { href: new URL(item.url, ctx.siteRoot).href, class: "mp-practice-link" }, item.title),
      `: ${answerLabel(ctx, item.practice, item.earlier)} → ${answerLabel(ctx, item.practice, item.current)}`))),
  ];
}

function changes(history, ctx) {
  const entries = new Map(history.timeline.map((e) => [e.file, e]));
  return history.changes.map((change) => {
    const { overall, practices } = change.comparison;
    const step = overall.change > 0 ? `improved by ${overall.change}` : overall.change < 0 ? `regressed by ${-overall.change}` : "unchanged";
    const none = !practices.improved.length && !practices.regressed.length && !practices.changed.length;
    return h("div", { class: "mp-tl-change", "data-earlier": change.earlier, "data-current": change.current },
      h("h4", {}, `${exportName(entries.get(change.earlier))} → ${exportName(entries.get(change.current))}`),
      h("p", { class: "mp-compare-overall", "data-direction": overall.direction },
        `Evidenced stage: ${stageName(overall.earlier)} → ${stageName(overall.current)} (${step}).`),
      moved("improved", "Improved", practices.improved, ctx),
      moved("regressed", "Regressed", practices.regressed, ctx),
      moved("changed", "Changed to or from “not applicable”, or answered with no change in credit", practices.changed, ctx),
      none ? h("p", {}, "No answer changed.") : null);
  });
}

function rejected(history) {
  if (!history.rejected.length) return null;
  return [
    h("h3", {}, `Files left out (${history.rejected.length})`),
    h("ul", { class: "mp-tl-rejected" }, history.rejected.map((r) => h("li", { "data-file": r.file }, `${r.file}: ${r.message}`))),
  ];
}

function show(app, reply, count) {
  const body = byId("mp-history-body");
  const status = byId("mp-history-status");
  if (!body || !status) return;
  body.hidden = false;
  if (!reply.ok) {
    const { message, problems, more } = reply.error;
    status.textContent = `None of the ${count} files could be used.`;
    fill(body, h("div", { class: "mp-message mp-message--error" },
      h("p", { class: "mp-message-title" }, `None of the ${count} files could be used`),
      h("ul", {}, [message, ...problems, more ? `… and ${more} more.` : null].filter(Boolean).map((line) => h("li", {}, line)))));
    return;
  }
  const history = reply.history;
  const left = history.rejected.length;
  const n = history.timeline.length;
  status.textContent = `${n} export${n === 1 ? "" : "s"} shown below, oldest first${left ? `; ${left} file${left === 1 ? "" : "s"} left out` : ""}. Your answers are unchanged.`;
  fill(body,
    h("h3", {}, `Stage and coverage over ${n} export${n === 1 ? "" : "s"}`),
    history.warnings.length ? h("ul", { class: "mp-warnings" }, history.warnings.map((w) => h("li", { "data-code": w.code }, w.message))) : null,
    chart(history),
    h("h3", {}, "What changed between exports"),
    history.changes.length ? changes(history, context(app)) : h("p", {}, "Choose at least two exports to see what changed between them."),
    rejected(history));
}

/** Reads the chosen or dropped files and shows their history; never changes the answers. */
async function read(app, files) {
  const section = byId("mp-history");
  if (!files.length || !section) return;
  const done = () => { section.dataset.historyDone = String(Number(section.dataset.historyDone || 0) + 1); };
  if (app.scorer.status !== "ready") {
    show(app, { ok: false, error: { message: "The scorer has not started yet: choose the files again when the results show.", problems: [], more: 0 } }, files.length);
    done();
    return;
  }
  byId("mp-history-status").textContent = `Reading ${files.length} files…`;
  try {
    const payloads = await Promise.all(files.map(async (file) => ({ name: file.name, payload: await filePayload(app, file) })));
    const reply = await call(app.scorer, { op: "history", files: payloads });
    app.timeline = { reply, count: files.length };
    show(app, reply, files.length);
  } catch (error) {
    show(app, { ok: false, error: { message: String(error.message || error), problems: [], more: 0 } }, files.length);
  }
  done();
}

/** Enables the chooser once the scorer answers. */
export function renderTimelineStatus(app) {
  const choose = byId("mp-history-choose");
  if (choose) choose.disabled = app.scorer.status !== "ready";
}

/** Wires the history section of a newly shown assessment page; shows the last history again. */
export function mountTimeline(app, article) {
  const section = article.querySelector("#mp-history");
  if (!section) return;
  const input = section.querySelector("#mp-history-file");
  section.querySelector("#mp-history-choose").addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    const files = [...input.files];
    input.value = ""; // the same files can be chosen again
    read(app, files);
  });
  const dragging = (on) => section.classList.toggle("mp-history--drop", on);
  section.addEventListener("dragover", (event) => {
    if (!event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    dragging(true);
  });
  section.addEventListener("dragleave", () => dragging(false));
  section.addEventListener("drop", (event) => {
    event.preventDefault();
    dragging(false);
    read(app, [...(event.dataTransfer?.files || [])]);
  });
  renderTimelineStatus(app);
  if (app.timeline) show(app, app.timeline.reply, app.timeline.count);
}
