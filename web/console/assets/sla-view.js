/* The service-level countdowns on screen (DOM; what they say comes from sla.js): one element per
 * timer, `data-testid="sla-timer"` with `data-kind` and `data-state` (ok | amber | breached) kept
 * current, redrawn in place every second so nothing flickers. */

import { el } from "../../shared/dom.js";
import { serverNow, timerViews } from "./sla.js";

/** The server's clock now (seconds), from the browser's and the offset the queue taught `S`. */
export function slaNow(S) {
  return serverNow(Date.now(), S.serverOffsetS);
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function timerNode(kind) {
  return el("span", { class: "sla", "data-testid": "sla-timer", dataset: { kind } },
    el("span", { class: "sla-kind" }), " ", el("span", { class: "sla-time" }));
}

/** Draw `timers` (the server's `sla` list) at `nowS` into `box`, nearest deadline first; the box is
 * hidden when nothing runs. */
export function drawTimers(box, timers, nowS, language) {
  if (!box) return;
  const views = timerViews(timers, nowS, language);
  const existing = new Map(Array.from(box.children, (node) => [node.dataset.kind, node]));
  views.forEach((view, index) => {
    const node = existing.get(view.kind) || timerNode(view.kind);
    existing.delete(view.kind);
    const className = "sla sla-" + view.state;
    if (node.className !== className) node.className = className;
    if (node.dataset.state !== view.state) node.dataset.state = view.state;
    if (node.getAttribute("title") !== view.title) node.setAttribute("title", view.title);
    setText(node.querySelector(".sla-kind"), view.label);
    setText(node.querySelector(".sla-time"), view.text);
    if (box.children[index] !== node) box.insertBefore(node, box.children[index] || null);
  });
  existing.forEach((node) => node.remove());
  box.hidden = views.length === 0;
}
