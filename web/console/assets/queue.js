/* The console's header and left column: who I am and my availability, the queue with its Claim
 * buttons, tickets, the team. DOM only; installs its renderers into ctx.render. */

import { clear, el } from "../../shared/dom.js";
import { AGENT as E } from "../../shared/protocol.js";
import { waitClock } from "../../shared/time.js";
import { reasonText } from "../../shared/vocabulary.js";
import { icon, languageBadge, reasonBadge, toast, tr, uiLanguage } from "./common.js";
import { drawTimers, slaNow } from "./sla-view.js";
import { atCapacity, capacity, openCount, splitTickets, waitClass, waitingNow } from "./state.js";
import { LANGUAGE_NAMES, agentStatusText, formatAgo, tCount, withLanguages } from "./text.js";

export function install(ctx) {
  const { S, ui, render } = ctx;

  render.me = () => {
    const me = S.me || {};
    ui.meName.textContent = me.name || me.id || "…";
    ui.meAvatar.textContent = String(me.name || me.id || "?").trim().charAt(0).toUpperCase() || "?";
    ui.supervisorLink.hidden = me.role !== "supervisor";
    const languages = Array.isArray(me.languages) ? me.languages.filter((l) => typeof l === "string" && l) : [];
    ui.meLanguages.textContent = languages.map((l) => l.toUpperCase()).join(", ");
    ui.meLanguages.setAttribute("title", languages.map((l) => LANGUAGE_NAMES[l] || l).join(", "));
    ui.meLanguages.hidden = !languages.length;
    render.load();
  };

  render.status = () => {
    const available = S.status === "available";
    ui.status.checked = available;
    ui.status.value = available ? "available" : "away";
    ui.status.setAttribute("aria-label", tr("header.statusSwitch"));
    ui.statusText.textContent = tr(available ? "status.available" : "status.away");
    ui.status.parentNode.classList.toggle("is-on", available);
  };

  render.load = () => {
    const cap = capacity(S);
    ui.load.textContent = cap === Infinity ? tr("header.loadUnlimited", { open: openCount(S) })
      : tr("header.load", { open: openCount(S), capacity: cap });
    ui.load.classList.toggle("is-full", atCapacity(S));
  };

  ui.status.addEventListener("change", () => {
    const status = ui.status.checked ? "available" : "away";
    if (!ctx.send(E.SET_STATUS, { status })) { render.status(); return; }
    S.status = status;
    render.status();
  });

  /* ---------------------------------------------------------------- queue */
  const items = new WeakMap();  // queue entry node -> the queue item it shows

  function claim(id, button) {
    if (atCapacity(S)) { toast(tr("queue.atCapacity")); return; }
    if (!ctx.send(E.CLAIM, { conversation_id: id })) return;
    S.pendingClaims.add(id);
    button.disabled = true;
    button.textContent = tr("queue.claiming");
    setTimeout(() => { if (S.pendingClaims.delete(id)) render.queue(); }, 8000);
  }

  function queueItemNode(item) {
    const button = el("button", { type: "button", class: "btn btn-primary btn-small", "data-testid": "claim" }, tr("queue.claim"));
    button.addEventListener("click", () => claim(item.conversation_id, button));
    return el("li", { class: "queue-item", "data-testid": "queue-item", dataset: { conversationId: item.conversation_id } },
      el("div", { class: "qi-top" },
        el("span", { class: "qi-pos", "aria-label": tr("queue.position") }, ""),
        el("span", { class: "qi-badge" }),
        el("span", { class: "qi-lang" }),
        el("span", { class: "prio", "data-testid": "priority" }),
        el("span", { class: "wait", "data-testid": "waiting", "aria-hidden": "true" })),
      el("div", { class: "qi-sla", "aria-hidden": "true", hidden: true }),
      el("p", { class: "qi-summary", "data-testid": "summary" }),
      el("div", { class: "qi-bottom" }, el("span", { class: "qi-evidence" }), button));
  }

  function tickWait(node) {
    const item = items.get(node);
    if (!item) return;
    const s = waitingNow(item, S.queueReceivedAt, performance.now());
    const w = node.querySelector(".wait");
    clear(w).append(icon("clock"), waitClock(s));
    w.className = waitClass(s);
    drawTimers(node.querySelector(".qi-sla"), item.sla, slaNow(S), uiLanguage());
  }

  function updateQueueItem(node, item, disabled, title) {
    items.set(node, item);
    const pos = node.querySelector(".qi-pos");
    pos.textContent = "#" + (item.position || "");
    pos.setAttribute("aria-label", tr("queue.position"));
    clear(node.querySelector(".qi-badge")).appendChild(reasonBadge(S.reasons, item.reason, item.score, { "data-testid": "reason-badge" }));
    const lang = languageBadge(item.language);
    clear(node.querySelector(".qi-lang")).append(...(lang ? [lang] : []));
    const prio = Number(item.priority || 0);
    const prioNode = node.querySelector(".prio");
    prioNode.textContent = "P" + prio;
    prioNode.className = "prio prio-" + Math.min(prio, 3);
    prioNode.setAttribute("title", tr("queue.priority", { priority: prio }));
    node.querySelector(".qi-summary").textContent = item.summary ? String(item.summary) : tr("queue.noSummary");
    const evidence = Array.isArray(item.evidence) ? item.evidence : [];
    node.querySelector(".qi-evidence").textContent = evidence.length ? tCount(uiLanguage(), evidence.length, "queue.signal", "queue.signals") : "";
    const button = node.querySelector("[data-testid=claim]");
    const pending = S.pendingClaims.has(item.conversation_id);
    button.disabled = disabled || pending;
    button.textContent = tr(pending ? "queue.claiming" : "queue.claim");
    if (title) button.setAttribute("title", title); else button.removeAttribute("title");
    button.setAttribute("aria-label", tr("queue.claimLabel", { position: item.position || "",
      reason: reasonText(S.reasons, item.reason, item.score, uiLanguage()) }));
    tickWait(node);
  }

  render.queue = () => {
    const full = atCapacity(S);
    const title = full ? tr("queue.atCapacityTitle", { open: openCount(S), capacity: capacity(S) }) : "";
    const existing = new Map(Array.from(ui.queue.children, (n) => [n.dataset.conversationId, n]));
    const keep = new Set();
    S.queue.forEach((item, index) => {
      const node = existing.get(item.conversation_id) || queueItemNode(item);
      updateQueueItem(node, item, full, title);
      keep.add(item.conversation_id);
      if (ui.queue.children[index] !== node) ui.queue.insertBefore(node, ui.queue.children[index] || null);
    });
    existing.forEach((node, id) => { if (!keep.has(id)) node.remove(); });
    ui.queueEmpty.hidden = S.queue.length > 0;
    ui.queueCount.textContent = String(S.queue.length);
    ui.queueCount.classList.toggle("count-hot", S.queue.length > 0);
    document.title = S.queue.length ? tr("app.titleCount", { count: S.queue.length }) : tr("app.name");
  };

  render.queueClocks = () => Array.from(ui.queue.children).forEach(tickWait);

  /* -------------------------------------------------------------- tickets */
  function ticketNode(t) {
    const open = t.status !== "handled";
    const textNode = el("p", { class: "ticket-text" }, String(t.text || ""));
    const children = [
      el("div", { class: "ticket-top" },
        el("span", { class: "ticket-id" }, String(t.id || "")),
        t.reason ? reasonBadge(S.reasons, t.reason, null) : null,
        el("span", { class: "ticket-time" }, formatAgo(uiLanguage(), Number(t.created_at)))),
      el("div", { class: "ticket-email" }, String(t.email || "")),
      textNode,
    ];
    if (String(t.text || "").length > 140) {
      const more = el("button", { type: "button", class: "linklike", "aria-expanded": "false" }, tr("tickets.showMore"));
      more.addEventListener("click", () => {
        const expanded = textNode.classList.toggle("expanded");
        more.textContent = tr(expanded ? "tickets.showLess" : "tickets.showMore");
        more.setAttribute("aria-expanded", expanded ? "true" : "false");
      });
      children.push(more);
    }
    if (open) {
      const button = el("button", { type: "button", class: "btn btn-small", "data-testid": "ticket-handled",
        "aria-label": tr("tickets.markHandledLabel", { id: String(t.id || "") }) }, tr("tickets.markHandled"));
      button.addEventListener("click", () => {
        if (ctx.send(E.TICKET_HANDLED, { ticket_id: t.id })) {
          button.disabled = true;
          button.textContent = tr("tickets.marking");
        }
      });
      children.push(el("div", { class: "ticket-actions" }, replyToggle(t), button));
    } else {
      children.push(el("div", { class: "ticket-handled-by" }, icon("check"),
        t.handled_by ? tr("tickets.handledBy", { agent: String(t.handled_by) }) : tr("tickets.handled")));
    }
    return el("li", { class: "ticket" + (open ? "" : " is-handled"), "data-testid": "ticket",
      dataset: { ticketId: String(t.id || ""), status: open ? "open" : "handled" } }, children);
  }

  /** "Reply by e-mail": the answer goes to the ticket's address (the bridge's outbox, in the customer's
   * language) and the ticket is handled. A draft survives the list being redrawn. */
  function replyToggle(t) {
    const id = String(t.id || "");
    S.ticketDrafts = S.ticketDrafts || {};
    const box = el("textarea", { class: "ticket-reply-text", rows: "3", maxlength: "4000", "data-testid": "ticket-reply-text",
      "aria-label": tr("tickets.replyLabel", { email: String(t.email || "") }) });
    box.value = S.ticketDrafts[id] || "";
    box.addEventListener("input", () => { S.ticketDrafts[id] = box.value; });
    const send = el("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "ticket-reply-send" },
      tr("tickets.replySend"));
    send.addEventListener("click", () => {
      const text = box.value.trim();
      if (!text) { box.focus(); return; }
      if (ctx.send(E.TICKET_REPLY, { ticket_id: t.id, text })) {
        send.disabled = true;
        send.textContent = tr("tickets.replying");
        delete S.ticketDrafts[id];
      }
    });
    const form = el("div", { class: "ticket-reply", hidden: !S.ticketDrafts[id] }, box, send);
    const toggle = el("button", { type: "button", class: "btn btn-small", "data-testid": "ticket-reply",
      "aria-expanded": S.ticketDrafts[id] ? "true" : "false" }, tr("tickets.reply"));
    toggle.addEventListener("click", () => {
      form.hidden = !form.hidden;
      toggle.setAttribute("aria-expanded", form.hidden ? "false" : "true");
      if (!form.hidden) box.focus();
    });
    return el("span", { class: "ticket-reply-wrap" }, toggle, form);
  }

  render.tickets = () => {
    const { open, handled } = splitTickets(S.tickets);
    const focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest(".ticket") : null;
    clear(ui.tickets).append(...open.map(ticketNode));
    clear(ui.handled).append(...handled.map(ticketNode));
    ui.ticketsEmpty.hidden = open.length > 0;
    ui.ticketsCount.textContent = String(open.length);
    ui.handledCount.textContent = String(handled.length);
    ui.handledBox.hidden = handled.length === 0;
    if (focused) {
      const next = ui.tickets.querySelector("[data-testid=ticket-handled]");
      if (next) next.focus(); else { ui.ticketsTitle.setAttribute("tabindex", "-1"); ui.ticketsTitle.focus(); }
    }
  };

  render.ticketAges = () => {
    for (const node of document.querySelectorAll(".ticket")) {
      const t = S.tickets.find((x) => String(x.id) === node.dataset.ticketId);
      const time = node.querySelector(".ticket-time");
      if (t && time) time.textContent = formatAgo(uiLanguage(), Number(t.created_at));
    }
  };

  /* ----------------------------------------------------------------- team */
  render.agents = () => {
    const myId = S.me && S.me.id;
    clear(ui.team);
    for (const a of S.agents) {
      const status = String(a.status || "offline");
      const name = withLanguages(a.name || a.id, a.languages);
      ui.team.appendChild(el("li", { class: "team-member" },
        el("span", { class: "dot dot-" + status, "aria-hidden": "true" }),
        el("span", { class: "team-name" }, a.id === myId ? tr("team.you", { name }) : name),
        el("span", { class: "team-status" }, agentStatusText(uiLanguage(), status)),
        el("span", { class: "team-load" }, String(a.load || 0) + "/" + String(a.capacity || "?"))));
    }
    if (!S.agents.length) ui.team.appendChild(el("li", { class: "empty" }, tr("team.empty")));
    render.transferOptions();
  };
}
