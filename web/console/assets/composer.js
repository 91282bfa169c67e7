/* The console's reply and note boxes and the conversation's action buttons. An agent's message
 * goes through the shared outbox: acknowledged, sent again under the same id, and back in its
 * reply box if it cannot be delivered. DOM only; installs into ctx.actions. */

import { newMessageId } from "../../shared/ids.js";
import { createTypingNotifier, enterSends } from "../../shared/keys.js";
import { createOutbox } from "../../shared/outbox.js";
import { ACK_TIMEOUT_MS, AGENT as E, MAX_CHARS } from "../../shared/protocol.js";
import { toast, tr } from "./common.js";
import { activeConv, conv } from "./state.js";

const TYPING_REPEAT_MS = 4000;  // the customer's page hides "typing" after a while without news
const MAX_ATTEMPTS = 16;        // then the text goes back to its reply box

/** Put `text` back in conversation `c`'s reply box unless something else is there. */
function restoreDraft(ctx, c, text) {
  if (!c || c.ended || c.draft) return;
  c.draft = text;
  if (ctx.S.active === c.id && !ctx.ui.reply.value) ctx.ui.reply.value = text;
}

export function install(ctx) {
  const { S, ui, actions, render } = ctx;
  for (const box of [ui.reply, ui.note, ui.cannedText]) box.maxLength = MAX_CHARS;

  const typing = createTypingNotifier({
    repeatMs: TYPING_REPEAT_MS,
    send: (id, on) => {
      const c = conv(S, id);
      if (ctx.connected() && (on || (c && !c.ended))) ctx.net.socket.emit(E.TYPING, { conversation_id: id, typing: on });
    },
  });
  actions.stopTyping = () => typing.stop();
  actions.forgetTyping = (id) => { if (typing.key === id) typing.reset(); };

  const outbox = createOutbox({
    maxAttempts: MAX_ATTEMPTS,
    ready: () => ctx.connected(),
    keep: (item) => { const c = conv(S, item.conversation_id); return Boolean(c && !c.ended); },
    emit: (item, done) => ctx.net.socket.timeout(ACK_TIMEOUT_MS).emit(E.AGENT_MESSAGE, item, done),
    onGiveUp: (item) => {
      toast(tr("reply.undelivered"));
      restoreDraft(ctx, conv(S, item.conversation_id), item.text);
    },
    // Refused (too long…): the error event shows a toast and restores the text (see socket.js).
  });
  actions.flushOutbox = () => outbox.flush();
  actions.restoreDraft = (c, text) => restoreDraft(ctx, c, text);

  ui.reply.addEventListener("input", () => {
    const c = activeConv(S);
    if (!c || c.ended) return;
    c.draft = ui.reply.value;
    typing.input(c.id, ui.reply.value.trim().length > 0);
  });

  function sendReply() {
    const c = activeConv(S);
    if (!c || c.ended) return;
    const text = ui.reply.value.trim();
    if (!text) { ui.reply.focus(); return; }
    typing.stop();
    if (!ctx.connected()) { toast(tr("common.notConnected")); return; }
    outbox.add({ conversation_id: c.id, text, message_id: newMessageId("a") });
    S.lastSent = { id: c.id, text: ui.reply.value, at: Date.now() };
    ui.reply.value = "";
    c.draft = "";
    ui.reply.focus();
  }

  function addNote() {
    const c = activeConv(S);
    if (!c || c.ended) return;
    const text = ui.note.value.trim();
    if (!text) { ui.note.focus(); return; }
    if (!ctx.send(E.NOTE, { conversation_id: c.id, text })) return;
    ui.note.value = "";
    c.noteDraft = "";
  }

  enterSends(ui.reply, sendReply);
  enterSends(ui.note, addNote);
  ui.note.addEventListener("input", () => { const c = activeConv(S); if (c) c.noteDraft = ui.note.value; });
  ui.send.addEventListener("click", sendReply);
  ui.addNote.addEventListener("click", addNote);

  ui.handBack.addEventListener("click", () => {
    const c = activeConv(S);
    if (c && !c.ended) { typing.stop(); ctx.send(E.HAND_BACK, { conversation_id: c.id }); }
  });
  // A customer's data-deletion request: two clicks (the first arms the button for 4 s), then the
  // bridge erases the transcript, the tickets and Rasa's tracker (handoff/erasure.py).
  ui.erase.addEventListener("click", () => {
    const c = activeConv(S);
    if (!c || c.ended) return;
    if (ui.erase.dataset.armed !== c.id) {
      ui.erase.dataset.armed = c.id;
      ui.erase.textContent = tr("actions.eraseConfirm");
      setTimeout(() => { delete ui.erase.dataset.armed; ui.erase.textContent = tr("actions.erase"); }, 4000);
      return;
    }
    delete ui.erase.dataset.armed;
    ui.erase.textContent = tr("actions.erase");
    ctx.send(E.ERASE, { conversation_id: c.id });
  });
  ui.transfer.addEventListener("click", () => {
    const c = activeConv(S);
    const to = ui.transferTo.value;
    if (!c || c.ended) return;
    if (!to) { toast(tr("actions.chooseAgent")); return; }
    typing.stop();
    ctx.send(E.TRANSFER, { conversation_id: c.id, to_agent: to });
  });
  ui.transferTo.addEventListener("change", () => render.composer());
  ui.close.addEventListener("click", () => {
    const c = activeConv(S);
    if (!c || c.ended) return;
    typing.stop();
    ctx.send(E.CLOSE, { conversation_id: c.id, resolution: ui.resolution.value || "resolved" });
  });
  ui.dismiss.addEventListener("click", () => {
    if (S.active) actions.dismiss(S.active);
    const tab = ui.tabs.querySelector("[aria-selected=true]");
    (tab || ui.queue.querySelector("button:not([disabled])") || ui.cannedSearch).focus();
  });
  window.addEventListener("beforeunload", () => typing.stop());
}
