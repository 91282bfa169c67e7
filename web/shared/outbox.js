/* Delivery with acknowledgement, the one implementation of both pages.
 *
 * Every message has an id and is emitted with an acknowledgement callback; the bridge answers
 * {status: "ok"|"duplicate"|"pending"|"error", code?}. Until a final answer the message stays
 * in the outbox and is sent again under the same id (the bridge handles an id once), backing
 * off 1, 2, 4, 8, 16, then 30 s between attempts, or longer when the bridge says how long to wait
 * (`rate_limited` with `retry_after_s`). Pure apart from the timers you pass. */

import { RETRY_BASE_MS, RETRY_CAP_MS, isPassingError } from "./protocol.js";

/** The wait before retry number `attempt` (1, 2, …): 1 s doubling, at most 30 s. */
export function backoffDelay(attempt, baseMs = RETRY_BASE_MS, capMs = RETRY_CAP_MS) {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(capMs, baseMs * Math.pow(2, Math.min(n - 1, 30)));
}

/**
 * What an acknowledgement means: "delivered" (ok, duplicate), "refused" (an error that sending
 * again cannot fix: too long, empty…) or "retry" (no answer in time, pending, a passing error).
 */
export function classifyAck(err, ack) {
  if (err) return "retry";
  const status = ack && typeof ack === "object" ? ack.status : null;
  if (status === "ok" || status === "duplicate") return "delivered";
  if (status === "error" && !isPassingError(ack.code)) return "refused";
  return "retry";
}

/** How long the bridge asked to wait before the next attempt (`rate_limited` carries
 * `retry_after_s`), in ms; 0 when it did not say. */
export function retryAfterMs(ack) {
  const seconds = ack && typeof ack === "object" ? Number(ack.retry_after_s) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 300) * 1000 : 0;
}

/**
 * createOutbox({emit, ready, …}):
 * - emit(item, callback(err, ack)): send it (with an acknowledgement timeout);
 * - ready(item): whether it can be sent now (connected…); if not it waits for the next attempt;
 * - keep(item): checked before each retry; false gives the item up (its conversation ended);
 * - maxAttempts: give up after that many attempts (default: never, a message is not dropped);
 * - onDelivered(item, ack), onRefused(item, ack), onGiveUp(item), onChange(items): reports.
 * Items are plain objects with a string `message_id`; the outbox adds nothing to them.
 */
export function createOutbox({ emit, ready = () => true, keep = () => true, maxAttempts = Infinity,
                               baseMs = RETRY_BASE_MS, capMs = RETRY_CAP_MS,
                               onDelivered = () => {}, onRefused = () => {}, onGiveUp = () => {},
                               onChange = () => {}, timers = globalThis, items = [] }) {
  // message_id -> {item, attempts, inFlight, timer}
  const entries = new Map();
  for (const item of items) entries.set(item.message_id, { item, attempts: 0, inFlight: false, timer: null });

  function changed() { onChange(list()); }
  function list() { return Array.from(entries.values(), (e) => e.item); }

  function clearTimer(entry) {
    if (entry.timer !== null) timers.clearTimeout(entry.timer);
    entry.timer = null;
  }

  function drop(entry) {
    clearTimer(entry);
    entries.delete(entry.item.message_id);
    changed();
  }

  function schedule(entry, notBeforeMs = 0) {
    clearTimer(entry);
    if (entry.attempts >= maxAttempts) { drop(entry); onGiveUp(entry.item); return; }
    entry.timer = timers.setTimeout(() => {
      entry.timer = null;
      if (entries.get(entry.item.message_id) !== entry) return;
      if (!keep(entry.item)) { drop(entry); onGiveUp(entry.item); return; }
      attempt(entry);
    }, Math.max(notBeforeMs, backoffDelay(entry.attempts, baseMs, capMs)));
  }

  function attempt(entry) {
    if (entry.inFlight || entries.get(entry.item.message_id) !== entry) return;
    entry.attempts += 1;
    if (!ready(entry.item)) { schedule(entry); return; }
    entry.inFlight = true;
    emit(entry.item, (err, ack) => {
      entry.inFlight = false;
      if (entries.get(entry.item.message_id) !== entry) return;  // settled meanwhile
      const outcome = classifyAck(err, ack);
      if (outcome === "delivered") { drop(entry); onDelivered(entry.item, ack); }
      else if (outcome === "refused") { drop(entry); onRefused(entry.item, ack); }
      else schedule(entry, retryAfterMs(ack));
    });
  }

  return {
    /** Queue a new message and send it now. */
    add(item) {
      if (!item || typeof item.message_id !== "string" || entries.has(item.message_id)) return false;
      const entry = { item, attempts: 0, inFlight: false, timer: null };
      entries.set(item.message_id, entry);
      changed();
      attempt(entry);
      return true;
    },
    /** Send every waiting message now (after a reconnect), not waiting for its back-off. */
    flush() {
      for (const entry of Array.from(entries.values())) {
        if (entry.inFlight) continue;
        clearTimer(entry);
        attempt(entry);
      }
    },
    /** Keep only the messages for which `predicate(item)` holds (the rest need no delivery). */
    retain(predicate) {
      let removed = false;
      for (const entry of Array.from(entries.values())) {
        if (!predicate(entry.item)) { clearTimer(entry); entries.delete(entry.item.message_id); removed = true; }
      }
      if (removed) changed();
    },
    items: list,
    has: (id) => entries.has(id),
    get size() { return entries.size; },
  };
}
