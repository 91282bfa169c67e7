/* The console's middle column: the tabs of my conversations and the active one (transcript,
 * typing line, ended banner, action buttons). DOM only; installs into ctx.render / ctx.actions. */

import { clear, el } from "../../shared/dom.js";
import { isoTime } from "../../shared/time.js";
import { safeImageSrc } from "../../shared/url.js";
import { icon, languageBadge, reasonBadge, tr, uiLanguage } from "./common.js";
import { activeConv, contextScore, conv, customerName, dismissConversation, entryWho, systemLineText, transferChoices } from "./state.js";
import { drawTimers, slaNow } from "./sla-view.js";
import { endedHow, formatClock, resolutionLabel } from "./text.js";

const CUSTOMER_TYPING_TIMEOUT_MS = 10000;

export function install(ctx) {
  const { S, ui, render, actions } = ctx;

  /* ----------------------------------------------------------------- tabs */
  render.tabs = () => {
    const focused = document.activeElement && document.activeElement.getAttribute("role") === "tab";
    clear(ui.tabs);
    for (const id of S.order) {
      const c = conv(S, id);
      if (!c) continue;
      const selected = id === S.active;
      ui.tabs.appendChild(el("button", {
        type: "button", role: "tab", id: "tab-" + id, class: "tab" + (selected ? " is-active" : "") + (c.ended ? " is-ended" : ""),
        "data-testid": "tab", "aria-selected": selected ? "true" : "false", "aria-controls": "conv",
        tabindex: selected ? "0" : "-1", dataset: { conversationId: id }, onclick: () => actions.activate(id),
      },
      el("span", { class: "tab-dot reason-dot reason-" + String(c.reason || "other").replace(/_/g, "-"), "aria-hidden": "true" }),
      el("span", { class: "tab-name" }, customerName(c, uiLanguage())),
      c.ended ? el("span", { class: "tab-ended" }, tr("conv.tabEnded")) : null,
      c.typing ? el("span", { class: "tab-typing", "aria-label": tr("conv.tabTyping") }, "…") : null,
      c.unread > 0 ? el("span", { class: "unread", "data-testid": "unread", "aria-label": tr("conv.unread", { count: c.unread }) }, String(c.unread)) : null));
    }
    if (focused) {
      const current = ui.tabs.querySelector("[aria-selected=true]");
      if (current) current.focus();
    }
    ui.tabs.classList.toggle("has-tabs", S.order.length > 0);
  };

  ui.tabs.addEventListener("keydown", (event) => {
    const tabs = Array.from(ui.tabs.querySelectorAll("[role=tab]"));
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    const next = { ArrowRight: tabs[(index + 1) % tabs.length], ArrowLeft: tabs[(index - 1 + tabs.length) % tabs.length],
                   Home: tabs[0], End: tabs[tabs.length - 1] }[event.key];
    if (!next) return;
    event.preventDefault();
    actions.activate(next.dataset.conversationId);
    const focusTab = ui.tabs.querySelector("[aria-selected=true]");
    if (focusTab) focusTab.focus();
  });

  const atBottom = () => ui.transcript.scrollHeight - ui.transcript.scrollTop - ui.transcript.clientHeight < 60;
  const scrollToBottom = () => { ui.transcript.scrollTop = ui.transcript.scrollHeight; };

  function saveActiveDrafts() {
    const c = activeConv(S);
    if (!c) return;
    c.draft = ui.reply.value;
    c.noteDraft = ui.note.value;
    c.scrollTop = atBottom() ? null : ui.transcript.scrollTop;
  }

  actions.activate = (id) => {
    if (S.active !== id) {
      saveActiveDrafts();
      actions.stopTyping();
      S.active = id;
    }
    const c = conv(S, id);
    if (c) c.unread = 0;
    render.tabs();
    render.active();
  };

  actions.dismiss = (id) => {
    const c = conv(S, id);
    if (c && c.typingTimer) clearTimeout(c.typingTimer);
    const wasActive = S.active === id;
    const next = dismissConversation(S, id);
    if (next === undefined) return;
    if (wasActive && next) actions.activate(next);
    else { render.tabs(); if (wasActive) render.active(); }
    render.queue();
    render.load();
  };

  /* ----------------------------------------------------------- transcript */
  function entryNode(e) {
    const role = String(e.role || "system");
    const ts = typeof e.ts === "number" ? e.ts : Number(e.ts);
    const time = el("time", { class: "entry-time", datetime: isoTime(ts) }, formatClock(uiLanguage(), ts));
    const text = typeof e.text === "string" ? e.text : e.text === null || e.text === undefined ? "" : String(e.text);
    if (role === "system") {
      return el("li", { class: "entry entry-system", "data-testid": "entry", "data-role": "system" },
        el("span", { class: "entry-text" }, systemLineText(S, e, uiLanguage())), " ", time);
    }
    const body = el("div", { class: "entry-bubble" });
    if (text) body.appendChild(el("div", { class: "entry-text" }, text));
    const payload = e.payload && typeof e.payload === "object" ? e.payload : null;
    if (payload) {
      if (Array.isArray(payload.quick_replies) && payload.quick_replies.length) {
        body.appendChild(el("div", { class: "entry-chips", "aria-label": tr("entry.buttons") },
          payload.quick_replies.map((q) => el("span", { class: "chip" }, String((q && q.title) || "")))));
      }
      const att = payload.attachment;
      const src = att && att.type === "image" && att.payload ? safeImageSrc(att.payload.src, window.location.href) : null;
      if (src) body.appendChild(el("img", { class: "entry-img", src, alt: tr("entry.image"), loading: "lazy" }));
    }
    if (!body.firstChild) body.appendChild(el("div", { class: "entry-text entry-muted" }, tr("entry.noText")));
    const head = el("div", { class: "entry-head" },
      role === "note" ? icon("lock") : null,
      el("span", { class: "entry-who" }, entryWho(S, e, activeConv(S))), time,
      role === "note" ? el("span", { class: "note-warn" }, tr("entry.notVisible")) : null);
    return el("li", { class: "entry entry-" + role.replace(/[^a-z_-]/gi, ""), "data-testid": "entry", "data-role": role }, head, body);
  }

  /** Draw an entry just added to conversation `c` (when it is the one shown). */
  render.entry = (c, entry) => {
    if (S.active !== c.id) return;
    const stick = atBottom() || entry.role === "agent" || entry.role === "note";
    const node = entryNode(entry);
    node.classList.add("entry-new");
    ui.transcript.appendChild(node);
    if (stick) scrollToBottom();
  };

  // A fresh live region so switching tabs does not read out the whole transcript.
  function freshTranscript(entries) {
    const fresh = ui.transcript.cloneNode(false);
    fresh.append(...entries.map(entryNode));
    ui.transcript.replaceWith(fresh);
    ui.transcript = fresh;
  }

  /* --------------------------------------------------------- active panel */
  render.active = () => {
    const c = activeConv(S);
    ui.convEmpty.hidden = Boolean(c);
    ui.convHead.hidden = !c;
    if (!c) {
      render.convClocks();
      freshTranscript([]);
      ui.ended.hidden = true;
      ui.typing.hidden = true;
      ui.reply.value = "";
      ui.note.value = "";
      ui.conv.setAttribute("aria-label", tr("conv.none"));
      ui.conv.removeAttribute("aria-labelledby");
      render.context(null);
      render.composer();
      return;
    }
    ui.conv.removeAttribute("aria-label");
    ui.conv.setAttribute("aria-labelledby", "tab-" + c.id);
    ui.convName.textContent = customerName(c, uiLanguage());
    const started = c.transcript.length ? c.transcript[0].ts : null;
    const language = languageBadge(c.language);
    clear(ui.convMeta).append(reasonBadge(S.reasons, c.reason, contextScore(c)), ...(language ? [" ", language] : []),
      el("span", { class: "muted" }, " · " + String(c.id).slice(0, 12)
        + (started ? " · " + tr("conv.started", { time: formatClock(uiLanguage(), Number(started)) }) : "")));
    render.convClocks();
    ui.ended.hidden = !c.ended;
    if (c.ended) ui.endedText.textContent = tr("conv.ended", { how: endedHow(uiLanguage(), c.ended.how, S.resolutionLabels) });
    ui.typing.hidden = !c.typing || Boolean(c.ended);
    ui.reply.value = c.draft || "";
    ui.note.value = c.noteDraft || "";
    freshTranscript(c.transcript);
    if (c.scrollTop === null || c.scrollTop === undefined) scrollToBottom(); else ui.transcript.scrollTop = c.scrollTop;
    render.context(c);
    render.composer();
  };

  /** The open conversation's service-level countdowns (none once it ended); every second. */
  render.convClocks = () => {
    if (!ui.convSla) return;
    const c = activeConv(S);
    drawTimers(ui.convSla, c && !c.ended ? c.sla : [], slaNow(S), uiLanguage());
  };

  render.composer = () => {
    const c = activeConv(S);
    const live = Boolean(c && !c.ended);
    const online = ctx.connected();
    ui.reply.disabled = !live;
    ui.note.disabled = !live;
    ui.send.disabled = !live || !online;
    ui.addNote.disabled = !live || !online;
    ui.handBack.disabled = !live || !online;
    ui.erase.disabled = !live || !online;
    ui.close.disabled = !live || !online;
    ui.resolution.disabled = !live;
    ui.transferTo.disabled = !live;
    ui.transfer.disabled = !live || !online || !ui.transferTo.value;
    ui.reply.placeholder = tr(!c ? "reply.placeholderNone" : c.ended ? "reply.placeholderEnded" : "reply.placeholder");
    ui.conv.classList.toggle("is-readonly", Boolean(c && c.ended));
  };

  render.transferOptions = () => {
    const choices = transferChoices(S.agents, S.me && S.me.id, ui.transferTo.value, uiLanguage());
    clear(ui.transferTo);
    if (choices.placeholder) ui.transferTo.appendChild(el("option", { value: "", disabled: true }, choices.placeholder));
    for (const o of choices.options) ui.transferTo.appendChild(el("option", { value: o.value, disabled: o.disabled }, o.label));
    ui.transferTo.value = choices.selected;
    render.composer();
  };

  render.resolutions = () => {
    const previous = ui.resolution.value;
    const codes = S.resolutionCodes.length ? S.resolutionCodes : ["resolved"];
    clear(ui.resolution).append(...codes.map((code) => el("option", { value: code }, resolutionLabel(uiLanguage(), code, S.resolutionLabels))));
    if (codes.includes(previous)) ui.resolution.value = previous;
  };

  /** "Customer is typing…" in conversation `c` (it goes away by itself after 10 s). */
  actions.customerTyping = (c, on) => {
    if (c.typingTimer) { clearTimeout(c.typingTimer); c.typingTimer = null; }
    const changed = c.typing !== on;
    c.typing = on;
    if (on) c.typingTimer = setTimeout(() => actions.customerTyping(c, false), CUSTOMER_TYPING_TIMEOUT_MS);
    if (S.active === c.id) {
      const stick = atBottom();
      ui.typing.hidden = !on || Boolean(c.ended);
      if (stick) scrollToBottom();
    }
    if (changed) render.tabs();
  };
}
