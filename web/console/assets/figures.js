/* The supervisor page's figures from GET /api/stats (pure): the tiles' texts, hours, chart steps,
 * the language filter of the figures. Texts in the UI language (text.js; English by default). */

import { localDay } from "../../shared/time.js";
import { formatDuration, formatPercent, t, tCount } from "./text.js";
import { SLA_KINDS, timerLabel } from "./sla.js";

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

/* --- service-level targets: today.sla (handoff/stats.py sla_figures) ------------------------------ */

const shareTone = (share) => (share === null ? null : share < 0.8 ? "low" : share < 0.9 ? "mid" : null);

function slaCells(x, lang) {
  const share = num(x && x.share);
  return { met: num(x && x.met) || 0, missed: num(x && x.missed) || 0, share: share === null ? null : Math.max(0, Math.min(1, share)),
           shareText: formatPercent(lang, share), tone: shareTone(share) };
}

/**
 * The "Response targets today" table: one group per kind (first reply, next reply, resolution, in
 * that order), each [{level: "kind"|"group"|"reason"|"agent", kind, key, label, met, missed, share
 * (0..1 or null), shareText, tone of the share bar ("low" | "mid" | null), breaches (kind rows)}].
 * `names.reason(code)` and `names.agent(id)` name the sub-rows (else the code, the id);
 * `names.reasonOrder(codes)` orders the reasons (else by code). Texts in `lang`.
 */
export function slaRows(sla, lang = "en", names = {}) {
  const figures = sla && typeof sla === "object" ? sla : {};
  const reasonName = typeof names.reason === "function" ? names.reason : (code) => String(code).replace(/_/g, " ");
  const agentName = typeof names.agent === "function" ? names.agent : (id) => String(id);
  const orderReasons = typeof names.reasonOrder === "function" ? names.reasonOrder : (codes) => codes.slice().sort();
  return SLA_KINDS.map((kind) => {
    const x = figures[kind] && typeof figures[kind] === "object" ? figures[kind] : {};
    const rows = [{ level: "kind", kind, key: kind, label: timerLabel(lang, kind), ...slaCells(x, lang),
                    breaches: num(x.breaches) || 0 }];
    const byReason = x.by_reason && typeof x.by_reason === "object" ? x.by_reason : {};
    const reasons = orderReasons(Object.keys(byReason));
    if (reasons.length) rows.push({ level: "group", kind, key: "reason", label: t(lang, "sup.slaByReason") });
    for (const code of reasons) rows.push({ level: "reason", kind, key: code, label: String(reasonName(code)), ...slaCells(byReason[code], lang) });
    const byAgent = x.by_agent && typeof x.by_agent === "object" ? x.by_agent : {};
    const agents = Object.keys(byAgent).map((id) => ({ id, name: String(agentName(id) || id) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (agents.length) rows.push({ level: "group", kind, key: "agent", label: t(lang, "sup.slaByAgent") });
    for (const a of agents) rows.push({ level: "agent", kind, key: a.id, label: a.name, ...slaCells(byAgent[a.id], lang) });
    return { kind, rows };
  });
}

/** Whether the day counted any target yet (a timer stopped, or one breached). */
export function slaCounted(sla) {
  const figures = sla && typeof sla === "object" ? sla : {};
  return SLA_KINDS.some((kind) => {
    const x = figures[kind] || {};
    return (num(x.met) || 0) + (num(x.missed) || 0) + (num(x.breaches) || 0) > 0;
  });
}

/** "Closed automatically (nobody wrote): 3" / "自動終了（お客様の応答なし）：3 件". */
export function autoResolvedText(today, lang = "en") {
  return t(lang, "sup.autoResolved", { count: num(today && today.auto_resolved) || 0 });
}
