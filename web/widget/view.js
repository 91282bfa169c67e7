/* The widget's frame: the host element with its shadow root, launcher, header, banners, the
 * message log and the composer; opening, closing, focus and scrolling. DOM only. */

import { el, initial, str } from "../shared/dom.js";
import { MAX_CHARS } from "../shared/protocol.js";
import { canSend, connectionText, deskOpens, queueText } from "./state.js";
import { icon } from "./icons.js";

function validColor(value) {
  return typeof value === "string" && value.length < 64 && Boolean(window.CSS && CSS.supports && CSS.supports("color", value));
}

/** Build the widget (not yet on the page) into `ctx.ui`. */
export function buildShell(ctx) {
  const { config } = ctx.state;
  const t = ctx.t;
  const host = document.createElement("div");
  host.id = "support-widget";
  host.setAttribute("lang", config.language);
  // Shield the host element itself from page styles; custom properties survive `all`.
  host.style.setProperty("all", "initial", "important");
  host.style.setProperty("display", "block", "important");
  host.style.setProperty("position", "static", "important");
  const colors = config.colors;
  if (validColor(colors.primary)) host.style.setProperty("--sw-primary", colors.primary);
  if (validColor(colors.background)) host.style.setProperty("--sw-bg", colors.background);
  if (validColor(colors.text)) host.style.setProperty("--sw-text", colors.text);
  const shadow = host.attachShadow({ mode: "open" });

  const root = el("div", { class: "sw-root", lang: config.language, "data-state": "bot" });
  root.style.display = "none";
  const reveal = () => root.style.removeProperty("display");
  const css = el("link", { rel: "stylesheet", href: config.bridgeUrl + "/widget/widget.css", onload: reveal, onerror: reveal });
  setTimeout(reveal, 4000); // never stay invisible if the stylesheet hangs
  shadow.append(css, root);

  const unreadBadge = el("span", { class: "sw-badge", "aria-hidden": "true", hidden: true });
  const launcher = el("button", {
    type: "button", class: "sw-launcher", "data-testid": "launcher",
    "aria-label": t("openChat"), "aria-expanded": "false", "aria-controls": "sw-panel",
  }, icon("chat", 28), icon("chevron", 28), unreadBadge);

  const title = config.title || t("title");
  const avatar = el("div", { class: "sw-avatar", "aria-hidden": "true" }, icon("bot", 22));
  const subtitle = el("p", { class: "sw-subtitle", text: t("subtitleBot") });
  const closeButton = el("button", {
    type: "button", class: "sw-icon-button sw-close", "data-testid": "close", "aria-label": t("closeChat"),
  }, icon("close", 20));
  const header = el("header", { class: "sw-header" }, avatar,
    el("div", { class: "sw-heading" }, el("h2", { class: "sw-title", id: "sw-title", text: title }), subtitle), closeButton);

  const connection = el("div", { class: "sw-connection", "data-testid": "connection", role: "status", text: t("connecting") });
  const queueLine = el("span", { class: "sw-queue-text" });
  const queueBanner = el("div", { class: "sw-queue", "data-testid": "queue-status", role: "status", hidden: true },
    el("span", { class: "sw-pulse", "aria-hidden": "true" }), queueLine);

  const log = el("div", {
    class: "sw-log", "data-testid": "messages", role: "log", "aria-live": "polite",
    "aria-relevant": "additions", "aria-label": title,
  });
  const typingText = el("span", { class: "sw-typing-text" });
  const typingLine = el("div", { class: "sw-typing", "data-testid": "typing", hidden: true },
    el("span", { class: "sw-dots", "aria-hidden": "true" }, el("span"), el("span"), el("span")), typingText);
  const extras = el("div", { class: "sw-extras" });
  const scroller = el("div", { class: "sw-scroll" }, log, typingLine, extras);

  const input = el("textarea", {
    class: "sw-input", "data-testid": "input", rows: "1", maxlength: String(MAX_CHARS),
    placeholder: t("placeholder"), "aria-label": t("inputLabel"), autocomplete: "off",
  });
  const sendButton = el("button", {
    type: "submit", class: "sw-send", "data-testid": "send", "aria-label": t("send"), disabled: true,
  }, icon("send", 20));
  const composer = el("form", { class: "sw-composer", novalidate: true }, input, sendButton);

  const panel = el("section", {
    class: "sw-panel", id: "sw-panel", "data-testid": "panel", role: "dialog", "aria-labelledby": "sw-title", hidden: true,
  }, header, connection, queueBanner, scroller, composer);
  root.append(panel, launcher);

  ctx.ui = {
    host, shadow, root, panel, launcher, unreadBadge, avatar, subtitle, closeButton, connection, queueBanner, queueLine,
    log, typingLine, typingText, extras, scroller, input, sendButton, composer,
    phone: window.matchMedia ? window.matchMedia("(max-width: 479.98px)") : null,
    // What is drawn (DOM bookkeeping, not conversation state):
    pinned: true, lastSender: null, quickReplies: null,
    cards: { noAgent: null, form: null, survey: null, transcript: null },
    timers: { botTyping: null, remoteTyping: null },
  };
  wireShell(ctx);
  return ctx.ui;
}

function isFullScreen(ui) {
  return Boolean(ui.phone && ui.phone.matches);
}

function focusables(ui) {
  return Array.from(ui.panel.querySelectorAll("button, input, textarea, select, a[href], [tabindex]"))
    .filter((node) => !node.disabled && node.tabIndex >= 0 && node.getClientRects().length > 0);
}

function wireShell(ctx) {
  const ui = ctx.ui;
  ui.launcher.addEventListener("click", () => (ctx.state.open ? closePanel(ctx) : setOpen(ctx, true)));
  ui.closeButton.addEventListener("click", () => closePanel(ctx));
  ui.root.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && ctx.state.open && !e.isComposing) {
      e.preventDefault();
      closePanel(ctx);
      return;
    }
    // Below 480 px the panel covers the page: it is modal there, so Tab stays inside.
    if (e.key === "Tab" && ctx.state.open && isFullScreen(ui)) {
      const list = focusables(ui);
      if (!list.length) return;
      const active = ui.shadow.activeElement;
      if (!e.shiftKey && active === list[list.length - 1]) { e.preventDefault(); list[0].focus(); }
      else if (e.shiftKey && active === list[0]) { e.preventDefault(); list[list.length - 1].focus(); }
    }
  });
  // Stay pinned to the newest message unless the customer scrolled up to read.
  ui.scroller.addEventListener("scroll", () => {
    if (ui.scroller.clientHeight > 0) ui.pinned = isNearBottom(ui);
  }, { passive: true });
  if (typeof window.ResizeObserver === "function") {
    // Banners, cards and images change sizes after the fact: keep the bottom in view.
    const keepPinned = new ResizeObserver(() => { if (ui.pinned) goBottom(ui); });
    [ui.scroller, ui.log, ui.extras].forEach((node) => keepPinned.observe(node));
  }
}

export function setOpen(ctx, open, focusInput = true) {
  const { ui, state, t } = ctx;
  state.open = open;
  ui.panel.hidden = !open;
  ui.root.classList.toggle("sw-open", open);
  ui.launcher.setAttribute("aria-expanded", open ? "true" : "false");
  ui.launcher.setAttribute("aria-label", open ? t("closeChat") : t("openChat"));
  if (isFullScreen(ui)) ui.panel.setAttribute("aria-modal", "true"); else ui.panel.removeAttribute("aria-modal");
  if (open) {
    state.unread = 0;
    renderUnread(ctx);
    scrollToBottom(ctx, true);
    if (focusInput !== false) setTimeout(() => ui.input.focus(), 30);
  }
}

export function closePanel(ctx) {
  setOpen(ctx, false);
  ctx.ui.launcher.focus();
}

export function renderUnread(ctx) {
  const { ui, state, t } = ctx;
  if (state.unread > 0 && !state.open) {
    ui.unreadBadge.hidden = false;
    ui.unreadBadge.textContent = state.unread > 9 ? "9+" : String(state.unread);
    ui.launcher.setAttribute("aria-label",
      t("openChat") + " (" + (state.unread === 1 ? t("unreadOne") : t("unread", { n: state.unread })) + ")");
  } else {
    ui.unreadBadge.hidden = true;
    ui.unreadBadge.textContent = "";
    if (!state.open) ui.launcher.setAttribute("aria-label", t("openChat"));
  }
}

/** Count a message the customer has not seen (the panel is closed). */
export function countUnread(ctx) {
  if (ctx.state.open) return;
  ctx.state.unread += 1;
  renderUnread(ctx);
}

function isNearBottom(ui) {
  return ui.scroller.scrollHeight - ui.scroller.scrollTop - ui.scroller.clientHeight < 80;
}

function goBottom(ui) {
  ui.scroller.scrollTop = ui.scroller.scrollHeight;
}

export function scrollToBottom(ctx, force) {
  const ui = ctx.ui;
  if (!force && !ui.pinned && !isNearBottom(ui)) return;
  ui.pinned = true;
  goBottom(ui);
  if (window.requestAnimationFrame) requestAnimationFrame(() => goBottom(ui));
}

export function renderConnection(ctx) {
  const { ui, state } = ctx;
  ui.sendButton.disabled = !canSend(state);
  ui.root.classList.toggle("sw-offline", !state.connected);
  const text = connectionText(state, ctx.t);
  ui.connection.hidden = !text;
  ui.connection.textContent = text;
}

export function showUnreachable(ctx) {
  ctx.ui.connection.hidden = false;
  ctx.ui.connection.textContent = ctx.t("unreachable");
}

/** The header and data-state for the conversation's state (state.conv, state.agent). */
export function renderHeader(ctx) {
  const { ui, state, t } = ctx;
  ui.root.setAttribute("data-state", state.conv);
  ui.avatar.textContent = "";
  if (state.conv === "with_agent" && state.agent) {
    ui.avatar.classList.add("sw-avatar-agent");
    ui.avatar.textContent = initial(state.agent.name);
    ui.subtitle.textContent = t("subtitleAgent", { name: str(state.agent.name) || t("someone") });
  } else {
    ui.avatar.classList.remove("sw-avatar-agent");
    ui.avatar.appendChild(icon(state.conv === "queued" ? "person" : "bot", 22));
    const opens = deskOpens(state);
    ui.subtitle.textContent = state.conv === "queued" ? t("subtitleQueued")
      : opens ? t("subtitleAfterHours", { opens })  // before anyone asks: when a person can answer
      : state.conv === "closed" ? t("subtitleClosed") : t("subtitleBot");
  }
}

export function showQueue(ctx, position, waitS) {
  const opens = deskOpens(ctx.state);  // out of hours nobody is promised: when the desk opens instead
  ctx.ui.queueLine.textContent = opens ? ctx.t("queueAfterHours", { opens }) : queueText(ctx.t, position, waitS);
  ctx.ui.queueBanner.hidden = false;
}

export function hideQueue(ctx) {
  ctx.ui.queueBanner.hidden = true;
  ctx.ui.queueLine.textContent = "";
}

export function autosize(ctx) {
  const { input, composer } = ctx.ui;
  input.style.height = "auto";
  input.style.height = Math.min(input.scrollHeight, 140) + "px";
  composer.classList.toggle("sw-has-text", input.value.trim().length > 0);
}
