/* The supervisor dashboard (/console/supervisor): polls GET /api/stats every 5 s; tiles, agents,
 * handoffs by reason, SVG charts (no library). The entry module. */

import { clear, el } from "../../shared/dom.js";
import { hhmmss } from "../../shared/time.js";
import { reasonBook, reasonOrder, reasonText } from "../../shared/vocabulary.js";
import { logout, reasonBadge, reasonClass } from "./common.js";
import { renderHourly, renderWait } from "./charts.js";
import { TILES, num, tileValues } from "./figures.js";

const POLL_MS = 5000;
const $ = (id) => document.getElementById(id);

// The page's state: one object.
const page = { timer: null, lastOk: 0, inflight: false, reasons: reasonBook(null), tiles: {} };

function buildTiles() {
  for (const t of TILES) {
    const value = el("span", { class: "tile-value", "data-testid": "stat-" + t.key }, "—");
    const sub = el("span", { class: "tile-sub" });
    const node = el("div", { class: "tile", dataset: { tile: t.key } }, el("span", { class: "tile-label" }, t.label), value, sub);
    page.tiles[t.key] = { node, value, sub };
    $("tiles").appendChild(node);
  }
}

function renderTiles(data) {
  const values = tileValues(data);
  for (const key of Object.keys(values)) {
    const tile = page.tiles[key], v = values[key];
    tile.value.textContent = v.value;
    tile.sub.textContent = v.sub || "";
    tile.node.classList.toggle("is-alert", v.level === "alert");
    tile.node.classList.toggle("is-warn", v.level === "warn");
  }
  const today = data.today || {};
  $("today-date").textContent = today.date ? String(today.date) : "";
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
      el("th", { scope: "row" }, String(a.name || a.id || "")),
      el("td", null, el("span", { class: "dot dot-" + status.replace(/[^a-z]/g, ""), "aria-hidden": "true" }), " ", status),
      el("td", null, el("span", { class: "util" },
        el("span", { class: "util-bar", "aria-hidden": "true" }, fill),
        el("span", { class: "util-num" }, n + " / " + c)))));
  }
  if (!agents.length) body.appendChild(el("tr", null, el("td", { colspan: "3", class: "empty" }, "No agents.")));
  $("agents-summary").textContent = agents.length ? busy + " of " + cap + " seats in use" : "";
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
      el("span", { class: "bar-track", role: "img", "aria-label": reasonText(page.reasons, k) + ": " + v + " handoffs" }, fill),
      el("span", { class: "bar-value" }, String(v))));
  });
  $("reasons-total").textContent = total === 1 ? "1 handoff" : total + " handoffs";
}

function render(data) {
  if (data.vocabulary && typeof data.vocabulary === "object") page.reasons = reasonBook(data.vocabulary);
  renderTiles(data);
  renderAgents(data.now || {});
  renderReasons(data.today || {});
  renderHourly(data, $("chart-hourly"), $("table-hourly"));
  renderWait(data, $("chart-wait"), $("table-wait"));
}

function setUpdated(ok, message) {
  const node = $("updated"), error = $("sup-error");
  node.classList.toggle("is-stale", !ok);
  error.hidden = ok;
  if (ok) {
    node.textContent = "Updated " + hhmmss(new Date());
  } else {
    node.textContent = page.lastOk ? "Stale — retrying" : "Not loaded — retrying";
    error.textContent = message;
  }
}

function poll() {
  clearTimeout(page.timer);
  if (page.inflight) return;
  page.inflight = true;
  fetch("/api/stats", { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
    .then((response) => {
      if (response.status === 401 || response.status === 403) {
        window.location.assign("/console/login");
        return null;
      }
      if (!response.ok) throw new Error("The server answered " + response.status + " for the figures.");
      return response.json().then((data) => {
        render(data || {});
        page.lastOk = Date.now();
        setUpdated(true);
      });
    })
    .catch((e) => {
      setUpdated(false, (e && e.message && /answered/.test(e.message) ? e.message : "Cannot reach the server.") + " Retrying every 5 seconds.");
    })
    .then(() => {
      page.inflight = false;
      page.timer = setTimeout(poll, POLL_MS);
    });
}

buildTiles();
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && Date.now() - page.lastOk > POLL_MS) poll();
});
$("logout").addEventListener("click", () => { $("logout").disabled = true; logout(); });
poll();
