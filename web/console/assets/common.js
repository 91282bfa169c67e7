/* What the console pages (console, supervisor) share on screen: reason badges, toasts, the
 * arrival beep, logout, icons. Every text goes in as text (see shared/dom.js). */

import { el, icon as build } from "../../shared/dom.js";
import { isKnownReason, reasonText } from "../../shared/vocabulary.js";

/** The CSS class of a reason (its own colour when the vocabulary knows it). */
export function reasonClass(book, reason) {
  return "badge reason reason-" + (isKnownReason(book, reason) ? reason.replace(/_/g, "-") : "other");
}

export function reasonBadge(book, reason, score, attrs) {
  return el("span", { class: reasonClass(book, reason), ...attrs }, reasonText(book, reason, score));
}

/* --- toasts ---------------------------------------------------------------- */
export function toast(message, kind, ms) {
  let box = document.querySelector("body > .toasts");
  if (!box) {
    box = el("div", { class: "toasts", role: "region", "aria-label": "Notifications" });
    document.body.appendChild(box);
  }
  const close = el("button", { type: "button", class: "toast-close", "aria-label": "Dismiss notification" }, "×");
  const node = el("div", { class: "toast toast-" + (kind || "error"), "data-testid": "toast", role: kind === "info" ? "status" : "alert" },
    el("span", { class: "toast-text" }, String(message || "Something went wrong")), close);
  const timer = { id: null };
  const dismiss = () => { clearTimeout(timer.id); node.remove(); };
  timer.id = setTimeout(dismiss, ms || (kind === "info" ? 5000 : 8000));
  close.addEventListener("click", dismiss);
  node.addEventListener("mouseenter", () => clearTimeout(timer.id));
  node.addEventListener("mouseleave", () => { timer.id = setTimeout(dismiss, 3000); });
  box.appendChild(node);
  while (box.children.length > 4) box.removeChild(box.firstChild);
  return node;
}

/* --- sound: a short two-tone WebAudio beep (no file) ------------------------ */
const sound = { context: null };

function audioContext() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return null;
  if (!sound.context) {
    try { sound.context = new Ctx(); } catch (e) { return null; }
  }
  return sound.context;
}

/** Browsers start audio suspended until a gesture: resume it on the first key or pointer press. */
export function unlockAudioOnGesture() {
  const unlock = () => {
    const ctx = audioContext();
    if (ctx && ctx.state === "suspended") ctx.resume().catch(() => {});
  };
  for (const type of ["pointerdown", "keydown"]) window.addEventListener(type, unlock, { once: true, capture: true });
}

export function beep() {
  const ctx = audioContext();
  if (!ctx) return;
  try {
    if (ctx.state === "suspended") ctx.resume().catch(() => {});
    const t = ctx.currentTime + 0.01;
    for (const [frequency, offset] of [[880, 0], [1318.5, 0.13]]) {
      const osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, t + offset);
      gain.gain.exponentialRampToValueAtTime(0.18, t + offset + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + offset + 0.12);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + offset);
      osc.stop(t + offset + 0.14);
    }
  } catch (e) { /* sound is a nicety */ }
}

/** POST /api/agent/logout, then the login page. */
export function logout() {
  return fetch("/api/agent/logout", { method: "POST", credentials: "same-origin" })
    .catch(() => {})
    .then(() => window.location.assign("/console/login"));
}

const ICONS = {
  clock: [["circle", { cx: 12, cy: 12, r: 9 }], ["path", { d: "M12 7v5l3 2" }]],
  lock: [["rect", { x: 5, y: 11, width: 14, height: 10, rx: 2 }], ["path", { d: "M8 11V8a4 4 0 0 1 8 0v3" }]],
  trash: [["path", { d: "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" }]],
  pencil: [["path", { d: "M4 20h4L19 9l-4-4L4 16v4z" }]],
  check: [["path", { d: "M5 12l5 5L20 7" }]],
};

/** A small stroke icon (decorative: aria-hidden). */
export function icon(name) {
  return build(ICONS[name], { class: "icon icon-" + name });
}
