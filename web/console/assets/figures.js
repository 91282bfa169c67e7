/* The supervisor page's figures from GET /api/stats (pure): the tiles' texts, hours, chart steps. */

import { duration, localDay, percent } from "../../shared/time.js";

export function num(x) {
  return x === null || x === undefined || !Number.isFinite(Number(x)) ? null : Number(x);
}

export const TILES = [
  { key: "queue-length", label: "In queue" },
  { key: "longest-wait", label: "Longest wait" },
  { key: "agents-available", label: "Agents available" },
  { key: "containment", label: "Containment" },
  { key: "average-wait", label: "Average wait" },
  { key: "first-response", label: "First response" },
  { key: "satisfaction", label: "Satisfaction" },
  { key: "conversations", label: "Conversations today" },
];

/** {key: {value, sub, level: "alert"|"warn"|null}} for every tile. */
export function tileValues(data) {
  const now = data.now || {}, today = data.today || {};
  const queue = num(now.queue_length) || 0, available = num(now.agents_available);
  const longest = num(now.longest_wait_s);
  const agents = Array.isArray(now.agents) ? now.agents : [];
  const handed = num(today.handed_off), conversations = num(today.conversations);
  const sat = today.satisfaction || {};
  const avg = num(sat.average), count = num(sat.count) || 0;
  return {
    "queue-length": { value: String(queue), sub: queue ? (queue === 1 ? "1 customer waiting" : queue + " customers waiting") : "nobody waiting",
                      level: queue && !available ? "alert" : queue ? "warn" : null },
    "longest-wait": { value: queue ? duration(longest) : "—", sub: queue ? "in the queue now" : "",
                      level: longest >= 300 ? "alert" : longest >= 120 ? "warn" : null },
    "agents-available": { value: available === null ? "—" : String(available), sub: "of " + agents.length + " agents",
                          level: available === 0 ? "alert" : null },
    containment: { value: percent(today.containment),
                   sub: conversations !== null ? "bot only · " + (handed || 0) + " of " + conversations + " handed off" : "", level: null },
    "average-wait": { value: duration(today.average_wait_s), sub: "queued → claimed", level: null },
    "first-response": { value: duration(today.first_response_s), sub: "queued → first agent message", level: null },
    satisfaction: { value: avg === null ? "—" : avg.toFixed(1) + " / 5", sub: count === 1 ? "1 rating" : count + " ratings",
                    level: avg !== null && avg < 3 ? "warn" : null },
    conversations: { value: conversations === null ? "—" : String(conversations),
                     sub: (handed || 0) + " handed off · " + (num(today.closed) || 0) + " closed by agents", level: null },
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
