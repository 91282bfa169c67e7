/* Shared helpers of the console pages (console + supervisor). Plain ES2019, no framework.
 *
 * Every piece of text that came from the network goes into the DOM through
 * textContent / createTextNode (see el()); nothing here ever parses HTML.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var BOOL_PROPS = { hidden: 1, disabled: 1, checked: 1, selected: 1, required: 1, readOnly: 1, open: 1 };

  function append(node, children) {
    for (var i = 0; i < children.length; i++) {
      var child = children[i];
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else if (typeof child === "string" || typeof child === "number") node.appendChild(document.createTextNode(String(child)));
      else node.appendChild(child);
    }
    return node;
  }

  function setAttrs(node, attrs, svg) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "class") {
        if (svg) node.setAttribute("class", value); else node.className = value;
      } else if (key === "text") {
        node.textContent = String(value);
      } else if (key === "dataset") {
        Object.keys(value).forEach(function (k) { node.dataset[k] = String(value[k]); });
      } else if (key.slice(0, 2) === "on" && typeof value === "function") {
        node.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (!svg && BOOL_PROPS[key]) {
        node[key] = Boolean(value);
      } else if (!svg && key === "value") {
        node.value = String(value);
      } else {
        node.setAttribute(key, value === true ? "" : String(value));
      }
    });
  }

  /** el("li", {class: "x", "data-testid": "entry"}, "text", childNode, [more]) — text becomes text nodes. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs, false);
    return append(node, Array.prototype.slice.call(arguments, 2));
  }

  /** The same for SVG elements (createElementNS). */
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs, true);
    return append(node, Array.prototype.slice.call(arguments, 2));
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** "14:05" (local) for a timestamp in seconds since the epoch; the date too when not today. */
  function clock(ts, withDate) {
    if (typeof ts !== "number" || !isFinite(ts)) return "";
    var d = new Date(ts * 1000);
    var hm = pad(d.getHours()) + ":" + pad(d.getMinutes());
    if (!withDate && d.toDateString() === new Date().toDateString()) return hm;
    var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    return d.getDate() + " " + months[d.getMonth()] + " " + hm;
  }

  function isoTime(ts) {
    if (typeof ts !== "number" || !isFinite(ts)) return "";
    try { return new Date(ts * 1000).toISOString(); } catch (e) { return ""; }
  }

  /** A counting-up clock: "0:42", "12:05", "1:02:03". */
  function waitClock(s) {
    s = Math.max(0, Math.floor(s || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return h ? h + ":" + pad(m) + ":" + pad(sec) : m + ":" + pad(sec);
  }

  /** A duration for people: "42 s", "1 min 24 s", "2 h 5 min"; "—" when unknown. */
  function duration(s) {
    if (s === null || s === undefined || !isFinite(Number(s))) return "—";
    s = Math.max(0, Math.round(Number(s)));
    if (s < 60) return s + " s";
    if (s < 3600) {
      var m = Math.floor(s / 60), r = s % 60;
      return r ? m + " min " + r + " s" : m + " min";
    }
    var h = Math.floor(s / 3600), mm = Math.round((s % 3600) / 60);
    if (mm === 60) { h += 1; mm = 0; }
    return mm ? h + " h " + mm + " min" : h + " h";
  }

  /** "88 %" for 0.883; "—" when unknown. */
  function percent(x) {
    if (x === null || x === undefined || !isFinite(Number(x))) return "—";
    return Math.round(Number(x) * 100) + " %";
  }

  /** Relative age: "just now", "5 min ago", "3 h ago", else a date. */
  function ago(ts) {
    if (typeof ts !== "number" || !isFinite(ts)) return "";
    var s = Date.now() / 1000 - ts;
    if (s < 45) return "just now";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    if (s < 86400) return Math.round(s / 3600) + " h ago";
    return clock(ts, true);
  }

  var REASONS = {
    explicit_request: "explicit request",
    frustration: "frustration",
    unresolved: "unresolved",
    sensitive: "sensitive"
  };

  /** The text of a reason badge: "explicit request", "frustration 0.82", anything else as is. */
  function reasonText(reason, score) {
    var key = String(reason || "unknown");
    var label = REASONS[key] || key.replace(/_/g, " ");
    if (key === "frustration" && score !== null && score !== undefined && isFinite(Number(score))) {
      label += " " + Number(score).toFixed(2);
    }
    return label;
  }

  function reasonClass(reason) {
    return "badge reason reason-" + (REASONS[reason] ? reason.replace(/_/g, "-") : "other");
  }

  function reasonBadge(reason, score, attrs) {
    var a = { class: reasonClass(reason) };
    if (attrs) Object.keys(attrs).forEach(function (k) { a[k] = attrs[k]; });
    return el("span", a, reasonText(reason, score));
  }

  /* --- toasts -------------------------------------------------------------- */
  var toastBox = null;
  function toast(message, kind, ms) {
    if (!toastBox) {
      toastBox = el("div", { class: "toasts", role: "region", "aria-label": "Notifications" });
      document.body.appendChild(toastBox);
    }
    var close = el("button", { type: "button", class: "toast-close", "aria-label": "Dismiss notification" }, "×");
    var node = el("div", {
      class: "toast toast-" + (kind || "error"), "data-testid": "toast",
      role: kind === "info" ? "status" : "alert"
    }, el("span", { class: "toast-text" }, String(message || "Something went wrong")), close);
    var timer = null;
    function remove() { clearTimeout(timer); if (node.parentNode) node.parentNode.removeChild(node); }
    close.addEventListener("click", remove);
    timer = setTimeout(remove, ms || (kind === "info" ? 5000 : 8000));
    node.addEventListener("mouseenter", function () { clearTimeout(timer); });
    node.addEventListener("mouseleave", function () { timer = setTimeout(remove, 3000); });
    toastBox.appendChild(node);
    while (toastBox.children.length > 4) toastBox.removeChild(toastBox.firstChild);
    return node;
  }

  /* --- sound: a short two-tone WebAudio beep (no file) ---------------------- */
  var audio = null;
  function audioContext() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    if (!audio) {
      try { audio = new Ctx(); } catch (e) { return null; }
    }
    return audio;
  }
  function unlockAudio() {
    var ctx = audioContext();
    if (ctx && ctx.state === "suspended") ctx.resume().catch(function () {});
  }
  ["pointerdown", "keydown"].forEach(function (type) {
    window.addEventListener(type, unlockAudio, { once: true, capture: true });
  });

  function beep() {
    var ctx = audioContext();
    if (!ctx) return;
    try {
      if (ctx.state === "suspended") ctx.resume().catch(function () {});
      var t = ctx.currentTime + 0.01;
      [[880, 0], [1318.5, 0.13]].forEach(function (tone) {
        var osc = ctx.createOscillator(), gain = ctx.createGain();
        osc.type = "sine";
        osc.frequency.value = tone[0];
        gain.gain.setValueAtTime(0.0001, t + tone[1]);
        gain.gain.exponentialRampToValueAtTime(0.18, t + tone[1] + 0.015);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + tone[1] + 0.12);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t + tone[1]);
        osc.stop(t + tone[1] + 0.14);
      });
    } catch (e) { /* sound is a nicety */ }
  }

  /** POST /api/agent/logout, then the login page. */
  function logout() {
    return fetch("/api/agent/logout", { method: "POST", credentials: "same-origin" })
      .catch(function () {})
      .then(function () { window.location.assign("/console/login"); });
  }

  /** A value from the context for people: numbers rounded, lists joined, objects as compact JSON. */
  function plain(value) {
    if (value === null || value === undefined || value === "") return "—";
    if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (Array.isArray(value)) return value.map(plain).join(", ");
    if (typeof value === "object") {
      try { return JSON.stringify(value); } catch (e) { return String(value); }
    }
    return String(value);
  }

  function humanKey(key) {
    var s = String(key).replace(/_/g, " ");
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  var ICONS = {
    clock: [["circle", { cx: 12, cy: 12, r: 9 }], ["path", { d: "M12 7v5l3 2" }]],
    lock: [["rect", { x: 5, y: 11, width: 14, height: 10, rx: 2 }], ["path", { d: "M8 11V8a4 4 0 0 1 8 0v3" }]],
    trash: [["path", { d: "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" }]],
    pencil: [["path", { d: "M4 20h4L19 9l-4-4L4 16v4z" }]],
    check: [["path", { d: "M5 12l5 5L20 7" }]]
  };

  /** A small stroke icon (decorative: aria-hidden). */
  function icon(name) {
    return svg("svg", { class: "icon icon-" + name, viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" },
      (ICONS[name] || []).map(function (part) { return svg(part[0], part[1]); }));
  }

  window.SC = {
    icon: icon,
    el: el, svg: svg, clear: clear, clock: clock, isoTime: isoTime, waitClock: waitClock,
    duration: duration, percent: percent, ago: ago, reasonText: reasonText, reasonClass: reasonClass,
    reasonBadge: reasonBadge, toast: toast, beep: beep, logout: logout, plain: plain, humanKey: humanKey
  };
})();
