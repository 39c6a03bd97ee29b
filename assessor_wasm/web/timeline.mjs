// A team's history on the assessment page (#mp-history): several dated exports, chosen or
// dropped, read by the worker's "history" request (assessor.history: the timeline in date order
// and assessor.compare between consecutive files), drawn as a chart with the same numbers as a
// table, then what improved or regressed from one export to the next. Presentation only; the
// visitor's own answers are never touched.
import { filePayload } from "./actions.mjs";
import { fill, h, svg } from "./dom.mjs";
import { pct, t } from "./i18n.mjs";
import { byId } from "./messages.mjs";
import { context } from "./results.mjs";
import { call } from "./scorer.mjs";

const COLUMN = 112; // chart width per export
const LEFT = 190; // room for the stage names
const ROW = 30; // stage panel: height per level
const BAR_ROW = 24; // coverage panel: height per stage

function stageName(stage) {
  return `${stage.level} · ${stage.title}`;
}

function short(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

// How an export is named: its date (ISO, as in the file names; or "undated") and its file.
function when(entry) {
  return entry.dated ? entry.saved_at.slice(0, 10) : t("timeline.undated");
}

function exportName(entry) {
  return t("timeline.export", { date: when(entry), file: entry.file });
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
  const describe = timeline.map((e) => t("timeline.describe", {
    export: exportName(e),
    evidenced: stageName(stageOf.get(e.evidenced_stage)),
    estimate: e.self_estimate ? stageName(stageOf.get(e.self_estimate)) : t("timeline.none"),
  })).join("; ");
  const title = t("timeline.chart_title", { count: timeline.length, exports: describe });
  const chart = svg("svg", {
    class: "mp-chart mp-tl-chart", viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-labelledby": "mp-history-chart-title",
  }, svg("title", { id: "mp-history-chart-title" }, title));
  // Legend: line style and marker, never colour alone.
  chart.append(
    svg("line", { x1: 4, y1: 10, x2: 30, y2: 10, class: "mp-tl-line mp-tl-evidenced" }),
    svg("circle", { cx: 17, cy: 10, r: 4.5, class: "mp-tl-point mp-tl-evidenced" }),
    svg("text", { x: 36, y: 14 }, t("timeline.evidenced")),
    svg("line", { x1: 170, y1: 10, x2: 196, y2: 10, class: "mp-tl-line mp-tl-self" }),
    svg("rect", { x: 177, y: 4, width: 12, height: 12, class: "mp-tl-point mp-tl-self" }),
    svg("text", { x: 202, y: 14 }, t("timeline.self_estimate")),
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
      svg("title", {}, t("timeline.point_evidenced", { export: exportName(e), stage: stageName(evidenced) }))));
    if (e.self_estimate) {
      const self = stageOf.get(e.self_estimate);
      chart.append(svg("rect", { x: x(i) - 6, y: y(self.level) - 6, width: 12, height: 12, class: "mp-tl-point mp-tl-self", "data-file": e.file },
        svg("title", {}, t("timeline.point_self", { export: exportName(e), stage: stageName(self) }))));
    }
    chart.append(
      svg("text", { x: x(i), y: top + stageHeight + 14, "text-anchor": "middle" }, when(e)),
      svg("text", { x: x(i), y: top + stageHeight + 28, "text-anchor": "middle", class: "mp-chart-axis" }, short(e.file, 16)),
    );
  });
  chart.append(svg("text", { x: 4, y: barsTop - 6, class: "mp-chart-group" }, t("timeline.coverage_per_stage")));
  stages.forEach((stage, row) => {
    const rowY = barsTop + row * BAR_ROW;
    chart.append(svg("text", { x: LEFT - 8, y: rowY + 15, "text-anchor": "end" }, short(stageName(stage), 26)));
    timeline.forEach((e, i) => {
      const share = e.coverage[stage.id];
      const reached = stage.level <= stageOf.get(e.evidenced_stage).level;
      const left = LEFT + i * COLUMN + 8;
      chart.append(svg("g", { class: "mp-chart-row" },
        svg("title", {}, t(reached ? "timeline.bar_reached" : "timeline.bar", { export: exportName(e), stage: stageName(stage), percent: pct(share) })),
        svg("rect", { x: left, y: rowY + 5, width: 56, height: 13, class: "mp-chart-bar" }),
        svg("rect", { x: left, y: rowY + 5, width: 56 * share, height: 13, class: reached ? "mp-chart-bar mp-chart-bar--reached" : "mp-chart-bar mp-tl-open" }),
        svg("text", { x: left + 62, y: rowY + 16 }, pct(share))));
    });
  });
  const table = h("table", { class: "mp-table mp-tl-table" },
    h("caption", {}, t("timeline.caption")),
    h("thead", {}, h("tr", {}, [t("timeline.saved"), t("timeline.file"), t("timeline.evidenced"), t("timeline.self_estimate"),
      ...stages.map((s) => t("timeline.coverage", { stage: stageName(s) }))]
      .map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, timeline.map((e) => h("tr", { "data-file": e.file },
      h("th", { scope: "row" }, e.dated ? e.saved_at : t("timeline.undated")),
      h("td", {}, e.file),
      h("td", {}, stageName(stageOf.get(e.evidenced_stage))),
      h("td", {}, e.self_estimate ? stageName(stageOf.get(e.self_estimate)) : t("timeline.none")),
      stages.map((s) => h("td", {}, pct(e.coverage[s.id]))),
    ))),
  );
  // Natural size, so many exports scroll sideways instead of shrinking the text.
  chart.style.width = `${width}px`;
  return h("figure", { class: "mp-figure mp-tl-figure" },
    h("div", { class: "mp-tl-scroll", tabindex: 0, role: "group", "aria-label": t("timeline.chart_label") }, chart),
    h("details", { class: "mp-chart-text" }, h("summary", {}, t("timeline.as_table")), table));
}

function answerLabel(ctx, id, answer) {
  if (answer === null || answer === undefined) return t("timeline.unanswered");
  if (answer === "na") return t("timeline.not_applicable");
  return ctx.label(id, answer) || answer;
}

// `title`: the catalog key of the direction's heading ("Improved (3)").
function moved(direction, title, items, ctx) {
  if (!items.length) return null;
  return [
    h("p", { class: "mp-tl-direction" }, h("strong", {}, t(title, { count: items.length }))),
    h("ul", { "data-direction": direction }, items.map((item) => h("li", { "data-practice": item.practice },
      h("a", { href: new URL(item.url, ctx.siteRoot).href, class: "mp-practice-link" }, item.title),
      t("timeline.move", { earlier: answerLabel(ctx, item.practice, item.earlier), current: answerLabel(ctx, item.practice, item.current) })))),
  ];
}

function changes(history, ctx) {
  const entries = new Map(history.timeline.map((e) => [e.file, e]));
  return history.changes.map((change) => {
    const { overall, practices } = change.comparison;
    const step = overall.change > 0 ? t("timeline.improved_by", { count: overall.change })
      : overall.change < 0 ? t("timeline.regressed_by", { count: -overall.change }) : t("timeline.unchanged");
    const none = !practices.improved.length && !practices.regressed.length && !practices.changed.length;
    return h("div", { class: "mp-tl-change", "data-earlier": change.earlier, "data-current": change.current },
      h("h4", {}, `${exportName(entries.get(change.earlier))} → ${exportName(entries.get(change.current))}`),
      h("p", { class: "mp-compare-overall", "data-direction": overall.direction },
        t("timeline.overall", { earlier: stageName(overall.earlier), current: stageName(overall.current), step })),
      moved("improved", "timeline.improved", practices.improved, ctx),
      moved("regressed", "timeline.regressed", practices.regressed, ctx),
      moved("changed", "timeline.changed", practices.changed, ctx),
      none ? h("p", {}, t("timeline.no_change")) : null);
  });
}

function rejected(history) {
  if (!history.rejected.length) return null;
  return [
    h("h3", {}, t("timeline.left_out", { count: history.rejected.length })),
    h("ul", { class: "mp-tl-rejected" }, history.rejected.map((r) => h("li", { "data-file": r.file }, t("timeline.left_out_item", { file: r.file, message: r.message })))),
  ];
}

function show(app, reply, count) {
  const body = byId("mp-history-body");
  const status = byId("mp-history-status");
  if (!body || !status) return;
  body.hidden = false;
  if (!reply.ok) {
    const { message, problems, more } = reply.error;
    status.textContent = `${t("timeline.none_used", { count })}.`;
    fill(body, h("div", { class: "mp-message mp-message--error" },
      h("p", { class: "mp-message-title" }, t("timeline.none_used", { count })),
      h("ul", {}, [message, ...problems, more ? t("timeline.more", { count: more }) : null].filter(Boolean).map((line) => h("li", {}, line)))));
    return;
  }
  const history = reply.history;
  const left = history.rejected.length;
  const n = history.timeline.length;
  status.textContent = t("timeline.status", {
    shown: t("timeline.shown", { count: n }),
    left: left ? t("timeline.shown_left_out", { count: left }) : "",
  });
  fill(body,
    h("h3", {}, t("timeline.over", { count: n })),
    history.warnings.length ? h("ul", { class: "mp-warnings" }, history.warnings.map((w) => h("li", { "data-code": w.code }, w.message))) : null,
    chart(history),
    h("h3", {}, t("timeline.what_changed")),
    history.changes.length ? changes(history, context(app)) : h("p", {}, t("timeline.choose_two")),
    rejected(history));
}

/** Reads the chosen or dropped files and shows their history; never changes the answers. */
async function read(app, files) {
  const section = byId("mp-history");
  if (!files.length || !section) return;
  const done = () => { section.dataset.historyDone = String(Number(section.dataset.historyDone || 0) + 1); };
  if (app.scorer.status !== "ready") {
    show(app, { ok: false, error: { message: t("timeline.not_ready"), problems: [], more: 0 } }, files.length);
    done();
    return;
  }
  byId("mp-history-status").textContent = t("timeline.reading", { count: files.length });
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
