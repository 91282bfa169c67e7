/* The console's state: one plain object, and pure functions over it and the server's events.
 * No DOM here (the tests import this module under Node). */

import { MAX_CHARS } from "../../shared/protocol.js";
import { fillTemplate, reasonBook, reasonLabel } from "../../shared/vocabulary.js";
import { agentStatusText, normalizeLanguage, resolutionLabel, t, withLanguages } from "./text.js";

export function createState() {
  return {
    me: null,                 // {id, name, capacity, role, languages}
    language: "en",           // the UI language the agent chose ("en" | "ja"; see text.js)
    status: "away",
    resolutionCodes: [],
    resolutionLabels: {},     // code -> {en, ja} when the vocabulary gives labels
    agentLines: null,         // the internal transcript lines by key, {key: {en, ja}} (hello's vocabulary)
    reasons: reasonBook(null), // labels and order of the handoff reasons (hello's vocabulary)
    agents: [],
    queue: [],                // as received
    queueReceivedAt: 0,       // clock (ms) at reception
    serverOffsetS: null,      // the server's clock minus the browser's (Date.now), in seconds; null: not known yet (sla.js)
    knownQueueIds: null,      // ids of the previous queue (null until the first one)
    tickets: [],
    canned: [],
    convs: new Map(),         // conversation_id -> conversation (see newConversation)
    order: [],                // tab order
    active: null,
    pendingClaims: new Set(),
    connectedAt: 0,           // clock (ms) of the last connect
    lastSent: null,           // {id, text, at}: the last reply, to restore if it is refused
    cannedEditing: null,      // null | {id?}
    cannedHighlight: 0,
    deleteArmed: null,        // id of the canned response whose delete awaits confirmation
  };
}

export function newConversation(id) {
  return { id, unread: 0, ended: null, typing: false, typingTimer: null, draft: "", noteDraft: "", scrollTop: null,
           state: null, reason: null, language: null, context: {}, transcript: [], score: undefined,
           sla: [] };  // sla: the service-level timers as `claimed` sent them (sla.js counts them down)
}

export const conv = (S, id) => S.convs.get(id) || null;
export const activeConv = (S) => (S.active ? conv(S, S.active) : null);

export function openCount(S) {
  let n = 0;
  S.convs.forEach((c) => { if (!c.ended) n += 1; });
  return n;
}

export const capacity = (S) => (S.me && S.me.capacity ? Number(S.me.capacity) : Infinity);
export const atCapacity = (S) => openCount(S) >= capacity(S);

export function customerName(c, language = "en") {
  const customer = c.context && c.context.customer;
  if (customer && customer.name) return String(customer.name);
  return t(language, "conv.visitor", { id: String(c.id).slice(-6) });
}

/** The resolution codes of a vocabulary, as codes, and their labels when it gives any: the
 * entries are codes ("answered") or {code, label: {en, ja}}. */
export function resolutionsOf(codes) {
  const list = [], labels = {};
  for (const item of Array.isArray(codes) ? codes : []) {
    if (item && typeof item === "object") {
      if (typeof item.code !== "string" || !item.code || list.includes(item.code)) continue;
      list.push(item.code);
      if (item.label && typeof item.label === "object") labels[item.code] = item.label;
    } else if (item !== null && item !== undefined) {
      list.push(String(item));
    }
  }
  return { codes: list, labels };
}

/** `hello`: who we are, the team, and the vocabulary (reasons, resolution codes). */
export function applyHello(S, data) {
  data = data || {};
  S.me = data.agent || S.me;
  const vocabulary = data.vocabulary && typeof data.vocabulary === "object" ? data.vocabulary : null;
  const codes = vocabulary && Array.isArray(vocabulary.resolution_codes) ? vocabulary.resolution_codes : data.resolution_codes;
  if (Array.isArray(codes)) {
    const resolutions = resolutionsOf(codes);
    S.resolutionCodes = resolutions.codes;
    S.resolutionLabels = resolutions.labels;
  }
  // Codes the desk sets itself (auto_resolved): labelled in transcripts, never offered in the close menu.
  if (vocabulary && Array.isArray(vocabulary.system_resolution_codes)) {
    S.resolutionLabels = { ...S.resolutionLabels, ...resolutionsOf(vocabulary.system_resolution_codes).labels };
  }
  if (vocabulary) S.reasons = reasonBook(vocabulary);
  if (vocabulary && vocabulary.agent_lines && typeof vocabulary.agent_lines === "object") S.agentLines = vocabulary.agent_lines;
  if (Array.isArray(data.agents)) S.agents = data.agents;
  if (data.status) S.status = data.status;
}

/** A new queue; returns the entries that were not in the previous one (none for the first queue). */
export function applyQueue(S, items, now) {
  items = Array.isArray(items) ? items : [];
  const previous = S.knownQueueIds;
  const arrivals = previous ? items.filter((q) => !previous.has(q.conversation_id)) : [];
  S.queue = items;
  S.queueReceivedAt = now;
  S.knownQueueIds = new Set(items.map((q) => q.conversation_id));
  return arrivals;
}

/**
 * `claimed`: open or refresh the conversation. Returns {c, isNew, mine (we asked for it),
 * restoring (re-sent right after a reconnect)}.
 */
export function applyClaimed(S, data, now) {
  const id = data.conversation_id;
  const mine = S.pendingClaims.has(id);
  const restoring = now - S.connectedAt < 3000;
  S.pendingClaims.delete(id);
  let c = conv(S, id);
  const isNew = !c;
  if (!c) {
    c = newConversation(id);
    S.convs.set(id, c);
    S.order.push(id);
  }
  c.state = data.state;
  c.reason = data.reason || (data.context && data.context.reason);
  c.context = data.context || {};
  c.transcript = Array.isArray(data.transcript) ? data.transcript.slice() : [];
  c.sla = Array.isArray(data.sla) ? data.sla.filter((x) => x && typeof x === "object") : [];
  if (data.state === "with_agent" && c.ended) c.ended = null;
  const queued = S.queue.find((q) => q.conversation_id === id);
  const language = data.language || c.context.language || (queued && queued.language);
  if (typeof language === "string" && language) c.language = language;
  if (queued && queued.score !== undefined && c.context.score === undefined) c.score = queued.score;
  return { c, isNew, mine, restoring };
}

/** Append an entry unless one with its id is there already (a retry, a refreshed view). */
export function addEntry(c, entry) {
  if (entry.id && c.transcript.some((e) => e.id === entry.id)) return false;
  c.transcript.push(entry);
  return true;
}

/** What a `resync` sends: {conversation id: the last entry id seen} for every open conversation. */
export function resyncMarks(S) {
  const marks = {};
  for (const [id, c] of S.convs) {
    if (c.ended) continue;
    const last = [...c.transcript].reverse().find((e) => e && e.id);
    if (last) marks[id] = last.id;
  }
  return marks;
}

/** Close the tab `id`; returns the id of the tab to show next (null: none), or undefined if it was not open. */
export function dismissConversation(S, id) {
  const index = S.order.indexOf(id);
  if (index < 0) return undefined;
  S.order.splice(index, 1);
  S.convs.delete(id);
  if (S.active !== id) return S.active;
  S.active = null;
  return S.order[Math.min(index, S.order.length - 1)] || null;
}

/** The score to show with the conversation's reason. */
export function contextScore(c) {
  if (!c) return null;
  const ctx = c.context || {};
  if (ctx.score !== undefined && ctx.score !== null) return ctx.score;
  if (c.score !== undefined && c.score !== null) return c.score;
  let best = null;
  for (const row of Array.isArray(ctx.evidence) ? ctx.evidence : []) {
    if (row && row.signal === c.reason && row.score !== undefined && row.score !== null) {
      best = best === null ? Number(row.score) : Math.max(best, Number(row.score));
    }
  }
  return best;
}

/** Seconds waited now, counting up from what the queue said at reception. */
export function waitingNow(item, receivedAt, now) {
  return Number(item.waiting_s || 0) + (now - receivedAt) / 1000;
}

export function waitClass(s) {
  return s >= 300 ? "wait wait-long" : s >= 120 ? "wait wait-mid" : "wait";
}

/** Canned responses with every word of `query` in their title or text. */
export function cannedMatches(canned, query) {
  const words = String(query || "").toLowerCase().split(/\s+/).filter(Boolean);
  return canned.filter((item) => {
    const hay = (String(item.title || "") + " " + String(item.text || "")).toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** `text` put into `value` between `start` and `end` (a space before it when needed), within the limit. */
export function insertText(value, start, end, text, max = MAX_CHARS) {
  const before = value.slice(0, start), after = value.slice(end);
  const sep = before && !/\s$/.test(before) ? " " : "";
  return { value: (before + sep + text + after).slice(0, max), caret: Math.min(max, (before + sep + text).length) };
}

/** Tickets split into open and handled, newest first. */
export function splitTickets(tickets) {
  const newest = (a, b) => Number(b.created_at || 0) - Number(a.created_at || 0);
  return { open: tickets.filter((t) => t.status !== "handled").sort(newest),
           handled: tickets.filter((t) => t.status === "handled").sort(newest) };
}

const isFree = (a) => Number(a.load || 0) < Number(a.capacity || Infinity) && a.status !== "offline";

/** The transfer select: {options: [{value, label, disabled}], placeholder (or null), selected}.
 * Each agent is named with the languages they serve: "Yuki (JA, EN) — away (1/3)". */
export function transferChoices(agents, myId, previous, language = "en") {
  const others = agents.filter((a) => a.id !== myId);
  const options = others.map((a) => ({
    value: String(a.id), disabled: !isFree(a),
    label: t(language, "actions.transferOption", { name: withLanguages(a.name || a.id, a.languages),
      status: agentStatusText(language, a.status), load: String(a.load || 0), capacity: String(a.capacity || "?") }),
  }));
  const first = options.find((o) => !o.disabled);
  const keep = others.some((a) => String(a.id) === previous && isFree(a));
  return { options, placeholder: first ? null : t(language, others.length ? "actions.noAgentFree" : "actions.noOtherAgents"),
           selected: keep ? previous : first ? first.value : "" };
}

/** Who wrote an entry, as the transcript shows it. */
export function entryWho(S, e, c) {
  const lang = normalizeLanguage(S.language);
  const role = String(e.role || "system");
  if (role === "agent" || role === "note") {
    const author = e.agent && (e.agent.name || e.agent.id);
    const mine = Boolean(S.me && e.agent && e.agent.id === S.me.id);
    let name = author ? String(author) : t(lang, role === "note" ? "entry.noteAuthor" : "entry.agent");
    if (mine) name = t(lang, "team.you", { name });
    return role === "note" ? t(lang, "entry.note", { name }) : name;
  }
  if (role === "customer") return c ? customerName(c, lang) : t(lang, "entry.customer");
  return role === "bot" ? t(lang, "entry.assistant") : role;
}

/** A value from the context for people: numbers rounded, lists joined, objects as compact JSON. */
export function plain(value, language = "en") {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  if (typeof value === "boolean") return t(language, value ? "context.yes" : "context.no");
  if (Array.isArray(value)) return value.map((v) => plain(v, language)).join(", ");
  if (typeof value === "object") {
    try { return JSON.stringify(value); } catch (e) { return String(value); }
  }
  return String(value);
}

export function humanKey(key) {
  const s = String(key).replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function formatMoney(order) {
  const currency = order.currency ? " " + String(order.currency) : "";
  if (order.total_cents !== undefined && order.total_cents !== null && Number.isFinite(Number(order.total_cents))) {
    return (Number(order.total_cents) / 100).toFixed(2) + currency;
  }
  if (order.total === undefined || order.total === null) return null;
  return plain(order.total) + currency;
}

export function itemsText(items, language = "en") {
  if (items === undefined || items === null || items === "") return null;
  if (!Array.isArray(items)) return plain(items, language);
  return items.map((it) => {
    if (it && typeof it === "object") {
      const qty = it.quantity || it.qty;
      return (qty ? qty + " × " : "") + plain(it.name || it.title || it.sku || it, language);
    }
    return plain(it, language);
  }).join(", ");
}

/** An internal transcript line in the agent's language: by its `line` key from the vocabulary's
 * `agent_lines`, its reason and resolution codes as labels; else the English text it was stored with. */
export function systemLineText(S, entry, language) {
  const text = entry && typeof entry.text === "string" ? entry.text : "";
  const lines = S && S.agentLines && typeof S.agentLines === "object" ? S.agentLines : null;
  const key = entry && typeof entry.line === "string" ? entry.line : "";
  const template = lines && Object.prototype.hasOwnProperty.call(lines, key) && lines[key]
    ? lines[key][normalizeLanguage(language)] : null;
  if (typeof template !== "string" || !template) return text;
  const params = { ...(entry.line_params && typeof entry.line_params === "object" ? entry.line_params : {}) };
  if (typeof params.reason === "string") params.reason = reasonLabel(S.reasons, params.reason, normalizeLanguage(language));
  if (typeof params.resolution === "string") params.resolution = resolutionLabel(language, params.resolution, S.resolutionLabels);
  const segments = fillTemplate(template, params);
  return segments ? segments.map((part) => part.text).join("") : text;
}
