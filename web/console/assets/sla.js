/* Service-level timers in the console (pure: no DOM; the Node tests import it).
 *
 * The server sends each queue entry's and each open conversation's timers (`sla: [timer]`, see
 * web/PROTOCOL.md): {kind, started_at, target_s, due_at, amber_at, stopped_at, state}, timestamps in
 * SECONDS of the server's clock, business hours already inside `due_at`. The console counts them
 * down itself every second: the server's "now" is the browser's clock plus an offset learned from
 * the queue (`estimateOffset`), and the state it sent is a floor (a running timer only moves on:
 * ok → amber → breached), so a browser clock that runs behind never shows a breached timer as ok. */

import { reasonText } from "../../shared/vocabulary.js";
import { waitClock } from "../../shared/time.js";
import { customerName } from "./state.js";
import { formatClock, normalizeLanguage, t } from "./text.js";

export const SLA_KINDS = Object.freeze(["first_response", "next_response", "resolution"]);

/** The label of each kind in text.js (written out: the catalogue's test finds keys in use by their literal). */
const LABEL_KEYS = Object.freeze({ first_response: "sla.firstResponse", next_response: "sla.nextResponse",
                                   resolution: "sla.resolution" });
const RUNNING = Object.freeze(["ok", "amber", "breached"]);
const HANDOFF_KINDS = Object.freeze(["first_response", "resolution"]);  // the timers that start at the handoff
const OFFSET_JUMP_S = 2;  // a new estimate this far from the last one: the clock moved, take it as it is

const finite = (x) => x !== null && x !== undefined && x !== "" && Number.isFinite(Number(x));
const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/** "First reply" / "初回応答"; an unknown kind as its code with `_` → space. */
export function timerLabel(language, kind) {
  const key = hasOwn(LABEL_KEYS, kind) ? LABEL_KEYS[kind] : null;
  return key ? t(language, key) : String(kind || "").replace(/_/g, " ");
}

/** The server's clock now, in seconds: the browser's (`browserMs`, Date.now()) plus `offsetS`. */
export function serverNow(browserMs, offsetS) {
  return Number(browserMs) / 1000 + (finite(offsetS) ? Number(offsetS) : 0);
}

/**
 * The server's clock minus the browser's, in seconds, from a queue received at `receivedMs`
 * (Date.now()): an entry's first-response and resolution timers start at its handoff and `waiting_s`
 * is its wait when the queue was sent, so the server's "now" then was `started_at + waiting_s`. null
 * when no entry tells (an empty queue, no timers). Latency makes it a little low: at most that late.
 */
export function estimateOffset(items, receivedMs) {
  for (const item of Array.isArray(items) ? items : []) {
    if (!item || !finite(item.waiting_s) || !Array.isArray(item.sla)) continue;
    const handoff = item.sla.find((x) => x && HANDOFF_KINDS.includes(x.kind) && finite(x.started_at));
    if (handoff) return Number(handoff.started_at) + Number(item.waiting_s) - Number(receivedMs) / 1000;
  }
  return null;
}

/** The offset to keep after a new `estimate`: estimates only err low (latency), so the higher of
 * the two, unless they are seconds apart (a clock was set): then the new one. */
export function mergeOffset(previous, estimate) {
  if (!finite(estimate)) return finite(previous) ? Number(previous) : 0;
  if (!finite(previous) || Math.abs(Number(estimate) - Number(previous)) > OFFSET_JUMP_S) return Number(estimate);
  return Math.max(Number(previous), Number(estimate));
}

/**
 * A timer at `nowS` (the server's clock): {kind, state, running, dueAt, leftS, overS}. `state` is
 * `ok`, `amber` (now ≥ amber_at), `breached` (now ≥ due_at), or once stopped `met` / `missed`;
 * `leftS` the whole seconds to the deadline (rounded up: "0:01 left" until it is due), `overS` those
 * past it (rounded down: "overdue 0:00" at the deadline); both null without a deadline.
 */
export function timerAt(timer, nowS) {
  const x = timer && typeof timer === "object" ? timer : {};
  const kind = String(x.kind || "");
  const dueAt = finite(x.due_at) ? Number(x.due_at) : null;
  const amberAt = finite(x.amber_at) ? Number(x.amber_at) : null;
  if (finite(x.stopped_at)) {
    const stopped = Number(x.stopped_at);
    const state = x.state === "met" || x.state === "missed" ? x.state
      : dueAt === null || stopped <= dueAt ? "met" : "missed";
    return { kind, state, running: false, dueAt, leftS: null, overS: null };
  }
  let state = dueAt !== null && nowS >= dueAt ? "breached" : amberAt !== null && nowS >= amberAt ? "amber" : "ok";
  const told = RUNNING.indexOf(x.state);
  if (told > RUNNING.indexOf(state)) state = RUNNING[told];  // the server saw it further on: trust that
  const left = dueAt === null ? null : dueAt - nowS;
  return { kind, state, running: true, dueAt,
           leftS: left === null ? null : Math.max(0, Math.ceil(left - 1e-9)),
           overS: left === null ? null : Math.max(0, Math.floor(-left + 1e-9)) };
}

/** "2:35" (seconds as m:ss; h:mm:ss from an hour on). */
export function formatCountdown(s) {
  return waitClock(s);
}

/** The countdown's text: "2:35 left" / "残り 2:35", "overdue 1:10" / "超過 1:10"; "" when nothing to count. */
export function countdownText(language, view) {
  if (!view || !view.running || view.dueAt === null) return "";
  return view.state === "breached" ? t(language, "sla.overdue", { time: formatCountdown(view.overS) })
    : t(language, "sla.left", { time: formatCountdown(view.leftS) });
}

/**
 * What to draw of `timers` at `nowS`, nearest deadline first: the running ones with a deadline (a
 * stopped timer is not counted down; a deadline beyond the server's horizon, `due_at: null`, has
 * nothing to count), each {kind, state, label, text, title}; only the `kinds` given when given.
 */
export function timerViews(timers, nowS, language, kinds) {
  const lang = normalizeLanguage(language);
  return (Array.isArray(timers) ? timers : [])
    .filter((x) => x && (!kinds || kinds.includes(x.kind)))
    .map((x) => timerAt(x, nowS))
    .filter((v) => v.running && v.dueAt !== null && v.kind)
    .sort((a, b) => a.dueAt - b.dueAt)
    .map((v) => ({ kind: v.kind, state: v.state, label: timerLabel(lang, v.kind), text: countdownText(lang, v),
                   title: timerLabel(lang, v.kind) + " · " + t(lang, "sla.due", { time: formatClock(lang, v.dueAt) }) }));
}

/** The timers after the agent answered at `ts` (seconds): the first and the next response that had
 * started by then stopped there (the server counts them; the console stops counting down at once).
 * A new array. */
export function stopAnswered(timers, ts) {
  return (Array.isArray(timers) ? timers : []).map((x) => {
    if (!x || (x.kind !== "first_response" && x.kind !== "next_response") || finite(x.stopped_at)) return x;
    const stopped = finite(ts) ? Number(ts) : null;
    if (stopped === null || (finite(x.started_at) && stopped < Number(x.started_at))) return x;  // an answer from before it
    return { ...x, stopped_at: stopped, state: finite(x.due_at) && stopped > Number(x.due_at) ? "missed" : "met" };
  });
}

/** The timers after an `sla_breached` notice: that kind's running timer marked breached (added when
 * the console did not have it: a next response that started after the conversation was opened). */
export function markBreached(timers, notice) {
  const list = Array.isArray(timers) ? timers.slice() : [];
  const kind = notice && typeof notice.kind === "string" ? notice.kind : "";
  if (!kind) return list;
  const index = list.findIndex((x) => x && x.kind === kind && !finite(x.stopped_at));
  const dueAt = finite(notice.due_at) ? Number(notice.due_at) : null;
  if (index >= 0) {
    list[index] = { ...list[index], state: "breached", due_at: finite(list[index].due_at) ? list[index].due_at : dueAt };
  } else {
    list.push({ kind, started_at: null, target_s: null, due_at: dueAt, amber_at: null, stopped_at: null, state: "breached" });
  }
  return list;
}

/**
 * `sla_breached` {conversation_id, kind, reason, due_at, agent_id} onto the state: the timers of the
 * conversation (mine) or of its queue entry marked breached. Returns the notice's text in `language`:
 * "First reply overdue: Visitor 3f2a1b", or for a waiting conversation "… #2 in the queue (frustration)".
 */
export function applySlaBreached(S, notice, language) {
  const lang = normalizeLanguage(language);
  const id = notice && notice.conversation_id ? String(notice.conversation_id) : "";
  const target = timerLabel(lang, notice && notice.kind);
  const c = id ? S.convs.get(id) : null;
  if (c) {
    c.sla = markBreached(c.sla, notice);
    return t(lang, "sla.breachedMine", { target, name: customerName(c, lang) });
  }
  const index = S.queue.findIndex((q) => q && q.conversation_id === id);
  if (index >= 0) {
    const item = S.queue[index];
    S.queue[index] = { ...item, sla: markBreached(item.sla, notice) };
    return t(lang, "sla.breachedQueue", { target, position: item.position || index + 1,
      reason: reasonText(S.reasons, (notice && notice.reason) || item.reason, null, lang) });
  }
  return t(lang, "sla.breachedOther", { target, id: id.slice(-6) });
}
