// The team calibration page: the members' answers files (or share links) go to Python's "team"
// request (assessor.team); this module shows its reply: each respondent's self-estimate and
// evidenced stage, the questions to discuss first, every answer with its evidence, and offers
// the consensus answers file and the meeting's Markdown summary. Text only, never HTML.
import { h } from "./dom.mjs";
import { t } from "./i18n.mjs";
import {
  addInputs, download, evidenceItem, exact, gapText, mountPage, practiceLink, stageName, today,
} from "./many.mjs";

let linksAdded = 0; // share links are named "share link 1", "share link 2", … in this tab

/** How the page names an answer: its label on the practice's own scale. */
function answerName(info, practice, answer) {
  if (answer === null || answer === undefined) return t("team.unanswered");
  if (answer === "na") return t("team.not_applicable");
  const scale = info.practice_scales[practice];
  const options = scale ? info.answer_scales[scale] : info.answer_scale;
  const option = options.find((o) => o.id === answer);
  return option ? option.label : answer;
}

function mustHave(row) {
  return row.required ? [" ", h("span", { class: "mp-must-badge" }, t("team.must_have"))] : null;
}

function respondents(result) {
  const stages = result.stages;
  return h("table", { class: "mp-table", id: "mp-respondents" },
    h("thead", {}, h("tr", {}, [t("team.respondent"), t("team.file"), t("team.self_estimate"), t("team.evidenced"), t("team.reality_gap")]
      .map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, result.respondents.map((r) => h("tr", { "data-respondent": r.name },
      h("th", { scope: "row" }, r.name),
      h("td", {}, r.file),
      h("td", { "data-stage": r.self_estimate || "" }, stageName(stages, r.self_estimate)),
      h("td", { "data-stage": r.evidenced_stage }, stageName(stages, r.evidenced_stage)),
      h("td", {}, gapText(r.reality_gap))))));
}

function discussFirst(result, context, byId) {
  if (!result.discuss_first.length) {
    return h("p", { id: "mp-discuss-none" }, t("team.no_disagreement"));
  }
  return h("ol", { id: "mp-discuss", class: "mp-discuss" }, result.discuss_first.map((id) => {
    const row = byId.get(id);
    const said = Object.entries(row.answers).map(([name, answer]) => t("team.said", { name, answer: answerName(context.info, id, answer) }));
    return h("li", { "data-practice": id },
      practiceLink(context, row.url, row.title), mustHave(row),
      h("span", { class: "mp-said" }, t("team.said_all", { answers: said.join("; ") })),
      h("span", { class: "mp-spread" }, t("team.spread", { spread: exact(row.spread) })));
  }));
}

function answerCell(context, row, name) {
  const answer = row.answers[name];
  const evidence = row.evidence[name] || [];
  const note = row.notes[name];
  return h("td", { "data-respondent": name, "data-answer": answer ?? "" },
    h("span", { class: "mp-answer" }, answerName(context.info, row.practice, answer)),
    evidence.length ? h("ul", { class: "mp-evidence-items", "aria-label": t("team.evidence_of", { name }) },
      evidence.map((item) => h("li", {}, evidenceItem(item)))) : null,
    note ? h("p", { class: "mp-note-text" }, t("team.note", { note })) : null);
}

function answersTable(result, context) {
  const names = result.respondents.map((r) => r.name);
  const rows = result.practices.map((row) => h("tr", {
    "data-practice": row.practice, class: row.disagreement ? "mp-disagree" : null,
  },
  h("th", { scope: "row" }, practiceLink(context, row.url, row.title), mustHave(row),
    row.disagreement ? [" ", h("span", { class: "mp-discuss-badge" }, t("team.discuss"))] : null),
  names.map((name) => answerCell(context, row, name)),
  h("td", { class: "mp-consensus", "data-answer": row.consensus ?? "" }, answerName(context.info, row.practice, row.consensus))));
  return h("div", { class: "mp-scroll", role: "region", "aria-labelledby": "mp-answers-title", tabindex: "0" },
    h("table", { class: "mp-table mp-answers", id: "mp-answers" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("team.question")),
        names.map((name) => h("th", { scope: "col" }, name)),
        h("th", { scope: "col" }, t("team.consensus")))),
      h("tbody", {}, rows)));
}

function render(reply, context) {
  const result = reply.team;
  const byId = new Map(result.practices.map((row) => [row.practice, row]));
  const count = result.respondents.length;
  return [
    h("h2", { id: "mp-respondents-title" }, t("team.respondents", { count })),
    respondents(result),
    h("p", { id: "mp-consensus-stage", "data-stage": result.consensus_stage },
      t("team.consensus_stage", { stage: stageName(result.stages, result.consensus_stage) })),
    h("h2", { id: "mp-discuss-title" }, t("team.discuss_first")),
    h("p", {}, t("team.discuss_intro")),
    discussFirst(result, context, byId),
    h("h2", { id: "mp-answers-title" }, t("team.every_question")),
    result.shortened.length
      ? h("p", { id: "mp-shortened" }, t("team.shortened", { practices: result.shortened.join(", ") }))
      : null,
    answersTable(result, context),
  ];
}

function addLinks(v) {
  const field = v.root.querySelector("#mp-links");
  const lines = field.value.split(/\s+/).filter((line) => line.length);
  field.value = "";
  addInputs(v, lines.map((line) => {
    linksAdded += 1;
    return { name: t("team.share_link", { number: linksAdded }), payload: { fragment: line.includes("#") ? line.slice(line.indexOf("#")) : line } };
  }));
}

const page = {
  op: "team",
  used: (reply) => reply.team.respondents.length,
  render,
  actions: {
    links: addLinks,
    consensus: (v) => {
      const result = v.reply.team;
      download(`${JSON.stringify(result.consensus, null, 2)}\n`, `${result.framework.id}-team-consensus-${today()}.json`, "application/json");
    },
    summary: (v) => {
      const reply = v.reply;
      download(reply.markdown, `${reply.team.framework.id}-team-summary-${today()}.md`, "text/markdown");
    },
  },
};

/** Wire up the team calibration page (assess.mjs calls this on every visit). */
export function mount(root) {
  mountPage(root, page);
}
