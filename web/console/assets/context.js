/* The console's right column: why the conversation was handed over (reason, score, summary,
 * evidence), the last intents, slots, the customer and their orders. DOM only. */

import { clear, el } from "../../shared/dom.js";
import { reasonBadge, tr, uiLanguage } from "./common.js";
import { contextScore, formatMoney, humanKey, itemsText, plain } from "./state.js";

const ORDER_SHOWN = new Set(["order_number", "status", "total", "total_cents", "currency", "placed_at", "placed_on", "items", "customer_id"]);
const present = (v) => v !== null && v !== undefined && v !== "";

function section(title, children, testid) {
  return el("section", { class: "ctx-section", "data-testid": testid || null }, el("h3", { class: "ctx-title" }, title), children);
}

function dl(pairs) {
  const list = el("dl", { class: "kv" });
  for (const [key, value] of pairs) {
    if (!present(value)) continue;
    list.append(el("dt", null, key), el("dd", null, plain(value, uiLanguage())));
  }
  return list;
}

function confidenceBar(value) {
  const v = Math.max(0, Math.min(1, Number(value) || 0));
  const fill = el("span", { class: "conf-fill" + (v < 0.5 ? " is-low" : "") });
  fill.style.width = Math.round(v * 100) + "%";
  return el("span", { class: "conf" }, el("span", { class: "conf-bar", "aria-hidden": "true" }, fill), el("span", { class: "conf-num" }, v.toFixed(2)));
}

function evidenceTable(evidence) {
  const rows = evidence.map((row) => {
    row = row && typeof row === "object" ? row : { detail: row };
    const facts = Object.keys(row).filter((k) => k !== "signal" && k !== "score" && k !== "message");
    return el("tr", { "data-testid": "evidence-row" },
      el("th", { scope: "row" }, String(row.signal || "—").replace(/_/g, " ")),
      el("td", { class: "num" }, row.score === undefined || row.score === null ? "—" : Number(row.score).toFixed(2)),
      el("td", null, facts.map((k) => el("span", { class: "ev-fact" }, el("span", { class: "ev-key" }, humanKey(k) + ": "), plain(row[k], uiLanguage()))),
        row.message ? el("q", { class: "ev-quote" }, String(row.message)) : null));
  });
  return el("table", { class: "ev-table" },
    el("caption", { class: "sr-only" }, tr("context.evidence")),
    el("thead", null, el("tr", null, el("th", { scope: "col" }, tr("context.signal")), el("th", { scope: "col", class: "num" }, tr("context.score")),
      el("th", { scope: "col" }, tr("context.evidence")))),
    el("tbody", null, rows));
}

function slotsSection(slots) {
  const keys = Object.keys(slots).filter((k) => present(slots[k]));
  if (!keys.length) return null;
  const isSimple = (v) => typeof v !== "object" || (Array.isArray(v) && v.every((x) => typeof x !== "object"));
  return section(tr("context.slots"), [
    dl(keys.filter((k) => isSimple(slots[k])).map((k) => [k, slots[k]])),
    keys.filter((k) => !isSimple(slots[k])).map((k) => {
      let pretty;
      try { pretty = JSON.stringify(slots[k], null, 2); } catch (e) { pretty = String(slots[k]); }
      return el("details", { class: "slot-json" }, el("summary", null, k), el("pre", null, pretty));
    }),
  ], "context-slots");
}

function customerSection(ctx) {
  const customer = ctx.customer;
  if (customer && typeof customer === "object") {
    return section(tr("context.customer"), dl([
      [tr("context.name"), customer.name], [tr("context.email"), customer.email], [tr("context.phone"), customer.phone],
      [tr("context.address"), customer.address], [tr("context.customerId"), customer.customer_id],
      [tr("context.identity"), tr(customer.verified ? "context.verified" : "context.notVerified")],
    ]), "context-customer");
  }
  const text = ctx.unverified_order
    ? tr("context.unverifiedOrder", { order: String(ctx.unverified_order) })
    : tr("context.notIdentified");
  return section(tr("context.customer"), el("p", { class: "muted" }, text), "context-customer");
}

function orderNode(o) {
  o = o || {};
  const extra = Object.keys(o).filter((k) => !ORDER_SHOWN.has(k) && present(o[k]));
  return el("li", { class: "order", "data-testid": "order" },
    el("div", { class: "order-top" },
      el("span", { class: "order-number" }, String(o.order_number || "—")),
      el("span", { class: "badge status status-" + String(o.status || "").replace(/[^a-z_]/gi, "") },
        o.status ? String(o.status).replace(/_/g, " ") : tr("context.unknownStatus")),
      el("span", { class: "order-total" }, formatMoney(o) || "")),
    el("div", { class: "order-sub muted" }, [o.placed_at || o.placed_on ? tr("context.placed", { date: plain(o.placed_at || o.placed_on, uiLanguage()) }) : null,
      itemsText(o.items, uiLanguage())].filter(Boolean).join(" · ")),
    extra.length ? dl(extra.map((k) => [humanKey(k), o[k]])) : null);
}

export function install(app) {
  app.render.context = (c) => {
    const root = clear(app.ui.context);
    if (!c) {
      root.appendChild(el("p", { class: "empty" }, tr("context.empty")));
      return;
    }
    const ctx = c.context || {};
    const evidence = Array.isArray(ctx.evidence) ? ctx.evidence : [];
    root.appendChild(section(tr("context.why"), [
      el("div", { class: "ctx-reason" }, reasonBadge(app.S.reasons, ctx.reason || c.reason, contextScore(c), { "data-testid": "context-reason" })),
      el("p", { class: "ctx-summary", "data-testid": "context-summary" }, ctx.summary ? String(ctx.summary) : tr("context.noSummary")),
      evidence.length ? evidenceTable(evidence) : null,
    ], "context-handoff"));

    const intents = Array.isArray(ctx.intents) ? ctx.intents.slice(-5).reverse() : [];
    if (intents.length) {
      root.appendChild(section(tr("context.intents"), el("ol", { class: "intents" }, intents.map((it) => el("li", { class: "intent" },
        el("div", { class: "intent-top" }, el("code", { class: "intent-name" }, String(it.intent || "—")), confidenceBar(it.confidence)),
        it.text ? el("div", { class: "intent-text" }, String(it.text)) : null))), "context-intents"));
    }
    const slots = slotsSection(ctx.slots && typeof ctx.slots === "object" ? ctx.slots : {});
    if (slots) root.appendChild(slots);
    root.appendChild(customerSection(ctx));
    const orders = Array.isArray(ctx.orders) ? ctx.orders : [];
    if (orders.length) root.appendChild(section(tr("context.orders", { count: orders.length }), el("ul", { class: "orders" }, orders.map(orderNode)), "context-orders"));
  };
}
