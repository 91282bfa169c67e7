/* The supervisor page's live conversations on screen: the list (GET /api/live, polled with the
 * page's figures), watching one read-only (GET /api/conversation/{id} every 3 s while its panel is
 * open, never while closed), taking one over or giving it to an agent (POST
 * /api/supervisor/reassign), the notice of what happened. Every text goes in as text. */

import { clear, el } from "../../shared/dom.js";
import { isoTime } from "../../shared/time.js";
import { reasonBook } from "../../shared/vocabulary.js";
import { languageBadge, reasonBadge, tr, uiLanguage } from "./common.js";
import { LIVE_URL, REASSIGN_URL, WATCH_MS, canTakeOver, conversationUrl, giveChoices, liveRows, reassignBody,
         refusalText, transcriptBook, viewerId, watchLines } from "./live.js";

const JSON_HEADERS = { Accept: "application/json" };

/** GET `url` as JSON: {ok, status, body} (body null when it is not JSON); a network failure rejects. */
function getJson(url) {
  return fetch(url, { credentials: "same-origin", cache: "no-store", headers: JSON_HEADERS })
    .then((response) => response.json().catch(() => null).then((body) => ({ ok: response.ok, status: response.status, body })));
}

/** POST `payload` as JSON from this origin (the only kind of write the server takes). */
function postJson(url, payload) {
  return fetch(url, { method: "POST", credentials: "same-origin", cache: "no-store",
                      headers: { ...JSON_HEADERS, "Content-Type": "application/json" }, body: JSON.stringify(payload) })
    .then((response) => response.json().catch(() => null).then((body) => ({ ok: response.ok, status: response.status, body })));
}

const toLogin = (status) => {
  if (status !== 401) return false;
  window.location.assign("/console/login");
  return true;
};

/**
 * The live panel over the page's nodes: `ui` = {summary, body (the list's tbody), error, notice,
 * watch: {panel, title, meta, entries, status, close}}. Returns {refresh(), setFigures(stats), rerender()}.
 */
export function livePanel(ui) {
  const live = { data: null, inflight: false, error: null, agents: [], viewer: null, reasons: reasonBook(null),
                 book: transcriptBook(null), chosen: new Map(), busy: new Set(), dirty: false, notice: null };
  const watch = { id: null, view: null, error: null, gone: false, timer: null, token: 0 };

  /* ------------------------------------------------------------- the list */
  function focusedControl() {
    const node = document.activeElement;
    if (!node || !ui.body.contains(node)) return null;
    const row = node.closest("[data-conversation-id]");
    return row ? { id: row.getAttribute("data-conversation-id"), testid: node.getAttribute("data-testid") } : null;
  }

  function drawList() {
    const focus = focusedControl();
    if (focus && focus.testid === "reassign-to") { live.dirty = true; return; }  // not while a choice is being made
    live.dirty = false;
    const lang = uiLanguage();
    const rows = liveRows(live.data, live.agents, lang);
    const body = clear(ui.body);
    for (const row of rows) body.appendChild(rowNode(row, lang));
    if (!rows.length) body.appendChild(el("tr", null, el("td", { colspan: "6", class: "empty" }, tr(live.data ? "sup.liveNone" : "sup.loading"))));
    ui.summary.textContent = live.data ? (rows.length === 1 ? tr("sup.liveOne") : tr("sup.liveMany", { count: rows.length })) : "";
    ui.error.hidden = !live.error;
    ui.error.textContent = live.error ? tr("sup.liveLoadFailed", { message: live.error }) : "";
    if (focus) {
      const again = ui.body.querySelector("[data-conversation-id=\"" + CSS.escape(focus.id) + "\"] [data-testid=\"" + CSS.escape(focus.testid || "") + "\"]");
      if (again) again.focus();
    }
  }

  function rowNode(row, lang) {
    const busy = live.busy.has(row.id);
    const choices = giveChoices(live.agents, row, live.viewer, lang);
    const previous = live.chosen.get(row.id);
    const select = el("select", { class: "live-give-select", "data-testid": "reassign-to", disabled: busy || !choices.length,
                                  "aria-label": tr("sup.liveGiveToLabel", { id: row.id.slice(-6) }) },
      choices.length ? choices.map((c) => el("option", { value: c.value, selected: c.value === previous }, c.label))
        : el("option", { value: "" }, tr("sup.liveNoneFree")));
    select.addEventListener("change", () => live.chosen.set(row.id, select.value));
    select.addEventListener("blur", () => { if (live.dirty) setTimeout(drawList, 0); });
    const give = el("button", { type: "button", class: "btn btn-small", "data-testid": "reassign", disabled: busy || !choices.length },
      tr("sup.liveGive"));
    give.addEventListener("click", () => {
      if (select.value) reassign(row, select.value);
    });
    const takeable = canTakeOver(live.agents, row, live.viewer);
    const take = el("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "take-over", disabled: busy || !takeable,
                                title: live.viewer ? null : tr("sup.liveNoViewer"),
                                "aria-label": tr("sup.liveTakeOverLabel", { id: row.id.slice(-6) }) }, tr("sup.liveTakeOver"));
    take.addEventListener("click", () => { if (live.viewer) reassign(row, live.viewer); });
    const watching = watch.id === row.id;
    const look = el("button", { type: "button", class: "btn btn-small", "data-testid": "watch", "aria-pressed": watching ? "true" : "false",
                                "aria-label": tr("sup.liveWatchLabel", { id: row.id.slice(-6) }) }, tr("sup.liveWatch"));
    look.addEventListener("click", () => openWatch(row.id));
    return el("tr", { class: "live-row" + (watching ? " is-watched" : ""), "data-testid": "live-row",
                      "data-conversation-id": row.id, dataset: { state: row.state } },
      el("td", null, el("span", { class: "live-state live-" + row.state.replace("_", "-") }, row.stateText)),
      el("td", null, row.reason ? reasonBadge(live.reasons, row.reason, null) : "—"),
      el("td", { class: row.agentId ? "" : "muted" }, row.agentText),
      el("td", null, languageBadge(row.language) || "—"),
      el("td", { class: "num" }, row.waitedText),
      el("td", { class: "live-actions" }, look, take, el("span", { class: "live-give" }, select, give)));
  }

  function refresh() {
    if (live.inflight) return;
    live.inflight = true;
    getJson(LIVE_URL)
      .then((answer) => {
        if (toLogin(answer.status)) return;
        if (!answer.ok) { live.error = refusalText(answer.body, answer.status, uiLanguage()); return; }
        live.data = answer.body || {};
        live.error = null;
      })
      .catch(() => { live.error = tr("sup.unreachable"); })
      .then(() => { live.inflight = false; drawList(); });
  }

  /* ---------------------------------------------------- take over, give */
  function showNotice(notice) {
    live.notice = notice;
    const box = clear(ui.notice);
    box.hidden = !notice;
    if (!notice) return;
    box.classList.toggle("is-error", notice.kind === "error");
    box.setAttribute("role", notice.kind === "error" ? "alert" : "status");
    box.appendChild(el("span", { class: "live-notice-text" }, notice.text()));
    if (notice.console) {
      box.appendChild(document.createTextNode(" "));
      box.appendChild(el("a", { href: "/console/", "data-testid": "reply-in-console" }, tr("sup.liveReplyLink")));
    }
    const close = el("button", { type: "button", class: "toast-close", "aria-label": tr("common.dismissNotification") }, "×");
    close.addEventListener("click", () => showNotice(null));
    box.appendChild(close);
  }

  function reassign(row, toAgent) {
    const taking = toAgent === live.viewer;
    live.busy.add(row.id);
    drawList();
    postJson(REASSIGN_URL, reassignBody(row.id, toAgent))
      .then((answer) => {
        if (toLogin(answer.status)) return;
        if (!answer.ok) {
          const message = refusalText(answer.body, answer.status, uiLanguage());
          showNotice({ kind: "error", text: () => message });
          return;
        }
        const target = live.agents.find((a) => a && String(a.id) === toAgent);
        const name = String((target && target.name) || toAgent);
        showNotice(taking ? { kind: "ok", console: true, text: () => tr("sup.liveTaken") }
                          : { kind: "ok", text: () => tr("sup.liveGiven", { agent: name }) });
      })
      .catch(() => showNotice({ kind: "error", text: () => tr("sup.unreachable") }))
      .then(() => { live.busy.delete(row.id); live.chosen.delete(row.id); refresh(); });
  }

  /* ----------------------------------------------------------- watching */
  function openWatch(id) {
    clearTimeout(watch.timer);
    watch.token += 1;
    watch.id = id;
    watch.view = null;
    watch.error = null;
    ui.watch.panel.hidden = false;
    clear(ui.watch.entries);
    drawWatch();
    drawList();
    fetchWatch();
    ui.watch.close.focus();
  }

  function closeWatch() {
    clearTimeout(watch.timer);
    watch.token += 1;  // an answer still on its way is dropped
    const id = watch.id;
    watch.id = null;
    watch.view = null;
    ui.watch.panel.hidden = true;
    drawList();
    const button = id && ui.body.querySelector("[data-conversation-id=\"" + CSS.escape(id) + "\"] [data-testid=\"watch\"]");
    if (button) button.focus();
  }

  function fetchWatch() {
    if (!watch.id) return;
    const token = watch.token, id = watch.id;
    getJson(conversationUrl(id))
      .then((answer) => {
        if (token !== watch.token || toLogin(answer.status)) return;
        if (answer.ok) { watch.view = answer.body || {}; watch.error = null; }
        else if (answer.status === 404) { watch.error = tr("sup.watchGone"); watch.gone = true; }
        else watch.error = refusalText(answer.body, answer.status, uiLanguage());
      })
      .catch(() => { if (token === watch.token) watch.error = tr("sup.unreachable"); })
      .then(() => {
        if (token !== watch.token) return;
        drawWatch();
        if (!watch.gone) watch.timer = setTimeout(fetchWatch, WATCH_MS);
        watch.gone = false;
      });
  }

  function drawWatch() {
    if (!watch.id) return;
    const lang = uiLanguage(), view = watch.view;
    ui.watch.title.textContent = tr("sup.watchTitle", { id: watch.id.slice(-6) });
    const meta = clear(ui.watch.meta);
    if (view) {
      if (view.reason) meta.appendChild(reasonBadge(live.reasons, view.reason, null, { "data-testid": "watch-reason" }));
      const badge = languageBadge(view.language);
      if (badge) meta.appendChild(badge);
      const agent = view.agent_id ? (live.agents.find((a) => a && a.id === view.agent_id) || {}).name || view.agent_id : null;
      meta.appendChild(el("span", { class: "muted" }, agent ? tr("sup.watchAgent", { agent }) : tr("sup.liveQueued")));
    }
    ui.watch.status.hidden = !watch.error;
    ui.watch.status.textContent = watch.error ? tr("sup.watchFailed", { message: watch.error }) : "";
    const list = ui.watch.entries;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
    clear(list);
    const lines = view ? watchLines(view, lang, live.book) : [];
    for (const line of lines) {
      const time = el("time", { class: "entry-time", datetime: isoTime(line.ts) }, line.time);
      list.appendChild(line.role === "system"
        ? el("li", { class: "entry entry-system", "data-testid": "watch-entry", "data-role": "system" },
          el("span", { class: "entry-text" }, line.text), " ", time)
        : el("li", { class: "entry entry-" + line.role, "data-testid": "watch-entry", "data-role": line.role },
          el("div", { class: "entry-head" }, el("span", { class: "entry-who" }, line.who), time),
          el("div", { class: "entry-bubble" }, el("div", { class: "entry-text" }, line.text))));
    }
    if (view && !lines.length) list.appendChild(el("li", { class: "empty" }, tr("sup.watchEmpty")));
    if (atBottom || !view) list.scrollTop = list.scrollHeight;
  }

  ui.watch.close.addEventListener("click", closeWatch);
  ui.watch.panel.addEventListener("keydown", (event) => { if (event.key === "Escape") closeWatch(); });

  return {
    refresh,
    /** The team, the viewer and the vocabulary from /api/stats (the list is drawn again with them). */
    setFigures(stats) {
      const now = stats && stats.now ? stats.now : {};
      live.agents = Array.isArray(now.agents) ? now.agents : [];
      if (stats && stats.vocabulary && typeof stats.vocabulary === "object") {
        live.reasons = reasonBook(stats.vocabulary);
        live.book = transcriptBook(stats.vocabulary);
      }
      live.viewer = viewerId(stats);
      drawList();
    },
    /** Everything again in the UI language just chosen. */
    rerender() {
      drawList();
      drawWatch();
      if (live.notice) showNotice(live.notice);
    },
  };
}
