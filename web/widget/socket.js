/* The widget's socket.io wiring: the server's events onto the state and the view, and what the
 * customer sends (through the outbox: acknowledged, retried, de-duplicated by id). */

import { str } from "../shared/dom.js";
import { newMessageId } from "../shared/ids.js";
import { createTypingNotifier } from "../shared/keys.js";
import { createOutbox } from "../shared/outbox.js";
import { ACK_TIMEOUT_MS, CAPABILITIES, CUSTOMER as E, RESUME_PATH, SOCKET_PATH, clip, isPassingError } from "../shared/protocol.js";
import * as S from "./state.js";
import { addMessage, addStatus, clearLog, expectBotReply, hideTyping, showError, showQuickReplies, showTyping } from "./messages.js";
import { formError, hideNoAgent, hideSurvey, showNoAgent, showSurvey, surveyShown, surveyThanked, surveyThanks, transcriptSent } from "./cards.js";
import { countUnread, hideQueue, renderConnection, renderHeader, scrollToBottom, showQueue } from "./view.js";

/** The conversation's state and agent, in the state and the header; leaving the queue ends its cards. */
export function setConversation(ctx, conv, agent) {
  S.setConversation(ctx.state, conv, agent);
  renderHeader(ctx);
  if (ctx.state.conv !== "queued") { hideQueue(ctx); hideNoAgent(ctx); }
}

/** Connect to the bridge with `io` (socket.io-client); fills ctx.net and ctx.actions. */
export function wire(ctx, io) {
  const { state, storage } = ctx;
  const socket = io(state.config.bridgeUrl, { path: SOCKET_PATH, transports: ["websocket", "polling"] });
  const emit = (event, data) => { if (state.connected) socket.emit(event, data); };

  const outbox = createOutbox({
    items: storage.loadOutbox(),
    ready: (item) => S.canSend(state) && item.session_id === state.sessionId,
    emit: (item, done) => {
      item.sentAt = Date.now();
      socket.timeout(ACK_TIMEOUT_MS).emit(E.USER_UTTERED, {
        message: item.message, session_id: item.session_id, message_id: item.message_id,
        customData: { language: state.config.language },
      }, done);
    },
    onChange: (items) => storage.saveOutbox(items),
    onDelivered: (item, ack) => {
      // Handled, but no reply seen live (it may have been sent while we were reconnecting):
      // ask for the conversation again, which shows whatever we missed.
      if (ack.status !== "ok" || state.conv !== "bot" || state.lastReplyAt >= item.sentAt) return;
      setTimeout(() => {
        if (state.lastReplyAt < item.sentAt && S.canSend(state)) socket.emit(E.SESSION_REQUEST, S.sessionRequest(state, state.sessionId, CAPABILITIES));
      }, 400);
    },
    // Refused for good (too long, empty…): the error event already told the customer.
  });
  // Typing notifications: true when typing starts, false after 2 s idle or on send.
  const typing = createTypingNotifier({ send: (key, on) => { if (S.canSend(state)) emit(E.TYPING, { typing: on }); } });
  ctx.net = { socket, outbox, typing };

  function sendUtterance(message, shown) {
    if (!S.canSend(state)) return false;
    typing.stop();
    const item = { message_id: newMessageId("w"), message, session_id: state.sessionId, shown, ts: Date.now() / 1000 };
    state.sentIds.add(item.message_id);
    outbox.add(item);
    if (shown !== null) {
      addMessage(ctx, { role: "customer", text: shown, ts: item.ts });
      scrollToBottom(ctx, true);
    }
    expectBotReply(ctx);
    return true;
  }
  const pickReply = (payload, title) => { if (S.canSend(state)) sendUtterance(payload, title); };

  Object.assign(ctx.actions, {
    send(text) { return sendUtterance(clip(text), clip(text)); },
    typed(hasText) { if (S.canSend(state)) typing.input("customer", hasText); },
    keepWaiting() { emit(E.KEEP_WAITING, {}); },
    leaveMessage(email, text) {
      if (!S.canSend(state)) return false;
      emit(E.LEAVE_MESSAGE, { email, text });
      return true;
    },
    rate(rating, comment) {
      if (!S.canSend(state)) return false;
      emit(E.SURVEY, { rating, comment });
      return true;
    },
    transcript(email) {
      if (!S.canSend(state)) return false;
      emit(E.TRANSCRIPT_REQUEST, { email });
      return true;
    },
  });

  socket.on("connect", () => {
    S.connected(state, storage.loadId());
    renderConnection(ctx);
    // A reconnect to the same conversation asks only for what came after the last entry seen.
    socket.emit(E.SESSION_REQUEST, S.sessionRequest(state, state.requestedId, CAPABILITIES));
  });
  // A conversation we started: its resume token goes straight back to the bridge, which returns it as
  // an HttpOnly cookie (sent with the next handshakes; no script here keeps or can read it).
  socket.on(E.SESSION_SECRET, (data) => {
    if (!data || typeof data !== "object" || typeof data.resume_token !== "string") return;
    fetch(state.config.bridgeUrl + RESUME_PATH, {
      method: "POST", credentials: "include", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session_id: str(data.session_id), resume_token: data.resume_token }),
    }).catch(() => { /* the conversation goes on; a reload would start a new one */ });
  });
  // Someone opened this conversation in another window or on another device.
  socket.on(E.SESSION_JOINED, () => addStatus(ctx, S.statusSegments(state, "joined_elsewhere", {})));
  // The bridge's Redis subscription came back: live events may have been missed meanwhile.
  socket.on(E.RESYNC, () => {
    if (S.canSend(state)) socket.emit(E.SESSION_REQUEST, S.sessionRequest(state, state.sessionId, CAPABILITIES));
  });
  socket.on("disconnect", () => {
    state.connected = false;
    typing.reset();
    hideTyping(ctx);
    renderConnection(ctx);
  });
  socket.on("connect_error", () => {
    state.connected = false;
    renderConnection(ctx);
  });

  socket.on(E.SESSION_CONFIRM, (data) => {
    const id = S.sessionIdOf(data);
    if (!id) return;
    state.sessionId = id;
    storage.saveId(id);
    renderConnection(ctx);
  });

  socket.on(E.HISTORY, (data) => {
    if (!data || typeof data !== "object") return;
    const drawn = S.historyView(state, data);
    // Messages the transcript already holds need no retry (their acknowledgement was lost).
    outbox.retain((m) => !drawn.acked.has(m.message_id) && m.session_id === state.sessionId);
    if (!drawn.partial) clearLog(ctx);
    hideTyping(ctx);
    drawn.items.forEach((item) => addMessage(ctx, item));
    if (drawn.replies) showQuickReplies(ctx, drawn.replies, pickReply);
    // Messages not yet acknowledged are shown too (a partial history leaves them where they are).
    if (!drawn.partial) for (const m of outbox.items()) if (m.session_id === state.sessionId && m.shown) addMessage(ctx, { role: "customer", text: m.shown, ts: m.ts });
    S.setDesk(state, data.desk);
    setConversation(ctx, data.state, data.agent && typeof data.agent === "object" ? data.agent : null);
    if (data.state === "queued" && ctx.ui.queueBanner.hidden) showQueue(ctx, null);
    if (S.surveyDue(data)) { if (!surveyShown(ctx)) showSurvey(ctx); } else if (surveyShown(ctx) && !surveyThanked(ctx)) hideSurvey(ctx);
    scrollToBottom(ctx, true);
    outbox.flush();
    if (S.shouldGreet(state, data)) sendUtterance(state.config.initialPayload, null);
  });

  socket.on(E.BOT_UTTERED, (data) => {
    if (!data || typeof data !== "object") return;
    state.lastReplyAt = Date.now();
    if (!S.firstSight(state, S.entryIdOf(data))) return;  // already drawn from the history
    hideTyping(ctx);
    const { item, replies } = S.botItem(state, data);
    const shown = addMessage(ctx, item);
    if (replies) showQuickReplies(ctx, replies, pickReply);
    if (shown || ctx.ui.quickReplies) countUnread(ctx);
    scrollToBottom(ctx, true);
  });

  socket.on(E.TYPING, (data) => {
    const label = S.typingLabel(state, ctx.t, data);
    if (label) showTyping(ctx, label, 30000);
    else if (label === null) hideTyping(ctx);
  });

  socket.on(E.HANDOFF_QUEUED, (data) => {
    data = data && typeof data === "object" ? data : {};
    hideTyping(ctx);
    if (data.after_hours) S.setDesk(state, { open: false, opens: data.opens });
    if (state.conv !== "queued") setConversation(ctx, "queued");
    showQueue(ctx, data.position, data.estimated_wait_s);
  });

  socket.on(E.HANDOFF_NO_AGENT, (data) => {
    data = data && typeof data === "object" ? data : {};
    if (data.why === "after_hours") S.setDesk(state, { open: false, opens: data.opens });
    if (state.conv !== "queued") setConversation(ctx, "queued");
    if (ctx.ui.queueBanner.hidden) showQueue(ctx, null);
    showNoAgent(ctx, data);
  });

  socket.on(E.TICKET_CREATED, (data) => {
    const ticket = data && typeof data === "object" ? str(data.ticket_id) : "";
    hideNoAgent(ctx);
    hideQueue(ctx);
    setConversation(ctx, "bot");
    addStatus(ctx, S.statusSegments(state, "ticket", { ticket }), "sw-ticket");
    ctx.ui.input.focus();
  });

  socket.on(E.AGENT_JOINED, (data) => {
    const agent = data && data.agent && typeof data.agent === "object" ? data.agent : {};
    hideTyping(ctx);
    setConversation(ctx, "with_agent", agent);
    addStatus(ctx, S.statusSegments(state, "joined", { agent: str(agent.name) || ctx.t("someone") }));
    countUnread(ctx);
  });

  socket.on(E.AGENT_LEFT, (data) => {
    const agent = data && data.agent && typeof data.agent === "object" ? data.agent : {};
    const current = state.agent;
    const name = str(agent.name) || (current && current.id === agent.id && str(current.name)) || ctx.t("theAgent");
    hideTyping(ctx);
    addStatus(ctx, S.statusSegments(state, "left", { agent: name }));
  });

  socket.on(E.HANDOFF_RETURNED, () => {
    hideTyping(ctx);
    setConversation(ctx, "bot", null);
    addStatus(ctx, S.statusSegments(state, "returned", {}));
  });

  socket.on(E.HANDOFF_CLOSED, () => {
    hideTyping(ctx);
    setConversation(ctx, "closed", null);
    addStatus(ctx, S.statusSegments(state, "closed", {}));
    showSurvey(ctx);
    scrollToBottom(ctx, true);
  });

  socket.on(E.SURVEY_SAVED, () => surveyThanks(ctx));
  socket.on(E.TRANSCRIPT_SENT, (data) => transcriptSent(ctx, data && typeof data === "object" ? str(data.email) : ""));

  socket.on(E.ERROR, (data) => {
    const info = data && typeof data === "object" ? data : { message: data };
    if (info.event === E.LEAVE_MESSAGE && formError(ctx, info.message)) return;
    // A passing failure: the outbox sends the message again, nothing to tell.
    if (info.event === E.USER_UTTERED && isPassingError(info.code)) return;
    hideTyping(ctx);
    showError(ctx, info.message);
  });
  return socket;
}
