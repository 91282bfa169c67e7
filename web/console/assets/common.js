/* What the console pages (console, supervisor) share on screen: the UI language (its switch,
 * the pages' static texts), reason badges, language badges, toasts, the arrival beep, logout,
 * icons. Every text goes in as text (see shared/dom.js). */

import { el, icon as build } from "../../shared/dom.js";
import { isKnownReason, reasonText } from "../../shared/vocabulary.js";
import { LANGUAGE_KEY, languageBadge as badgeOf, normalizeLanguage, t } from "./text.js";

/* --- the UI language ------------------------------------------------------- */
const current = { language: "en" };

/** The UI language of this page ("en" | "ja"). */
export function uiLanguage() {
  return current.language;
}

/** The text `key` in the page's UI language (see text.js). */
export function tr(key, params) {
  return t(current.language, key, params);
}

/** What localStorage holds under `key` ("" when nothing or storage is off). */
export function readStored(key) {
  try { return window.localStorage.getItem(key) || ""; } catch (e) { return ""; }
}

export function store(key, value) {
  try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: this page only */ }
}

/** The language the agent chose (English until they choose). */
export function storedLanguage() {
  return normalizeLanguage(readStored(LANGUAGE_KEY));
}

const TEXT_ATTRIBUTES = ["aria-label", "placeholder", "title"];

/** The page's own texts in `language`: `data-t="key"` (the text), `data-t-aria-label`,
 * `data-t-placeholder`, `data-t-title` (attributes). */
export function applyStaticTexts(root, language) {
  for (const node of root.querySelectorAll("[data-t]")) node.textContent = t(language, node.getAttribute("data-t"));
  for (const attr of TEXT_ATTRIBUTES) {
    for (const node of root.querySelectorAll("[data-t-" + attr + "]")) node.setAttribute(attr, t(language, node.getAttribute("data-t-" + attr)));
  }
}

/** Use `language` on this page: `<html lang>`, the static texts (the views re-render themselves). */
export function setLanguage(language) {
  current.language = normalizeLanguage(language);
  document.documentElement.lang = current.language;
  applyStaticTexts(document, current.language);
  const toasts = document.querySelector("body > .toasts");
  if (toasts) toasts.setAttribute("aria-label", tr("common.notifications"));
  return current.language;
}

/**
 * The header's language switch (`select`): shows the stored choice, applies it at once, stores a
 * new one, and follows a choice made in another tab. `onChange(language)` re-renders the views.
 */
export function languageSwitch(select, onChange) {
  const apply = (language) => {
    setLanguage(language);
    if (select.value !== current.language) select.value = current.language;
    onChange(current.language);
  };
  select.value = setLanguage(storedLanguage());
  select.addEventListener("change", () => {
    store(LANGUAGE_KEY, normalizeLanguage(select.value));
    apply(select.value);
  });
  window.addEventListener("storage", (event) => {
    if (event.key === LANGUAGE_KEY && normalizeLanguage(event.newValue) !== current.language) apply(event.newValue);
  });
  return current.language;
}

/** The CSS class of a reason (its own colour when the vocabulary knows it). */
export function reasonClass(book, reason) {
  return "badge reason reason-" + (isKnownReason(book, reason) ? reason.replace(/_/g, "-") : "other");
}

/** A reason badge, labelled from the server's vocabulary in the UI language. */
export function reasonBadge(book, reason, score, attrs) {
  return el("span", { class: reasonClass(book, reason), ...attrs }, reasonText(book, reason, score, current.language));
}

/** "EN" / "JA" (title "English" / "日本語") for a conversation's language; null when it has none. */
export function languageBadge(code, attrs) {
  const badge = badgeOf(code);
  if (!badge) return null;
  return el("span", { class: "badge lang-badge lang-" + badge.text.toLowerCase().replace(/[^a-z]/g, ""),
    "data-testid": "language-badge", title: badge.title, lang: "en", ...attrs }, badge.text);
}

/* --- toasts ---------------------------------------------------------------- */
/** A toast: `kind` "error" (the default), "warn" or "info"; `attrs` more attributes for its node
 * (a `data-testid` of its own, `dataset`). */
export function toast(message, kind, ms, attrs) {
  let box = document.querySelector("body > .toasts");
  if (!box) {
    box = el("div", { class: "toasts", role: "region", "aria-label": tr("common.notifications") });
    document.body.appendChild(box);
  }
  const close = el("button", { type: "button", class: "toast-close", "aria-label": tr("common.dismissNotification") }, "×");
  const node = el("div", { class: "toast toast-" + (kind || "error"), "data-testid": "toast", role: kind === "info" ? "status" : "alert", ...attrs },
    el("span", { class: "toast-text" }, String(message || tr("common.somethingWrong"))), close);
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
  // JSON, as every write to the bridge must be: a cross-site form cannot send it (no preflight-free way).
  return fetch("/api/agent/logout", { method: "POST", credentials: "same-origin",
                                      headers: { "Content-Type": "application/json" }, body: "{}" })
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
