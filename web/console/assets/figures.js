/* The supervisor page's figures from GET /api/stats (pure): the tiles' texts, hours, chart steps,
 * the language filter of the figures. Texts in the UI language (text.js; English by default). */

import { localDay } from "../../shared/time.js";
import { formatDuration, formatPercent, t, tCount } from "./text.js";

export function num(x) {
  return x === null || x === undefined || !Number.isFinite(Number(x)) ? null : Number(x);
}

/** The tiles: `key` (their test id `stat-<key>`), `text` (their label's key in text.js), `label` (English). */
export const TILES = [
  { key: "queue-length", text: "tile.queueLength", label: "In queue" },
  { key: "longest-wait", text: "tile.longestWait", label: "Longest wait" },
  { key: "agents-available", text: "tile.agentsAvailable", label: "Agents available" },
  { key: "containment", text: "tile.containment", label: "Containment" },
  { key: "average-wait", text: "tile.averageWait", label: "Average wait" },
  { key: "first-response", text: "tile.firstResponse", label: "First response" },
  { key: "satisfaction", text: "tile.satisfaction", label: "Satisfaction" },
  { key: "conversations", text: "tile.conversations", label: "Conversations today" },
];

/** The figures' language filter: "en" or "ja", else "all" (every conversation). */
export function figuresLanguage(value) {
  return value === "en" || value === "ja" ? value : "all";
}

/** Where the figures come from: `/api/stats`, or `/api/stats?language=en` for one language. */
export function statsUrl(language) {
  const filter = figuresLanguage(language);
  return filter === "all" ? "/api/stats" : "/api/stats?language=" + filter;
}

/** {key: {value, sub, level: "alert"|"warn"|null}} for every tile, in `lang` (English by default). */
export function tileValues(data, lang = "en") {
  const now = data.now || {}, today = data.today || {};
  const queue = num(now.queue_length) || 0, available = num(now.agents_available);
  const longest = num(now.longest_wait_s);
  const agents = Array.isArray(now.agents) ? now.agents : [];
  const handed = num(today.handed_off), conversations = num(today.conversations);
  const sat = today.satisfaction || {};
  const avg = num(sat.average), count = num(sat.count) || 0;
  return {
    "queue-length": { value: String(queue), sub: queue ? tCount(lang, queue, "tile.waitingOne", "tile.waitingMany") : t(lang, "tile.nobodyWaiting"),
                      level: queue && !available ? "alert" : queue ? "warn" : null },
    "longest-wait": { value: queue ? formatDuration(lang, longest) : "—", sub: queue ? t(lang, "tile.inQueueNow") : "",
                      level: longest >= 300 ? "alert" : longest >= 120 ? "warn" : null },
    "agents-available": { value: available === null ? "—" : String(available), sub: t(lang, "tile.ofAgents", { count: agents.length }),
                          level: available === 0 ? "alert" : null },
    containment: { value: formatPercent(lang, today.containment),
                   sub: conversations !== null ? t(lang, "tile.botOnly", { handed: handed || 0, total: conversations }) : "", level: null },
    "average-wait": { value: formatDuration(lang, today.average_wait_s), sub: t(lang, "tile.waitSpan"), level: null },
    "first-response": { value: formatDuration(lang, today.first_response_s), sub: t(lang, "tile.firstResponseSpan"), level: null },
    satisfaction: { value: avg === null ? "—" : t(lang, "tile.rating", { average: avg.toFixed(1) }),
                    sub: tCount(lang, count, "tile.ratingOne", "tile.ratings"),
                    level: avg !== null && avg < 3 ? "warn" : null },
    conversations: { value: conversations === null ? "—" : String(conversations),
                     sub: t(lang, "tile.conversationsSub", { handed: handed || 0, closed: num(today.closed) || 0 }), level: null },
  };
}

/** A round step for `ticks` grid lines up to `max` (from `steps` when given). */
export function niceStep(max, ticks, steps) {
  const raw = max / ticks;
  if (steps) {
    for (const step of steps) if (step >= raw) return step;
    const last = steps[steps.length - 1];
    return Math.ceil(raw / last) * last;
  }
  const mag = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
  const norm = raw / mag;
  return Math.max(1, (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag);
}

/** The 24 hours of the day, each {hour, …} (hours the server left out are empty). */
export function hoursOf(data) {
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour }));
  for (const row of Array.isArray(data.hours) ? data.hours : []) {
    const h = num(row && row.hour);
    if (h !== null && h >= 0 && h < 24) byHour[h] = row;
  }
  return byHour;
}

/** Whether the figures are of today (local date), so the current hour can be marked. */
export function isToday(data, now = new Date()) {
  const date = data.today && data.today.date;
  return !date || String(date) === localDay(now);
}
