/* The supervisor dashboard: polls GET /api/stats every 5 s; tiles, agents, reasons, SVG charts (no library). */
(function () {
  "use strict";

  var el = SC.el, svg = SC.svg, clear = SC.clear;
  var $ = function (id) { return document.getElementById(id); };
  var POLL_MS = 5000;

  var TILES = [
    { key: "queue-length", label: "In queue" },
    { key: "longest-wait", label: "Longest wait" },
    { key: "agents-available", label: "Agents available" },
    { key: "containment", label: "Containment" },
    { key: "average-wait", label: "Average wait" },
    { key: "first-response", label: "First response" },
    { key: "satisfaction", label: "Satisfaction" },
    { key: "conversations", label: "Conversations today" }
  ];
  var REASON_ORDER = ["explicit_request", "frustration", "unresolved", "sensitive"];

  var tiles = {};
  TILES.forEach(function (t) {
    var value = el("span", { class: "tile-value", "data-testid": "stat-" + t.key }, "—");
    var sub = el("span", { class: "tile-sub" });
    var node = el("div", { class: "tile", dataset: { tile: t.key } }, el("span", { class: "tile-label" }, t.label), value, sub);
    tiles[t.key] = { node: node, value: value, sub: sub };
    $("tiles").appendChild(node);
  });

  function setTile(key, value, sub, level) {
    var t = tiles[key];
    t.value.textContent = value;
    t.sub.textContent = sub || "";
    t.node.classList.toggle("is-alert", level === "alert");
    t.node.classList.toggle("is-warn", level === "warn");
  }

  function num(x) { return x === null || x === undefined || !isFinite(Number(x)) ? null : Number(x); }

  /* ------------------------------------------------------------------ tiles */
  function renderTiles(data) {
    var now = data.now || {}, today = data.today || {};
    var queue = num(now.queue_length) || 0, available = num(now.agents_available);
    var longest = num(now.longest_wait_s);
    setTile("queue-length", String(queue), queue ? (queue === 1 ? "1 customer waiting" : queue + " customers waiting") : "nobody waiting",
      queue && !available ? "alert" : queue ? "warn" : null);
    setTile("longest-wait", queue ? SC.duration(longest) : "—", queue ? "in the queue now" : "",
      longest >= 300 ? "alert" : longest >= 120 ? "warn" : null);
    var agents = Array.isArray(now.agents) ? now.agents : [];
    setTile("agents-available", available === null ? "—" : String(available), "of " + agents.length + " agents",
      available === 0 ? "alert" : null);
    var handed = num(today.handed_off), conversations = num(today.conversations);
    setTile("containment", SC.percent(today.containment),
      conversations !== null ? "bot only · " + (handed || 0) + " of " + conversations + " handed off" : "");
    setTile("average-wait", SC.duration(today.average_wait_s), "queued → claimed");
    setTile("first-response", SC.duration(today.first_response_s), "queued → first agent message");
    var sat = today.satisfaction || {};
    var avg = num(sat.average), count = num(sat.count) || 0;
    setTile("satisfaction", avg === null ? "—" : avg.toFixed(1) + " / 5", count === 1 ? "1 rating" : count + " ratings",
      avg !== null && avg < 3 ? "warn" : null);
    setTile("conversations", conversations === null ? "—" : String(conversations),
      (handed || 0) + " handed off · " + (num(today.closed) || 0) + " closed by agents");
    $("today-date").textContent = today.date ? String(today.date) : "";
  }

  /* ----------------------------------------------------------------- agents */
  function renderAgents(now) {
    var body = $("agents-body");
    clear(body);
    var agents = Array.isArray(now.agents) ? now.agents : [];
    var busy = 0, cap = 0;
    agents.forEach(function (a) {
      var n = num(a.conversations) || 0, c = num(a.capacity) || 0;
      busy += n; cap += c;
      var fill = el("span", { class: "util-fill" + (c && n >= c ? " is-full" : "") });
      fill.style.width = (c ? Math.min(100, Math.round(n / c * 100)) : 0) + "%";
      var status = String(a.status || "offline");
      body.appendChild(el("tr", { "data-testid": "agent-row" },
        el("th", { scope: "row" }, String(a.name || a.id || "")),
        el("td", null, el("span", { class: "dot dot-" + status.replace(/[^a-z]/g, ""), "aria-hidden": "true" }), " ", status),
        el("td", null, el("span", { class: "util" },
          el("span", { class: "util-bar", "aria-hidden": "true" }, fill),
          el("span", { class: "util-num" }, n + " / " + c)))));
    });
    if (!agents.length) body.appendChild(el("tr", null, el("td", { colspan: "3", class: "empty" }, "No agents.")));
    $("agents-summary").textContent = agents.length ? busy + " of " + cap + " seats in use" : "";
  }

  /* ---------------------------------------------------------------- reasons */
  function renderReasons(today) {
    var byReason = today.handoffs_by_reason && typeof today.handoffs_by_reason === "object" ? today.handoffs_by_reason : {};
    var keys = REASON_ORDER.slice();
    Object.keys(byReason).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
    var max = 0, total = 0;
    keys.forEach(function (k) { var v = num(byReason[k]) || 0; max = Math.max(max, v); total += v; });
    var root = $("reason-bars");
    clear(root);
    keys.forEach(function (k) {
      var v = num(byReason[k]) || 0;
      var fill = el("span", { class: "bar-fill " + SC.reasonClass(k).replace("badge reason ", "") });
      fill.style.width = (max ? Math.round(v / max * 100) : 0) + "%";
      root.appendChild(el("div", { class: "bar-row", "data-testid": "reason-bar", dataset: { reason: k } },
        el("span", { class: "bar-label" }, SC.reasonBadge(k, null)),
        el("span", { class: "bar-track", role: "img", "aria-label": SC.reasonText(k) + ": " + v + " handoffs" }, fill),
        el("span", { class: "bar-value" }, String(v))));
    });
    $("reasons-total").textContent = total === 1 ? "1 handoff" : total + " handoffs";
  }

  /* ----------------------------------------------------------------- charts */
  var W = 640, H = 230, M = { l: 44, r: 10, t: 12, b: 26 };
  var PW = W - M.l - M.r, PH = H - M.t - M.b;

  function niceStep(max, ticks, steps) {
    var raw = max / ticks;
    if (steps) {
      for (var i = 0; i < steps.length; i++) if (steps[i] >= raw) return steps[i];
      return Math.ceil(raw / steps[steps.length - 1]) * steps[steps.length - 1];
    }
    var mag = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
    var norm = raw / mag;
    var step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    return Math.max(1, step);
  }

  function pad2(n) { return (n < 10 ? "0" : "") + n; }

  function frame(titleText, step, ticks, yLabel) {
    var id = "t" + Math.random().toString(36).slice(2);
    var root = svg("svg", { class: "chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-labelledby": id, preserveAspectRatio: "xMidYMid meet" },
      svg("title", { id: id }, titleText));
    var grid = svg("g", { class: "grid" });
    for (var i = 0; i <= ticks; i++) {
      var y = M.t + PH - (PH * i / ticks);
      grid.appendChild(svg("line", { x1: M.l, x2: W - M.r, y1: y, y2: y }));
      grid.appendChild(svg("text", { x: M.l - 6, y: y + 4, "text-anchor": "end" }, yLabel(step * i)));
    }
    root.appendChild(grid);
    return root;
  }

  function xAxis(root, currentHour) {
    var band = PW / 24;
    var axis = svg("g", { class: "axis" });
    axis.appendChild(svg("line", { x1: M.l, x2: W - M.r, y1: M.t + PH, y2: M.t + PH }));
    for (var h = 0; h < 24; h += 3) {
      axis.appendChild(svg("text", { x: M.l + band * h + band / 2, y: H - 8, "text-anchor": "middle" }, pad2(h)));
    }
    root.appendChild(axis);
    if (currentHour !== null) {
      root.insertBefore(svg("rect", { class: "now-band", x: M.l + band * currentHour, y: M.t, width: band, height: PH }), root.children[1]);
    }
  }

  function hoursOf(data) {
    var byHour = [];
    for (var h = 0; h < 24; h++) byHour.push({ hour: h });
    (Array.isArray(data.hours) ? data.hours : []).forEach(function (row) {
      var h = num(row && row.hour);
      if (h !== null && h >= 0 && h < 24) byHour[h] = row;
    });
    return byHour;
  }

  function isToday(data) {
    var date = data.today && data.today.date;
    if (!date) return true;
    var d = new Date();
    return String(date) === d.getFullYear() + "-" + pad2(d.getMonth() + 1) + "-" + pad2(d.getDate());
  }

  function renderHourly(data) {
    var hours = hoursOf(data);
    var max = 0, totalC = 0, totalH = 0;
    hours.forEach(function (r) {
      max = Math.max(max, num(r.conversations) || 0, num(r.handoffs) || 0);
      totalC += num(r.conversations) || 0; totalH += num(r.handoffs) || 0;
    });
    var ticks = 4, step = niceStep(Math.max(max, 4), ticks), top = step * ticks;
    var root = frame("Conversations and handoffs per hour today: " + totalC + " conversations, " + totalH + " handoffs",
      step, ticks, function (v) { return String(Math.round(v)); });
    var band = PW / 24, bw = Math.max(2, band * 0.36);
    var bars = svg("g", { class: "bars" });
    hours.forEach(function (r, h) {
      var c = num(r.conversations) || 0, o = num(r.handoffs) || 0;
      var x = M.l + band * h + (band - 2 * bw - 1) / 2;
      var label = pad2(h) + ":00–" + pad2(h) + ":59 · " + c + " conversations, " + o + " handoffs";
      var hc = PH * c / top, ho = PH * o / top;
      bars.appendChild(svg("rect", { class: "bar-conv", x: x, y: M.t + PH - hc, width: bw, height: Math.max(hc, 0), rx: 1.5 }, svg("title", null, label)));
      bars.appendChild(svg("rect", { class: "bar-hand", x: x + bw + 1, y: M.t + PH - ho, width: bw, height: Math.max(ho, 0), rx: 1.5 }, svg("title", null, label)));
    });
    root.appendChild(bars);
    xAxis(root, isToday(data) ? new Date().getHours() : null);
    clear($("chart-hourly")).appendChild(root);

    clear($("table-hourly")).appendChild(el("table", { class: "data-table" },
      el("thead", null, el("tr", null, el("th", { scope: "col" }, "Hour"), el("th", { scope: "col", class: "num" }, "Conversations"),
        el("th", { scope: "col", class: "num" }, "Handoffs"), el("th", { scope: "col", class: "num" }, "Satisfaction"))),
      el("tbody", null, hours.filter(function (r) { return (num(r.conversations) || 0) + (num(r.handoffs) || 0) > 0; }).map(function (r) {
        return el("tr", null, el("th", { scope: "row" }, pad2(num(r.hour) || 0) + ":00"),
          el("td", { class: "num" }, String(num(r.conversations) || 0)), el("td", { class: "num" }, String(num(r.handoffs) || 0)),
          el("td", { class: "num" }, num(r.satisfaction) === null ? "—" : Number(r.satisfaction).toFixed(1)));
      }))));
  }

  function shortDuration(s) {
    if (s === 0) return "0";
    if (s < 60) return s + " s";
    if (s < 3600) return (s % 60 ? (s / 60).toFixed(1) : s / 60) + " min";
    return (s / 3600).toFixed(s % 3600 ? 1 : 0) + " h";
  }

  function renderWait(data) {
    var hours = hoursOf(data);
    var values = hours.map(function (r) { return num(r.average_wait_s); });
    var known = values.filter(function (v) { return v !== null; });
    var max = known.length ? Math.max.apply(null, known) : 0;
    var ticks = 4, step = niceStep(Math.max(max, 20), ticks, [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]);
    var top = step * ticks;
    var root = frame("Average wait per hour today" + (known.length ? ", longest hour " + SC.duration(max) : ", no waits recorded"),
      step, ticks, shortDuration);
    var band = PW / 24;
    function px(h) { return M.l + band * h + band / 2; }
    function py(v) { return M.t + PH - PH * v / top; }
    // area + line, broken where an hour has no waits
    var segments = [], current = [];
    values.forEach(function (v, h) {
      if (v === null) { if (current.length) segments.push(current); current = []; } else current.push([px(h), py(v)]);
    });
    if (current.length) segments.push(current);
    var g = svg("g");
    segments.forEach(function (seg) {
      var pts = seg.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ");
      if (seg.length > 1) {
        var area = "M" + seg[0][0].toFixed(1) + "," + (M.t + PH) + " L" + pts.split(" ").join(" L") +
          " L" + seg[seg.length - 1][0].toFixed(1) + "," + (M.t + PH) + " Z";
        g.appendChild(svg("path", { class: "wait-area", d: area }));
        g.appendChild(svg("polyline", { class: "wait-line", points: pts }));
      }
    });
    values.forEach(function (v, h) {
      if (v === null) return;
      g.appendChild(svg("circle", { class: "wait-dot", cx: px(h), cy: py(v), r: 3.5 },
        svg("title", null, pad2(h) + ":00 · average wait " + SC.duration(v) +
          (num(hours[h].first_response_s) !== null ? ", first response " + SC.duration(hours[h].first_response_s) : ""))));
    });
    root.appendChild(g);
    xAxis(root, isToday(data) ? new Date().getHours() : null);
    if (!known.length) {
      root.appendChild(svg("text", { x: M.l + PW / 2, y: M.t + PH / 2, "text-anchor": "middle" }, "No waits recorded today"));
    }
    clear($("chart-wait")).appendChild(root);

    clear($("table-wait")).appendChild(el("table", { class: "data-table" },
      el("thead", null, el("tr", null, el("th", { scope: "col" }, "Hour"), el("th", { scope: "col", class: "num" }, "Average wait"),
        el("th", { scope: "col", class: "num" }, "First response"))),
      el("tbody", null, hours.filter(function (r) { return num(r.average_wait_s) !== null || num(r.first_response_s) !== null; }).map(function (r) {
        return el("tr", null, el("th", { scope: "row" }, pad2(num(r.hour) || 0) + ":00"),
          el("td", { class: "num" }, SC.duration(r.average_wait_s)), el("td", { class: "num" }, SC.duration(r.first_response_s)));
      }))));
  }

  /* ---------------------------------------------------------------- polling */
  var timer = null, lastOk = 0, inflight = false;

  function render(data) {
    renderTiles(data);
    renderAgents(data.now || {});
    renderReasons(data.today || {});
    renderHourly(data);
    renderWait(data);
  }

  function setUpdated(ok, message) {
    var node = $("updated");
    var error = $("sup-error");
    if (ok) {
      var d = new Date();
      node.textContent = "Updated " + pad2(d.getHours()) + ":" + pad2(d.getMinutes()) + ":" + pad2(d.getSeconds());
      node.classList.remove("is-stale");
      error.hidden = true;
    } else {
      node.textContent = lastOk ? "Stale — retrying" : "Not loaded — retrying";
      node.classList.add("is-stale");
      error.textContent = message;
      error.hidden = false;
    }
  }

  function poll() {
    clearTimeout(timer);
    if (inflight) return;
    inflight = true;
    fetch("/api/stats", { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          window.location.assign("/console/login");
          return null;
        }
        if (!response.ok) throw new Error("The server answered " + response.status + " for the figures.");
        return response.json().then(function (data) {
          render(data || {});
          lastOk = Date.now();
          setUpdated(true);
        });
      })
      .catch(function (e) {
        setUpdated(false, (e && e.message && /answered/.test(e.message) ? e.message : "Cannot reach the server.") + " Retrying every 5 seconds.");
      })
      .then(function () {
        inflight = false;
        timer = setTimeout(poll, POLL_MS);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && Date.now() - lastOk > POLL_MS) poll();
  });
  $("logout").addEventListener("click", function () { $("logout").disabled = true; SC.logout(); });

  poll();
})();
