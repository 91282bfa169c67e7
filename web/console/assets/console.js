/* The agent console (/console/): the entry module. Queue, tickets, conversations in tabs,
 * context; Socket.IO on /agent (see web/PROTOCOL.md).
 *
 * Rule: everything that came from the network is put into the page as text (shared/dom.js
 * builds text nodes); no HTML is ever parsed from data. */

import { languageSwitch, logout, toast, tr, unlockAudioOnGesture } from "./common.js";
import { activeConv, createState } from "./state.js";
import { wire } from "./socket.js";
import * as queue from "./queue.js";
import * as conversation from "./conversation.js";
import * as composer from "./composer.js";
import * as canned from "./canned.js";
import * as context from "./context.js";

const $ = (id) => document.getElementById(id);
const page = { ctx: null };

function collectUi() {
  return {
    status: $("status-switch"), statusText: $("status-text"), meName: $("me-name"), meAvatar: $("me-avatar"),
    supervisorLink: $("supervisor-link"), logout: $("logout"), connection: $("connection"), load: $("load"),
    language: $("ui-language"), meLanguages: $("me-languages"),
    queue: $("queue"), queueEmpty: $("queue-empty"), queueCount: $("queue-count"),
    tickets: $("tickets"), ticketsTitle: $("tickets-title"), ticketsEmpty: $("tickets-empty"), ticketsCount: $("tickets-count"),
    handledBox: $("handled-box"), handled: $("tickets-handled"), handledCount: $("handled-count"),
    team: $("team"),
    tabs: $("tabs"), conv: $("conv"), convHead: $("conv-head"), convName: $("conv-name"), convMeta: $("conv-meta"),
    convSla: $("conv-sla"),
    handBack: $("hand-back"), erase: $("erase"), transferTo: $("transfer-to"), transfer: $("transfer"),
    resolution: $("resolution"), close: $("close"),
    ended: $("ended"), endedText: $("ended-text"), dismiss: $("dismiss"),
    transcript: $("transcript"), convEmpty: $("conv-empty"), typing: $("customer-typing"),
    reply: $("reply"), send: $("send"), note: $("note"), addNote: $("add-note"),
    cannedSearch: $("canned-search"), cannedList: $("canned-list"), cannedNew: $("canned-new"),
    cannedForm: $("canned-form"), cannedTitle: $("canned-title-input"), cannedText: $("canned-text-input"),
    cannedCancel: $("canned-cancel"),
    context: $("context"), announcer: $("announcer"),
  };
}

/** Everything drawn again in the UI language just chosen (drafts and the scroll position kept). */
function rerender(ctx) {
  const { S, ui, render } = ctx;
  const c = activeConv(S);
  const scrollTop = ui.transcript.scrollTop;
  if (c) { c.draft = ui.reply.value; c.noteDraft = ui.note.value; }
  render.me();
  render.status();
  render.resolutions();
  render.queue();
  render.tickets();
  render.agents();
  render.canned();
  render.tabs();
  render.active();
  if (c) ui.transcript.scrollTop = scrollTop;
  render.load();
  ui.connection.textContent = tr("common.reconnecting");
}

function start() {
  const S = createState();
  S.language = languageSwitch(document.getElementById("ui-language"), (language) => {
    S.language = language;
    if (page.ctx) rerender(page.ctx);
  });
  if (typeof window.io !== "function") {
    toast(tr("common.noSocketIo"));
    return;
  }
  // The page: its state, its elements, the socket, and what the views install.
  const ctx = { S, ui: collectUi(), net: { socket: null }, render: {}, actions: {} };
  page.ctx = ctx;
  ctx.connected = () => Boolean(ctx.net.socket && ctx.net.socket.connected);
  ctx.send = (event, payload) => {
    if (!ctx.connected()) {
      toast(tr("common.notConnected"));
      return false;
    }
    ctx.net.socket.emit(event, payload);
    return true;
  };
  for (const view of [queue, conversation, composer, canned, context]) view.install(ctx);
  unlockAudioOnGesture();
  ctx.ui.logout.addEventListener("click", () => {
    ctx.ui.logout.disabled = true;
    ctx.actions.stopTyping();
    logout();
  });

  const { render } = ctx;
  render.status();
  render.resolutions();
  render.queue();
  render.tickets();
  render.agents();
  render.canned();
  render.active();
  render.load();
  wire(ctx, window.io);

  setInterval(() => {  // the queue's waits and every service-level countdown
    render.queueClocks();
    render.convClocks();
  }, 1000);
  setInterval(render.ticketAges, 30000);  // relative ticket ages
}

start();
