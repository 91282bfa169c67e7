/* The supervisor's charts over the day, as inline SVG built with createElementNS (no library),
 * each with a table of the same figures. Texts in `lang` (text.js; English by default). */

import { clear, el, svg } from "../../shared/dom.js";
import { pad2 } from "../../shared/time.js";
import { hoursOf, isToday, niceStep, num } from "./figures.js";
import { formatDuration, formatShortDuration, t } from "./text.js";

const W = 640, H = 230, M = { l: 44, r: 10, t: 12, b: 26 };
const PW = W - M.l - M.r, PH = H - M.t - M.b;
const BAND = PW / 24;

function frame(titleText, step, ticks, yLabel) {
  const id = "t" + Math.random().toString(36).slice(2);
  const root = svg("svg", { class: "chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-labelledby": id, preserveAspectRatio: "xMidYMid meet" },
    svg("title", { id }, titleText));
  const grid = svg("g", { class: "grid" });
  for (let i = 0; i <= ticks; i++) {
    const y = M.t + PH - (PH * i / ticks);
    grid.append(svg("line", { x1: M.l, x2: W - M.r, y1: y, y2: y }), svg("text", { x: M.l - 6, y: y + 4, "text-anchor": "end" }, yLabel(step * i)));
  }
  root.appendChild(grid);
  return root;
}

function xAxis(root, currentHour) {
  const axis = svg("g", { class: "axis" }, svg("line", { x1: M.l, x2: W - M.r, y1: M.t + PH, y2: M.t + PH }));
  for (let h = 0; h < 24; h += 3) axis.appendChild(svg("text", { x: M.l + BAND * h + BAND / 2, y: H - 8, "text-anchor": "middle" }, pad2(h)));
  root.appendChild(axis);
  if (currentHour !== null) {
    root.insertBefore(svg("rect", { class: "now-band", x: M.l + BAND * currentHour, y: M.t, width: BAND, height: PH }), root.children[1]);
  }
}

function table(head, rows) {
  return el("table", { class: "data-table" },
    el("thead", null, el("tr", null, head.map((h, i) => el("th", { scope: "col", class: i ? "num" : null }, h)))),
    el("tbody", null, rows.map((cells) => el("tr", null, el("th", { scope: "row" }, cells[0]),
      cells.slice(1).map((c) => el("td", { class: "num" }, c))))));
}

export function renderHourly(data, chartBox, tableBox, lang = "en") {
  const hours = hoursOf(data);
  let max = 0, totalC = 0, totalH = 0;
  for (const r of hours) {
    max = Math.max(max, num(r.conversations) || 0, num(r.handoffs) || 0);
    totalC += num(r.conversations) || 0;
    totalH += num(r.handoffs) || 0;
  }
  const ticks = 4, step = niceStep(Math.max(max, 4), ticks), top = step * ticks;
  const root = frame(t(lang, "chart.hourlyLabel", { conversations: totalC, handoffs: totalH }),
    step, ticks, (v) => String(Math.round(v)));
  const bw = Math.max(2, BAND * 0.36);
  const bars = svg("g", { class: "bars" });
  hours.forEach((r, h) => {
    const c = num(r.conversations) || 0, o = num(r.handoffs) || 0;
    const x = M.l + BAND * h + (BAND - 2 * bw - 1) / 2;
    const label = t(lang, "chart.hourBar", { hour: pad2(h), conversations: c, handoffs: o });
    const hc = PH * c / top, ho = PH * o / top;
    bars.append(svg("rect", { class: "bar-conv", x, y: M.t + PH - hc, width: bw, height: Math.max(hc, 0), rx: 1.5 }, svg("title", null, label)),
      svg("rect", { class: "bar-hand", x: x + bw + 1, y: M.t + PH - ho, width: bw, height: Math.max(ho, 0), rx: 1.5 }, svg("title", null, label)));
  });
  root.appendChild(bars);
  xAxis(root, isToday(data) ? new Date().getHours() : null);
  clear(chartBox).appendChild(root);
  clear(tableBox).appendChild(table([t(lang, "chart.hour"), t(lang, "chart.conversations"), t(lang, "chart.handoffs"), t(lang, "chart.satisfaction")],
    hours.filter((r) => (num(r.conversations) || 0) + (num(r.handoffs) || 0) > 0).map((r) => [pad2(num(r.hour) || 0) + ":00",
      String(num(r.conversations) || 0), String(num(r.handoffs) || 0),
      num(r.satisfaction) === null ? "—" : Number(r.satisfaction).toFixed(1)])));
}

export function renderWait(data, chartBox, tableBox, lang = "en") {
  const hours = hoursOf(data);
  const values = hours.map((r) => num(r.average_wait_s));
  const known = values.filter((v) => v !== null);
  const max = known.length ? Math.max(...known) : 0;
  const ticks = 4, step = niceStep(Math.max(max, 20), ticks, [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]);
  const top = step * ticks;
  const root = frame(known.length ? t(lang, "chart.waitLabelLongest", { duration: formatDuration(lang, max) }) : t(lang, "chart.waitLabelNone"),
    step, ticks, (s) => formatShortDuration(lang, s));
  const px = (h) => M.l + BAND * h + BAND / 2;
  const py = (v) => M.t + PH - PH * v / top;
  // area + line, broken where an hour has no waits
  const segments = [];
  let current = [];
  values.forEach((v, h) => {
    if (v === null) { if (current.length) segments.push(current); current = []; } else current.push([px(h), py(v)]);
  });
  if (current.length) segments.push(current);
  const g = svg("g");
  for (const seg of segments) {
    if (seg.length < 2) continue;
    const pts = seg.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1));
    const area = "M" + seg[0][0].toFixed(1) + "," + (M.t + PH) + " L" + pts.join(" L") + " L" + seg[seg.length - 1][0].toFixed(1) + "," + (M.t + PH) + " Z";
    g.append(svg("path", { class: "wait-area", d: area }), svg("polyline", { class: "wait-line", points: pts.join(" ") }));
  }
  values.forEach((v, h) => {
    if (v === null) return;
    const first = num(hours[h].first_response_s);
    g.appendChild(svg("circle", { class: "wait-dot", cx: px(h), cy: py(v), r: 3.5 },
      svg("title", null, first !== null
        ? t(lang, "chart.waitDotFirst", { hour: pad2(h), wait: formatDuration(lang, v), first: formatDuration(lang, first) })
        : t(lang, "chart.waitDot", { hour: pad2(h), wait: formatDuration(lang, v) }))));
  });
  root.appendChild(g);
  xAxis(root, isToday(data) ? new Date().getHours() : null);
  if (!known.length) root.appendChild(svg("text", { x: M.l + PW / 2, y: M.t + PH / 2, "text-anchor": "middle" }, t(lang, "chart.noWaits")));
  clear(chartBox).appendChild(root);
  clear(tableBox).appendChild(table([t(lang, "chart.hour"), t(lang, "chart.averageWait"), t(lang, "chart.firstResponse")],
    hours.filter((r) => num(r.average_wait_s) !== null || num(r.first_response_s) !== null)
      .map((r) => [pad2(num(r.hour) || 0) + ":00", formatDuration(lang, r.average_wait_s), formatDuration(lang, r.first_response_s)])));
}
