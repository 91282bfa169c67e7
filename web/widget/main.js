/*
 * Support chat widget (customer side): the entry module. widget.js (a classic script, the one
 * tag host pages embed) loads this; it reads window.SupportWidgetConfig, builds the UI inside an
 * open shadow root on <div id="support-widget">, loads socket.io-client from the bridge and
 * speaks Rasa's socket.io protocol plus the bridge's handoff events (see web/PROTOCOL.md).
 *
 * Security rule: every text that comes from the network is put on the page with textContent /
 * text nodes only; no markup strings are ever parsed.
 */

import { enterSends } from "../shared/keys.js";
import { backoffDelay } from "../shared/outbox.js";
import { readConfig } from "./config.js";
import { translator } from "./strings.js";
import { canSend, createState } from "./state.js";
import { createStorage } from "./storage.js";
import { autosize, buildShell, closePanel, renderConnection, renderHeader, setOpen, showUnreachable } from "./view.js";
import { wire } from "./socket.js";

function loadSocketIo(ctx, attempt = 0) {
  if (typeof window.io === "function") { wire(ctx, window.io); return; }
  const script = document.createElement("script");
  const retry = () => {
    script.remove();
    showUnreachable(ctx);
    setTimeout(() => loadSocketIo(ctx, attempt + 1), backoffDelay(attempt + 1));
  };
  script.src = ctx.state.config.bridgeUrl + "/vendor/socket.io.min.js";
  script.async = true;
  script.addEventListener("load", () => { if (typeof window.io === "function") wire(ctx, window.io); else retry(); });
  script.addEventListener("error", retry);
  document.head.appendChild(script);
}

function wireComposer(ctx) {
  const { ui, state } = ctx;
  const submit = () => {
    const text = ui.input.value.trim();
    if (!text || !canSend(state)) return;
    if (ctx.actions.send(text)) {
      ui.input.value = "";
      autosize(ctx);
    }
    ui.input.focus();
  };
  ui.composer.addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  enterSends(ui.input, submit);  // Shift+Enter is a new line; never while an IME is composing
  ui.input.addEventListener("input", () => {
    autosize(ctx);
    ctx.actions.typed(ui.input.value.trim().length > 0);
  });
}

function start() {
  const config = readConfig(window.SupportWidgetConfig, import.meta.url, location.href);
  const state = createState(config);
  // Until the socket is wired, nothing can be sent: the actions say so.
  const actions = { send: () => false, keepWaiting() {}, leaveMessage: () => false, rate: () => false, typed() {} };
  const ctx = { state, t: translator(config.language), actions, storage: createStorage(config), ui: null, net: null };
  buildShell(ctx);
  wireComposer(ctx);
  document.body.appendChild(ctx.ui.host);
  renderConnection(ctx);
  renderHeader(ctx);
  if (config.open) setOpen(ctx, true, false);
  loadSocketIo(ctx);

  // A tiny API for the host page (e.g. a "Chat with us" button); calls made before this module
  // ran were queued by widget.js.
  const queued = window.SupportWidget && Array.isArray(window.SupportWidget.queue) ? window.SupportWidget.queue : [];
  window.SupportWidget = {
    open: () => setOpen(ctx, true),
    close: () => { if (state.open) closePanel(ctx); },
  };
  for (const call of queued) if (call === "open" || call === "close") window.SupportWidget[call]();
}

if (!window.__supportWidgetStarted) {
  window.__supportWidgetStarted = true;
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
}
