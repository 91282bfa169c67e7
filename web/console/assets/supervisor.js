/* The supervisor dashboard (/console/supervisor): polls GET /api/stats (or /api/stats?language=en|ja
 * for the figures of one customer language) and GET /api/live every 5 s; tiles, the live
 * conversations (live-view.js), agents, handoffs by reason, SVG charts (no library), the day's CSV
 * downloads. The entry module. */

import { clear, el } from "../../shared/dom.js";
import { hhmmss } from "../../shared/time.js";
import { reasonBook, reasonOrder, reasonText } from "../../shared/vocabulary.js";
import { languageSwitch, logout, readStored, reasonBadge, reasonClass, store, tr, uiLanguage } from "./common.js";
import { renderHourly, renderWait } from "./charts.js";
import { livePanel } from "./live-view.js";
import { exportUrl } from "./live.js";
import { TILES, autoResolvedText, figuresLanguage, num, slaCounted, slaRows, statsUrl, tileValues } from "./figures.js";
import { FIGURES_LANGUAGE_KEY, agentStatusText, tCount, withLanguages } from "./text.js";

const POLL_MS = 5000;
const $ = (id) => document.getElementById(id);

// The page's state: one object. `data`: the last figures shown; `updated`: what the status line says.
const page = { timer: null, lastOk: 0, inflight: false, reasons: reasonBook(null), tiles: {},
               figures: figuresLanguage(readStored(FIGURES_LANGUAGE_KEY)), data: null, updated: null };

function buildTiles() {
  for (const t of TILES) {
    const value = el("span", { class: "tile-value", "data-testid": "stat-" + t.key }, "—");
    const sub = el("span", { class: "tile-sub" });
    const label = el("span", { class: "tile-label" }, tr(t.text));
    const node = el("div", { class: "tile", dataset: { tile: t.key } }, label, value, sub);
    page.tiles[t.key] = { node, value, sub, label, text: t.text };
    $("tiles").appendChild(node);
  }
}

function renderTiles(data) {
  const values = tileValues(data, uiLanguage());
  for (const key of Object.keys(values)) {
    const tile = page.tiles[key], v = values[key];
    tile.value.textContent = v.value;
    tile.sub.textContent = v.sub || "";
    tile.node.classList.toggle("is-alert", v.level === "alert");
    tile.node.classList.toggle("is-warn", v.level === "warn");
  }
  const today = data.today || {};
  $("today-date").textContent = today.date ? String(today.date) : "";
  $("export-figures").href = exportUrl("figures", today.date);
  $("export-conversations").href = exportUrl("conversations", today.date);
}

function renderAgents(now) {
  const body = clear($("agents-body"));
  const agents = Array.isArray(now.agents) ? now.agents : [];
  let busy = 0, cap = 0;
  for (const a of agents) {
    const n = num(a.conversations) || 0, c = num(a.capacity) || 0;
    busy += n; cap += c;
    const fill = el("span", { class: "util-fill" + (c && n >= c ? " is-full" : "") });
    fill.style.width = (c ? Math.min(100, Math.round(n / c * 100)) : 0) + "%";
    const status = String(a.status || "offline");
    body.appendChild(el("tr", { "data-testid": "agent-row" },
      el("th", { scope: "row" }, withLanguages(a.name || a.id || "", a.languages)),
      el("td", null, el("span", { class: "dot dot-" + status.replace(/[^a-z]/g, ""), "aria-hidden": "true" }), " ",
        agentStatusText(uiLanguage(), status)),
      el("td", null, el("span", { class: "util" },
        el("span", { class: "util-bar", "aria-hidden": "true" }, fill),
        el("span", { class: "util-num" }, n + " / " + c)))));
  }
  if (!agents.length) body.appendChild(el("tr", null, el("td", { colspan: "3", class: "empty" }, tr("sup.noAgents"))));
  $("agents-summary").textContent = agents.length ? tr("sup.seats", { busy, capacity: cap }) : "";
}

function renderReasons(today) {
  const byReason = today.handoffs_by_reason && typeof today.handoffs_by_reason === "object" ? today.handoffs_by_reason : {};
  const codes = reasonOrder(page.reasons, Object.keys(byReason));
  const counts = codes.map((k) => num(byReason[k]) || 0);
  const max = Math.max(0, ...counts), total = counts.reduce((a, b) => a + b, 0);
  const root = clear($("reason-bars"));
  codes.forEach((k, i) => {
    const v = counts[i];
    const fill = el("span", { class: "bar-fill " + reasonClass(page.reasons, k).replace("badge reason ", "") });
    fill.style.width = (max ? Math.round(v / max * 100) : 0) + "%";
    root.appendChild(el("div", { class: "bar-row", "data-testid": "reason-bar", dataset: { reason: k } },
      el("span", { class: "bar-label" }, reasonBadge(page.reasons, k, null)),
      el("span", { class: "bar-track", role: "img", "aria-label": tr("sup.reasonBar", { reason: reasonText(page.reasons, k, null, uiLanguage()), count: v }) }, fill),
      el("span", { class: "bar-value" }, String(v))));
  });
  $("reasons-total").textContent = tCount(uiLanguage(), total, "sup.handoff", "sup.handoffs");
}

/** The day's response targets: per kind the share met, met / missed and breaches, then by reason and
 * by agent (named from the team, else by id); and how many conversations closed by themselves. */
function renderSla(data) {
  const lang = uiLanguage(), today = data.today || {};
  const team = data.now && Array.isArray(data.now.agents) ? data.now.agents : [];
  const names = new Map(team.filter((a) => a && a.id).map((a) => [String(a.id), String(a.name || a.id)]));
  const groups = slaRows(today.sla, lang, {
    reason: (code) => reasonText(page.reasons, code, null, lang),
    reasonOrder: (codes) => reasonOrder(page.reasons, codes),
    agent: (id) => names.get(id) || id,
  });
  const table = $("sla-figures");
  for (const body of Array.from(table.tBodies)) body.remove();
  for (const group of groups) {
    table.appendChild(el("tbody", { dataset: { kind: group.kind } }, group.rows.map((row) => {
      if (row.level === "group") return el("tr", { class: "sla-group" }, el("th", { scope: "rowgroup", colspan: "5" }, row.label));
      const fill = el("span", { class: "util-fill" + (row.tone === "low" ? " is-low" : row.tone === "mid" ? " is-mid" : "") });
      fill.style.width = (row.share === null ? 0 : Math.round(row.share * 100)) + "%";
      const share = el("span", { class: "util" },
        el("span", { class: "util-bar", role: "img", "aria-label": tr("sup.slaShareBar", { target: row.label, share: row.shareText }) }, fill),
        el("span", { class: "util-num" }, row.shareText));
      return el("tr", { class: row.level === "kind" ? "sla-kind-row" : "sla-sub", "data-testid": "sla-row",
                        dataset: { kind: row.kind, level: row.level, key: row.key } },
        el("th", { scope: "row" }, row.label),
        el("td", { class: "num" }, share),
        el("td", { class: "num" }, String(row.met)),
        el("td", { class: "num" }, String(row.missed)),
        el("td", { class: "num" }, row.level === "kind" ? String(row.breaches) : ""));
    })));
  }
  $("sla-none").hidden = slaCounted(today.sla);
  $("auto-resolved").textContent = autoResolvedText(today, lang);
}

function render(data) {
  page.data = data;
  if (data.vocabulary && typeof data.vocabulary === "object") page.reasons = reasonBook(data.vocabulary);
  renderTiles(data);
  live.setFigures(data);
  renderAgents(data.now || {});
  renderReasons(data.today || {});
  renderSla(data);
  renderHourly(data, $("chart-hourly"), $("table-hourly"), uiLanguage());
  renderWait(data, $("chart-wait"), $("table-wait"), uiLanguage());
}

/** The status line and the error box: `updated` is {ok: true, at: Date} or {ok: false, status?: HTTP status}. */
function showUpdated() {
  const updated = page.updated;
  if (!updated) return;
  const node = $("updated"), error = $("sup-error");
  node.classList.toggle("is-stale", !updated.ok);
  error.hidden = updated.ok;
  if (updated.ok) {
    node.textContent = tr("sup.updated", { time: hhmmss(updated.at) });
  } else {
    node.textContent = tr(page.lastOk ? "sup.stale" : "sup.notLoaded");
    const message = updated.status ? tr("sup.serverAnswered", { status: updated.status }) : tr("sup.unreachable");
    error.textContent = tr("sup.retrying", { message });
  }
}

function setUpdated(ok, status) {
  page.updated = ok ? { ok: true, at: new Date() } : { ok: false, status: status || null };
  showUpdated();
}

/** An HTTP answer other than 2xx, 401 and 403. */
class Answered extends Error {
  constructor(status) {
    super("The server answered " + status + " for the figures.");
    this.status = status;
  }
}

function poll() {
  clearTimeout(page.timer);
  if (page.inflight) return;
  page.inflight = true;
  live.refresh();
  const asked = page.figures;
  fetch(statsUrl(asked), { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
    .then((response) => {
      if (response.status === 401 || response.status === 403) {
        window.location.assign("/console/login");
        return null;
      }
      if (!response.ok) throw new Answered(response.status);
      return response.json().then((data) => {
        if (asked !== page.figures) return;  // the filter changed meanwhile: the next poll shows it
        render(data || {});
        page.lastOk = Date.now();
        setUpdated(true);
      });
    })
    .catch((e) => {
      if (asked === page.figures) setUpdated(false, e instanceof Answered ? e.status : null);
    })
    .then(() => {
      page.inflight = false;
      page.timer = setTimeout(poll, asked === page.figures ? POLL_MS : 0);
    });
}

/** Everything drawn again in the UI language just chosen. */
function rerender() {
  for (const tile of Object.values(page.tiles)) tile.label.textContent = tr(tile.text);
  if (page.data) render(page.data);
  live.rerender();
  if (page.updated) showUpdated(); else $("updated").textContent = tr("sup.loading");
}

const live = livePanel({
  summary: $("live-summary"), body: $("live-body"), error: $("live-error"), notice: $("live-notice"),
  watch: { panel: $("watch-panel"), title: $("watch-title"), meta: $("watch-meta"), entries: $("watch-entries"),
           status: $("watch-status"), close: $("watch-close") },
});
languageSwitch($("ui-language"), rerender);
const figuresSelect = $("figures-language");
figuresSelect.value = page.figures;
figuresSelect.addEventListener("change", () => {
  page.figures = figuresLanguage(figuresSelect.value);
  store(FIGURES_LANGUAGE_KEY, page.figures);
  poll();
});
buildTiles();
$("updated").textContent = tr("sup.loading");
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && Date.now() - page.lastOk > POLL_MS) poll();
});
$("logout").addEventListener("click", () => { $("logout").disabled = true; logout(); });
poll();
