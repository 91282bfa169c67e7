/* The protocol between the pages and the bridge, as the pages use it: event names, limits and
 * the few rules both pages apply (see web/PROTOCOL.md). Pure. */

export const SOCKET_PATH = "/socket.io";
export const AGENT_NAMESPACE = "/agent";

/** Default namespace: Rasa's socket.io protocol plus the bridge's handoff events. */
/** What the widget announces in `session_request`: it shows the history and the handoff events
 * itself (a client that announces nothing gets the handoff as plain bot messages). */
export const CAPABILITIES = Object.freeze(["handoff_events"]);

export const CUSTOMER = Object.freeze({
  SESSION_REQUEST: "session_request",
  SESSION_CONFIRM: "session_confirm",
  SESSION_SECRET: "session_secret",
  SESSION_JOINED: "session_joined",
  USER_UTTERED: "user_uttered",
  BOT_UTTERED: "bot_uttered",
  HISTORY: "history",
  TYPING: "typing",
  HANDOFF_QUEUED: "handoff_queued",
  HANDOFF_NO_AGENT: "handoff_no_agent",
  KEEP_WAITING: "keep_waiting",
  LEAVE_MESSAGE: "leave_message",
  TICKET_CREATED: "ticket_created",
  AGENT_JOINED: "agent_joined",
  AGENT_LEFT: "agent_left",
  HANDOFF_RETURNED: "handoff_returned",
  HANDOFF_CLOSED: "handoff_closed",
  SURVEY: "survey",
  SURVEY_SAVED: "survey_saved",
  TRANSCRIPT_REQUEST: "transcript_request",
  TRANSCRIPT_SENT: "transcript_sent",
  RESYNC: "resync",
  ERROR: "error",
});

/** The `/agent` namespace. */
export const AGENT = Object.freeze({
  HELLO: "hello",
  AGENTS: "agents",
  STATUS: "status",
  SET_STATUS: "set_status",
  QUEUE: "queue",
  CLAIM: "claim",
  CLAIMED: "claimed",
  CUSTOMER_MESSAGE: "customer_message",
  ENTRY_ADDED: "entry_added",
  TYPING: "typing",
  AGENT_MESSAGE: "agent_message",
  NOTE: "note",
  HAND_BACK: "hand_back",
  ERASE: "erase",
  CLOSE: "close",
  TRANSFER: "transfer",
  CONVERSATION_ENDED: "conversation_ended",
  TICKETS: "tickets",
  TICKET_HANDLED: "ticket_handled",
  TICKET_REPLY: "ticket_reply",
  CANNED: "canned",
  CANNED_SAVE: "canned_save",
  CANNED_DELETE: "canned_delete",
  RESYNC: "resync",
  ENTRIES: "entries",
  SLA_BREACHED: "sla_breached",
  ERROR: "error",
});

/** The longest message (customer, agent, note, ticket, survey comment), in characters. */
export const MAX_CHARS = 4000;

/** What the bridge accepts as an e-mail address (the same pattern as handoff/protocol.py). */
export const EMAIL_RE = /^[^@\s<>]{1,64}@[^@\s<>]{1,190}\.[A-Za-z]{2,24}$/;

export function isEmail(value) {
  return typeof value === "string" && EMAIL_RE.test(value);
}

/** `text` cut to the limit. */
export function clip(text, max = MAX_CHARS) {
  const s = String(text);
  return s.length > max ? s.slice(0, max) : s;
}

/** Error codes that are passing (the bridge had a hiccup): the message is sent again, silently. */
export const PASSING_ERRORS = Object.freeze(["unavailable", "internal", "rate_limited"]);

export function isPassingError(code) {
  return PASSING_ERRORS.includes(code);
}

/** Delivery: how long to wait for an acknowledgement, and the back-off between attempts. */
export const ACK_TIMEOUT_MS = 20000;
export const RETRY_BASE_MS = 1000;
export const RETRY_CAP_MS = 30000;

/** Typing notifications: `typing: false` after this long without a keystroke. */
export const TYPING_IDLE_MS = 2000;

/** Keys of the customer's status lines (`role: "system"` entries carry `status: <key>`). */
export const STATUS_KEYS = Object.freeze(["handoff", "joined", "left", "returned", "closed", "ticket", "rated",
                                          "joined_elsewhere", "erased"]);

/** Where the widget hands the resume token of a conversation it started, to get it back as an HttpOnly
 * cookie that only the browser sends (with every Socket.IO handshake); see handoff/identity.py. */
export const RESUME_PATH = "/api/customer/resume";
