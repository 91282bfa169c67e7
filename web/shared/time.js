/* Time formatting of every page (pure; local time of the browser). Timestamps on the wire are
 * seconds since the epoch. */

export function pad2(n) {
  return (n < 10 ? "0" : "") + n;
}

/** A Date for a wire timestamp (seconds; milliseconds accepted); `now` when it is missing or invalid. */
export function toDate(ts, now = Date.now()) {
  const n = Number(ts);
  if (!Number.isFinite(n) || n <= 0) return new Date(now);
  return new Date(n > 1e12 ? n : n * 1000);
}

/** "09:05" */
export function hhmm(date) {
  return pad2(date.getHours()) + ":" + pad2(date.getMinutes());
}

/** "09:05:07" */
export function hhmmss(date) {
  return hhmm(date) + ":" + pad2(date.getSeconds());
}

/** "2026-11-22" (local date). */
export function localDay(date) {
  return date.getFullYear() + "-" + pad2(date.getMonth() + 1) + "-" + pad2(date.getDate());
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "14:05" for a timestamp of today, "3 Feb 14:05" otherwise (or always with `withDate`); "" if not a number. */
export function clock(ts, withDate = false, now = new Date()) {
  if (typeof ts !== "number" || !Number.isFinite(ts)) return "";
  const d = new Date(ts * 1000);
  if (!withDate && d.toDateString() === now.toDateString()) return hhmm(d);
  return d.getDate() + " " + MONTHS[d.getMonth()] + " " + hhmm(d);
}

/** ISO 8601 for a `<time datetime>`; "" if not a number. */
export function isoTime(ts) {
  if (typeof ts !== "number" || !Number.isFinite(ts)) return "";
  try { return new Date(ts * 1000).toISOString(); } catch (e) { return ""; }
}

/** A counting-up clock: "0:42", "12:05", "1:02:03". */
export function waitClock(s) {
  s = Math.max(0, Math.floor(s || 0));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? h + ":" + pad2(m) + ":" + pad2(sec) : m + ":" + pad2(sec);
}

/** A duration for people: "42 s", "1 min 24 s", "2 h 5 min"; "—" when unknown. */
export function duration(s) {
  if (s === null || s === undefined || !Number.isFinite(Number(s))) return "—";
  s = Math.max(0, Math.round(Number(s)));
  if (s < 60) return s + " s";
  if (s < 3600) {
    const m = Math.floor(s / 60), r = s % 60;
    return r ? m + " min " + r + " s" : m + " min";
  }
  let h = Math.floor(s / 3600), mm = Math.round((s % 3600) / 60);
  if (mm === 60) { h += 1; mm = 0; }
  return mm ? h + " h " + mm + " min" : h + " h";
}

/** An axis label: "0", "30 s", "1.5 min", "2 h". */
export function shortDuration(s) {
  if (s === 0) return "0";
  if (s < 60) return s + " s";
  if (s < 3600) return (s % 60 ? (s / 60).toFixed(1) : s / 60) + " min";
  return (s / 3600).toFixed(s % 3600 ? 1 : 0) + " h";
}

/** "88 %" for 0.883; "—" when unknown. */
export function percent(x) {
  if (x === null || x === undefined || !Number.isFinite(Number(x))) return "—";
  return Math.round(Number(x) * 100) + " %";
}

/** Relative age: "just now", "5 min ago", "3 h ago", else a date. */
export function ago(ts, nowS = Date.now() / 1000) {
  if (typeof ts !== "number" || !Number.isFinite(ts)) return "";
  const s = nowS - ts;
  if (s < 45) return "just now";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  if (s < 86400) return Math.round(s / 3600) + " h ago";
  return clock(ts, true);
}
