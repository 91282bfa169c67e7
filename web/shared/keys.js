/* Keyboard helpers of every page: Enter to send (never while an IME composes, e.g. Japanese input)
 * and the typing notifications' debounce. Pure apart from the timers you pass. */

import { TYPING_IDLE_MS } from "./protocol.js";

/** True while an input method is composing: the Enter that confirms a conversion is not a send. */
export function isComposing(event) {
  return Boolean(event && (event.isComposing || event.keyCode === 229));
}

/** Enter sends; Shift+Enter (and Alt+Enter) is a new line; nothing while composing. */
export function isEnterToSend(event) {
  return Boolean(event) && event.key === "Enter" && !event.shiftKey && !event.altKey && !isComposing(event);
}

/** Make Enter in `field` call `action` (and not insert a line break). */
export function enterSends(field, action) {
  field.addEventListener("keydown", (event) => {
    if (isEnterToSend(event)) {
      event.preventDefault();
      action();
    }
  });
}

/**
 * Typing notifications for one text box: `send(key, true)` when typing starts in `key` (a
 * conversation), again every `repeatMs` while it goes on, `send(key, false)` after `idleMs`
 * without input, when the box empties, on `stop()` (sending) or when typing moves to another key.
 * `reset()` forgets without sending (the connection dropped).
 */
export function createTypingNotifier({ send, idleMs = TYPING_IDLE_MS, repeatMs = Infinity,
                                       now = () => Date.now(), timers = globalThis }) {
  const state = { key: null, sentAt: 0, idle: null };

  function clearIdle() {
    if (state.idle !== null) timers.clearTimeout(state.idle);
    state.idle = null;
  }

  function stop() {
    clearIdle();
    if (state.key === null) return;
    const key = state.key;
    state.key = null;
    send(key, false);
  }

  function input(key, hasText) {
    if (!hasText) { stop(); return; }
    const t = now();
    if (state.key !== key) {
      if (state.key !== null) stop();
      state.key = key;
      state.sentAt = t;
      send(key, true);
    } else if (t - state.sentAt > repeatMs) {
      state.sentAt = t;
      send(key, true);
    }
    clearIdle();
    state.idle = timers.setTimeout(stop, idleMs);
  }

  function reset() {
    clearIdle();
    state.key = null;
  }

  return { input, stop, reset, get key() { return state.key; } };
}
