/* The agent console (/console/): the entry module. Queue, tickets, conversations in tabs,
 * context; Socket.IO on /agent (see web/PROTOCOL.md).
 *
 * Rule: everything that came from the network is put into the page as text (shared/dom.js
 * builds text nodes); no HTML is ever parsed from data. */

import { toast, logout, unlockAudioOnGesture } from "./common.js";
import { createState } from "./state.js";
import { wire } from "./socket.js";
import * as queue from "./queue.js";
import * as conversation from "./conversation.js";
import * as composer from "./composer.js";
import * as canned from "./canned.js";
import * as context from "./context.js";

const $ = (id) => document.getElementById(id);

function collectUi() {
  return {
    status: $("status-switch"), statusText: $("status-text"), meName: $("me-name"), meAvatar: $("me-avatar"),
    supervisorLink: $("supervisor-link"), logout: $("logout"), connection: $("connection"), load: $("load"),
    queue: $("queue"), queueEmpty: $("queue-empty"), queueCount: $("queue-count"),
    tickets: $("tickets"), ticketsTitle: $("tickets-title"), ticketsEmpty: $("tickets-empty"), ticketsCount: $("tickets-count"),
    handledBox: $("handled-box"), handled: $("tickets-handled"), handledCount: $("handled-count"),
    team: $("team"),
    tabs: $("tabs"), conv: $("conv"), convHead: $("conv-head"), convName: $("conv-name"), convMeta: $("conv-meta"),
    handBack: $("hand-back"), transferTo: $("transfer-to"), transfer: $("transfer"),
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

function start() {
  if (typeof window.io !== "function") {
    toast("The Socket.IO client did not load; reload the page.");
    return;
  }
  // The page: its state, its elements, the socket, and what the views install.
  const ctx = { S: createState(), ui: collectUi(), net: { socket: null }, render: {}, actions: {} };
  ctx.connected = () => Boolean(ctx.net.socket && ctx.net.socket.connected);
  ctx.send = (event, payload) => {
    if (!ctx.connected()) {
      toast("Not connected; try again in a moment.");
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

  setInterval(render.queueClocks, 1000);
  setInterval(render.ticketAges, 30000);  // relative ticket ages
}

start();
