// The widget's state module: config, history → what to draw, status lines, small reducers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readConfig } from "../../web/widget/config.js";
import { translator } from "../../web/widget/strings.js";
import * as W from "../../web/widget/state.js";
import { segmentsText } from "../../web/shared/vocabulary.js";

const PAGE = "https://shop.example.com/products";
const config = (raw = {}) => readConfig({ bridgeUrl: "https://support.example.com/", initialPayload: "/greet", ...raw },
  "https://support.example.com/widget/main.js", PAGE);
const VOCABULARY = { status_lines: {
  joined: { en: "{agent} from Support joined", ja: "サポートの{agent}が参加しました" },
  returned: { en: "You're back with the assistant", ja: "アシスタントとの会話に戻りました" },
  ticket: { en: "Message left: ticket {ticket}", ja: "受付番号 {ticket}" },
} };

test("config: bridge from the script's origin by default, trailing slashes trimmed, storage key per bridge", () => {
  const own = readConfig({}, "https://support.example.com/widget/main.js", "https://support.example.com/shop/");
  assert.equal(own.bridgeUrl, "https://support.example.com");
  assert.equal(own.sessionKey, "supportWidget.sessionId");
  assert.equal(own.language, "en");
  const other = config({ language: "ja", open: "yes", title: "" });
  assert.equal(other.bridgeUrl, "https://support.example.com");
  assert.equal(other.sessionKey, "supportWidget.sessionId@https://support.example.com");
  assert.equal(other.language, "ja");
  assert.equal(other.open, false, "only true opens");
  assert.equal(other.title, null);
  assert.equal(readConfig({ language: "fr" }, null, PAGE).bridgeUrl, "https://shop.example.com");
});

test("history: the hidden greeting is skipped once, a quick reply's payload shows its title, replies only on the last message", () => {
  const state = W.createState(config());
  const view = W.historyView(state, { state: "bot", transcript: [
    { id: "e1", role: "customer", text: "/greet", ts: 1 },
    { id: "e2", role: "bot", text: "Hi! How can I help?", ts: 2,
      payload: { quick_replies: [{ title: "Track my order", payload: "/track_order" }] } },
    { id: "e3", role: "customer", text: "/track_order", ts: 3, message_id: "w1" },
    { id: "e4", role: "bot", text: "Which order?", ts: 4, payload: { quick_replies: [{ title: "ORD-1", payload: "ORD-1" }] } },
    { id: "e5", role: "customer", text: "/greet", ts: 5 },
  ] });
  assert.deepEqual(view.items.map((i) => [i.role, i.text]),
    [["bot", "Hi! How can I help?"], ["customer", "Track my order"], ["bot", "Which order?"], ["customer", "/greet"]]);
  assert.equal(view.replies, null, "the customer answered after the last buttons");
  assert.deepEqual([...view.acked], ["w1"]);
  assert.deepEqual([...state.shownIds], ["e1", "e2", "e3", "e4", "e5"]);
  const open = W.historyView(state, { transcript: [{ role: "bot", text: "Pick one", payload: { quick_replies: [{ title: "A", payload: "a" }] } }] });
  assert.deepEqual(open.replies, [{ title: "A", payload: "a" }]);
  assert.equal(state.shownIds.size, 0, "a new history resets the drawn ids");
});

test("history: agent entries carry the agent's name; unsafe images are dropped and an image-only message with one vanishes", () => {
  const state = W.createState(config());
  const view = W.historyView(state, { transcript: [
    { role: "agent", text: "Hello, Alice here", agent: { id: "h1", name: "Alice" } },
    { role: "bot", text: null, payload: { text: "From payload", metadata: { sender: "agent", agent: { name: "Bob" } } } },
    { role: "bot", text: "", payload: { attachment: { type: "image", payload: { src: "javascript:alert(1)" } } } },
    { role: "bot", text: "", payload: { attachment: { type: "image", payload: { src: "/img/map.png" } } } },
  ] });
  assert.deepEqual(view.items.map((i) => [i.role, i.text, i.agentName]),
    [["agent", "Hello, Alice here", "Alice"], ["agent", "From payload", "Bob"], ["bot", "", ""]]);
  assert.equal(view.items[2].image, "https://support.example.com/img/map.png");
});

test("history: status lines come from the vocabulary by key in the widget's language, else the entry's text", () => {
  const state = W.createState(config({ language: "ja" }));
  const entries = [
    { role: "system", status: "joined", params: { agent: "Alice" }, text: "Alice from Support joined" },
    { role: "system", status: "closed", params: {}, text: "The conversation was closed" },
    { role: "system", status: "joined", params: {}, text: "Someone joined" },
    { role: "system", text: "A line without a key" },
  ];
  const before = W.historyView(state, { transcript: entries });
  assert.deepEqual(before.items.map((i) => segmentsText(i.segments)), entries.map((e) => e.text), "no vocabulary yet");
  const after = W.historyView(state, { transcript: entries, vocabulary: VOCABULARY });
  assert.deepEqual(after.items.map((i) => segmentsText(i.segments)),
    ["サポートのAliceが参加しました", "The conversation was closed", "Someone joined", "A line without a key"]);
  assert.deepEqual(after.items[0].segments[1], { text: "Alice", param: "agent" });
  W.historyView(state, { transcript: [] });
  assert.equal(state.vocabulary, VOCABULARY, "kept when a later history has none");
});

test("live status lines: the vocabulary when it has arrived, else the entry's own text", () => {
  const ja = W.createState(config({ language: "ja" }));
  assert.equal(segmentsText(W.statusSegments(ja, "joined", { agent: "Alice" }, "Alice joined")), "Alice joined");
  ja.vocabulary = VOCABULARY;
  assert.equal(segmentsText(W.statusSegments(ja, "ticket", { ticket: "T-1" })), "受付番号 T-1");
  const en = W.createState(config());
  en.vocabulary = VOCABULARY;
  assert.equal(segmentsText(W.statusSegments(en, "returned", {})), "You're back with the assistant");
  assert.equal(segmentsText(W.statusSegments(en, "closed", {}, "Closed")), "Closed", "unknown to this vocabulary: the entry's text");
});

test("queue line, typing line, connection line", () => {
  const t = translator("en");
  assert.equal(W.queueText(t, 2, 130), "Connecting you to a person: you are number 2 in line, about 3 minutes");
  assert.equal(W.queueText(t, 1, 0), "Connecting you to a person: you are number 1 in line, about 1 minute");
  assert.equal(W.queueText(t, null, 50), "Connecting you to a person…");
  assert.match(W.queueText(translator("ja"), 3, 61), /3番目で、約2分/);
  const state = W.createState(config());
  assert.equal(W.typingLabel(state, t, { who: "bot", typing: true }), "Assistant is typing…");
  assert.equal(W.typingLabel(state, t, { who: "agent", typing: true }), "Someone is typing…");
  W.setConversation(state, "with_agent", { id: "h", name: "Alice" });
  assert.equal(W.typingLabel(state, t, { who: "agent", typing: true }), "Alice is typing…");
  assert.equal(W.typingLabel(state, t, { who: "agent", typing: false }), null);
  assert.equal(W.typingLabel(state, t, { who: "customer", typing: true }), undefined);
  assert.equal(W.connectionText(state, t), "Connecting…");
  W.connected(state, "abc");
  assert.equal(W.connectionText(state, t), "");
  state.connected = false;
  assert.equal(W.connectionText(state, t), "Reconnecting…");
});

test("a session: nothing can be sent before it is confirmed; the greeting goes once per new, empty conversation", () => {
  const state = W.createState(config());
  W.connected(state, null);
  assert.equal(W.canSend(state), false);
  state.sessionId = W.sessionIdOf("s-new");
  assert.equal(W.canSend(state), true);
  assert.equal(W.shouldGreet(state, { transcript: [] }), true);
  assert.equal(W.shouldGreet(state, { transcript: [] }), false, "a reconnect does not greet again");
  W.connected(state, "s-old");
  state.sessionId = W.sessionIdOf({ session_id: "s-old" });
  assert.equal(W.shouldGreet(state, { transcript: [] }), false, "the stored conversation came back");
  W.connected(state, "s-gone");
  state.sessionId = "s-other";
  assert.equal(W.shouldGreet(state, { transcript: [{ role: "bot", text: "hi" }] }), false, "not empty");
  assert.equal(W.shouldGreet(state, { transcript: [] }), true, "the server gave a new id");
  assert.equal(W.sessionIdOf(42), "");
});

test("the survey is due after a close without a rating; survey_pending decides when present", () => {
  assert.equal(W.surveyDue({ state: "closed" }), true);
  assert.equal(W.surveyDue({ state: "closed", surveyed: true }), false);
  assert.equal(W.surveyDue({ state: "bot", survey_pending: true }), true);
  assert.equal(W.surveyDue({ state: "closed", survey_pending: false }), false);
});

test("drawn ids are drawn once; the stored outbox keeps only well-formed messages and their fields", () => {
  const state = W.createState(config());
  assert.equal(W.firstSight(state, "b1"), true);
  assert.equal(W.firstSight(state, "b1"), false);
  assert.equal(W.firstSight(state, undefined), true);
  assert.deepEqual(W.parseOutbox(JSON.stringify([{ message_id: "w1", message: "hi", session_id: "s", shown: "hi", ts: 1, inFlight: true },
    { message: "no id" }, null])), [{ message_id: "w1", message: "hi", session_id: "s", shown: "hi", ts: 1 }]);
  assert.deepEqual(W.parseOutbox("{broken"), []);
  assert.deepEqual(W.parseOutbox('{"a": 1}'), []);
});

test("a live bot_uttered: agent messages are told apart, images checked", () => {
  const state = W.createState(config());
  const agent = W.botItem(state, { text: "Hi", metadata: { sender: "agent", agent: { name: "Alice" } }, quick_replies: [] });
  assert.deepEqual([agent.item.role, agent.item.agentName, agent.replies], ["agent", "Alice", null]);
  const bot = W.botItem(state, { text: "", attachment: { type: "image", payload: { src: "data:image/png;base64,AA" } },
    quick_replies: [{ title: "Yes", payload: "/affirm" }] });
  assert.equal(bot.item.role, "bot");
  assert.equal(bot.item.image, null);
  assert.equal(W.visible(bot.item), false);
  assert.equal(bot.replies.length, 1);
});

test("a live bot message's entry id is read from its metadata, where the bridge puts it", () => {
  assert.equal(W.entryIdOf({ text: "Hi", metadata: { id: "e-1", sender: "agent" } }), "e-1");
  assert.equal(W.entryIdOf({ text: "Hi", id: "top-level" }), undefined, "Rasa's keys carry nothing of ours");
  assert.equal(W.entryIdOf(null), undefined);
});

test("resync: after the first history a session_request asks only for what came after the last entry seen, and a partial history draws only what is new", () => {
  const state = W.createState(config());
  assert.deepEqual(W.sessionRequest(state, "s1", ["handoff_events"]), { session_id: "s1", capabilities: ["handoff_events"] });
  state.sessionId = "s1";
  W.historyView(state, { state: "bot", transcript: [
    { id: "e1", role: "customer", text: "/greet", message_id: "w0" },
    { id: "e2", role: "bot", text: "Hi!" }] });
  assert.equal(W.firstSight(state, "e3"), true);  // a live reply
  assert.deepEqual(W.sessionRequest(state, "s1", ["handoff_events"]), { session_id: "s1", capabilities: ["handoff_events"], after: "e3" });
  assert.equal(W.sessionRequest(state, "s2", []).after, undefined, "another conversation: its whole history");
  state.sentIds.add("w9");
  const view = W.historyView(state, { state: "with_agent", after: "e3", transcript: [
    { id: "e3", role: "bot", text: "already drawn live" },
    { id: "e4", role: "customer", text: "typed here", message_id: "w9" },
    { id: "e5", role: "customer", text: "from another tab", message_id: "w7" },
    { id: "e6", role: "agent", text: "Alice here", agent: { name: "Alice" } }] });
  assert.equal(view.partial, true);
  assert.deepEqual(view.items.map((i) => i.text), ["from another tab", "Alice here"]);
  assert.equal(W.firstSight(state, "e2"), false, "a partial history keeps what was drawn before");
  assert.equal(state.lastEntryId, "e6", "the mark never moves back to an entry seen again");
  const full = W.historyView(state, { state: "bot", transcript: [{ id: "e1", role: "bot", text: "again" }] });
  assert.equal(full.partial, false);
  assert.deepEqual(full.items.map((i) => i.text), ["again"]);
});

test("out of hours the widget knows when the desk opens, in its language", async () => {
  const { createState, setDesk, deskOpens } = await import("../../web/widget/state.js");
  const opens = { en: "Friday 4 December, 09:00 (Japan time)", ja: "12月4日（金）9:00（日本時間）" };
  const ja = createState({ language: "ja" });
  assert.equal(deskOpens(ja), "");  // nothing said yet: nothing shown
  setDesk(ja, { open: false, opens_at: 1, opens });
  assert.equal(deskOpens(ja), opens.ja);
  const en = createState({ language: "en" });
  setDesk(en, { open: false, opens });
  assert.equal(deskOpens(en), opens.en);
  setDesk(en, { open: true });
  assert.equal(deskOpens(en), "");
  setDesk(en, "nonsense");  // ignored
  assert.equal(deskOpens(en), "");
  const fr = createState({ language: "fr" });
  setDesk(fr, { open: false, opens });
  assert.equal(deskOpens(fr), opens.en);  // a language the server has no label for: English
});
