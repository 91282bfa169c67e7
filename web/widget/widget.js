/*
 * Support chat widget (customer side).
 *
 * Plain ES2019, no framework, no bundler. Embed with a config object and one
 * script tag (see web/PROTOCOL.md). Builds its UI inside an open shadow root
 * on <div id="support-widget">, speaks Rasa's socket.io protocol plus the
 * bridge's handoff events.
 *
 * Security rule: every text that comes from the network is put on the page
 * with textContent / createTextNode only; no markup strings are ever parsed.
 */
(function () {
  "use strict";

  if (window.__supportWidgetLoaded) return;
  window.__supportWidgetLoaded = true;

  // ---------------------------------------------------------------- config --

  var SCRIPT = document.currentScript;
  var RAW = window.SupportWidgetConfig || {};

  function scriptOrigin() {
    try {
      if (SCRIPT && SCRIPT.src) return new URL(SCRIPT.src, location.href).origin;
    } catch (e) { /* fall through */ }
    return location.origin;
  }

  function validColor(value) {
    return typeof value === "string" && value.length < 64 &&
      !!(window.CSS && CSS.supports && CSS.supports("color", value));
  }

  var LANG = RAW.language === "ja" ? "ja" : "en";
  var BRIDGE = String(RAW.bridgeUrl || scriptOrigin()).replace(/\/+$/, "");
  var BRIDGE_ORIGIN = (function () {
    try { return new URL(BRIDGE, location.href).origin; } catch (e) { return BRIDGE; }
  }());
  var CONFIG = {
    bridgeUrl: BRIDGE,
    title: typeof RAW.title === "string" && RAW.title ? RAW.title : null,
    colors: RAW.colors && typeof RAW.colors === "object" ? RAW.colors : {},
    language: LANG,
    initialPayload: typeof RAW.initialPayload === "string" && RAW.initialPayload ? RAW.initialPayload : null,
    open: RAW.open === true
  };
  var MAX_CHARS = 4000;
  var EMAIL_RE = /^[^@\s<>]{1,64}@[^@\s<>]{1,190}\.[A-Za-z]{2,24}$/;

  // ------------------------------------------------------------ UI strings --

  var STRINGS = {
    en: {
      title: "Support",
      subtitleBot: "Our assistant answers right away",
      subtitleQueued: "Waiting for a person to join",
      subtitleAgent: "You're chatting with {name}",
      subtitleClosed: "Here if you need anything else",
      openChat: "Open chat",
      closeChat: "Close chat",
      unread: "{n} new messages",
      unreadOne: "1 new message",
      assistant: "Assistant",
      you: "You",
      agent: "Support",
      placeholder: "Write a message…",
      inputLabel: "Message",
      send: "Send",
      suggested: "Suggested replies",
      connecting: "Connecting…",
      reconnecting: "Reconnecting…",
      unreachable: "Can't reach the chat service. Retrying…",
      typingAssistant: "Assistant is typing…",
      typingAgent: "{name} is typing…",
      someone: "Someone",
      queue: "Connecting you to a person: you are number {n} in line, about {m} {minutes}",
      queueWaiting: "Connecting you to a person…",
      minute: "minute",
      minutes: "minutes",
      noAgentTitle: "No one is available right now",
      noAgentText: "You can keep waiting for the next available person, or leave us a message and we'll reply by e-mail.",
      keepWaiting: "Keep waiting",
      leaveMessage: "Leave a message",
      formTitle: "Leave us a message",
      email: "Your e-mail",
      emailPlaceholder: "name@example.com",
      messageText: "Your message",
      submit: "Send message",
      cancel: "Cancel",
      badEmail: "Please enter an e-mail address like name@example.com",
      emptyText: "Please write a message",
      ticket: "Thanks, we'll reply by e-mail (ticket {id})",
      joined: "{name} from Support joined",
      left: "{name} left the chat",
      theAgent: "The agent",
      returned: "You're back with the assistant",
      closed: "The conversation was closed",
      surveyTitle: "How did we do?",
      surveyText: "Rate this conversation",
      star: "1 star",
      stars: "{n} stars",
      rating: "Rating",
      comment: "Comment (optional)",
      surveySend: "Send",
      thanks: "Thank you for your feedback",
      image: "Image"
    },
    ja: {
      title: "サポート",
      subtitleBot: "アシスタントがすぐにお答えします",
      subtitleQueued: "担当者の参加をお待ちください",
      subtitleAgent: "{name}が対応しています",
      subtitleClosed: "ほかにご用があればお気軽にどうぞ",
      openChat: "チャットを開く",
      closeChat: "チャットを閉じる",
      unread: "新着メッセージ {n} 件",
      unreadOne: "新着メッセージ 1 件",
      assistant: "アシスタント",
      you: "あなた",
      agent: "サポート",
      placeholder: "メッセージを入力…",
      inputLabel: "メッセージ",
      send: "送信",
      suggested: "返信の候補",
      connecting: "接続しています…",
      reconnecting: "再接続しています…",
      unreachable: "チャットに接続できません。再試行しています…",
      typingAssistant: "アシスタントが入力中…",
      typingAgent: "{name}が入力中…",
      someone: "担当者",
      queue: "担当者におつなぎしています：あなたは{n}番目で、約{m}分お待ちいただきます",
      queueWaiting: "担当者におつなぎしています…",
      minute: "分",
      minutes: "分",
      noAgentTitle: "ただいま対応できる担当者がいません",
      noAgentText: "このままお待ちいただくか、メッセージを残していただければメールでご返信します。",
      keepWaiting: "このまま待つ",
      leaveMessage: "メッセージを残す",
      formTitle: "メッセージを残す",
      email: "メールアドレス",
      emailPlaceholder: "name@example.com",
      messageText: "メッセージ",
      submit: "メッセージを送信",
      cancel: "キャンセル",
      badEmail: "name@example.com の形式でメールアドレスを入力してください",
      emptyText: "メッセージを入力してください",
      ticket: "ありがとうございます。メールでご返信します（チケット {id}）",
      joined: "サポートの{name}が参加しました",
      left: "{name}がチャットを退出しました",
      theAgent: "担当者",
      returned: "アシスタントとの会話に戻りました",
      closed: "会話は終了しました",
      surveyTitle: "今回の対応はいかがでしたか？",
      surveyText: "この会話を評価してください",
      star: "星1つ",
      stars: "星{n}つ",
      rating: "評価",
      comment: "コメント（任意）",
      surveySend: "送信",
      thanks: "ご意見ありがとうございました",
      image: "画像"
    }
  };

  function t(key, vars) {
    var table = STRINGS[LANG] || STRINGS.en;
    var s = table[key] != null ? table[key] : STRINGS.en[key];
    if (vars) {
      Object.keys(vars).forEach(function (k) {
        s = s.split("{" + k + "}").join(String(vars[k]));
      });
    }
    return s;
  }

  // --------------------------------------------------------------- storage --

  // The id is kept under "supportWidget.sessionId"; for a bridge on another
  // origin than the page, the bridge origin is appended so two bridges never
  // share an id.
  var STORAGE_KEY = "supportWidget.sessionId" + (BRIDGE_ORIGIN === location.origin ? "" : "@" + BRIDGE_ORIGIN);
  var memoryStore = {};

  function loadId() {
    try {
      var v = window.localStorage.getItem(STORAGE_KEY);
      return v || null;
    } catch (e) {
      return memoryStore[STORAGE_KEY] || null;
    }
  }

  function saveId(id) {
    memoryStore[STORAGE_KEY] = id;
    try { window.localStorage.setItem(STORAGE_KEY, id); } catch (e) { /* private mode */ }
  }

  // ------------------------------------------------------------ DOM helpers --

  var SVG_NS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "class") node.className = value;
        else if (name === "text") node.textContent = value;
        else if (name === "hidden") node.hidden = true;
        else node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // Icons: static shapes built node by node (no markup strings).
  function icon(name, size) {
    var paths = {
      chat: ["M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6A.5.5 0 0 1 5 19.2V16h1.5",
        "M4 5.5v8A2.5 2.5 0 0 0 6.5 16"],
      close: ["M6 6l12 12", "M18 6L6 18"],
      chevron: ["M6 9l6 6 6-6"],
      send: ["M4 12l16-8-6 16-2.5-6.5z", "M11.5 13.5L20 4"],
      star: ["M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z"],
      person: ["M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z", "M4.5 20a7.5 7.5 0 0 1 15 0"],
      bot: ["M6 8.5h12a2 2 0 0 1 2 2V17a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-6.5a2 2 0 0 1 2-2z", "M12 8.5V5", "M9 13.5h.01", "M15 13.5h.01"],
      mail: ["M4 6h16v12H4z", "M4 7l8 6 8-6"],
      check: ["M5 12.5l4.5 4.5L19 7.5"]
    };
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size || 24));
    svg.setAttribute("height", String(size || 24));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "sw-icon sw-icon-" + name);
    (paths[name] || []).forEach(function (d) {
      var p = document.createElementNS(SVG_NS, "path");
      p.setAttribute("d", d);
      svg.appendChild(p);
    });
    return svg;
  }

  function pad2(n) { return (n < 10 ? "0" : "") + n; }

  function toDate(ts) {
    var n = Number(ts);
    if (!isFinite(n) || n <= 0) return new Date();
    // seconds since the epoch (accept milliseconds too)
    return new Date(n > 1e12 ? n : n * 1000);
  }

  function timeNode(ts) {
    var d = toDate(ts);
    var node = el("time", { class: "sw-time", datetime: d.toISOString() });
    node.textContent = pad2(d.getHours()) + ":" + pad2(d.getMinutes());
    try { node.title = d.toLocaleString(LANG === "ja" ? "ja-JP" : undefined); } catch (e) { /* ignore */ }
    return node;
  }

  function safeImageSrc(src) {
    if (typeof src !== "string" || !src) return null;
    try {
      var url = new URL(src, BRIDGE + "/");
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function str(value) {
    return typeof value === "string" ? value : value == null ? "" : String(value);
  }

  function initial(name) {
    var s = str(name).trim();
    return s ? Array.from(s)[0].toUpperCase() : "?";
  }

  // ---------------------------------------------------------------- build --

  var host = document.createElement("div");
  host.id = "support-widget";
  host.setAttribute("lang", LANG);
  // Shield the host element itself from page styles; custom properties survive `all`.
  host.style.setProperty("all", "initial", "important");
  host.style.setProperty("display", "block", "important");
  host.style.setProperty("position", "static", "important");
  var colors = CONFIG.colors;
  if (validColor(colors.primary)) host.style.setProperty("--sw-primary", colors.primary);
  if (validColor(colors.background)) host.style.setProperty("--sw-bg", colors.background);
  if (validColor(colors.text)) host.style.setProperty("--sw-text", colors.text);

  var shadow = host.attachShadow({ mode: "open" });

  var root = el("div", { class: "sw-root", lang: LANG, "data-state": "bot", style: "display:none" });

  var cssLink = el("link", { rel: "stylesheet", href: BRIDGE + "/widget/widget.css" });
  function reveal() { root.style.removeProperty("display"); }
  cssLink.addEventListener("load", reveal);
  cssLink.addEventListener("error", reveal);
  setTimeout(reveal, 4000); // never stay invisible if the stylesheet hangs
  shadow.appendChild(cssLink);
  shadow.appendChild(root);

  // Launcher
  var unreadBadge = el("span", { class: "sw-badge", "aria-hidden": "true", hidden: true });
  var launcher = el("button", {
    type: "button", class: "sw-launcher", "data-testid": "launcher",
    "aria-label": t("openChat"), "aria-expanded": "false", "aria-controls": "sw-panel"
  }, [icon("chat", 28), icon("chevron", 28), unreadBadge]);

  // Header
  var title = CONFIG.title || t("title");
  var avatar = el("div", { class: "sw-avatar", "aria-hidden": "true" }, [icon("bot", 22)]);
  var headerTitle = el("h2", { class: "sw-title", id: "sw-title", text: title });
  var headerSubtitle = el("p", { class: "sw-subtitle", text: t("subtitleBot") });
  var closeButton = el("button", {
    type: "button", class: "sw-icon-button sw-close", "data-testid": "close", "aria-label": t("closeChat")
  }, [icon("close", 20)]);
  var header = el("header", { class: "sw-header" }, [
    avatar,
    el("div", { class: "sw-heading" }, [headerTitle, headerSubtitle]),
    closeButton
  ]);

  var connectionLine = el("div", {
    class: "sw-connection", "data-testid": "connection", role: "status", text: t("connecting")
  });
  var queueBanner = el("div", { class: "sw-queue", "data-testid": "queue-status", role: "status", hidden: true });
  var queueText = el("span", { class: "sw-queue-text" });
  queueBanner.appendChild(el("span", { class: "sw-pulse", "aria-hidden": "true" }));
  queueBanner.appendChild(queueText);

  // Conversation
  var log = el("div", {
    class: "sw-log", "data-testid": "messages", role: "log", "aria-live": "polite",
    "aria-relevant": "additions", "aria-label": title
  });
  var typingText = el("span", { class: "sw-typing-text" });
  var typingLine = el("div", { class: "sw-typing", "data-testid": "typing", hidden: true }, [
    el("span", { class: "sw-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    typingText
  ]);
  var extras = el("div", { class: "sw-extras" });
  var scroller = el("div", { class: "sw-scroll" }, [log, typingLine, extras]);

  // Composer
  var input = el("textarea", {
    class: "sw-input", "data-testid": "input", rows: "1", maxlength: String(MAX_CHARS),
    placeholder: t("placeholder"), "aria-label": t("inputLabel"), autocomplete: "off"
  });
  var sendButton = el("button", {
    type: "submit", class: "sw-send", "data-testid": "send", "aria-label": t("send"), disabled: true
  }, [icon("send", 20)]);
  var composer = el("form", { class: "sw-composer", novalidate: true }, [input, sendButton]);

  var panel = el("section", {
    class: "sw-panel", id: "sw-panel", "data-testid": "panel", role: "dialog",
    "aria-labelledby": "sw-title", hidden: true
  }, [header, connectionLine, queueBanner, scroller, composer]);

  root.appendChild(panel);
  root.appendChild(launcher);

  // ----------------------------------------------------------------- state --

  var socket = null;
  var connected = false;
  var sessionId = null;
  var requestedId = null;
  var greeted = {};
  var convState = "bot";
  var currentAgent = null;
  var quickReplies = null; // element shown under the last bot message
  var lastSender = null; // for grouping consecutive bubbles
  var unread = 0;
  var isOpen = false;
  var botTypingTimer = null;
  var remoteTypingTimer = null;
  var typingSent = false;
  var typingIdleTimer = null;
  var everConnected = false;

  // ------------------------------------------------------------ open/close --

  function setOpen(open, focusInput) {
    isOpen = open;
    panel.hidden = !open;
    root.classList.toggle("sw-open", open);
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    launcher.setAttribute("aria-label", open ? t("closeChat") : t("openChat"));
    if (isFullScreen()) panel.setAttribute("aria-modal", "true"); else panel.removeAttribute("aria-modal");
    if (open) {
      unread = 0;
      renderUnread();
      scrollToBottom(true);
      if (focusInput !== false) setTimeout(function () { input.focus(); }, 30);
    }
  }

  function openPanel() { setOpen(true); }
  function closePanel() {
    setOpen(false);
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (isOpen) closePanel(); else openPanel();
  });
  closeButton.addEventListener("click", closePanel);
  // Below 480 px the panel covers the page: it is modal there, so Tab stays inside.
  var phone = window.matchMedia ? window.matchMedia("(max-width: 479.98px)") : null;
  function isFullScreen() { return !!(phone && phone.matches); }

  function focusables() {
    return Array.prototype.filter.call(
      panel.querySelectorAll("button, input, textarea, select, a[href], [tabindex]"),
      function (node) {
        return !node.disabled && node.tabIndex >= 0 && node.getClientRects().length > 0;
      });
  }

  root.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && isOpen && !e.isComposing) {
      e.preventDefault();
      closePanel();
      return;
    }
    if (e.key === "Tab" && isOpen && isFullScreen()) {
      var list = focusables();
      if (!list.length) return;
      var active = shadow.activeElement;
      if (!e.shiftKey && active === list[list.length - 1]) { e.preventDefault(); list[0].focus(); }
      else if (e.shiftKey && active === list[0]) { e.preventDefault(); list[list.length - 1].focus(); }
    }
  });

  function renderUnread() {
    if (unread > 0 && !isOpen) {
      unreadBadge.hidden = false;
      unreadBadge.textContent = unread > 9 ? "9+" : String(unread);
      launcher.setAttribute("aria-label", t("openChat") + " (" + (unread === 1 ? t("unreadOne") : t("unread", { n: unread })) + ")");
    } else {
      unreadBadge.hidden = true;
      unreadBadge.textContent = "";
      if (!isOpen) launcher.setAttribute("aria-label", t("openChat"));
    }
  }

  // ------------------------------------------------------------- rendering --

  function isNearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }

  // Stay pinned to the newest message unless the customer scrolled up to read.
  var pinned = true;
  function goBottom() { scroller.scrollTop = scroller.scrollHeight; }

  function scrollToBottom(force) {
    if (!force && !pinned && !isNearBottom()) return;
    pinned = true;
    goBottom();
    if (window.requestAnimationFrame) requestAnimationFrame(goBottom);
  }

  scroller.addEventListener("scroll", function () {
    if (scroller.clientHeight > 0) pinned = isNearBottom();
  }, { passive: true });

  if (typeof window.ResizeObserver === "function") {
    // Banners, cards and images change sizes after the fact: keep the bottom in view.
    var keepPinned = new ResizeObserver(function () { if (pinned) goBottom(); });
    keepPinned.observe(scroller);
    keepPinned.observe(log);
    keepPinned.observe(extras);
  }

  function clearQuickReplies() {
    if (quickReplies && quickReplies.parentNode) quickReplies.parentNode.removeChild(quickReplies);
    quickReplies = null;
  }

  function senderKey(role, agentName) {
    return role === "agent" ? "agent:" + agentName : role;
  }

  /**
   * Append one message. role: customer | bot | agent | system.
   * opts: {text, ts, agentName, attachment, className}
   */
  function addMessage(role, opts) {
    var text = str(opts.text);
    var src = opts.attachment && opts.attachment.type === "image" && opts.attachment.payload
      ? safeImageSrc(opts.attachment.payload.src) : null;
    if (!text && !src) return null;
    clearQuickReplies();

    // One element per message (data-testid="message"): the sender's name,
    // the bubble and the time, so each message carries who wrote it and when.
    var row;
    var bubble;
    if (role === "system") {
      var extra = opts.className ? " " + opts.className : "";
      row = el("div", { class: "sw-msg sw-system" + extra, "data-testid": "message", "data-role": "system" }, [
        el("span", { class: "sw-system-text", text: text })
      ]);
      log.appendChild(row);
      lastSender = null;
      return row;
    }

    var agentName = role === "agent" ? (str(opts.agentName) || t("agent")) : "";
    var key = senderKey(role, agentName);
    var continued = key === lastSender;
    lastSender = key;

    row = el("div", {
      class: "sw-msg sw-" + role + (continued ? " sw-continued" : ""), "data-testid": "message", "data-role": role
    });
    if (role !== "customer") {
      var label = role === "agent" ? agentName : t("assistant");
      var who = el("div", { class: "sw-sender" }, [
        el("span", { class: "sw-mini-avatar", "aria-hidden": "true", text: role === "agent" ? initial(agentName) : "" }),
        el("span", { class: "sw-sender-name", text: label })
      ]);
      if (role === "bot") who.firstChild.appendChild(icon("bot", 14));
      row.appendChild(who);
    } else {
      row.appendChild(el("span", { class: "sw-visually-hidden", text: t("you") + ": " }));
    }
    bubble = el("div", { class: "sw-bubble" });
    if (text) bubble.appendChild(el("div", { class: "sw-text", text: text }));
    if (src) {
      var img = el("img", { class: "sw-image", alt: "", loading: "lazy", referrerpolicy: "no-referrer" });
      img.src = src;
      img.addEventListener("load", function () { scrollToBottom(); });
      bubble.appendChild(img);
    }
    row.appendChild(bubble);
    row.appendChild(timeNode(opts.ts));
    log.appendChild(row);
    return row;
  }

  function showQuickReplies(replies) {
    clearQuickReplies();
    var list = (Array.isArray(replies) ? replies : []).filter(function (r) {
      return r && typeof r === "object" && (str(r.title) || str(r.payload));
    });
    if (!list.length) return;
    quickReplies = el("div", { class: "sw-quick-replies", role: "group", "aria-label": t("suggested") });
    list.forEach(function (reply) {
      var titleText = str(reply.title) || str(reply.payload);
      var button = el("button", { type: "button", class: "sw-quick-reply", "data-testid": "quick-reply", text: titleText });
      button.addEventListener("click", function () {
        if (!canSend()) return;
        var payload = str(reply.payload) || titleText;
        clearQuickReplies();
        sendUtterance(payload, titleText);
      });
      quickReplies.appendChild(button);
    });
    log.appendChild(quickReplies);
  }

  // ----------------------------------------------------- typing indicators --

  function showTyping(label) {
    typingText.textContent = label;
    typingLine.hidden = false;
    scrollToBottom();
  }

  function hideTyping() {
    typingLine.hidden = true;
    typingText.textContent = "";
    clearTimeout(botTypingTimer);
    clearTimeout(remoteTypingTimer);
  }

  // While the assistant works on an answer, show it typing (at most 15 s).
  function expectBotReply() {
    if (convState !== "bot" && convState !== "closed") return;
    showTyping(t("typingAssistant"));
    clearTimeout(botTypingTimer);
    botTypingTimer = setTimeout(hideTyping, 15000);
  }

  // ------------------------------------------------------ status / header --

  function setState(state, agent) {
    convState = state || "bot";
    if (agent !== undefined) currentAgent = agent;
    root.setAttribute("data-state", convState);
    avatar.textContent = "";
    if (convState === "with_agent" && currentAgent) {
      avatar.classList.add("sw-avatar-agent");
      avatar.textContent = initial(currentAgent.name);
      headerSubtitle.textContent = t("subtitleAgent", { name: str(currentAgent.name) || t("someone") });
    } else {
      avatar.classList.remove("sw-avatar-agent");
      avatar.appendChild(icon(convState === "queued" ? "person" : "bot", 22));
      headerSubtitle.textContent = convState === "queued" ? t("subtitleQueued")
        : convState === "closed" ? t("subtitleClosed") : t("subtitleBot");
    }
    if (convState !== "queued") {
      hideQueue();
      hideNoAgent();
    }
  }

  function showQueue(position, waitS) {
    var n = Number(position);
    if (isFinite(n) && n > 0) {
      var m = Math.max(1, Math.ceil((Number(waitS) || 0) / 60));
      queueText.textContent = t("queue", { n: Math.round(n), m: m, minutes: m === 1 ? t("minute") : t("minutes") });
    } else {
      queueText.textContent = t("queueWaiting");
    }
    queueBanner.hidden = false;
  }

  function hideQueue() {
    queueBanner.hidden = true;
    queueText.textContent = "";
  }

  // ---------------------------------------------- no agent / leave message --

  var noAgentCard = null;
  var formCard = null;

  function hideNoAgent() {
    if (noAgentCard) noAgentCard.remove();
    if (formCard) formCard.remove();
    noAgentCard = null;
    formCard = null;
  }

  function showNoAgent() {
    if (noAgentCard || formCard) return; // already offered
    var keep = el("button", { type: "button", class: "sw-button sw-button-secondary", "data-testid": "keep-waiting", text: t("keepWaiting") });
    var leave = el("button", { type: "button", class: "sw-button sw-button-primary", "data-testid": "leave-message", text: t("leaveMessage") });
    noAgentCard = el("div", { class: "sw-card", "data-testid": "no-agent", role: "region", "aria-labelledby": "sw-no-agent-title" }, [
      el("h3", { class: "sw-card-title", id: "sw-no-agent-title", text: t("noAgentTitle") }),
      el("p", { class: "sw-card-text", text: t("noAgentText") }),
      el("div", { class: "sw-card-actions" }, [keep, leave])
    ]);
    keep.addEventListener("click", function () {
      emit("keep_waiting", {});
      hideNoAgent();
      input.focus();
    });
    leave.addEventListener("click", showLeaveMessageForm);
    extras.appendChild(noAgentCard);
    scrollToBottom(true);
  }

  function showLeaveMessageForm() {
    if (noAgentCard) noAgentCard.remove();
    noAgentCard = null;
    if (formCard) return;
    var emailInput = el("input", {
      id: "sw-lm-email", class: "sw-field", type: "email", name: "email", required: true,
      autocomplete: "email", placeholder: t("emailPlaceholder"), maxlength: "254"
    });
    var textInput = el("textarea", {
      id: "sw-lm-text", class: "sw-field", name: "text", required: true, rows: "4", maxlength: String(MAX_CHARS)
    });
    var submit = el("button", { type: "submit", class: "sw-button sw-button-primary", text: t("submit") });
    var cancel = el("button", { type: "button", class: "sw-button sw-button-secondary", text: t("cancel") });
    var formError = el("p", { class: "sw-form-error", role: "alert", hidden: true });
    formCard = el("form", {
      class: "sw-card sw-form", "data-testid": "leave-message-form", novalidate: true, "aria-labelledby": "sw-lm-title"
    }, [
      el("h3", { class: "sw-card-title", id: "sw-lm-title", text: t("formTitle") }),
      el("label", { class: "sw-label", for: "sw-lm-email", text: t("email") }),
      emailInput,
      el("label", { class: "sw-label", for: "sw-lm-text", text: t("messageText") }),
      textInput,
      formError,
      el("div", { class: "sw-card-actions" }, [cancel, submit])
    ]);
    function fail(field, message) {
      field.setAttribute("aria-invalid", "true");
      formError.textContent = message;
      formError.hidden = false;
      field.focus();
    }
    formCard.addEventListener("submit", function (e) {
      e.preventDefault();
      formError.hidden = true;
      var email = emailInput.value.trim();
      var text = textInput.value.trim();
      emailInput.removeAttribute("aria-invalid");
      textInput.removeAttribute("aria-invalid");
      if (!EMAIL_RE.test(email)) { fail(emailInput, t("badEmail")); return; }
      if (!text) { fail(textInput, t("emptyText")); return; }
      if (!canSend()) return;
      submit.disabled = true;
      emit("leave_message", { email: email, text: text });
      setTimeout(function () { submit.disabled = false; }, 3000);
    });
    cancel.addEventListener("click", function () {
      hideNoAgent();
      showNoAgent();
    });
    formCard.__error = formError;
    formCard.__submit = submit;
    extras.appendChild(formCard);
    scrollToBottom(true);
    emailInput.focus();
  }

  // ----------------------------------------------------------------- survey --

  var surveyCard = null;

  function hideSurvey() {
    if (surveyCard) surveyCard.remove();
    surveyCard = null;
  }

  function showSurvey() {
    if (surveyCard) return;
    var rating = 0;
    var radios = [];
    var group = el("div", { class: "sw-stars", role: "radiogroup", "aria-label": t("rating") });
    var comment = el("textarea", {
      id: "sw-survey-comment", class: "sw-field", "data-testid": "survey-comment", rows: "2", maxlength: String(MAX_CHARS)
    });
    var send = el("button", {
      type: "submit", class: "sw-button sw-button-primary", "data-testid": "survey-send", disabled: true, text: t("surveySend")
    });

    function select(value, focus) {
      rating = value;
      radios.forEach(function (r, i) {
        var on = i + 1 === value;
        r.setAttribute("aria-checked", on ? "true" : "false");
        r.tabIndex = on || (value === 0 && i === 0) ? 0 : -1;
        r.classList.toggle("sw-star-filled", i < value);
      });
      send.disabled = rating === 0;
      if (focus) radios[value - 1].focus();
    }

    for (var i = 1; i <= 5; i++) {
      (function (value) {
        var b = el("button", {
          type: "button", class: "sw-star", role: "radio", "aria-checked": "false",
          "aria-label": value === 1 ? t("star") : t("stars", { n: value }), "data-testid": "survey-rating",
          "data-value": String(value), tabindex: value === 1 ? "0" : "-1"
        }, [icon("star", 28)]);
        b.addEventListener("click", function () { select(value, false); });
        b.addEventListener("keydown", function (e) {
          var next = null;
          if (e.key === "ArrowRight" || e.key === "ArrowDown") next = value === 5 ? 1 : value + 1;
          else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = value === 1 ? 5 : value - 1;
          else if (e.key === "Home") next = 1;
          else if (e.key === "End") next = 5;
          if (next) { e.preventDefault(); select(next, true); }
        });
        radios.push(b);
        group.appendChild(b);
      }(i));
    }

    surveyCard = el("form", { class: "sw-card sw-survey", "data-testid": "survey", novalidate: true, "aria-labelledby": "sw-survey-title" }, [
      el("h3", { class: "sw-card-title", id: "sw-survey-title", text: t("surveyTitle") }),
      el("p", { class: "sw-card-text", text: t("surveyText") }),
      group,
      el("label", { class: "sw-label", for: "sw-survey-comment", text: t("comment") }),
      comment,
      el("div", { class: "sw-card-actions" }, [send])
    ]);
    surveyCard.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!rating || !canSend()) return;
      send.disabled = true;
      emit("survey", { rating: rating, comment: comment.value.trim() });
      setTimeout(function () { if (surveyCard) send.disabled = rating === 0; }, 3000);
    });
    extras.appendChild(surveyCard);
    scrollToBottom(true);
  }

  function surveyThanks() {
    hideSurvey();
    surveyCard = el("div", { class: "sw-card sw-thanks", "data-testid": "survey", role: "status" }, [
      el("span", { class: "sw-thanks-icon", "aria-hidden": "true" }, [icon("check", 20)]),
      el("span", { text: t("thanks") })
    ]);
    extras.appendChild(surveyCard);
    scrollToBottom(true);
  }

  // -------------------------------------------------------- error lines --

  function showError(message) {
    var text = str(message) || "Error";
    var line = addMessage("system", { text: text, className: "error" });
    scrollToBottom(true);
    if (line) {
      setTimeout(function () { if (line.parentNode) line.parentNode.removeChild(line); }, 8000);
    }
  }

  // ------------------------------------------------------------- history --

  function entryAgentName(entry) {
    if (entry.agent && typeof entry.agent === "object") return str(entry.agent.name);
    var meta = entry.payload && entry.payload.metadata;
    if (meta && meta.agent) return str(meta.agent.name);
    return "";
  }

  var shownIds = {};

  function renderHistory(data) {
    var transcript = Array.isArray(data.transcript) ? data.transcript : [];
    log.textContent = "";
    shownIds = {};
    var acked = {};
    transcript.forEach(function (entry) {
      if (entry && entry.id) shownIds[entry.id] = true;
      if (entry && entry.message_id) acked[entry.message_id] = true;
    });
    // Messages the transcript already holds need no retry (their acknowledgement was lost).
    outbox = outbox.filter(function (m) { return !acked[m.message_id] && m.session_id === sessionId; });
    saveOutbox();
    quickReplies = null;
    lastSender = null;
    hideTyping();
    var lastReplies = null;
    var prevReplies = null;
    var sawCustomer = false;
    transcript.forEach(function (entry) {
      if (!entry || typeof entry !== "object") return;
      var role = entry.role;
      var payload = entry.payload && typeof entry.payload === "object" ? entry.payload : null;
      if (role === "customer") {
        var text = str(entry.text);
        // The hidden initial payload is not shown; a quick reply's payload shows its title.
        if (!sawCustomer && CONFIG.initialPayload && text === CONFIG.initialPayload) { sawCustomer = true; return; }
        sawCustomer = true;
        if (prevReplies) {
          prevReplies.forEach(function (r) { if (r && str(r.payload) === text && str(r.title)) text = str(r.title); });
        }
        addMessage("customer", { text: text, ts: entry.ts });
        prevReplies = null;
        lastReplies = null;
      } else if (role === "bot" || role === "agent") {
        var isAgent = role === "agent" || !!(payload && payload.metadata && payload.metadata.sender === "agent");
        var shown = addMessage(isAgent ? "agent" : "bot", {
          text: entry.text != null ? entry.text : payload && payload.text,
          ts: entry.ts,
          agentName: entryAgentName(entry),
          attachment: payload && payload.attachment
        });
        var replies = payload && Array.isArray(payload.quick_replies) && payload.quick_replies.length ? payload.quick_replies : null;
        if (replies) prevReplies = replies;
        lastReplies = shown || replies ? replies : lastReplies;
      } else if (role === "system") {
        addMessage("system", { text: entry.text, ts: entry.ts });
        lastReplies = null;
      }
    });
    if (lastReplies) showQuickReplies(lastReplies);
    showPending();

    setState(data.state, data.agent && typeof data.agent === "object" ? data.agent : null);
    if (data.state === "queued") {
      if (queueBanner.hidden) showQueue(null);
    }
    var surveyDue = typeof data.survey_pending === "boolean" ? data.survey_pending
      : data.state === "closed" && data.surveyed !== true;
    if (surveyDue) {
      if (!surveyCard) showSurvey();
    } else if (surveyCard && !surveyCard.classList.contains("sw-thanks")) {
      hideSurvey();
    }
    scrollToBottom(true);
  }

  // ------------------------------------------------------------- sending --

  function canSend() {
    return !!(socket && connected && sessionId);
  }

  function emit(event, data) {
    if (socket && connected) socket.emit(event, data);
  }

  // ------------------------------------------------- delivery (outbox) --
  // Every message carries a message_id and waits for the bridge's acknowledgement.
  // Unacknowledged messages stay in an outbox (kept across reloads) and are sent
  // again after a reconnect or a refused attempt; the bridge handles an id once.

  var OUTBOX_KEY = "supportWidget.outbox";
  var outbox = loadOutbox();
  var retryTimer = null;
  var lastReplyAt = 0;

  function loadOutbox() {
    try {
      var raw = JSON.parse(window.localStorage.getItem(OUTBOX_KEY) || "[]");
      return Array.isArray(raw) ? raw.filter(function (m) { return m && typeof m.message_id === "string"; })
        .map(function (m) {
          return { message_id: m.message_id, message: m.message, session_id: m.session_id, shown: m.shown, ts: m.ts };
        }) : [];
    } catch (e) { return []; }
  }

  function saveOutbox() {
    var data = outbox.map(function (m) {  // only the message, never the in-flight bookkeeping
      return { message_id: m.message_id, message: m.message, session_id: m.session_id, shown: m.shown, ts: m.ts };
    });
    try { window.localStorage.setItem(OUTBOX_KEY, JSON.stringify(data)); } catch (e) { /* private mode */ }
  }

  function newMessageId() {
    var bytes = new Uint8Array(9);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return "w" + Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function deliver(item) {
    if (!canSend() || item.session_id !== sessionId || item.inFlight) return;
    item.inFlight = true;
    item.sentAt = Date.now();
    socket.timeout(20000).emit("user_uttered", {
      message: item.message, session_id: item.session_id, message_id: item.message_id,
      customData: { language: LANG }
    }, function (err, ack) {
      item.inFlight = false;
      var status = ack && typeof ack === "object" ? ack.status : null;
      if (!err && (status === "ok" || status === "duplicate")) {
        retries = 0;
        outbox = outbox.filter(function (m) { return m.message_id !== item.message_id; });
        saveOutbox();
        // Handled, but no reply seen live (it may have been sent while we were reconnecting):
        // ask for the conversation again, which shows whatever we missed.
        if (status === "ok" && convState === "bot" && lastReplyAt < item.sentAt) {
          setTimeout(function () {
            if (lastReplyAt < item.sentAt && canSend()) socket.emit("session_request", { session_id: sessionId });
          }, 400);
        }
        return;
      }
      if (!err && status === "error" && ack.code !== "unavailable" && ack.code !== "internal") {
        // Refused for good (too long, empty...): the error event already told the customer.
        outbox = outbox.filter(function (m) { return m.message_id !== item.message_id; });
        saveOutbox();
        return;
      }
      scheduleRetry();  // no answer, "pending" or a passing failure: try again shortly
    });
  }

  var retries = 0;

  function scheduleRetry() {
    // Backs off (1, 2, 4 ... 30 s) and keeps trying: a message is never dropped on the client's side.
    clearTimeout(retryTimer);
    retries += 1;
    retryTimer = setTimeout(flushOutbox, Math.min(30000, 1000 * Math.pow(2, Math.min(retries, 5))));
  }

  function flushOutbox() {
    outbox.forEach(deliver);
  }

  function showPending() {
    // After the history is drawn: messages not yet acknowledged are shown too.
    outbox.forEach(function (item) {
      if (item.session_id === sessionId && item.shown) addMessage("customer", { text: item.shown, ts: item.ts });
    });
  }

  function sendUtterance(message, shownText) {
    if (!canSend()) return false;
    stopTyping();
    var item = { message_id: newMessageId(), message: message, session_id: sessionId,
                 shown: shownText, ts: Date.now() / 1000 };
    outbox.push(item);
    saveOutbox();
    deliver(item);
    if (shownText !== null) {
      addMessage("customer", { text: shownText, ts: item.ts });
      scrollToBottom(true);
    }
    expectBotReply();
    return true;
  }

  function submitInput() {
    var text = input.value.trim();
    if (!text || !canSend()) return;
    if (text.length > MAX_CHARS) text = text.slice(0, MAX_CHARS);
    if (sendUtterance(text, text)) {
      input.value = "";
      autosize();
    }
    input.focus();
  }

  composer.addEventListener("submit", function (e) {
    e.preventDefault();
    submitInput();
  });

  input.addEventListener("keydown", function (e) {
    // Enter sends, Shift+Enter is a new line; never while an IME is composing (Japanese input).
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submitInput();
    }
  });

  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 140) + "px";
    composer.classList.toggle("sw-has-text", input.value.trim().length > 0);
  }

  // Typing notifications: true when typing starts, false after 2 s idle or on send.
  function stopTyping() {
    clearTimeout(typingIdleTimer);
    if (typingSent) {
      typingSent = false;
      if (canSend()) emit("typing", { typing: false });
    }
  }

  input.addEventListener("input", function () {
    autosize();
    if (!canSend()) return;
    if (!input.value.trim()) { stopTyping(); return; }
    if (!typingSent) {
      typingSent = true;
      emit("typing", { typing: true });
    }
    clearTimeout(typingIdleTimer);
    typingIdleTimer = setTimeout(stopTyping, 2000);
  });

  function updateConnection() {
    var ok = connected && !!sessionId;
    sendButton.disabled = !ok;
    root.classList.toggle("sw-offline", !connected);
    if (connected) {
      connectionLine.hidden = true;
      connectionLine.textContent = "";
    } else {
      connectionLine.hidden = false;
      connectionLine.textContent = everConnected ? t("reconnecting") : t("connecting");
    }
  }

  // --------------------------------------------------------------- socket --

  function onBotUttered(data) {
    if (!data || typeof data !== "object") return;
    lastReplyAt = Date.now();
    if (data.id && shownIds[data.id]) return;  // already drawn from the history
    if (data.id) shownIds[data.id] = true;
    hideTyping();
    var meta = data.metadata && typeof data.metadata === "object" ? data.metadata : {};
    var isAgent = meta.sender === "agent";
    var shown = addMessage(isAgent ? "agent" : "bot", {
      text: data.text,
      ts: data.ts,
      agentName: isAgent && meta.agent ? meta.agent.name : "",
      attachment: data.attachment
    });
    if (Array.isArray(data.quick_replies) && data.quick_replies.length) showQuickReplies(data.quick_replies);
    if ((shown || quickReplies) && !isOpen) {
      unread += 1;
      renderUnread();
    }
    scrollToBottom(true);
  }

  function wire(io) {
    socket = io(CONFIG.bridgeUrl, { path: "/socket.io", transports: ["websocket", "polling"] });

    socket.on("connect", function () {
      connected = true;
      everConnected = true;
      sessionId = null;
      requestedId = loadId();
      updateConnection();
      socket.emit("session_request", { session_id: requestedId });
    });

    socket.on("disconnect", function () {
      connected = false;
      typingSent = false;
      clearTimeout(typingIdleTimer);
      hideTyping();
      updateConnection();
    });

    socket.on("connect_error", function () {
      connected = false;
      updateConnection();
    });

    socket.on("session_confirm", function (data) {
      var id = typeof data === "string" ? data : data && typeof data === "object" ? str(data.session_id) : "";
      if (!id) return;
      sessionId = id;
      saveId(id);
      updateConnection();
    });

    socket.on("history", function (data) {
      if (!data || typeof data !== "object") return;
      renderHistory(data);
      flushOutbox();
      var empty = !Array.isArray(data.transcript) || data.transcript.length === 0;
      var isNew = !requestedId || requestedId !== sessionId;
      if (isNew && empty && CONFIG.initialPayload && sessionId && !greeted[sessionId]) {
        greeted[sessionId] = true;
        sendUtterance(CONFIG.initialPayload, null);
      }
    });

    socket.on("bot_uttered", onBotUttered);

    socket.on("typing", function (data) {
      if (!data || typeof data !== "object") return;
      if (data.who !== "bot" && data.who !== "agent") return;
      if (data.typing) {
        var label = data.who === "agent"
          ? t("typingAgent", { name: str(data.agent) || (currentAgent && str(currentAgent.name)) || t("someone") })
          : t("typingAssistant");
        showTyping(label);
        clearTimeout(remoteTypingTimer);
        remoteTypingTimer = setTimeout(hideTyping, 30000);
      } else {
        hideTyping();
      }
    });

    socket.on("handoff_queued", function (data) {
      data = data && typeof data === "object" ? data : {};
      hideTyping();
      if (convState !== "queued") setState("queued");
      showQueue(data.position, data.estimated_wait_s);
    });

    socket.on("handoff_no_agent", function () {
      if (convState !== "queued") setState("queued");
      if (queueBanner.hidden) showQueue(null);
      showNoAgent();
    });

    socket.on("ticket_created", function (data) {
      var id = data && typeof data === "object" ? str(data.ticket_id) : "";
      hideNoAgent();
      hideQueue();
      setState("bot");
      var line = addMessage("system", { text: t("ticket", { id: id }), className: "sw-ticket" });
      // Keep the ticket id on one line: rebuild the text as text nodes + a nowrap span.
      var parts = t("ticket").split("{id}");
      if (line && id && parts.length === 2) {
        var span = line.firstChild;
        span.textContent = "";
        span.appendChild(document.createTextNode(parts[0]));
        span.appendChild(el("span", { class: "sw-nowrap", text: id }));
        span.appendChild(document.createTextNode(parts[1]));
      }
      scrollToBottom(true);
      input.focus();
    });

    socket.on("agent_joined", function (data) {
      var agent = data && data.agent && typeof data.agent === "object" ? data.agent : {};
      hideTyping();
      setState("with_agent", agent);
      addMessage("system", { text: t("joined", { name: str(agent.name) || t("someone") }) });
      scrollToBottom(true);
      if (!isOpen) { unread += 1; renderUnread(); }
    });

    socket.on("agent_left", function (data) {
      var agent = data && data.agent && typeof data.agent === "object" ? data.agent : {};
      var name = str(agent.name) || (currentAgent && currentAgent.id === agent.id && str(currentAgent.name)) || t("theAgent");
      hideTyping();
      addMessage("system", { text: t("left", { name: name }) });
      scrollToBottom(true);
    });

    socket.on("handoff_returned", function () {
      hideTyping();
      setState("bot", null);
      addMessage("system", { text: t("returned") });
      scrollToBottom(true);
    });

    socket.on("handoff_closed", function () {
      hideTyping();
      setState("closed", null);
      addMessage("system", { text: t("closed") });
      showSurvey();
      scrollToBottom(true);
    });

    socket.on("survey_saved", function () {
      surveyThanks();
    });

    socket.on("error", function (data) {
      var message = data && typeof data === "object" ? data.message : data;
      var event = data && typeof data === "object" ? data.event : "";
      if (formCard && event === "leave_message" && formCard.__error) {
        formCard.__error.textContent = str(message);
        formCard.__error.hidden = false;
        formCard.__submit.disabled = false;
        return;
      }
      var code = data && typeof data === "object" ? data.code : "";
      if (event === "user_uttered" && (code === "unavailable" || code === "internal")) {
        return;  // a passing failure: the outbox sends the message again, nothing to tell
      }
      hideTyping();
      showError(message);
    });
  }

  // ------------------------------------------------------- bootstrapping --

  var loadAttempts = 0;

  function loadSocketIo() {
    if (typeof window.io === "function") { wire(window.io); return; }
    var s = document.createElement("script");
    s.src = CONFIG.bridgeUrl + "/vendor/socket.io.min.js";
    s.async = true;
    s.addEventListener("load", function () {
      if (typeof window.io === "function") wire(window.io);
      else retryLoad(s);
    });
    s.addEventListener("error", function () { retryLoad(s); });
    document.head.appendChild(s);
  }

  function retryLoad(s) {
    if (s.parentNode) s.parentNode.removeChild(s);
    loadAttempts += 1;
    connectionLine.hidden = false;
    connectionLine.textContent = t("unreachable");
    setTimeout(loadSocketIo, Math.min(30000, 1000 * Math.pow(2, loadAttempts)));
  }

  function start() {
    document.body.appendChild(host);
    updateConnection();
    setState("bot", null);
    if (CONFIG.open) setOpen(true, false);
    loadSocketIo();
  }

  // A tiny API for the host page (e.g. a "Chat with us" button).
  window.SupportWidget = {
    open: openPanel,
    close: function () { if (isOpen) closePanel(); }
  };

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
}());
