/* The supervisor's live conversations (pure: no DOM; the Node tests import it): the rows of
 * GET /api/live, whom a conversation can be given to, the body of POST /api/supervisor/reassign,
 * the lines of a watched transcript (GET /api/conversation/{id}) and the day's CSV links.
 * Texts in the UI language (text.js; English by default). */

import { reasonBook } from "../../shared/vocabulary.js";
import { num } from "./figures.js";
import { resolutionsOf, systemLineText } from "./state.js";
import { agentStatusText, formatClock, formatDuration, t, withLanguages } from "./text.js";

export const LIVE_URL = "/api/live";
export const REASSIGN_URL = "/api/supervisor/reassign";
export const WATCH_MS = 3000;  // the watched transcript's refresh while its panel is open

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const EXPORTS = { figures: "/api/export/figures.csv", conversations: "/api/export/conversations.csv" };

/** Where one conversation is watched from: `/api/conversation/<id>`. */
export function conversationUrl(conversationId) {
  return "/api/conversation/" + encodeURIComponent(String(conversationId));
}

/** The CSV download `what` ("figures" | "conversations") of `day` (YYYY-MM-DD; else the server's today). */
export function exportUrl(what, day) {
  const base = Object.prototype.hasOwnProperty.call(EXPORTS, what) ? EXPORTS[what] : EXPORTS.figures;
  return typeof day === "string" && DAY.test(day) ? base + "?day=" + day : base;
}

/** Who looks at the page: `viewer.id` of /api/stats; else the one supervisor of the team; else null. */
export function viewerId(stats) {
  const viewer = stats && stats.viewer;
  if (viewer && typeof viewer.id === "string" && viewer.id) return viewer.id;
  const team = stats && stats.now && Array.isArray(stats.now.agents) ? stats.now.agents : [];
  const supervisors = team.filter((a) => a && a.role === "supervisor" && a.id);
  return supervisors.length === 1 ? String(supervisors[0].id) : null;
}

/**
 * One row per conversation of GET /api/live: waiting ones first, then those with an agent, each
 * longest-waiting first. Row: {id, state, stateText, reason, agentId, agentText, language,
 * waitedS (since queued, by the server's clock; null when unknown), waitedText}.
 */
export function liveRows(live, agents, lang = "en") {
  const conversations = live && Array.isArray(live.conversations) ? live.conversations : [];
  const nowS = num(live && live.now) ?? Date.now() / 1000;
  const names = new Map((Array.isArray(agents) ? agents : []).filter((a) => a && a.id).map((a) => [String(a.id), String(a.name || a.id)]));
  const rows = conversations.filter((c) => c && typeof c.conversation_id === "string" && c.conversation_id).map((c) => {
    const state = c.state === "with_agent" ? "with_agent" : "queued";
    const agentId = state === "with_agent" && c.agent_id ? String(c.agent_id) : null;
    const queuedAt = num(c.queued_at);
    const waitedS = queuedAt ? Math.max(0, nowS - queuedAt) : null;
    return { id: c.conversation_id, state, stateText: t(lang, state === "queued" ? "sup.liveQueued" : "sup.liveWithAgent"),
             reason: typeof c.reason === "string" && c.reason ? c.reason : null, agentId,
             agentText: agentId ? names.get(agentId) || agentId : t(lang, "sup.liveWaiting"),
             language: typeof c.language === "string" ? c.language : null, waitedS, waitedText: formatDuration(lang, waitedS) };
  });
  const rank = (row) => (row.state === "queued" ? 0 : 1);
  return rows.sort((a, b) => rank(a) - rank(b) || (b.waitedS ?? -1) - (a.waitedS ?? -1) || a.id.localeCompare(b.id));
}

/** Whether `agent` has a free seat (conversations < capacity). */
export function hasRoom(agent) {
  const load = num(agent && agent.conversations) || 0, capacity = num(agent && agent.capacity) || 0;
  return load < capacity;
}

/**
 * The agents a conversation (its `row`) can be given to: not the one who has it, not the viewer
 * (they have "take over"), only those with room; by name. Each {value, label}.
 */
export function giveChoices(agents, row, viewer, lang = "en") {
  const current = row && row.agentId ? String(row.agentId) : null;
  return (Array.isArray(agents) ? agents : [])
    .filter((a) => a && a.id && String(a.id) !== current && String(a.id) !== viewer && hasRoom(a))
    .map((a) => ({ value: String(a.id), name: String(a.name || a.id),
                   label: t(lang, "sup.liveGiveOption", { name: withLanguages(a.name || a.id, a.languages),
                     status: agentStatusText(lang, a.status), load: String(num(a.conversations) || 0), capacity: String(num(a.capacity) || 0) }) }))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ value, label }) => ({ value, label }));
}

/** Whether the viewer may take `row` over: known, not theirs already, and with a free seat. */
export function canTakeOver(agents, row, viewer) {
  if (!viewer || !row || row.agentId === viewer) return false;
  const me = (Array.isArray(agents) ? agents : []).find((a) => a && String(a.id) === viewer);
  return !me || hasRoom(me);
}

/** The body of POST /api/supervisor/reassign (`toAgent` = the viewer: taking it over). */
export function reassignBody(conversationId, toAgent) {
  return { conversation_id: String(conversationId), to_agent: String(toAgent) };
}

/** The server's own words for a refusal ({error: {code, message}}), else "The server answered 409." */
export function refusalText(body, status, lang = "en") {
  const error = body && typeof body === "object" ? body.error : null;
  if (error && typeof error.message === "string" && error.message) return error.message;
  return t(lang, "sup.liveFailed", { status: status || "?" });
}

/** What the transcript lines need of the vocabulary of /api/stats: agent lines, reasons, resolution labels. */
export function transcriptBook(vocabulary) {
  const v = vocabulary && typeof vocabulary === "object" ? vocabulary : {};
  const labels = { ...resolutionsOf(v.resolution_codes).labels, ...resolutionsOf(v.system_resolution_codes).labels };
  return { agentLines: v.agent_lines && typeof v.agent_lines === "object" ? v.agent_lines : null,
           reasons: reasonBook(v), resolutionLabels: labels };
}

/**
 * The watched transcript as lines: [{key, role, who, text, time, ts}], in order. `who` as the
 * console labels it (customer, assistant, the agent's name, an internal note); system lines in `lang`.
 */
export function watchLines(view, lang = "en", book = transcriptBook(null)) {
  const entries = view && Array.isArray(view.transcript) ? view.transcript : [];
  return entries.filter((e) => e && typeof e === "object").map((e, i) => {
    const role = ["customer", "bot", "agent", "system", "note"].includes(e.role) ? e.role : "system";
    const ts = num(e.ts);
    const author = e.agent && typeof e.agent === "object" ? e.agent.name || e.agent.id : null;
    const who = role === "customer" ? t(lang, "entry.customer") : role === "bot" ? t(lang, "entry.assistant")
      : role === "agent" ? (author ? String(author) : t(lang, "entry.agent"))
      : role === "note" ? t(lang, "entry.note", { name: author ? String(author) : t(lang, "entry.noteAuthor") }) : "";
    const text = role === "system" ? systemLineText(book, e, lang)
      : typeof e.text === "string" ? e.text : e.text === null || e.text === undefined ? "" : String(e.text);
    return { key: typeof e.id === "string" && e.id ? e.id : "entry-" + i, role, who,
             text: text || t(lang, "entry.noText"), ts, time: formatClock(lang, ts) };
  });
}
