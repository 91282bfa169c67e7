/* The widget's state: one plain object, and pure functions over it and the server's events.
 * No DOM here (the tests import this module under Node). */

import { str } from "../shared/dom.js";
import { safeImageSrc } from "../shared/url.js";
import { segmentsText, statusLine } from "../shared/vocabulary.js";

export function createState(config) {
  return {
    config,
    connected: false,
    everConnected: false,
    sessionId: null,       // confirmed by the server on this connection
    requestedId: null,     // what we asked for (the stored id)
    greeted: new Set(),    // conversations the initial payload was sent to
    conv: "bot",           // bot | queued | with_agent | closed
    agent: null,           // {id, name} while with an agent
    open: false,
    unread: 0,
    shownIds: new Set(),   // ids of the entries drawn (each id once)
    lastEntryId: "",       // the last transcript entry seen: a reconnect or a resync asks for what came after
    lastEntryOf: null,     // the conversation lastEntryId belongs to
    sentIds: new Set(),    // message ids this page sent (drawn when typed, not again from the transcript)
    lastReplyAt: 0,        // Date.now() of the last bot_uttered
    vocabulary: null,      // from `history`: {status_lines: {key: {en, ja}}}
    desk: null,            // from `history` and the queue: {open, opens: {en, ja}} (business hours)
  };
}

export function canSend(state) {
  return state.connected && Boolean(state.sessionId);
}

/** A (re)connection: ask for `storedId` again; nothing is confirmed yet. */
export function connected(state, storedId) {
  state.connected = true;
  state.everConnected = true;
  state.sessionId = null;
  state.requestedId = storedId || null;
}

/** `session_confirm` carries the id as a string (or `{session_id}`); "" when neither. */
export function sessionIdOf(data) {
  if (typeof data === "string") return data;
  return data && typeof data === "object" ? str(data.session_id) : "";
}

/** The connection line: "" when connected. */
export function connectionText(state, t) {
  if (state.connected) return "";
  return state.everConnected ? t("reconnecting") : t("connecting");
}

export function setConversation(state, conv, agent) {
  state.conv = conv || "bot";
  if (agent !== undefined) state.agent = agent && typeof agent === "object" ? agent : null;
}

/** The desk's hours as the server told them (`history.desk`, or a queue update out of hours). */
export function setDesk(state, desk) {
  if (!desk || typeof desk !== "object") return;
  const opens = desk.opens && typeof desk.opens === "object" ? desk.opens : null;
  state.desk = { open: desk.open !== false, opens };
}

/** When the desk opens, in the widget's language ("" when open, or when the server did not say). */
export function deskOpens(state) {
  const desk = state.desk;
  if (!desk || desk.open || !desk.opens) return "";
  return str(desk.opens[state.config.language]) || str(desk.opens.en);
}

/** "…you are number 2 in line, about 3 minutes" (at least 1 minute), or the plain waiting line. */
export function queueText(t, position, waitS) {
  const n = Number(position);
  if (!Number.isFinite(n) || n <= 0) return t("queueWaiting");
  const m = Math.max(1, Math.ceil((Number(waitS) || 0) / 60));
  return t("queue", { n: Math.round(n), m, minutes: m === 1 ? t("minute") : t("minutes") });
}

/** The typing line for a `typing` event: a label, null to hide it, undefined to ignore the event. */
export function typingLabel(state, t, data) {
  if (!data || typeof data !== "object" || (data.who !== "bot" && data.who !== "agent")) return undefined;
  if (!data.typing) return null;
  if (data.who === "bot") return t("typingAssistant");
  return t("typingAgent", { name: str(data.agent) || (state.agent && str(state.agent.name)) || t("someone") });
}

/** Whether the survey is due after `history`. */
export function surveyDue(data) {
  if (typeof data.survey_pending === "boolean") return data.survey_pending;
  return data.state === "closed" && data.surveyed !== true;
}

/** Whether to send the initial payload after `history` (a new, empty conversation); marks it sent. */
export function shouldGreet(state, data) {
  const empty = !Array.isArray(data.transcript) || data.transcript.length === 0;
  const isNew = !state.requestedId || state.requestedId !== state.sessionId;
  if (!isNew || !empty || !state.config.initialPayload || !state.sessionId || state.greeted.has(state.sessionId)) return false;
  state.greeted.add(state.sessionId);
  return true;
}

/** Draw `id` only once: false when it was drawn already. */
export function firstSight(state, id) {
  if (!id) return true;
  if (state.shownIds.has(id)) return false;
  state.shownIds.add(id);
  seenEntry(state, id);
  return true;
}

function seenEntry(state, id) {
  state.lastEntryId = id;
  state.lastEntryOf = state.sessionId;
}

/** The `session_request` payload for `sessionId`: once its history was seen, only the entries
 * after the last one seen (a reconnect, a resync). */
export function sessionRequest(state, sessionId, capabilities) {
  const request = { session_id: sessionId, capabilities };
  if (state.lastEntryId && sessionId && sessionId === state.lastEntryOf) request.after = state.lastEntryId;
  return request;
}

/**
 * A status line as text segments: the server's vocabulary line `key` in the widget's language
 * (the vocabulary comes with `history`, before any live event), else `fallback` (the entry's
 * own text). The widget keeps no status lines of its own: they have one home, on the server.
 */
export function statusSegments(state, key, params, fallback) {
  const line = statusLine(state.vocabulary, key, state.config.language, params);
  if (line) return line;
  return [{ text: typeof fallback === "string" ? fallback : str(key) }];
}

function image(attachment, base) {
  return attachment && typeof attachment === "object" && attachment.type === "image" && attachment.payload
    ? safeImageSrc(attachment.payload.src, base) : null;
}

function replyList(payload) {
  return payload && Array.isArray(payload.quick_replies) && payload.quick_replies.length ? payload.quick_replies : null;
}

/** Whether a message item shows anything (text or a safe image). */
export function visible(item) {
  return item.role === "system" ? segmentsText(item.segments) !== "" : Boolean(str(item.text) || item.image);
}

/** The transcript entry id of a live `bot_uttered`: in its metadata (Rasa's keys stay Rasa's). */
export function entryIdOf(data) {
  const meta = data && data.metadata && typeof data.metadata === "object" ? data.metadata : {};
  return meta.id;
}

/** A message item for a live `bot_uttered` (bot or agent): {item, replies}. */
export function botItem(state, data) {
  const meta = data.metadata && typeof data.metadata === "object" ? data.metadata : {};
  const isAgent = meta.sender === "agent";
  return {
    item: {
      role: isAgent ? "agent" : "bot", text: data.text, ts: data.ts,
      agentName: isAgent && meta.agent ? str(meta.agent.name) : "",
      image: image(data.attachment, state.config.bridgeUrl + "/"),
    },
    replies: replyList(data),
  };
}

function entryAgentName(entry) {
  if (entry.agent && typeof entry.agent === "object") return str(entry.agent.name);
  const meta = entry.payload && entry.payload.metadata;
  return meta && meta.agent ? str(meta.agent.name) : "";
}

/**
 * `history` as what to draw: {items, replies (the quick replies of the last message, or null),
 * acked (message ids the transcript holds), partial}. A whole history resets the drawn ids; a
 * partial one (`after`: the entries after the last one seen) draws only entries not drawn yet,
 * and none of this page's own messages. Keeps the vocabulary.
 */
export function historyView(state, data) {
  if (data.vocabulary && typeof data.vocabulary === "object") state.vocabulary = data.vocabulary;
  const transcript = Array.isArray(data.transcript) ? data.transcript : [];
  const base = state.config.bridgeUrl + "/";
  const initialPayload = state.config.initialPayload;
  const partial = Boolean(data.after);
  const drawnBefore = partial ? state.shownIds : new Set();
  state.shownIds = new Set(drawnBefore);
  const acked = new Set();
  for (const entry of transcript) {
    if (entry && entry.id) { state.shownIds.add(entry.id); seenEntry(state, entry.id); }
    if (entry && entry.message_id) acked.add(entry.message_id);
  }
  const items = [];
  let lastReplies = null;
  let prevReplies = null;
  let sawCustomer = partial;
  for (const entry of transcript) {
    if (!entry || typeof entry !== "object") continue;
    if (partial && (drawnBefore.has(entry.id) || (entry.role === "customer" && state.sentIds.has(entry.message_id)))) continue;
    const payload = entry.payload && typeof entry.payload === "object" ? entry.payload : null;
    if (entry.role === "customer") {
      let text = str(entry.text);
      // The hidden initial payload is not shown; a quick reply's payload shows its title.
      if (!sawCustomer && initialPayload && text === initialPayload) { sawCustomer = true; continue; }
      sawCustomer = true;
      if (prevReplies) for (const r of prevReplies) if (r && str(r.payload) === text && str(r.title)) text = str(r.title);
      items.push({ role: "customer", text, ts: entry.ts });
      prevReplies = null;
      lastReplies = null;
    } else if (entry.role === "bot" || entry.role === "agent") {
      const isAgent = entry.role === "agent" || Boolean(payload && payload.metadata && payload.metadata.sender === "agent");
      const item = {
        role: isAgent ? "agent" : "bot",
        text: entry.text !== null && entry.text !== undefined ? entry.text : payload && payload.text,
        ts: entry.ts, agentName: entryAgentName(entry), image: image(payload && payload.attachment, base),
      };
      const replies = replyList(payload);
      const shown = visible(item);
      if (shown) items.push(item);
      if (replies) prevReplies = replies;
      lastReplies = shown || replies ? replies : lastReplies;
    } else if (entry.role === "system") {
      const item = { role: "system", ts: entry.ts, segments: statusSegments(state, entry.status, entry.params, str(entry.text)) };
      if (visible(item)) items.push(item);
      lastReplies = null;
    }
  }
  return { items, replies: lastReplies, acked, partial };
}

/** What an outbox item is stored as (never the in-flight bookkeeping). */
export function outboxRecord(m) {
  return { message_id: m.message_id, message: m.message, session_id: m.session_id, shown: m.shown, ts: m.ts };
}

/** The stored outbox (JSON text) as items; [] when absent or broken. */
export function parseOutbox(json) {
  try {
    const raw = JSON.parse(json || "[]");
    return Array.isArray(raw) ? raw.filter((m) => m && typeof m.message_id === "string").map(outboxRecord) : [];
  } catch (e) {
    return [];
  }
}
