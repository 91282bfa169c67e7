/* The widget's message log: bubbles, status lines, quick replies, the typing line. DOM only;
 * every text from the network goes in as text. */

import { el, initial, remove, str } from "../shared/dom.js";
import { hhmm, toDate } from "../shared/time.js";
import { visible } from "./state.js";
import { icon } from "./icons.js";
import { scrollToBottom } from "./view.js";

function timeNode(ctx, ts) {
  const d = toDate(ts);
  const node = el("time", { class: "sw-time", datetime: d.toISOString() }, hhmm(d));
  try { node.title = d.toLocaleString(ctx.state.config.language === "ja" ? "ja-JP" : undefined); } catch (e) { /* ignore */ }
  return node;
}

export function clearQuickReplies(ctx) {
  remove(ctx.ui.quickReplies);
  ctx.ui.quickReplies = null;
}

/** Empty the log (a new history). */
export function clearLog(ctx) {
  ctx.ui.log.textContent = "";
  ctx.ui.quickReplies = null;
  ctx.ui.lastSender = null;
}

/** A status line from text segments; a `ticket` value stays on one line. */
function systemRow(segments, className) {
  const text = el("span", { class: "sw-system-text" }, segments.map((s) =>
    s.param === "ticket" ? el("span", { class: "sw-nowrap" }, s.text) : s.text));
  return el("div", { class: "sw-msg sw-system" + (className ? " " + className : ""), "data-testid": "message", "data-role": "system" }, text);
}

/**
 * Append one message item (see state.js): {role: customer|bot|agent, text, ts, agentName, image}
 * or {role: system, segments}. Returns the row, or null when there was nothing to show.
 */
export function addMessage(ctx, item, className) {
  const { ui, t } = ctx;
  if (!visible(item)) return null;
  clearQuickReplies(ctx);
  // One element per message (data-testid="message"): the sender's name, the bubble and the
  // time, so each message carries who wrote it and when.
  if (item.role === "system") {
    const row = systemRow(item.segments, className);
    ui.log.appendChild(row);
    ui.lastSender = null;
    return row;
  }
  const role = item.role;
  const agentName = role === "agent" ? str(item.agentName) || t("agent") : "";
  const key = role === "agent" ? "agent:" + agentName : role;
  const continued = key === ui.lastSender;
  ui.lastSender = key;
  const row = el("div", { class: "sw-msg sw-" + role + (continued ? " sw-continued" : ""), "data-testid": "message", "data-role": role });
  if (role === "customer") {
    row.appendChild(el("span", { class: "sw-visually-hidden", text: t("you") + ": " }));
  } else {
    const mini = el("span", { class: "sw-mini-avatar", "aria-hidden": "true", text: role === "agent" ? initial(agentName) : "" });
    if (role === "bot") mini.appendChild(icon("bot", 14));
    row.appendChild(el("div", { class: "sw-sender" }, mini,
      el("span", { class: "sw-sender-name", text: role === "agent" ? agentName : t("assistant") })));
  }
  const bubble = el("div", { class: "sw-bubble" });
  const text = str(item.text);
  if (text) bubble.appendChild(el("div", { class: "sw-text", text }));
  if (item.image) {
    const img = el("img", { class: "sw-image", alt: "", loading: "lazy", referrerpolicy: "no-referrer" });
    img.src = item.image;
    img.addEventListener("load", () => scrollToBottom(ctx));
    bubble.appendChild(img);
  }
  row.append(bubble, timeNode(ctx, item.ts));
  ui.log.appendChild(row);
  return row;
}

/** A system line from segments (see state.statusSegments), scrolled into view. */
export function addStatus(ctx, segments, className) {
  const row = addMessage(ctx, { role: "system", segments }, className);
  scrollToBottom(ctx, true);
  return row;
}

/** Quick-reply buttons under the last message; `onPick(payload, title)` when one is clicked. */
export function showQuickReplies(ctx, replies, onPick) {
  clearQuickReplies(ctx);
  const list = (Array.isArray(replies) ? replies : [])
    .filter((r) => r && typeof r === "object" && (str(r.title) || str(r.payload)));
  if (!list.length) return;
  const group = el("div", { class: "sw-quick-replies", role: "group", "aria-label": ctx.t("suggested") });
  for (const reply of list) {
    const title = str(reply.title) || str(reply.payload);
    group.appendChild(el("button", {
      type: "button", class: "sw-quick-reply", "data-testid": "quick-reply", text: title,
      onclick: () => onPick(str(reply.payload) || title, title),
    }));
  }
  ctx.ui.quickReplies = group;
  ctx.ui.log.appendChild(group);
}

export function showTyping(ctx, label, hideAfterMs, which = "remoteTyping") {
  const { ui } = ctx;
  ui.typingText.textContent = label;
  ui.typingLine.hidden = false;
  scrollToBottom(ctx);
  clearTimeout(ui.timers[which]);
  ui.timers[which] = setTimeout(() => hideTyping(ctx), hideAfterMs);
}

export function hideTyping(ctx) {
  const { ui } = ctx;
  ui.typingLine.hidden = true;
  ui.typingText.textContent = "";
  clearTimeout(ui.timers.botTyping);
  clearTimeout(ui.timers.remoteTyping);
}

/** While the assistant works on an answer, show it typing (at most 15 s). */
export function expectBotReply(ctx) {
  if (ctx.state.conv !== "bot" && ctx.state.conv !== "closed") return;
  showTyping(ctx, ctx.t("typingAssistant"), 15000, "botTyping");
}

/** An error shown briefly as a system line. */
export function showError(ctx, message) {
  const row = addStatus(ctx, [{ text: str(message) || "Error" }], "error");
  if (row) setTimeout(() => remove(row), 8000);
}
