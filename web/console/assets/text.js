/* Every UI string of the console, login and supervisor pages, in English and Japanese, and the
 * formatting of durations, percentages and ages per language (pure: no DOM; the Node tests import it).
 *
 * t(language, key, params): the text `key` in `language` ("en" | "ja"; anything else is English),
 * `{name}` placeholders filled from `params` (as text: a value is never interpreted). The handoff
 * reasons and resolution codes are not here: their labels come from the server's vocabulary.
 *
 * The login page imports this module too, so it must stay free of imports that need a login
 * (web/shared/ is public). */

import { ago as agoEn, clock as clockEn, duration as durationEn, hhmm, percent as percentEn,
         shortDuration as shortDurationEn } from "../../shared/time.js";

export const LANGUAGES = Object.freeze(["en", "ja"]);
export const DEFAULT_LANGUAGE = "en";
/** Each language by its own name: the language switch, the language badges' titles. */
export const LANGUAGE_NAMES = Object.freeze({ en: "English", ja: "日本語" });
/** localStorage: the agent's UI language (all three pages), the supervisor's figures filter. */
export const LANGUAGE_KEY = "nwsupport.console.language";
export const FIGURES_LANGUAGE_KEY = "nwsupport.supervisor.figures_language";

export const TEXT = {
  en: {
    // every page
    "app.name": "Support console",
    "app.titleCount": "({count}) Support console",
    "language.label": "Language",
    "common.logout": "Log out",
    "common.reconnecting": "Reconnecting…",
    "common.notifications": "Notifications",
    "common.dismissNotification": "Dismiss notification",
    "common.somethingWrong": "Something went wrong",
    "common.notConnected": "Not connected; try again in a moment.",
    "common.noSocketIo": "The Socket.IO client did not load; reload the page.",

    // login page
    "login.pageTitle": "Sign in · Support console",
    "login.subtitle": "Sign in to answer customers.",
    "login.username": "Username",
    "login.password": "Password",
    "login.toSupervisor": "Open the supervisor dashboard",
    "login.supervisorsOnly": "(supervisors)",
    "login.submit": "Sign in",
    "login.submitting": "Signing in…",
    "login.wrong": "Wrong username or password",
    "login.tooMany": "Too many attempts. Wait a minute and try again.",
    "login.failed": "Sign-in failed ({status}). Try again.",
    "login.missing": "Enter your username and password.",
    "login.unreachable": "Cannot reach the server. Check your connection and try again.",

    // console: header
    "header.skipToReply": "Skip to the reply box",
    "header.loadTitle": "Open conversations / capacity",
    "header.load": "{open} / {capacity} chats",
    "header.loadUnlimited": "{open} chats",
    "header.statusSwitch": "Available for new conversations",
    "header.supervisor": "Supervisor",
    "status.available": "Available",
    "status.away": "Away",
    "agentStatus.available": "available",
    "agentStatus.away": "away",
    "agentStatus.offline": "offline",

    // console: queue
    "nav.label": "Queue and tickets",
    "queue.title": "Queue",
    "queue.empty": "No one is waiting.",
    "queue.position": "position",
    "queue.priority": "Priority {priority} (higher is served first)",
    "queue.noSummary": "No summary",
    "queue.signal": "1 signal",
    "queue.signals": "{count} signals",
    "queue.claim": "Claim",
    "queue.claiming": "Claiming…",
    "queue.claimLabel": "Claim conversation #{position} ({reason})",
    "queue.atCapacity": "You are at capacity; close or hand back a conversation first.",
    "queue.atCapacityTitle": "You are at capacity ({open}/{capacity}): close or hand back a conversation first",
    "queue.newOne": "New conversation in the queue: {reason}",
    "queue.newMany": "{count} new conversations in the queue",
    "queue.assigned": "New conversation assigned to you: {name}",

    // console: tickets
    "tickets.title": "Tickets",
    "tickets.empty": "No open tickets.",
    "tickets.handled": "Handled",
    "tickets.handledList": "Handled tickets",
    "tickets.handledBy": "Handled by {agent}",
    "tickets.showMore": "Show more",
    "tickets.showLess": "Show less",
    "tickets.markHandled": "Mark handled",
    "tickets.reply": "Reply by e-mail",
    "tickets.replyLabel": "Your reply to {email}",
    "tickets.replySend": "Send reply",
    "tickets.replying": "Sending…",
    "tickets.markHandledLabel": "Mark ticket {id} handled",
    "tickets.marking": "Marking…",

    // console: team
    "team.title": "Team",
    "team.you": "{name} (you)",
    "team.empty": "No team information yet.",

    // console: conversations
    "conv.region": "Conversations",
    "conv.tabs": "Open conversations",
    "conv.none": "No conversation open",
    "conv.noneHelp": "Claim a conversation from the queue. Its transcript and context show here.",
    "conv.actions": "Conversation actions",
    "conv.started": "started {time}",
    "conv.ended": "Conversation ended: {how}. It is read-only now.",
    "conv.dismiss": "Dismiss",
    "conv.transcript": "Transcript",
    "conv.tabEnded": "ended",
    "conv.tabTyping": "typing",
    "conv.unread": "{count} unread",
    "conv.customerTyping": "Customer is typing…",
    "conv.visitor": "Visitor {id}",
    // how a conversation left this agent (conversation_ended), as the server words it
    "ended.closed": "closed: {resolution}",
    "ended.handedBack": "handed back to the assistant",
    "ended.transferred": "transferred to {agent}",
    "ended.notYours": "no longer yours",
    "ended.ended": "ended",

    // console: actions
    "actions.handBack": "Hand back to bot",
    "actions.erase": "Erase customer data",
    "actions.eraseConfirm": "Erase for good?",
    "actions.transferTo": "Transfer to",
    "actions.transfer": "Transfer",
    "actions.transferOption": "{name} — {status} ({load}/{capacity})",
    "actions.noAgentFree": "No agent free",
    "actions.noOtherAgents": "No other agents",
    "actions.chooseAgent": "Choose an agent to transfer to.",
    "actions.resolution": "Resolution",
    "actions.close": "Close",

    // console: transcript entries
    "entry.customer": "Customer",
    "entry.assistant": "Assistant",
    "entry.agent": "Agent",
    "entry.noteAuthor": "agent",
    "entry.note": "Internal note · {name}",
    "entry.buttons": "Buttons offered",
    "entry.image": "Image sent by the assistant",
    "entry.noText": "(no text)",
    "entry.notVisible": "not visible to the customer",

    // console: reply and note boxes
    "reply.label": "Reply to the customer",
    "reply.placeholder": "Type a reply… Enter sends, Shift+Enter for a new line",
    "reply.placeholderNone": "Open a conversation to reply",
    "reply.placeholderEnded": "This conversation has ended",
    "reply.hint": "Enter to send · Shift+Enter new line",
    "reply.send": "Send",
    "reply.undelivered": "A message could not be delivered: it is back in its reply box.",
    "note.label": "Internal note",
    "note.warn": "never seen by the customer",
    "note.placeholder": "Note for the team (Enter adds it)",
    "note.add": "Add note",

    // console: canned responses
    "canned.title": "Canned responses",
    "canned.new": "+ New",
    "canned.search": "Search canned responses",
    "canned.searchPlaceholder": "Search… (Enter inserts)",
    "canned.list": "Canned responses (click to insert into the reply)",
    "canned.formTitle": "Title",
    "canned.formText": "Text",
    "canned.cancel": "Cancel",
    "canned.save": "Save",
    "canned.openFirst": "Open a conversation first to use a canned response.",
    "canned.edit": "Edit canned response: {title}",
    "canned.delete": "Delete canned response: {title}",
    "canned.confirmDelete": "Confirm delete of {title}",
    "canned.deleteArmed": "Delete?",
    "canned.noMatch": "No match.",
    "canned.none": "No canned responses yet. Add one with “+ New”.",
    "canned.incomplete": "A canned response needs a title and a text.",
    "canned.personal": "Yours",
    "canned.personalHint": "Only you see this one; the team's are edited by supervisors.",

    // console: context panel
    "context.title": "Context",
    "context.empty": "Open a conversation to see why it was handed over, what the customer asked and their orders.",
    "context.why": "Why a person",
    "context.noSummary": "No summary.",
    "context.evidence": "Evidence",
    "context.signal": "Signal",
    "context.score": "Score",
    "context.intents": "Last intents",
    "context.slots": "Slots",
    "context.customer": "Customer",
    "context.name": "Name",
    "context.email": "E-mail",
    "context.phone": "Phone",
    "context.address": "Address",
    "context.customerId": "Customer ID",
    "context.identity": "Identity",
    "context.verified": "verified in this conversation",
    "context.notVerified": "not verified",
    "context.unverifiedOrder": "Not verified: they named order {order}. Ask for the e-mail on the order before sharing or changing anything.",
    "context.notIdentified": "Not identified in this conversation.",
    "context.orders": "Orders ({count})",
    "context.placed": "Placed {date}",
    "context.unknownStatus": "unknown",
    "context.yes": "yes",
    "context.no": "no",

    // console: service-level timers (sla.js)
    "sla.timers": "Response targets",
    "sla.firstResponse": "First reply",
    "sla.nextResponse": "Next reply",
    "sla.resolution": "Resolution",
    "sla.left": "{time} left",
    "sla.overdue": "overdue {time}",
    "sla.due": "due {time}",
    "sla.breachedMine": "{target} overdue: {name}",
    "sla.breachedQueue": "{target} overdue: conversation #{position} in the queue ({reason})",
    "sla.breachedOther": "{target} overdue: conversation {id}",

    // supervisor page
    "sup.pageTitle": "Supervisor · Support console",
    "sup.brand": "Support · Supervisor",
    "sup.loading": "Loading…",
    "sup.consoleLink": "Agent console",
    "sup.today": "Today",
    "sup.refreshes": "Refreshes every 5 seconds",
    "sup.keyFigures": "Key figures",
    "sup.figuresFor": "Figures for",
    "sup.figuresAll": "All",
    "sup.figuresEn": "English",
    "sup.figuresJa": "Japanese",
    "sup.agents": "Agents",
    "sup.colAgent": "Agent",
    "sup.colStatus": "Status",
    "sup.colConversations": "Conversations",
    "sup.noAgents": "No agents.",
    "sup.seats": "{busy} of {capacity} seats in use",
    "sup.reasons": "Handoffs by reason",
    "sup.reasonBar": "{reason}: {count} handoffs",
    "sup.handoff": "1 handoff",
    "sup.handoffs": "{count} handoffs",
    "sup.hourlyTitle": "Conversations and handoffs per hour",
    "sup.legendConversations": "Conversations",
    "sup.legendHandoffs": "Handoffs",
    "sup.showTable": "Show as a table",
    "sup.waitTitle": "Average wait per hour",
    "sup.legendWait": "Average wait",
    "sup.updated": "Updated {time}",
    "sup.stale": "Stale — retrying",
    "sup.notLoaded": "Not loaded — retrying",
    "sup.serverAnswered": "The server answered {status} for the figures.",
    "sup.unreachable": "Cannot reach the server.",
    "sup.retrying": "{message} Retrying every 5 seconds.",
    "sup.slaTitle": "Response targets today",
    "sup.slaTarget": "Target",
    "sup.slaShare": "Met on time",
    "sup.slaMet": "Met",
    "sup.slaMissed": "Missed",
    "sup.slaBreaches": "Breaches",
    "sup.slaByReason": "By reason",
    "sup.slaByAgent": "By agent",
    "sup.slaShareBar": "{target}: {share} met on time",
    "sup.slaNone": "No response targets counted yet today.",
    "sup.autoResolved": "Closed automatically (nobody wrote): {count}",

    // supervisor: live conversations, watching, downloads (live.js, live-view.js)
    "sup.liveTitle": "Live conversations",
    "sup.liveOne": "1 conversation",
    "sup.liveMany": "{count} conversations",
    "sup.liveNone": "Nobody is waiting or talking to an agent.",
    "sup.liveLoadFailed": "The live conversations could not be loaded: {message}",
    "sup.liveColState": "State",
    "sup.liveColReason": "Reason",
    "sup.liveColAgent": "Agent",
    "sup.liveColLanguage": "Language",
    "sup.liveColWaited": "Since queued",
    "sup.liveColActions": "Actions",
    "sup.liveQueued": "Waiting",
    "sup.liveWithAgent": "With an agent",
    "sup.liveWaiting": "waiting",
    "sup.liveWatch": "Watch",
    "sup.liveWatchLabel": "Watch conversation {id}",
    "sup.liveTakeOver": "Take over",
    "sup.liveTakeOverLabel": "Take over conversation {id}",
    "sup.liveNoViewer": "This page does not know your account yet; reload it to take over.",
    "sup.liveGiveToLabel": "Give conversation {id} to",
    "sup.liveGiveOption": "{name} — {status} ({load}/{capacity})",
    "sup.liveNoneFree": "No agent with room",
    "sup.liveGive": "Give",
    "sup.liveGiven": "Given to {agent}.",
    "sup.liveTaken": "The conversation is yours now.",
    "sup.liveReplyLink": "Reply in your console",
    "sup.liveFailed": "The server answered {status}.",
    "sup.watchTitle": "Conversation {id}",
    "sup.watchReadOnly": "Watching — the customer and the agent don't see you",
    "sup.watchRefreshes": "Refreshes every 3 seconds",
    "sup.watchClose": "Close",
    "sup.watchCloseLabel": "Stop watching",
    "sup.watchAgent": "Agent: {agent}",
    "sup.watchEmpty": "No messages yet.",
    "sup.watchGone": "This conversation is no longer available.",
    "sup.watchFailed": "The conversation could not be loaded: {message}",
    "sup.exportTitle": "Download the day",
    "sup.exportFigures": "Figures per hour (CSV)",
    "sup.exportConversations": "Conversations (CSV)",

    // supervisor: tiles
    "tile.queueLength": "In queue",
    "tile.longestWait": "Longest wait",
    "tile.agentsAvailable": "Agents available",
    "tile.containment": "Containment",
    "tile.averageWait": "Average wait",
    "tile.firstResponse": "First response",
    "tile.satisfaction": "Satisfaction",
    "tile.conversations": "Conversations today",
    "tile.waitingOne": "1 customer waiting",
    "tile.waitingMany": "{count} customers waiting",
    "tile.nobodyWaiting": "nobody waiting",
    "tile.inQueueNow": "in the queue now",
    "tile.ofAgents": "of {count} agents",
    "tile.botOnly": "bot only · {handed} of {total} handed off",
    "tile.waitSpan": "queued → claimed",
    "tile.firstResponseSpan": "queued → first agent message",
    "tile.rating": "{average} / 5",
    "tile.ratingOne": "1 rating",
    "tile.ratings": "{count} ratings",
    "tile.conversationsSub": "{handed} handed off · {closed} closed by agents",

    // supervisor: charts
    "chart.hourlyLabel": "Conversations and handoffs per hour today: {conversations} conversations, {handoffs} handoffs",
    "chart.hourBar": "{hour}:00–{hour}:59 · {conversations} conversations, {handoffs} handoffs",
    "chart.hour": "Hour",
    "chart.conversations": "Conversations",
    "chart.handoffs": "Handoffs",
    "chart.satisfaction": "Satisfaction",
    "chart.averageWait": "Average wait",
    "chart.firstResponse": "First response",
    "chart.waitLabelLongest": "Average wait per hour today, longest hour {duration}",
    "chart.waitLabelNone": "Average wait per hour today, no waits recorded",
    "chart.waitDot": "{hour}:00 · average wait {wait}",
    "chart.waitDotFirst": "{hour}:00 · average wait {wait}, first response {first}",
    "chart.noWaits": "No waits recorded today",
  },

  ja: {
    // every page
    "app.name": "サポートコンソール",
    "app.titleCount": "({count}) サポートコンソール",
    "language.label": "表示言語",
    "common.logout": "ログアウト",
    "common.reconnecting": "再接続しています…",
    "common.notifications": "通知",
    "common.dismissNotification": "通知を閉じる",
    "common.somethingWrong": "エラーが発生しました",
    "common.notConnected": "接続されていません。しばらくしてからもう一度お試しください。",
    "common.noSocketIo": "Socket.IO クライアントを読み込めませんでした。ページを再読み込みしてください。",

    // login page
    "login.pageTitle": "ログイン · サポートコンソール",
    "login.subtitle": "ログインして、お客様対応を開始してください。",
    "login.username": "ユーザー名",
    "login.password": "パスワード",
    "login.toSupervisor": "スーパーバイザー画面を開く",
    "login.supervisorsOnly": "（スーパーバイザーのみ）",
    "login.submit": "ログイン",
    "login.submitting": "ログインしています…",
    "login.wrong": "ユーザー名またはパスワードが正しくありません",
    "login.tooMany": "ログインの試行回数が上限を超えました。1分ほど待ってから、もう一度お試しください。",
    "login.failed": "ログインに失敗しました（{status}）。もう一度お試しください。",
    "login.missing": "ユーザー名とパスワードを入力してください。",
    "login.unreachable": "サーバーに接続できません。ネットワーク接続を確認して、もう一度お試しください。",

    // console: header
    "header.skipToReply": "返信欄へ移動",
    "header.loadTitle": "対応中の会話数 / 上限",
    "header.load": "対応中 {open} / {capacity} 件",
    "header.loadUnlimited": "対応中 {open} 件",
    "header.statusSwitch": "新しい会話を受け付ける",
    "header.supervisor": "スーパーバイザー",
    "status.available": "対応可能",
    "status.away": "離席中",
    "agentStatus.available": "対応可能",
    "agentStatus.away": "離席中",
    "agentStatus.offline": "オフライン",

    // console: queue
    "nav.label": "待機中の会話とチケット",
    "queue.title": "待機中の会話",
    "queue.empty": "待機中のお客様はいません。",
    "queue.position": "順番",
    "queue.priority": "優先度 {priority}（数値が大きいほど先に対応）",
    "queue.noSummary": "要約なし",
    "queue.signal": "シグナル 1 件",
    "queue.signals": "シグナル {count} 件",
    "queue.claim": "対応を開始",
    "queue.claiming": "開始中…",
    "queue.claimLabel": "会話 #{position}（{reason}）の対応を開始",
    "queue.atCapacity": "対応件数が上限に達しています。先に会話を対応終了にするか、ボットに戻してください。",
    "queue.atCapacityTitle": "対応件数が上限です（{open}/{capacity}）。先に会話を対応終了にするか、ボットに戻してください",
    "queue.newOne": "新しい会話が待機中です：{reason}",
    "queue.newMany": "新しい会話が {count} 件待機中です",
    "queue.assigned": "新しい会話が割り当てられました：{name}",

    // console: tickets
    "tickets.title": "チケット",
    "tickets.empty": "未対応のチケットはありません。",
    "tickets.handled": "対応済み",
    "tickets.handledList": "対応済みのチケット",
    "tickets.handledBy": "{agent} が対応済み",
    "tickets.showMore": "続きを表示",
    "tickets.showLess": "折りたたむ",
    "tickets.markHandled": "対応済みにする",
    "tickets.reply": "メールで返信",
    "tickets.replyLabel": "{email} への返信",
    "tickets.replySend": "返信を送信",
    "tickets.replying": "送信中…",
    "tickets.markHandledLabel": "チケット {id} を対応済みにする",
    "tickets.marking": "更新中…",

    // console: team
    "team.title": "チーム",
    "team.you": "{name}（自分）",
    "team.empty": "チームの情報はまだありません。",

    // console: conversations
    "conv.region": "会話",
    "conv.tabs": "対応中の会話",
    "conv.none": "開いている会話はありません",
    "conv.noneHelp": "待機中の会話から「対応を開始」を押してください。会話の履歴と詳細情報がここに表示されます。",
    "conv.actions": "会話の操作",
    "conv.started": "開始 {time}",
    "conv.ended": "この会話は終了しました（{how}）。閲覧のみ可能です。",
    "conv.dismiss": "閉じる",
    "conv.transcript": "会話履歴",
    "conv.tabEnded": "終了",
    "conv.tabTyping": "入力中",
    "conv.unread": "未読 {count} 件",
    "conv.customerTyping": "お客様が入力中…",
    "conv.visitor": "ゲスト {id}",
    "ended.closed": "対応終了：{resolution}",
    "ended.handedBack": "ボットに戻しました",
    "ended.transferred": "{agent} さんに転送しました",
    "ended.notYours": "担当が外れました",
    "ended.ended": "終了しました",

    // console: actions
    "actions.handBack": "ボットに戻す",
    "actions.erase": "お客様データを削除",
    "actions.eraseConfirm": "完全に削除しますか？",
    "actions.transferTo": "転送先",
    "actions.transfer": "転送",
    "actions.transferOption": "{name} — {status}（{load}/{capacity}）",
    "actions.noAgentFree": "対応可能な担当者がいません",
    "actions.noOtherAgents": "ほかの担当者がいません",
    "actions.chooseAgent": "転送先の担当者を選んでください。",
    "actions.resolution": "対応結果",
    "actions.close": "対応終了",

    // console: transcript entries
    "entry.customer": "お客様",
    "entry.assistant": "アシスタント",
    "entry.agent": "担当者",
    "entry.noteAuthor": "担当者",
    "entry.note": "社内メモ · {name}",
    "entry.buttons": "表示された選択肢",
    "entry.image": "アシスタントが送信した画像",
    "entry.noText": "（テキストなし）",
    "entry.notVisible": "お客様には表示されません",

    // console: reply and note boxes
    "reply.label": "お客様への返信",
    "reply.placeholder": "返信を入力…（Enter で送信、Shift+Enter で改行）",
    "reply.placeholderNone": "返信するには会話を開いてください",
    "reply.placeholderEnded": "この会話は終了しました",
    "reply.hint": "Enter で送信 · Shift+Enter で改行",
    "reply.send": "送信",
    "reply.undelivered": "メッセージを送信できませんでした。返信欄に戻しています。",
    "note.label": "社内メモ",
    "note.warn": "お客様には表示されません",
    "note.placeholder": "チーム向けのメモ（Enter で追加）",
    "note.add": "メモを追加",

    // console: canned responses
    "canned.title": "定型文",
    "canned.new": "＋ 新規",
    "canned.search": "定型文を検索",
    "canned.searchPlaceholder": "検索…（Enter で挿入）",
    "canned.list": "定型文（クリックで返信欄に挿入）",
    "canned.formTitle": "タイトル",
    "canned.formText": "本文",
    "canned.cancel": "キャンセル",
    "canned.save": "保存",
    "canned.openFirst": "定型文を使うには、先に会話を開いてください。",
    "canned.edit": "定型文を編集：{title}",
    "canned.delete": "定型文を削除：{title}",
    "canned.confirmDelete": "「{title}」の削除を確定",
    "canned.personal": "個人用",
    "canned.personalHint": "この定型文はご自身にのみ表示されます。チーム共通の定型文はスーパーバイザーが編集します。",
    "canned.deleteArmed": "削除？",
    "canned.noMatch": "該当する定型文はありません。",
    "canned.none": "定型文はまだありません。「＋ 新規」から追加してください。",
    "canned.incomplete": "定型文にはタイトルと本文の両方が必要です。",

    // console: context panel
    "context.title": "詳細情報",
    "context.empty": "会話を開くと、担当者に引き継がれた理由、お客様のお問い合わせ内容、ご注文がここに表示されます。",
    "context.why": "引き継ぎの理由",
    "context.noSummary": "要約はありません。",
    "context.evidence": "根拠",
    "context.signal": "シグナル",
    "context.score": "スコア",
    "context.intents": "直近のインテント",
    "context.slots": "スロット",
    "context.customer": "お客様",
    "context.name": "氏名",
    "context.email": "メールアドレス",
    "context.phone": "電話番号",
    "context.address": "住所",
    "context.customerId": "顧客ID",
    "context.identity": "本人確認",
    "context.verified": "この会話で確認済み",
    "context.notVerified": "未確認",
    "context.unverifiedOrder": "本人確認が済んでいません（お客様は注文番号 {order} を挙げています）。情報の開示や変更の前に、ご注文時のメールアドレスをご確認ください。",
    "context.notIdentified": "この会話ではお客様を特定できていません。",
    "context.orders": "ご注文（{count} 件）",
    "context.placed": "注文日 {date}",
    "context.unknownStatus": "不明",
    "context.yes": "はい",
    "context.no": "いいえ",

    // console: service-level timers (sla.js)
    "sla.timers": "応答目標",
    "sla.firstResponse": "初回応答",
    "sla.nextResponse": "次回応答",
    "sla.resolution": "解決",
    "sla.left": "残り {time}",
    "sla.overdue": "超過 {time}",
    "sla.due": "期限 {time}",
    "sla.breachedMine": "{name}：{target}の目標時間を超過しました",
    "sla.breachedQueue": "待機中の会話 #{position}（{reason}）：{target}の目標時間を超過しました",
    "sla.breachedOther": "会話 {id}：{target}の目標時間を超過しました",

    // supervisor page
    "sup.pageTitle": "スーパーバイザー · サポートコンソール",
    "sup.brand": "サポート · スーパーバイザー",
    "sup.loading": "読み込み中…",
    "sup.consoleLink": "エージェントコンソール",
    "sup.today": "本日",
    "sup.refreshes": "5秒ごとに更新",
    "sup.keyFigures": "主要指標",
    "sup.figuresFor": "集計対象",
    "sup.figuresAll": "すべて",
    "sup.figuresEn": "英語",
    "sup.figuresJa": "日本語",
    "sup.agents": "担当者",
    "sup.colAgent": "担当者",
    "sup.colStatus": "状態",
    "sup.colConversations": "対応中の会話",
    "sup.noAgents": "担当者がいません。",
    "sup.seats": "{capacity} 席中 {busy} 席が対応中",
    "sup.reasons": "理由別の引き継ぎ件数",
    "sup.reasonBar": "{reason}：引き継ぎ {count} 件",
    "sup.handoff": "引き継ぎ 1 件",
    "sup.handoffs": "引き継ぎ {count} 件",
    "sup.hourlyTitle": "時間帯別の会話数と引き継ぎ件数",
    "sup.legendConversations": "会話",
    "sup.legendHandoffs": "引き継ぎ",
    "sup.showTable": "表で表示",
    "sup.waitTitle": "時間帯別の平均待ち時間",
    "sup.legendWait": "平均待ち時間",
    "sup.updated": "{time} に更新",
    "sup.stale": "更新が遅れています — 再試行中",
    "sup.notLoaded": "読み込めていません — 再試行中",
    "sup.serverAnswered": "指標の取得でサーバーがステータス {status} を返しました。",
    "sup.unreachable": "サーバーに接続できません。",
    "sup.retrying": "{message}5秒ごとに再試行します。",
    "sup.slaTitle": "本日の応答目標の達成状況",
    "sup.slaTarget": "目標",
    "sup.slaShare": "達成率",
    "sup.slaMet": "達成",
    "sup.slaMissed": "未達",
    "sup.slaBreaches": "期限超過",
    "sup.slaByReason": "理由別",
    "sup.slaByAgent": "担当者別",
    "sup.slaShareBar": "{target}：達成率 {share}",
    "sup.slaNone": "本日の応答目標の集計はまだありません。",
    "sup.autoResolved": "自動終了（お客様の応答なし）：{count} 件",

    // supervisor: live conversations, watching, downloads (live.js, live-view.js)
    "sup.liveTitle": "待機中・対応中の会話",
    "sup.liveOne": "会話 1 件",
    "sup.liveMany": "会話 {count} 件",
    "sup.liveNone": "待機中・対応中の会話はありません。",
    "sup.liveLoadFailed": "待機中・対応中の会話を読み込めませんでした：{message}",
    "sup.liveColState": "状態",
    "sup.liveColReason": "理由",
    "sup.liveColAgent": "担当者",
    "sup.liveColLanguage": "言語",
    "sup.liveColWaited": "待機開始から",
    "sup.liveColActions": "操作",
    "sup.liveQueued": "待機中",
    "sup.liveWithAgent": "対応中",
    "sup.liveWaiting": "未割り当て",
    "sup.liveWatch": "閲覧",
    "sup.liveWatchLabel": "会話 {id} を閲覧",
    "sup.liveTakeOver": "自分が引き継ぐ",
    "sup.liveTakeOverLabel": "会話 {id} を自分が引き継ぐ",
    "sup.liveNoViewer": "このページではまだご自身のアカウントを確認できていません。引き継ぐには、ページを再読み込みしてください。",
    "sup.liveGiveToLabel": "会話 {id} の割り当て先",
    "sup.liveGiveOption": "{name} — {status}（{load}/{capacity}）",
    "sup.liveNoneFree": "空きのある担当者がいません",
    "sup.liveGive": "割り当て",
    "sup.liveGiven": "{agent} さんに割り当てました。",
    "sup.liveTaken": "この会話はご自身の担当になりました。",
    "sup.liveReplyLink": "コンソールで返信する",
    "sup.liveFailed": "サーバーがステータス {status} を返しました。",
    "sup.watchTitle": "会話 {id}",
    "sup.watchReadOnly": "閲覧中（お客様と担当者には表示されません）",
    "sup.watchRefreshes": "3秒ごとに更新",
    "sup.watchClose": "閉じる",
    "sup.watchCloseLabel": "閲覧を終了",
    "sup.watchAgent": "担当者：{agent}",
    "sup.watchEmpty": "メッセージはまだありません。",
    "sup.watchGone": "この会話は表示できなくなりました。",
    "sup.watchFailed": "会話を読み込めませんでした：{message}",
    "sup.exportTitle": "本日のデータをダウンロード",
    "sup.exportFigures": "時間帯別の指標（CSV）",
    "sup.exportConversations": "会話一覧（CSV）",

    // supervisor: tiles
    "tile.queueLength": "待ち件数",
    "tile.longestWait": "最長待ち時間",
    "tile.agentsAvailable": "対応可能な担当者",
    "tile.containment": "自動解決率",
    "tile.averageWait": "平均待ち時間",
    "tile.firstResponse": "初回応答時間",
    "tile.satisfaction": "顧客満足度",
    "tile.conversations": "本日の会話数",
    "tile.waitingOne": "1 名のお客様が待機中",
    "tile.waitingMany": "{count} 名のお客様が待機中",
    "tile.nobodyWaiting": "待機中のお客様はいません",
    "tile.inQueueNow": "現在待機中の会話",
    "tile.ofAgents": "全 {count} 名中",
    "tile.botOnly": "ボットのみで解決 · {total} 件中 {handed} 件を引き継ぎ",
    "tile.waitSpan": "待機開始 → 対応開始",
    "tile.firstResponseSpan": "待機開始 → 担当者の最初の返信",
    "tile.rating": "{average} / 5",
    "tile.ratingOne": "評価 1 件",
    "tile.ratings": "評価 {count} 件",
    "tile.conversationsSub": "引き継ぎ {handed} 件 · 担当者による対応終了 {closed} 件",

    // supervisor: charts
    "chart.hourlyLabel": "本日の時間帯別の会話数と引き継ぎ件数：会話 {conversations} 件、引き継ぎ {handoffs} 件",
    "chart.hourBar": "{hour}:00–{hour}:59 · 会話 {conversations} 件、引き継ぎ {handoffs} 件",
    "chart.hour": "時間帯",
    "chart.conversations": "会話",
    "chart.handoffs": "引き継ぎ",
    "chart.satisfaction": "満足度",
    "chart.averageWait": "平均待ち時間",
    "chart.firstResponse": "初回応答時間",
    "chart.waitLabelLongest": "本日の時間帯別の平均待ち時間（最も長い時間帯 {duration}）",
    "chart.waitLabelNone": "本日の時間帯別の平均待ち時間（記録なし）",
    "chart.waitDot": "{hour}:00 · 平均待ち時間 {wait}",
    "chart.waitDotFirst": "{hour}:00 · 平均待ち時間 {wait}、初回応答時間 {first}",
    "chart.noWaits": "本日の待ち時間の記録はありません",
  },
};

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** "en" or "ja": a language the catalogue has; anything else (missing, "fr", "EN ") is English. */
export function normalizeLanguage(language) {
  return typeof language === "string" && hasOwn(TEXT, language) ? language : DEFAULT_LANGUAGE;
}

/** The names of the `{name}` placeholders of `template`, sorted, each once. */
export function placeholders(template) {
  const names = new Set();
  for (const match of String(template).matchAll(PLACEHOLDER)) names.add(match[1]);
  return [...names].sort();
}

/**
 * The text `key` in `language` (English when the language or the key is missing there; the key
 * itself when English has none either), each `{name}` replaced by `String(params[name])`; a
 * placeholder without a value stays as it is. Values are put in as they are: never interpreted.
 */
export function t(language, key, params) {
  const book = TEXT[normalizeLanguage(language)];
  const template = hasOwn(book, key) ? book[key] : hasOwn(TEXT.en, key) ? TEXT.en[key] : String(key);
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name) => {
    const value = hasOwn(params, name) ? params[name] : undefined;
    return value === undefined || value === null ? whole : String(value);
  });
}

/** `oneKey` when `count` is 1, else `manyKey` with `{count}`. */
export function tCount(language, count, oneKey, manyKey, params) {
  return Number(count) === 1 ? t(language, oneKey, params) : t(language, manyKey, { count, ...params });
}

/* --- numbers and times per language (English: exactly the shared formatting) --- */

const known = (x) => x !== null && x !== undefined && Number.isFinite(Number(x));

/** A duration for people: "1 min 24 s" / "1分24秒"; "—" when unknown. */
export function formatDuration(language, s) {
  if (normalizeLanguage(language) === "en") return durationEn(s);
  if (!known(s)) return "—";
  s = Math.max(0, Math.round(Number(s)));
  if (s < 60) return s + "秒";
  if (s < 3600) {
    const m = Math.floor(s / 60), r = s % 60;
    return r ? m + "分" + r + "秒" : m + "分";
  }
  let h = Math.floor(s / 3600), mm = Math.round((s % 3600) / 60);
  if (mm === 60) { h += 1; mm = 0; }
  return mm ? h + "時間" + mm + "分" : h + "時間";
}

/** An axis label: "0", "30 s", "1.5 min", "2 h" / "0", "30秒", "1.5分", "2時間". */
export function formatShortDuration(language, s) {
  if (normalizeLanguage(language) === "en") return shortDurationEn(s);
  if (s === 0) return "0";
  if (s < 60) return s + "秒";
  if (s < 3600) return (s % 60 ? (s / 60).toFixed(1) : s / 60) + "分";
  return (s / 3600).toFixed(s % 3600 ? 1 : 0) + "時間";
}

/** "88 %" / "88%" for 0.883; "—" when unknown. */
export function formatPercent(language, x) {
  if (normalizeLanguage(language) === "en") return percentEn(x);
  if (!known(x)) return "—";
  return Math.round(Number(x) * 100) + "%";
}

/** A wire timestamp (seconds) as "14:05" today, else "3 Feb 14:05" / "2月3日 14:05"; "" if not a number. */
export function formatClock(language, ts, withDate = false, now = new Date()) {
  if (normalizeLanguage(language) === "en") return clockEn(ts, withDate, now);
  if (typeof ts !== "number" || !Number.isFinite(ts)) return "";
  const d = new Date(ts * 1000);
  if (!withDate && d.toDateString() === now.toDateString()) return hhmm(d);
  return (d.getMonth() + 1) + "月" + d.getDate() + "日 " + hhmm(d);
}

/** Relative age: "just now", "5 min ago", "3 h ago" / "たった今", "5分前", "3時間前"; else a date. */
export function formatAgo(language, ts, nowS = Date.now() / 1000) {
  if (normalizeLanguage(language) === "en") return agoEn(ts, nowS);
  if (typeof ts !== "number" || !Number.isFinite(ts)) return "";
  const s = nowS - ts;
  if (s < 45) return "たった今";
  if (s < 3600) return Math.round(s / 60) + "分前";
  if (s < 86400) return Math.round(s / 3600) + "時間前";
  return formatClock(language, ts, true);
}

/* --- languages of customers and agents ---------------------------------------- */

/** A language by its own name ("English", "日本語"); other codes as they are. */
export function languageName(code) {
  const c = String(code || "").trim();
  return hasOwn(LANGUAGE_NAMES, c) ? LANGUAGE_NAMES[c] : c;
}

/** The badge of a conversation's language: {text: "EN", title: "English"}; null when there is none. */
export function languageBadge(code) {
  if (typeof code !== "string" || !code.trim()) return null;
  return { text: code.trim().toUpperCase(), title: languageName(code) };
}

/** An agent's name with the languages they serve: "Yuki (JA, EN)"; the name alone without any. */
export function withLanguages(name, languages) {
  const codes = Array.isArray(languages)
    ? languages.filter((l) => typeof l === "string" && l.trim()).map((l) => l.trim().toUpperCase()) : [];
  return codes.length ? String(name) + " (" + codes.join(", ") + ")" : String(name);
}

/** An agent's availability in the team list and the transfer choices: "away" / "離席中" (others as they are). */
export function agentStatusText(language, status) {
  const s = String(status || "offline");
  return hasOwn(TEXT.en, "agentStatus." + s) ? t(language, "agentStatus." + s) : s;
}

/* --- labels from the server's vocabulary -------------------------------------- */

/** A resolution code's label from `labels` ({code: {en, ja}}), else the code with `_` → space. */
export function resolutionLabel(language, code, labels) {
  const lang = normalizeLanguage(language);
  const label = labels && typeof labels === "object" && hasOwn(labels, code) ? labels[code] : null;
  const text = label && typeof label === "object"
    ? (typeof label[lang] === "string" && label[lang] ? label[lang] : label.en) : null;
  return typeof text === "string" && text ? text : String(code).replace(/_/g, " ");
}

/**
 * How a conversation left this agent, for the ended banner. The server words it in English
 * ("closed: answered", "handed back to the assistant", "transferred to Bob", "no longer yours"):
 * English shows it as it came; Japanese translates the phrases it knows and shows others as they came.
 */
export function endedHow(language, how, labels) {
  const text = String(how || "ended");
  const lang = normalizeLanguage(language);
  if (lang === "en") return text;
  let match;
  if ((match = /^closed: ([a-z_]+)$/.exec(text))) {
    return t(lang, "ended.closed", { resolution: resolutionLabel(lang, match[1], labels) });
  }
  if ((match = /^transferred to (.+)$/.exec(text))) return t(lang, "ended.transferred", { agent: match[1] });
  if (text === "handed back to the assistant") return t(lang, "ended.handedBack");
  if (text === "no longer yours") return t(lang, "ended.notYours");
  if (text === "ended") return t(lang, "ended.ended");
  return text;
}
