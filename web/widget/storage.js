/* The widget's memory across reloads: the conversation id and the unacknowledged messages, in
 * localStorage (an in-memory copy when storage is refused, e.g. private mode). */

import { outboxRecord, parseOutbox } from "./state.js";

function store() {
  try { return window.localStorage; } catch (e) { return null; }
}

export function createStorage(config, memory = {}) {
  return {
    loadId() {
      try { return store().getItem(config.sessionKey) || null; } catch (e) { return memory[config.sessionKey] || null; }
    },
    saveId(id) {
      memory[config.sessionKey] = id;
      try { store().setItem(config.sessionKey, id); } catch (e) { /* private mode */ }
    },
    loadOutbox() {
      try { return parseOutbox(store().getItem(config.outboxKey)); } catch (e) { return []; }
    },
    saveOutbox(items) {
      try { store().setItem(config.outboxKey, JSON.stringify(items.map(outboxRecord))); } catch (e) { /* private mode */ }
    },
  };
}
