/* The console's socket.io wiring on /agent: the server's events onto the state and the views. */

import { AGENT as E, AGENT_NAMESPACE, SOCKET_PATH, isPassingError } from "../../shared/protocol.js";
import { reasonText } from "../../shared/vocabulary.js";
import { beep, toast, tr, uiLanguage } from "./common.js";
import { addEntry, applyClaimed, applyHello, applyQueue, conv, customerName, resyncMarks } from "./state.js";
import { applySlaBreached, estimateOffset, mergeOffset, stopAnswered } from "./sla.js";

const SLA_NOTICE_MS = 15000;

/** An agent's answer recorded in `c`: its first / next response timers stop counting down. */
function answered(ctx, c, entry) {
  if (!entry || entry.role !== "agent") return;
  c.sla = stopAnswered(c.sla, typeof entry.ts === "number" ? entry.ts : Date.now() / 1000 + (ctx.S.serverOffsetS || 0));
  if (ctx.S.active === c.id) ctx.render.convClocks();
}

function announce(ctx, text) {
  ctx.ui.announcer.textContent = "";
  setTimeout(() => { ctx.ui.announcer.textContent = text; }, 30);
}

function offline(ctx) {
  ctx.ui.connection.textContent = tr("common.reconnecting");
  ctx.ui.connection.hidden = false;
}

/** Connect with `io` (socket.io-client); sets ctx.net.socket. */
export function wire(ctx, io) {
  const { S, ui, render, actions } = ctx;
  const socket = io(AGENT_NAMESPACE, { path: SOCKET_PATH, withCredentials: true, transports: ["websocket", "polling"] });
  ctx.net.socket = socket;

  socket.on("connect", () => {
    S.connectedAt = performance.now();
    ui.connection.hidden = true;
    document.body.classList.remove("offline");
    render.composer();
    actions.flushOutbox();
  });
  socket.on("disconnect", () => {
    offline(ctx);
    document.body.classList.add("offline");
    S.convs.forEach((c) => actions.customerTyping(c, false));
    render.composer();
  });
  socket.on("connect_error", (err) => {
    const data = err && err.data;
    if ((data && data.code === "unauthorized") || (err && /unauthori[sz]ed/i.test(String(err.message || "")))) {
      window.location.assign("/console/login");
      return;
    }
    offline(ctx);
  });

  socket.on(E.HELLO, (data) => {
    applyHello(S, data);
    render.me();
    render.status();
    render.resolutions();
    render.agents();
    render.queue();
  });
  socket.on(E.AGENTS, (agents) => {
    S.agents = Array.isArray(agents) ? agents : [];
    render.agents();
  });
  socket.on(E.STATUS, (data) => {
    if (data && data.status) S.status = data.status;
    render.status();
  });

  socket.on(E.QUEUE, (items) => {
    const arrivals = applyQueue(S, items, performance.now());
    S.serverOffsetS = mergeOffset(S.serverOffsetS, estimateOffset(items, Date.now()));
    render.queue();
    if (!arrivals.length) return;
    beep();
    announce(ctx, arrivals.length === 1
      ? tr("queue.newOne", { reason: reasonText(S.reasons, arrivals[0].reason, arrivals[0].score, uiLanguage()) })
      : tr("queue.newMany", { count: arrivals.length }));
  });

  socket.on(E.CLAIMED, (data) => {
    if (!data || !data.conversation_id) return;
    const { c, isNew, mine, restoring } = applyClaimed(S, data, performance.now());
    if (mine || !S.active) {
      actions.activate(c.id);
    } else {
      if (isNew && !restoring) {
        c.unread = Math.max(c.unread, 1);
        toast(tr("queue.assigned", { name: customerName(c, uiLanguage()) }), "info");
        beep();
      }
      render.tabs();
      if (S.active === c.id) render.active();
    }
    render.queue();
    render.load();
  });

  socket.on(E.CUSTOMER_MESSAGE, (data) => {
    const c = data && conv(S, data.conversation_id);
    if (!c) return;
    const entry = { role: "customer", text: data.text, ts: data.ts, id: data.id, message_id: data.message_id };
    // The timers as they stand with this message (it may start a next-reply timer).
    if (Array.isArray(data.sla)) c.sla = data.sla.filter((x) => x && typeof x === "object");
    if (addEntry(c, entry)) render.entry(c, entry);
    actions.customerTyping(c, false);
    if (S.active !== c.id || document.hidden) {
      if (S.active !== c.id) c.unread += 1;
      render.tabs();
    }
  });

  // The bridge's Redis subscription came back: ask for each conversation's entries after the last one seen.
  socket.on(E.RESYNC, () => socket.emit(E.RESYNC, { after: resyncMarks(S) }));
  socket.on(E.ENTRIES, (data) => {
    const c = data && Array.isArray(data.entries) && conv(S, data.conversation_id);
    if (!c) return;
    let customerLines = 0;
    for (const entry of data.entries) {
      if (!entry || typeof entry !== "object" || !addEntry(c, entry)) continue;
      render.entry(c, entry);
      answered(ctx, c, entry);
      if (entry.role === "customer") customerLines += 1;
    }
    if (customerLines && S.active !== c.id) {
      c.unread += customerLines;
      render.tabs();
    }
  });

  socket.on(E.ENTRY_ADDED, (data) => {
    const c = data && data.entry && conv(S, data.conversation_id);
    if (!c) return;
    if (addEntry(c, data.entry)) {
      render.entry(c, data.entry);
      answered(ctx, c, data.entry);
    }
    if (S.active !== c.id && data.entry.role === "customer") {
      c.unread += 1;
      render.tabs();
    }
  });

  socket.on(E.TYPING, (data) => {
    if (!data || (data.who && data.who !== "customer")) return;
    const c = conv(S, data.conversation_id);
    if (c) actions.customerTyping(c, Boolean(data.typing));
  });

  socket.on(E.CONVERSATION_ENDED, (data) => {
    const c = data && conv(S, data.conversation_id);
    if (!c) return;
    c.ended = { how: String(data.how || "ended") };
    actions.customerTyping(c, false);
    actions.forgetTyping(c.id);
    render.tabs();
    if (S.active === c.id) render.active();
    render.queue();
    render.load();
  });

  // A service-level target passed (mine, or still in the queue): a notice that stays a while, and the sound.
  socket.on(E.SLA_BREACHED, (data) => {
    if (!data || !data.conversation_id) return;
    const text = applySlaBreached(S, data, uiLanguage());
    toast(text, "warn", SLA_NOTICE_MS, { "data-testid": "sla-notice",
      dataset: { conversationId: String(data.conversation_id), kind: String(data.kind || "") } });
    beep();
    render.queue();
    if (S.active === data.conversation_id) render.convClocks();
  });

  socket.on(E.TICKETS, (tickets) => {
    S.tickets = Array.isArray(tickets) ? tickets : [];
    render.tickets();
  });
  socket.on(E.CANNED, (items) => {
    S.canned = Array.isArray(items) ? items : [];
    render.canned();
  });

  socket.on(E.ERROR, (data) => {
    data = data || {};
    toast(data.message || data.code || tr("common.somethingWrong"));
    if (data.event === E.CLAIM) {
      S.pendingClaims.clear();
      render.queue();
    }
    // A refused reply goes back to its box (a passing failure is sent again by the outbox).
    const last = S.lastSent;
    if (data.event === E.AGENT_MESSAGE && !isPassingError(data.code) && last && Date.now() - last.at < 15000) {
      actions.restoreDraft(conv(S, last.id), last.text);
      S.lastSent = null;
    }
    if (data.event === E.SET_STATUS) render.status();
    if (data.event === E.TICKET_HANDLED) render.tickets();
    if (data.event === E.CANNED_DELETE || data.event === E.CANNED_SAVE) render.canned();
  });
  return socket;
}
