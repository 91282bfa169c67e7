/* The agent console (/console/): queue, tickets, conversations in tabs, context. Socket.IO on /agent.
 *
 * Rule: everything that came from the network is put into the page with textContent
 * (SC.el builds text nodes); no HTML is ever parsed from data.
 */
(function () {
  "use strict";

  var el = SC.el, clear = SC.clear;
  var $ = function (id) { return document.getElementById(id); };

  var TITLE = "Support console";
  var TYPING_IDLE_MS = 2000;
  var TYPING_REPEAT_MS = 4000;
  var CUSTOMER_TYPING_TIMEOUT_MS = 10000;

  /* ------------------------------------------------------------------ state */
  var S = {
    me: null,                 // {id, name, capacity, role}
    status: "away",
    resolutionCodes: [],
    agents: [],
    queue: [],                // as received
    queueReceivedAt: 0,       // performance.now() at reception
    knownQueueIds: null,      // ids of the previous queue (null until the first one)
    tickets: [],
    canned: [],
    convs: new Map(),         // conversation_id -> conversation state
    order: [],                // tab order
    active: null,
    pendingClaims: new Set(),
    cannedEditing: null,      // null | {id?}
    cannedHighlight: 0
  };

  var ui = {
    status: $("status-switch"), statusText: $("status-text"), meName: $("me-name"), meAvatar: $("me-avatar"),
    supervisorLink: $("supervisor-link"), logout: $("logout"), connection: $("connection"), load: $("load"),
    queue: $("queue"), queueEmpty: $("queue-empty"), queueCount: $("queue-count"),
    tickets: $("tickets"), ticketsEmpty: $("tickets-empty"), ticketsCount: $("tickets-count"),
    handledBox: $("handled-box"), handled: $("tickets-handled"), handledCount: $("handled-count"),
    team: $("team"),
    tabs: $("tabs"), conv: $("conv"), convHead: $("conv-head"), convName: $("conv-name"), convMeta: $("conv-meta"),
    handBack: $("hand-back"), transferTo: $("transfer-to"), transfer: $("transfer"),
    resolution: $("resolution"), close: $("close"),
    ended: $("ended"), endedText: $("ended-text"), dismiss: $("dismiss"),
    transcript: $("transcript"), convEmpty: $("conv-empty"), typing: $("customer-typing"),
    reply: $("reply"), send: $("send"), note: $("note"), addNote: $("add-note"),
    cannedSearch: $("canned-search"), cannedList: $("canned-list"), cannedNew: $("canned-new"),
    cannedForm: $("canned-form"), cannedTitle: $("canned-title-input"), cannedText: $("canned-text-input"),
    cannedCancel: $("canned-cancel"),
    context: $("context"), announcer: $("announcer")
  };

  function announce(text) {
    ui.announcer.textContent = "";
    setTimeout(function () { ui.announcer.textContent = text; }, 30);
  }

  function conv(id) { return S.convs.get(id) || null; }
  function activeConv() { return S.active ? conv(S.active) : null; }
  function openCount() {
    var n = 0;
    S.convs.forEach(function (c) { if (!c.ended) n += 1; });
    return n;
  }
  function capacity() { return S.me && S.me.capacity ? Number(S.me.capacity) : Infinity; }
  function atCapacity() { return openCount() >= capacity(); }

  function customerName(c) {
    var customer = c.context && c.context.customer;
    if (customer && customer.name) return String(customer.name);
    return "Visitor " + String(c.id).slice(-6);
  }

  /* ----------------------------------------------------------------- socket */
  if (typeof window.io !== "function") {
    SC.toast("The Socket.IO client did not load; reload the page.");
    return;
  }
  var socket = window.io("/agent", { path: "/socket.io", withCredentials: true, transports: ["websocket", "polling"] });

  function send(event, payload) {
    if (!socket.connected) {
      SC.toast("Not connected; try again in a moment.");
      return false;
    }
    socket.emit(event, payload);
    return true;
  }

  var connectedAt = 0;
  socket.on("connect", function () {
    connectedAt = performance.now();
    ui.connection.hidden = true;
    document.body.classList.remove("offline");
    updateComposer();
  });
  socket.on("disconnect", function () {
    ui.connection.textContent = "Reconnecting…";
    ui.connection.hidden = false;
    document.body.classList.add("offline");
    setCustomerTypingAll(false);
    updateComposer();
  });
  socket.on("connect_error", function (err) {
    var data = err && err.data;
    if ((data && data.code === "unauthorized") || (err && /unauthori[sz]ed/i.test(String(err.message || "")))) {
      window.location.assign("/console/login");
      return;
    }
    ui.connection.textContent = "Reconnecting…";
    ui.connection.hidden = false;
  });

  socket.on("hello", function (data) {
    data = data || {};
    S.me = data.agent || S.me;
    if (Array.isArray(data.resolution_codes)) S.resolutionCodes = data.resolution_codes.map(String);
    if (Array.isArray(data.agents)) S.agents = data.agents;
    if (data.status) S.status = data.status;
    renderMe();
    renderStatus();
    renderResolutions();
    renderAgents();
    renderQueue();
  });

  socket.on("agents", function (agents) {
    S.agents = Array.isArray(agents) ? agents : [];
    renderAgents();
  });

  socket.on("status", function (data) {
    if (data && data.status) S.status = data.status;
    renderStatus();
  });

  socket.on("queue", function (items) {
    items = Array.isArray(items) ? items : [];
    var previous = S.knownQueueIds;
    var ids = new Set(items.map(function (q) { return q.conversation_id; }));
    var arrivals = previous ? items.filter(function (q) { return !previous.has(q.conversation_id); }) : [];
    S.queue = items;
    S.queueReceivedAt = performance.now();
    S.knownQueueIds = ids;
    renderQueue();
    if (arrivals.length) {
      SC.beep();
      announce(arrivals.length === 1 ? "New conversation in the queue: " + SC.reasonText(arrivals[0].reason, arrivals[0].score)
        : arrivals.length + " new conversations in the queue");
    }
  });

  socket.on("claimed", function (data) {
    if (!data || !data.conversation_id) return;
    var id = data.conversation_id;
    var mine = S.pendingClaims.has(id);
    var restoring = performance.now() - connectedAt < 3000;  // after (re)connecting the server re-sends our conversations
    S.pendingClaims.delete(id);
    var c = conv(id);
    var isNew = !c;
    if (!c) {
      c = { id: id, unread: 0, ended: null, typing: false, typingTimer: null, draft: "", noteDraft: "", scrollTop: null };
      S.convs.set(id, c);
      S.order.push(id);
    }
    c.state = data.state;
    c.reason = data.reason || (data.context && data.context.reason);
    c.context = data.context || {};
    c.transcript = Array.isArray(data.transcript) ? data.transcript.slice() : [];
    if (data.state === "with_agent" && c.ended) c.ended = null;
    var queued = S.queue.filter(function (q) { return q.conversation_id === id; })[0];
    if (queued && queued.score !== undefined && c.context.score === undefined) c.score = queued.score;
    if (mine || !S.active) {
      activate(id);
    } else {
      if (isNew && !restoring) {
        c.unread = Math.max(c.unread, 1);
        SC.toast("New conversation assigned to you: " + customerName(c), "info");
        SC.beep();
      }
      renderTabs();
      if (S.active === id) renderActive();
    }
    renderQueue();
    renderLoad();
  });

  socket.on("customer_message", function (data) {
    if (!data) return;
    var c = conv(data.conversation_id);
    if (!c) return;
    appendEntry(c, { role: "customer", text: data.text, ts: data.ts, id: data.id, message_id: data.message_id });
    setCustomerTyping(c, false);
    if (S.active !== c.id || document.hidden) {
      if (S.active !== c.id) c.unread += 1;
      renderTabs();
    }
  });

  socket.on("entry_added", function (data) {
    if (!data || !data.entry) return;
    var c = conv(data.conversation_id);
    if (!c) return;
    appendEntry(c, data.entry);
    if (S.active !== c.id && data.entry.role === "customer") {
      c.unread += 1;
      renderTabs();
    }
  });

  socket.on("typing", function (data) {
    if (!data || (data.who && data.who !== "customer")) return;
    var c = conv(data.conversation_id);
    if (c) setCustomerTyping(c, Boolean(data.typing));
  });

  socket.on("conversation_ended", function (data) {
    if (!data) return;
    var c = conv(data.conversation_id);
    if (!c) return;
    c.ended = { how: String(data.how || "ended") };
    setCustomerTyping(c, false);
    if (typingFor === c.id) typingFor = null;
    renderTabs();
    if (S.active === c.id) renderActive();
    renderQueue();
    renderLoad();
  });

  socket.on("tickets", function (tickets) {
    S.tickets = Array.isArray(tickets) ? tickets : [];
    renderTickets();
  });

  socket.on("canned", function (items) {
    S.canned = Array.isArray(items) ? items : [];
    renderCanned();
  });

  socket.on("error", function (data) {
    data = data || {};
    var message = data.message || data.code || "Something went wrong";
    SC.toast(message);
    if (data.event === "claim") {
      S.pendingClaims.clear();
      renderQueue();
    }
    var retried = data.code === "unavailable" || data.code === "internal";  // deliverReply sends it again
    if (data.event === "agent_message" && !retried && lastSent && Date.now() - lastSent.at < 15000) {
      var c = conv(lastSent.id);
      if (c && !c.draft) {
        c.draft = lastSent.text;
        if (S.active === c.id && !ui.reply.value) ui.reply.value = lastSent.text;
      }
      lastSent = null;
    }
    if (data.event === "set_status") renderStatus();
    if (data.event === "ticket_handled") renderTickets();
    if (data.event === "canned_delete" || data.event === "canned_save") renderCanned();
  });

  /* ----------------------------------------------------------------- header */
  function renderMe() {
    var me = S.me || {};
    ui.meName.textContent = me.name || me.id || "…";
    ui.meAvatar.textContent = String(me.name || me.id || "?").trim().charAt(0).toUpperCase() || "?";
    ui.supervisorLink.hidden = me.role !== "supervisor";
    renderLoad();
  }

  function renderStatus() {
    var available = S.status === "available";
    ui.status.checked = available;
    ui.status.value = available ? "available" : "away";
    ui.status.setAttribute("aria-label", "Available for new conversations");
    ui.statusText.textContent = available ? "Available" : "Away";
    ui.status.parentNode.classList.toggle("is-on", available);
  }

  function renderLoad() {
    var cap = capacity();
    ui.load.textContent = openCount() + (cap === Infinity ? "" : " / " + cap) + " chats";
    ui.load.classList.toggle("is-full", atCapacity());
  }

  ui.status.addEventListener("change", function () {
    var status = ui.status.checked ? "available" : "away";
    if (!send("set_status", { status: status })) { renderStatus(); return; }
    S.status = status;
    renderStatus();
  });

  ui.logout.addEventListener("click", function () {
    ui.logout.disabled = true;
    stopTyping();
    SC.logout();
  });

  /* ------------------------------------------------------------------ queue */
  function waitingNow(item) {
    return Number(item.waiting_s || 0) + (performance.now() - S.queueReceivedAt) / 1000;
  }

  function waitClass(s) { return s >= 300 ? "wait wait-long" : s >= 120 ? "wait wait-mid" : "wait"; }

  function queueItemNode(item) {
    var claim = el("button", { type: "button", class: "btn btn-primary btn-small", "data-testid": "claim" }, "Claim");
    claim.addEventListener("click", function () { doClaim(item.conversation_id, claim); });
    var node = el("li", { class: "queue-item", "data-testid": "queue-item", dataset: { conversationId: item.conversation_id } },
      el("div", { class: "qi-top" },
        el("span", { class: "qi-pos", "aria-label": "position" }, ""),
        el("span", { class: "qi-badge" }),
        el("span", { class: "prio", "data-testid": "priority" }),
        el("span", { class: "wait", "data-testid": "waiting", "aria-hidden": "true" })),
      el("p", { class: "qi-summary", "data-testid": "summary" }),
      el("div", { class: "qi-bottom" }, el("span", { class: "qi-evidence" }), claim));
    return node;
  }

  function updateQueueItem(node, item, disabled, title) {
    node._item = item;
    node.querySelector(".qi-pos").textContent = "#" + (item.position || "");
    var badgeHolder = node.querySelector(".qi-badge");
    clear(badgeHolder).appendChild(SC.reasonBadge(item.reason, item.score, { "data-testid": "reason-badge" }));
    var prio = Number(item.priority || 0);
    var prioNode = node.querySelector(".prio");
    prioNode.textContent = "P" + prio;
    prioNode.className = "prio prio-" + Math.min(prio, 3);
    prioNode.setAttribute("title", "Priority " + prio + " (higher is served first)");
    node.querySelector(".qi-summary").textContent = item.summary ? String(item.summary) : "No summary";
    var evidence = Array.isArray(item.evidence) ? item.evidence : [];
    node.querySelector(".qi-evidence").textContent = evidence.length ? evidence.length + (evidence.length === 1 ? " signal" : " signals") : "";
    var claim = node.querySelector("[data-testid=claim]");
    var pending = S.pendingClaims.has(item.conversation_id);
    claim.disabled = disabled || pending;
    claim.textContent = pending ? "Claiming…" : "Claim";
    if (title) claim.setAttribute("title", title); else claim.removeAttribute("title");
    claim.setAttribute("aria-label", "Claim conversation #" + (item.position || "") + " (" + SC.reasonText(item.reason, item.score) + ")");
    tickWait(node);
  }

  function tickWait(node) {
    var item = node._item;
    if (!item) return;
    var s = waitingNow(item);
    var w = node.querySelector(".wait");
    clear(w).appendChild(SC.icon("clock"));
    w.appendChild(document.createTextNode(SC.waitClock(s)));
    w.className = waitClass(s);
  }

  function renderQueue() {
    var full = atCapacity();
    var title = full ? "You are at capacity (" + openCount() + "/" + capacity() + "): close or hand back a conversation first" : "";
    var existing = new Map();
    Array.prototype.forEach.call(ui.queue.children, function (n) { existing.set(n.dataset.conversationId, n); });
    var keep = new Set();
    S.queue.forEach(function (item, index) {
      var node = existing.get(item.conversation_id);
      if (!node) node = queueItemNode(item);
      updateQueueItem(node, item, full, title);
      keep.add(item.conversation_id);
      if (ui.queue.children[index] !== node) ui.queue.insertBefore(node, ui.queue.children[index] || null);
    });
    existing.forEach(function (node, id) { if (!keep.has(id)) node.parentNode.removeChild(node); });
    ui.queueEmpty.hidden = S.queue.length > 0;
    ui.queueCount.textContent = String(S.queue.length);
    ui.queueCount.classList.toggle("count-hot", S.queue.length > 0);
    document.title = S.queue.length ? "(" + S.queue.length + ") " + TITLE : TITLE;
  }

  function doClaim(id, button) {
    if (atCapacity()) { SC.toast("You are at capacity; close or hand back a conversation first."); return; }
    if (!send("claim", { conversation_id: id })) return;
    S.pendingClaims.add(id);
    button.disabled = true;
    button.textContent = "Claiming…";
    setTimeout(function () {
      if (S.pendingClaims.delete(id)) renderQueue();
    }, 8000);
  }

  /* ---------------------------------------------------------------- tickets */
  function ticketNode(t) {
    var open = t.status !== "handled";
    var textNode = el("p", { class: "ticket-text" }, String(t.text || ""));
    var children = [
      el("div", { class: "ticket-top" },
        el("span", { class: "ticket-id" }, String(t.id || "")),
        t.reason ? SC.reasonBadge(t.reason, null) : null,
        el("span", { class: "ticket-time" }, SC.ago(Number(t.created_at)))),
      el("div", { class: "ticket-email" }, String(t.email || "")),
      textNode
    ];
    if (String(t.text || "").length > 140) {
      var more = el("button", { type: "button", class: "linklike", "aria-expanded": "false" }, "Show more");
      more.addEventListener("click", function () {
        var expanded = textNode.classList.toggle("expanded");
        more.textContent = expanded ? "Show less" : "Show more";
        more.setAttribute("aria-expanded", expanded ? "true" : "false");
      });
      children.push(more);
    }
    if (open) {
      var button = el("button", { type: "button", class: "btn btn-small", "data-testid": "ticket-handled",
        "aria-label": "Mark ticket " + String(t.id || "") + " handled" }, "Mark handled");
      button.addEventListener("click", function () {
        if (send("ticket_handled", { ticket_id: t.id })) {
          button.disabled = true;
          button.textContent = "Marking…";
        }
      });
      children.push(el("div", { class: "ticket-actions" }, button));
    } else {
      children.push(el("div", { class: "ticket-handled-by" }, SC.icon("check"), "Handled" + (t.handled_by ? " by " + String(t.handled_by) : "")));
    }
    return el("li", { class: "ticket" + (open ? "" : " is-handled"), "data-testid": "ticket",
      dataset: { ticketId: String(t.id || ""), status: open ? "open" : "handled" } }, children);
  }

  function renderTickets() {
    var open = S.tickets.filter(function (t) { return t.status !== "handled"; });
    var handled = S.tickets.filter(function (t) { return t.status === "handled"; });
    open.sort(function (a, b) { return Number(b.created_at || 0) - Number(a.created_at || 0); });
    handled.sort(function (a, b) { return Number(b.created_at || 0) - Number(a.created_at || 0); });
    var focusedId = document.activeElement && document.activeElement.closest && document.activeElement.closest(".ticket");
    focusedId = focusedId ? focusedId.dataset.ticketId : null;
    clear(ui.tickets);
    open.forEach(function (t) { ui.tickets.appendChild(ticketNode(t)); });
    clear(ui.handled);
    handled.forEach(function (t) { ui.handled.appendChild(ticketNode(t)); });
    ui.ticketsEmpty.hidden = open.length > 0;
    ui.ticketsCount.textContent = String(open.length);
    ui.handledCount.textContent = String(handled.length);
    ui.handledBox.hidden = handled.length === 0;
    if (focusedId) {
      var next = ui.tickets.querySelector("[data-testid=ticket-handled]");
      var heading = $("tickets-title");
      if (next) next.focus(); else { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  }

  /* ------------------------------------------------------------ team/agents */
  function renderAgents() {
    clear(ui.team);
    var myId = S.me && S.me.id;
    S.agents.forEach(function (a) {
      var status = String(a.status || "offline");
      ui.team.appendChild(el("li", { class: "team-member" },
        el("span", { class: "dot dot-" + status, "aria-hidden": "true" }),
        el("span", { class: "team-name" }, String(a.name || a.id) + (a.id === myId ? " (you)" : "")),
        el("span", { class: "team-status" }, status),
        el("span", { class: "team-load" }, String(a.load || 0) + "/" + String(a.capacity || "?"))));
    });
    if (!S.agents.length) ui.team.appendChild(el("li", { class: "empty" }, "No team information yet."));
    renderTransferOptions();
  }

  function renderTransferOptions() {
    var previous = ui.transferTo.value;
    clear(ui.transferTo);
    var myId = S.me && S.me.id;
    var others = S.agents.filter(function (a) { return a.id !== myId; });
    var firstEnabled = null;
    others.forEach(function (a) {
      var full = Number(a.load || 0) >= Number(a.capacity || Infinity);
      var offline = a.status === "offline";
      var option = el("option", { value: String(a.id), disabled: full || offline },
        String(a.name || a.id) + " — " + String(a.status || "offline") + " (" + String(a.load || 0) + "/" + String(a.capacity || "?") + ")");
      ui.transferTo.appendChild(option);
      if (!option.disabled && firstEnabled === null) firstEnabled = option.value;
    });
    if (firstEnabled === null) {
      ui.transferTo.insertBefore(el("option", { value: "", disabled: true }, others.length ? "No agent free" : "No other agents"), ui.transferTo.firstChild);
    }
    var stillThere = others.some(function (a) {
      return String(a.id) === previous && Number(a.load || 0) < Number(a.capacity || Infinity) && a.status !== "offline";
    });
    ui.transferTo.value = stillThere ? previous : (firstEnabled || "");
    updateComposer();
  }

  function renderResolutions() {
    var previous = ui.resolution.value;
    clear(ui.resolution);
    var codes = S.resolutionCodes.length ? S.resolutionCodes : ["resolved"];
    codes.forEach(function (code) {
      ui.resolution.appendChild(el("option", { value: code }, code.replace(/_/g, " ")));
    });
    if (codes.indexOf(previous) >= 0) ui.resolution.value = previous;
  }

  /* ------------------------------------------------------------------- tabs */
  function renderTabs() {
    var focused = document.activeElement && document.activeElement.getAttribute("role") === "tab";
    clear(ui.tabs);
    S.order.forEach(function (id) {
      var c = conv(id);
      if (!c) return;
      var selected = id === S.active;
      var tab = el("button", {
        type: "button", role: "tab", id: "tab-" + id, class: "tab" + (selected ? " is-active" : "") + (c.ended ? " is-ended" : ""),
        "data-testid": "tab", "aria-selected": selected ? "true" : "false", "aria-controls": "conv",
        tabindex: selected ? "0" : "-1", dataset: { conversationId: id }
      },
      el("span", { class: "tab-dot reason-dot reason-" + String(c.reason || "other").replace(/_/g, "-"), "aria-hidden": "true" }),
      el("span", { class: "tab-name" }, customerName(c)),
      c.ended ? el("span", { class: "tab-ended" }, "ended") : null,
      c.typing ? el("span", { class: "tab-typing", "aria-label": "typing" }, "…") : null,
      c.unread > 0 ? el("span", { class: "unread", "data-testid": "unread", "aria-label": c.unread + " unread" }, String(c.unread)) : null);
      tab.addEventListener("click", function () { activate(id); });
      ui.tabs.appendChild(tab);
    });
    if (focused) {
      var current = ui.tabs.querySelector("[aria-selected=true]");
      if (current) current.focus();
    }
    ui.tabs.classList.toggle("has-tabs", S.order.length > 0);
  }

  ui.tabs.addEventListener("keydown", function (event) {
    var tabs = Array.prototype.slice.call(ui.tabs.querySelectorAll("[role=tab]"));
    var index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    var next = null;
    if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
    else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
    else if (event.key === "Home") next = tabs[0];
    else if (event.key === "End") next = tabs[tabs.length - 1];
    if (next) {
      event.preventDefault();
      activate(next.dataset.conversationId);
      var focusTab = ui.tabs.querySelector("[aria-selected=true]");
      if (focusTab) focusTab.focus();
    }
  });

  function saveActiveDrafts() {
    var c = activeConv();
    if (!c) return;
    c.draft = ui.reply.value;
    c.noteDraft = ui.note.value;
    c.scrollTop = atBottom() ? null : ui.transcript.scrollTop;
  }

  function activate(id) {
    if (S.active === id) {
      var same = conv(id);
      if (same) { same.unread = 0; }
      renderTabs();
      renderActive();
      return;
    }
    saveActiveDrafts();
    stopTyping();
    S.active = id;
    var c = conv(id);
    if (c) c.unread = 0;
    renderTabs();
    renderActive();
  }

  function dismiss(id) {
    var index = S.order.indexOf(id);
    if (index < 0) return;
    var c = conv(id);
    if (c && c.typingTimer) clearTimeout(c.typingTimer);
    S.order.splice(index, 1);
    S.convs.delete(id);
    if (S.active === id) {
      S.active = null;
      var next = S.order[Math.min(index, S.order.length - 1)];
      if (next) activate(next); else { renderTabs(); renderActive(); }
    } else {
      renderTabs();
    }
    renderQueue();
    renderLoad();
  }

  /* -------------------------------------------------------------- transcript */
  var ROLE_LABEL = { bot: "Assistant", customer: "Customer", system: "", note: "Internal note" };

  function safeImageSrc(src) {
    if (typeof src !== "string") return null;
    try {
      var url = new URL(src, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }

  function entryNode(e) {
    var role = String(e.role || "system");
    var ts = typeof e.ts === "number" ? e.ts : Number(e.ts);
    var time = el("time", { class: "entry-time", datetime: SC.isoTime(ts) }, SC.clock(ts));
    var text = typeof e.text === "string" ? e.text : (e.text == null ? "" : String(e.text));
    if (role === "system") {
      return el("li", { class: "entry entry-system", "data-testid": "entry", "data-role": "system" },
        el("span", { class: "entry-text" }, text), " ", time);
    }
    var who;
    if (role === "agent" || role === "note") {
      var author = e.agent && (e.agent.name || e.agent.id);
      var mine = S.me && e.agent && e.agent.id === S.me.id;
      who = role === "note" ? "Internal note · " + (author ? String(author) : "agent") + (mine ? " (you)" : "")
        : (author ? String(author) : "Agent") + (mine ? " (you)" : "");
    } else if (role === "customer") {
      var c = activeConv();
      who = c ? customerName(c) : "Customer";
    } else {
      who = ROLE_LABEL[role] || role;
    }
    var body = el("div", { class: "entry-bubble" });
    if (text) body.appendChild(el("div", { class: "entry-text" }, text));
    var payload = e.payload && typeof e.payload === "object" ? e.payload : null;
    if (payload) {
      if (Array.isArray(payload.quick_replies) && payload.quick_replies.length) {
        body.appendChild(el("div", { class: "entry-chips", "aria-label": "Buttons offered" },
          payload.quick_replies.map(function (q) { return el("span", { class: "chip" }, String((q && q.title) || "")); })));
      }
      var att = payload.attachment;
      if (att && att.type === "image" && att.payload) {
        var src = safeImageSrc(att.payload.src);
        if (src) body.appendChild(el("img", { class: "entry-img", src: src, alt: "Image sent by the assistant", loading: "lazy" }));
      }
    }
    if (!body.firstChild) body.appendChild(el("div", { class: "entry-text entry-muted" }, "(no text)"));
    var head = el("div", { class: "entry-head" },
      role === "note" ? SC.icon("lock") : null,
      el("span", { class: "entry-who" }, who), time,
      role === "note" ? el("span", { class: "note-warn" }, "not visible to the customer") : null);
    return el("li", { class: "entry entry-" + role.replace(/[^a-z_-]/gi, ""), "data-testid": "entry", "data-role": role }, head, body);
  }

  function atBottom() {
    var t = ui.transcript;
    return t.scrollHeight - t.scrollTop - t.clientHeight < 60;
  }

  function scrollToBottom() { ui.transcript.scrollTop = ui.transcript.scrollHeight; }

  function appendEntry(c, entry) {
    // Entries have ids: one that is already there (a retry, a refreshed view) is not drawn twice.
    if (entry.id && c.transcript.some(function (e) { return e.id === entry.id; })) return;
    c.transcript.push(entry);
    if (S.active !== c.id) return;
    var stick = atBottom() || entry.role === "agent" || entry.role === "note";
    var node = entryNode(entry);
    node.classList.add("entry-new");
    ui.transcript.appendChild(node);
    if (stick) scrollToBottom();
  }

  function rebuildTranscript(c) {
    // A fresh live region so switching tabs does not read out the whole transcript.
    var fresh = ui.transcript.cloneNode(false);
    c.transcript.forEach(function (e) { fresh.appendChild(entryNode(e)); });
    ui.transcript.parentNode.replaceChild(fresh, ui.transcript);
    ui.transcript = fresh;
    if (c.scrollTop === null || c.scrollTop === undefined) scrollToBottom(); else fresh.scrollTop = c.scrollTop;
  }

  /* ---------------------------------------------------------- active panel */
  function renderActive() {
    var c = activeConv();
    if (!c) {
      var empty = ui.transcript.cloneNode(false);
      ui.transcript.parentNode.replaceChild(empty, ui.transcript);
      ui.transcript = empty;
      ui.convEmpty.hidden = false;
      ui.convHead.hidden = true;
      ui.ended.hidden = true;
      ui.typing.hidden = true;
      ui.reply.value = "";
      ui.note.value = "";
      ui.conv.setAttribute("aria-label", "No conversation open");
      ui.conv.removeAttribute("aria-labelledby");
      renderContext(null);
      updateComposer();
      return;
    }
    ui.convEmpty.hidden = true;
    ui.convHead.hidden = false;
    ui.conv.removeAttribute("aria-label");
    ui.conv.setAttribute("aria-labelledby", "tab-" + c.id);
    ui.convName.textContent = customerName(c);
    clear(ui.convMeta);
    ui.convMeta.appendChild(SC.reasonBadge(c.reason, contextScore(c)));
    var started = c.transcript.length ? c.transcript[0].ts : null;
    ui.convMeta.appendChild(el("span", { class: "muted" }, " · " + String(c.id).slice(0, 12) + (started ? " · started " + SC.clock(Number(started)) : "")));
    if (c.ended) {
      ui.ended.hidden = false;
      ui.endedText.textContent = "Conversation ended: " + c.ended.how + ". It is read-only now.";
    } else {
      ui.ended.hidden = true;
    }
    ui.typing.hidden = !c.typing || Boolean(c.ended);
    ui.reply.value = c.draft || "";
    ui.note.value = c.noteDraft || "";
    rebuildTranscript(c);
    renderContext(c);
    updateComposer();
  }

  function updateComposer() {
    var c = activeConv();
    var live = Boolean(c && !c.ended);
    var connected = socket.connected;
    ui.reply.disabled = !live;
    ui.note.disabled = !live;
    ui.send.disabled = !live || !connected;
    ui.addNote.disabled = !live || !connected;
    ui.handBack.disabled = !live || !connected;
    ui.close.disabled = !live || !connected;
    ui.resolution.disabled = !live;
    ui.transferTo.disabled = !live;
    ui.transfer.disabled = !live || !connected || !ui.transferTo.value;
    ui.reply.placeholder = !c ? "Open a conversation to reply" : c.ended ? "This conversation has ended"
      : "Type a reply… Enter sends, Shift+Enter for a new line";
    ui.conv.classList.toggle("is-readonly", Boolean(c && c.ended));
  }

  function setCustomerTyping(c, on) {
    if (c.typingTimer) { clearTimeout(c.typingTimer); c.typingTimer = null; }
    var changed = c.typing !== on;
    c.typing = on;
    if (on) {
      c.typingTimer = setTimeout(function () { setCustomerTyping(c, false); }, CUSTOMER_TYPING_TIMEOUT_MS);
    }
    if (S.active === c.id) {
      var stick = atBottom();
      ui.typing.hidden = !on || Boolean(c.ended);
      if (stick) scrollToBottom();
    }
    if (changed) renderTabs();
  }

  function setCustomerTypingAll(on) { S.convs.forEach(function (c) { setCustomerTyping(c, on); }); }

  /* --------------------------------------------------------------- composer */
  var typingFor = null, typingIdle = null, typingSentAt = 0, lastSent = null;

  function stopTyping() {
    clearTimeout(typingIdle);
    typingIdle = null;
    if (typingFor) {
      var c = conv(typingFor);
      if (c && !c.ended && socket.connected) socket.emit("typing", { conversation_id: typingFor, typing: false });
      typingFor = null;
    }
  }

  ui.reply.addEventListener("input", function () {
    var c = activeConv();
    if (!c || c.ended) return;
    c.draft = ui.reply.value;
    if (!ui.reply.value.trim()) { stopTyping(); return; }
    var now = Date.now();
    if (typingFor !== c.id || now - typingSentAt > TYPING_REPEAT_MS) {
      if (typingFor && typingFor !== c.id) stopTyping();
      if (socket.connected) socket.emit("typing", { conversation_id: c.id, typing: true });
      typingFor = c.id;
      typingSentAt = now;
    }
    clearTimeout(typingIdle);
    typingIdle = setTimeout(stopTyping, TYPING_IDLE_MS);
  });

  function sendReply() {
    var c = activeConv();
    if (!c || c.ended) return;
    var text = ui.reply.value.trim();
    if (!text) { ui.reply.focus(); return; }
    stopTyping();
    if (!socket.connected) { SC.toast("Not connected; try again in a moment."); return; }
    deliverReply({ conversation_id: c.id, text: text, message_id: newMessageId() }, 0);
    lastSent = { id: c.id, text: ui.reply.value, at: Date.now() };
    ui.reply.value = "";
    c.draft = "";
    ui.reply.focus();
  }

  function newMessageId() {
    var bytes = new Uint8Array(9);
    window.crypto.getRandomValues(bytes);
    return "a" + Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  // An agent's message waits for the bridge's acknowledgement; with none (a bridge went away,
  // Redis restarted) it is sent again with the same message_id, which the bridge handles once.
  function deliverReply(payload, attempt) {
    var retry = function () {
      var c = conv(payload.conversation_id);
      if (attempt >= 15 || !c || c.ended) {
        SC.toast("A message could not be delivered: it is back in its reply box.");
        if (c && !c.ended && !c.draft) {
          c.draft = payload.text;
          if (S.active === c.id && !ui.reply.value) ui.reply.value = payload.text;
        }
        return;
      }
      setTimeout(function () { deliverReply(payload, attempt + 1); }, Math.min(30000, 1000 * Math.pow(2, attempt)));
    };
    if (!socket.connected) { retry(); return; }
    socket.timeout(15000).emit("agent_message", payload, function (err, ack) {
      var status = ack && ack.status;
      if (!err && (status === "ok" || status === "duplicate")) return;
      if (!err && status === "error" && ack.code !== "unavailable" && ack.code !== "internal") return;  // refused: toast shown
      retry();
    });
  }

  function addNote() {
    var c = activeConv();
    if (!c || c.ended) return;
    var text = ui.note.value.trim();
    if (!text) { ui.note.focus(); return; }
    if (!send("note", { conversation_id: c.id, text: text })) return;
    ui.note.value = "";
    c.noteDraft = "";
  }

  function enterSends(event, action) {
    if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      action();
    }
  }

  ui.reply.addEventListener("keydown", function (event) { enterSends(event, sendReply); });
  ui.note.addEventListener("keydown", function (event) { enterSends(event, addNote); });
  ui.note.addEventListener("input", function () { var c = activeConv(); if (c) c.noteDraft = ui.note.value; });
  ui.send.addEventListener("click", sendReply);
  ui.addNote.addEventListener("click", addNote);

  ui.handBack.addEventListener("click", function () {
    var c = activeConv();
    if (c && !c.ended) { stopTyping(); send("hand_back", { conversation_id: c.id }); }
  });
  ui.transfer.addEventListener("click", function () {
    var c = activeConv();
    var to = ui.transferTo.value;
    if (!c || c.ended) return;
    if (!to) { SC.toast("Choose an agent to transfer to."); return; }
    stopTyping();
    send("transfer", { conversation_id: c.id, to_agent: to });
  });
  ui.transferTo.addEventListener("change", updateComposer);
  ui.close.addEventListener("click", function () {
    var c = activeConv();
    if (!c || c.ended) return;
    stopTyping();
    send("close", { conversation_id: c.id, resolution: ui.resolution.value || "resolved" });
  });
  ui.dismiss.addEventListener("click", function () {
    if (S.active) dismiss(S.active);
    var tab = ui.tabs.querySelector("[aria-selected=true]");
    (tab || ui.queue.querySelector("button:not([disabled])") || ui.cannedSearch).focus();
  });

  /* ----------------------------------------------------------------- canned */
  function cannedMatches() {
    var words = ui.cannedSearch.value.toLowerCase().split(/\s+/).filter(Boolean);
    return S.canned.filter(function (item) {
      var hay = (String(item.title || "") + " " + String(item.text || "")).toLowerCase();
      return words.every(function (w) { return hay.indexOf(w) >= 0; });
    });
  }

  function insertCanned(item) {
    var text = String(item.text || "");
    var reply = ui.reply;
    if (reply.disabled) { SC.toast("Open a conversation first to use a canned response.", "info"); return; }
    var start = reply.selectionStart, end = reply.selectionEnd;
    var value = reply.value;
    if (typeof start !== "number" || document.activeElement !== reply && start === 0 && end === 0 && value) {
      start = end = value.length;
    }
    var before = value.slice(0, start), after = value.slice(end);
    var sep = before && !/\s$/.test(before) ? " " : "";
    reply.value = (before + sep + text + after).slice(0, 4000);
    var caret = (before + sep + text).length;
    reply.focus();
    reply.setSelectionRange(caret, caret);
    reply.dispatchEvent(new Event("input", { bubbles: true }));
  }

  var deleteArmed = null;

  function renderCanned() {
    var items = cannedMatches();
    if (S.cannedHighlight >= items.length) S.cannedHighlight = Math.max(0, items.length - 1);
    clear(ui.cannedList);
    items.forEach(function (item, index) {
      var insert = el("button", { type: "button", class: "canned-insert" + (index === S.cannedHighlight && ui.cannedSearch.value ? " is-highlighted" : ""),
        "data-testid": "canned-item" },
        el("span", { class: "canned-title" }, String(item.title || "")),
        el("span", { class: "canned-preview" }, String(item.text || "")));
      insert.addEventListener("click", function () { insertCanned(item); });
      var edit = el("button", { type: "button", class: "icon-btn", "data-testid": "canned-edit",
        "aria-label": "Edit canned response: " + String(item.title || "") }, SC.icon("pencil"));
      edit.addEventListener("click", function () { openCannedForm(item); });
      var armed = deleteArmed === item.id;
      var del = el("button", { type: "button", class: "icon-btn" + (armed ? " is-armed" : ""), "data-testid": "canned-delete",
        "aria-label": (armed ? "Confirm delete of " : "Delete canned response: ") + String(item.title || "") }, armed ? "Delete?" : SC.icon("trash"));
      del.addEventListener("click", function () {
        if (deleteArmed === item.id) {
          deleteArmed = null;
          send("canned_delete", { id: item.id });
          del.disabled = true;
        } else {
          deleteArmed = item.id;
          renderCanned();
          var again = ui.cannedList.querySelector(".is-armed");
          if (again) again.focus();
          setTimeout(function () { if (deleteArmed === item.id) { deleteArmed = null; renderCanned(); } }, 4000);
        }
      });
      ui.cannedList.appendChild(el("li", { class: "canned-item", dataset: { cannedId: String(item.id) } }, insert,
        el("span", { class: "canned-tools" }, edit, del)));
    });
    if (!items.length) {
      ui.cannedList.appendChild(el("li", { class: "empty" }, S.canned.length ? "No match." : "No canned responses yet. Add one with “+ New”."));
    }
  }

  function openCannedForm(item) {
    S.cannedEditing = item ? { id: item.id } : {};
    ui.cannedTitle.value = item ? String(item.title || "") : "";
    ui.cannedText.value = item ? String(item.text || "") : (ui.reply.value || "");
    ui.cannedForm.hidden = false;
    ui.cannedList.hidden = true;
    ui.cannedSearch.hidden = true;
    ui.cannedNew.hidden = true;
    ui.cannedTitle.focus();
  }

  function closeCannedForm() {
    S.cannedEditing = null;
    ui.cannedForm.hidden = true;
    ui.cannedList.hidden = false;
    ui.cannedSearch.hidden = false;
    ui.cannedNew.hidden = false;
  }

  ui.cannedNew.addEventListener("click", function () { openCannedForm(null); });
  ui.cannedCancel.addEventListener("click", function () { closeCannedForm(); ui.cannedNew.focus(); });
  ui.cannedForm.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); closeCannedForm(); ui.cannedNew.focus(); }
  });
  ui.cannedForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var title = ui.cannedTitle.value.trim(), text = ui.cannedText.value.trim();
    if (!title || !text) { SC.toast("A canned response needs a title and a text."); return; }
    var payload = { title: title, text: text };
    if (S.cannedEditing && S.cannedEditing.id !== undefined && S.cannedEditing.id !== null) payload.id = S.cannedEditing.id;
    if (send("canned_save", payload)) { closeCannedForm(); ui.cannedNew.focus(); }
  });

  ui.cannedSearch.addEventListener("input", function () { S.cannedHighlight = 0; renderCanned(); });
  ui.cannedSearch.addEventListener("keydown", function (event) {
    var items = cannedMatches();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!items.length) return;
      S.cannedHighlight = (S.cannedHighlight + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      renderCanned();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (items[S.cannedHighlight]) { insertCanned(items[S.cannedHighlight]); ui.cannedSearch.value = ""; renderCanned(); }
    } else if (event.key === "Escape") {
      ui.cannedSearch.value = "";
      renderCanned();
    }
  });

  /* ---------------------------------------------------------------- context */
  function contextScore(c) {
    if (!c) return null;
    var ctx = c.context || {};
    if (ctx.score !== undefined && ctx.score !== null) return ctx.score;
    if (c.score !== undefined && c.score !== null) return c.score;
    var best = null;
    (Array.isArray(ctx.evidence) ? ctx.evidence : []).forEach(function (row) {
      if (row && row.signal === c.reason && row.score !== undefined && row.score !== null) {
        best = best === null ? Number(row.score) : Math.max(best, Number(row.score));
      }
    });
    return best;
  }

  function section(title, children, testid) {
    return el("section", { class: "ctx-section", "data-testid": testid || null },
      el("h3", { class: "ctx-title" }, title), children);
  }

  function dl(pairs) {
    var list = el("dl", { class: "kv" });
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") return;
      list.appendChild(el("dt", null, p[0]));
      list.appendChild(el("dd", null, SC.plain(p[1])));
    });
    return list;
  }

  function widthPct(node, fraction) {
    node.style.width = Math.round(Math.max(0, Math.min(1, fraction)) * 100) + "%";
    return node;
  }

  function confidenceBar(value) {
    var v = Math.max(0, Math.min(1, Number(value) || 0));
    return el("span", { class: "conf" },
      el("span", { class: "conf-bar", "aria-hidden": "true" },
        widthPct(el("span", { class: "conf-fill" + (v < 0.5 ? " is-low" : "") }), v)),
      el("span", { class: "conf-num" }, v.toFixed(2)));
  }

  function formatMoney(order) {
    if (order.total_cents !== undefined && order.total_cents !== null && isFinite(Number(order.total_cents))) {
      return (Number(order.total_cents) / 100).toFixed(2) + (order.currency ? " " + String(order.currency) : "");
    }
    if (order.total === undefined || order.total === null) return null;
    return SC.plain(order.total) + (order.currency ? " " + String(order.currency) : "");
  }

  function itemsText(items) {
    if (items === undefined || items === null || items === "") return null;
    if (Array.isArray(items)) {
      return items.map(function (it) {
        if (it && typeof it === "object") {
          var qty = it.quantity || it.qty;
          return (qty ? qty + " × " : "") + SC.plain(it.name || it.title || it.sku || it);
        }
        return SC.plain(it);
      }).join(", ");
    }
    return SC.plain(items);
  }

  var ORDER_SHOWN = { order_number: 1, status: 1, total: 1, total_cents: 1, currency: 1, placed_at: 1, placed_on: 1, items: 1, customer_id: 1 };

  function renderContext(c) {
    var root = ui.context;
    clear(root);
    if (!c) {
      root.appendChild(el("p", { class: "empty" }, "Open a conversation to see why it was handed over, what the customer asked and their orders."));
      return;
    }
    var ctx = c.context || {};
    var reason = ctx.reason || c.reason;

    // Handoff: reason, score, summary, evidence
    var handoff = [el("div", { class: "ctx-reason" }, SC.reasonBadge(reason, contextScore(c), { "data-testid": "context-reason" }))];
    handoff.push(el("p", { class: "ctx-summary", "data-testid": "context-summary" }, ctx.summary ? String(ctx.summary) : "No summary."));
    var evidence = Array.isArray(ctx.evidence) ? ctx.evidence : [];
    if (evidence.length) {
      var rows = evidence.map(function (row) {
        row = row && typeof row === "object" ? row : { detail: row };
        var facts = Object.keys(row).filter(function (k) { return k !== "signal" && k !== "score"; });
        var quote = row.message ? el("q", { class: "ev-quote" }, String(row.message)) : null;
        var detail = facts.filter(function (k) { return k !== "message"; }).map(function (k) {
          return el("span", { class: "ev-fact" }, el("span", { class: "ev-key" }, SC.humanKey(k) + ": "), SC.plain(row[k]));
        });
        return el("tr", { "data-testid": "evidence-row" },
          el("th", { scope: "row" }, String(row.signal || "—").replace(/_/g, " ")),
          el("td", { class: "num" }, row.score === undefined || row.score === null ? "—" : Number(row.score).toFixed(2)),
          el("td", null, detail, quote));
      });
      handoff.push(el("table", { class: "ev-table" },
        el("caption", { class: "sr-only" }, "Evidence"),
        el("thead", null, el("tr", null, el("th", { scope: "col" }, "Signal"), el("th", { scope: "col", class: "num" }, "Score"),
          el("th", { scope: "col" }, "Evidence"))),
        el("tbody", null, rows)));
    }
    root.appendChild(section("Why a person", handoff, "context-handoff"));

    // Intents
    var intents = Array.isArray(ctx.intents) ? ctx.intents.slice(-5).reverse() : [];
    if (intents.length) {
      root.appendChild(section("Last intents", el("ol", { class: "intents" }, intents.map(function (it) {
        return el("li", { class: "intent" },
          el("div", { class: "intent-top" }, el("code", { class: "intent-name" }, String(it.intent || "—")), confidenceBar(it.confidence)),
          it.text ? el("div", { class: "intent-text" }, String(it.text)) : null);
      })), "context-intents"));
    }

    // Slots
    var slots = ctx.slots && typeof ctx.slots === "object" ? ctx.slots : {};
    var slotKeys = Object.keys(slots).filter(function (k) { return slots[k] !== null && slots[k] !== undefined && slots[k] !== ""; });
    if (slotKeys.length) {
      var simple = slotKeys.filter(function (k) { return typeof slots[k] !== "object" || Array.isArray(slots[k]) && slots[k].every(function (v) { return typeof v !== "object"; }); });
      var complex = slotKeys.filter(function (k) { return simple.indexOf(k) < 0; });
      root.appendChild(section("Slots", [
        dl(simple.map(function (k) { return [k, slots[k]]; })),
        complex.map(function (k) {
          var pretty;
          try { pretty = JSON.stringify(slots[k], null, 2); } catch (e) { pretty = String(slots[k]); }
          return el("details", { class: "slot-json" }, el("summary", null, k), el("pre", null, pretty));
        })
      ], "context-slots"));
    }

    // Customer
    var customer = ctx.customer;
    if (customer && typeof customer === "object") {
      root.appendChild(section("Customer", dl([
        ["Name", customer.name], ["E-mail", customer.email], ["Phone", customer.phone],
        ["Address", customer.address], ["Customer ID", customer.customer_id],
        ["Identity", customer.verified ? "verified in this conversation" : "not verified"]
      ]), "context-customer"));
    } else if (ctx.unverified_order) {
      root.appendChild(section("Customer", el("p", { class: "muted" },
        "Not verified: they named order " + String(ctx.unverified_order) +
        ". Ask for the e-mail on the order before sharing or changing anything."), "context-customer"));
    } else {
      root.appendChild(section("Customer", el("p", { class: "muted" }, "Not identified in this conversation."), "context-customer"));
    }

    // Orders
    var orders = Array.isArray(ctx.orders) ? ctx.orders : [];
    if (orders.length) {
      root.appendChild(section("Orders (" + orders.length + ")", el("ul", { class: "orders" }, orders.map(function (o) {
        o = o || {};
        var extra = Object.keys(o).filter(function (k) { return !ORDER_SHOWN[k] && o[k] !== null && o[k] !== undefined && o[k] !== ""; });
        return el("li", { class: "order", "data-testid": "order" },
          el("div", { class: "order-top" },
            el("span", { class: "order-number" }, String(o.order_number || "—")),
            el("span", { class: "badge status status-" + String(o.status || "").replace(/[^a-z_]/gi, "") }, String(o.status || "unknown").replace(/_/g, " ")),
            el("span", { class: "order-total" }, formatMoney(o) || "")),
          el("div", { class: "order-sub muted" }, [o.placed_at || o.placed_on ? "Placed " + SC.plain(o.placed_at || o.placed_on) : null,
            itemsText(o.items)].filter(Boolean).join(" · ")),
          extra.length ? dl(extra.map(function (k) { return [SC.humanKey(k), o[k]]; })) : null);
      })), "context-orders"));
    }
  }

  /* ----------------------------------------------------------------- timers */
  setInterval(function () {
    Array.prototype.forEach.call(ui.queue.children, tickWait);
  }, 1000);

  setInterval(function () {
    // refresh relative ticket ages
    Array.prototype.forEach.call(document.querySelectorAll(".ticket"), function (node) {
      var t = S.tickets.filter(function (x) { return String(x.id) === node.dataset.ticketId; })[0];
      var time = node.querySelector(".ticket-time");
      if (t && time) time.textContent = SC.ago(Number(t.created_at));
    });
  }, 30000);

  window.addEventListener("beforeunload", stopTyping);

  // first paint
  renderStatus();
  renderResolutions();
  renderQueue();
  renderTickets();
  renderAgents();
  renderCanned();
  renderActive();
  renderLoad();
})();
