// The console's state module and the supervisor's figures.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as C from "../../web/console/assets/state.js";
import { hoursOf, isToday, niceStep, tileValues } from "../../web/console/assets/figures.js";

test("queue: arrivals are the entries new since the previous queue (none for the first)", () => {
  const S = C.createState();
  assert.deepEqual(C.applyQueue(S, [{ conversation_id: "a" }, { conversation_id: "b" }], 100), []);
  const arrivals = C.applyQueue(S, [{ conversation_id: "b" }, { conversation_id: "c" }, { conversation_id: "d" }], 200);
  assert.deepEqual(arrivals.map((q) => q.conversation_id), ["c", "d"]);
  assert.equal(S.queueReceivedAt, 200);
  assert.deepEqual(C.applyQueue(S, "broken", 300), []);
  assert.deepEqual(S.queue, []);
  assert.equal(C.waitingNow({ waiting_s: 40 }, 1000, 3500), 42.5);
  assert.deepEqual([10, 120, 299, 300].map(C.waitClass), ["wait", "wait wait-mid", "wait wait-mid", "wait wait-long"]);
});

test("claimed: a new tab, mine or not, restored after a reconnect; the score comes from the queue", () => {
  const S = C.createState();
  S.connectedAt = 1000;
  S.queue = [{ conversation_id: "c1", score: 0.8 }];
  S.pendingClaims.add("c1");
  const first = C.applyClaimed(S, { conversation_id: "c1", state: "with_agent", context: { reason: "frustration" }, transcript: [{ id: "e1" }] }, 2000);
  assert.deepEqual([first.isNew, first.mine, first.restoring], [true, true, true]);
  assert.equal(first.c.reason, "frustration");
  assert.equal(C.contextScore(first.c), 0.8);
  assert.equal(S.pendingClaims.size, 0);
  first.c.ended = { how: "closed" };
  const again = C.applyClaimed(S, { conversation_id: "c1", state: "with_agent", reason: "sensitive" }, 9000);
  assert.deepEqual([again.isNew, again.mine, again.restoring], [false, false, false]);
  assert.equal(again.c.ended, null, "claimed again: open again");
  assert.deepEqual(S.order, ["c1"]);
});

test("entries are appended once per id", () => {
  const c = C.newConversation("c1");
  assert.equal(C.addEntry(c, { id: "e1", text: "a" }), true);
  assert.equal(C.addEntry(c, { id: "e1", text: "a again" }), false);
  assert.equal(C.addEntry(c, { text: "no id" }), true);
  assert.equal(C.addEntry(c, { text: "no id" }), true);
  assert.equal(c.transcript.length, 3);
});

test("capacity counts open conversations; dismissing the active tab shows its neighbour", () => {
  const S = C.createState();
  S.me = { id: "alice", capacity: 2 };
  for (const id of ["a", "b", "c"]) C.applyClaimed(S, { conversation_id: id, state: "with_agent" }, 0);
  assert.equal(C.atCapacity(S), true);
  C.conv(S, "b").ended = { how: "closed" };
  assert.equal(C.openCount(S), 2);
  C.conv(S, "c").ended = { how: "closed" };
  assert.equal(C.atCapacity(S), false);
  S.active = "b";
  assert.equal(C.dismissConversation(S, "b"), "c");
  assert.deepEqual(S.order, ["a", "c"]);
  assert.equal(S.active, null);
  S.active = "a";
  assert.equal(C.dismissConversation(S, "c"), "a", "another tab: the active one stays");
  assert.equal(C.dismissConversation(S, "zzz"), undefined);
  assert.equal(C.dismissConversation(S, "a"), null);
  assert.equal(C.capacity(C.createState()), Infinity);
});

test("hello: the vocabulary's reasons and resolution codes win over the old fields", () => {
  const S = C.createState();
  C.applyHello(S, { agent: { id: "bob" }, resolution_codes: ["resolved"], status: "available",
    vocabulary: { reasons: [{ code: "sensitive", label: { en: "handle with care" }, priority: 1 }], resolution_codes: ["answered", "spam"] } });
  assert.deepEqual(S.resolutionCodes, ["answered", "spam"]);
  assert.deepEqual(S.reasons.order, ["sensitive"]);
  assert.equal(S.status, "available");
  C.applyHello(S, { resolution_codes: ["resolved", "duplicate"] });
  assert.deepEqual(S.resolutionCodes, ["resolved", "duplicate"]);
  assert.deepEqual(S.reasons.order, ["sensitive"], "kept when a hello has no vocabulary");
  assert.equal(S.me.id, "bob");
});

test("canned search needs every word; insertion adds a space and respects the limit", () => {
  const canned = [{ title: "Refund issued", text: "I've issued the refund." }, { title: "Greeting", text: "Hi, I'm here to help" }];
  assert.deepEqual(C.cannedMatches(canned, "REFUND  issued").map((c) => c.title), ["Refund issued"]);
  assert.deepEqual(C.cannedMatches(canned, "refund help"), []);
  assert.equal(C.cannedMatches(canned, "  ").length, 2);
  assert.deepEqual(C.insertText("Thanks!", 7, 7, "Bye"), { value: "Thanks! Bye", caret: 11 });
  assert.deepEqual(C.insertText("Hi  there", 3, 3, "you"), { value: "Hi you there", caret: 6 });
  assert.deepEqual(C.insertText("abcdef", 2, 4, "X"), { value: "ab Xef", caret: 4 });
  assert.equal(C.insertText("x".repeat(3990), 3990, 3990, "y".repeat(50)).value.length, 4000);
});

test("tickets newest first; transfer choices skip full and offline agents and keep a still-free choice", () => {
  const { open, handled } = C.splitTickets([{ id: 1, created_at: 5 }, { id: 2, created_at: 9, status: "handled" }, { id: 3, created_at: 7 }]);
  assert.deepEqual([open.map((t) => t.id), handled.map((t) => t.id)], [[3, 1], [2]]);
  const agents = [{ id: "me" }, { id: "bob", name: "Bob", status: "available", load: 2, capacity: 2 },
                  { id: "cy", name: "Cy", status: "offline", load: 0, capacity: 3 }, { id: "di", name: "Di", status: "away", load: 1, capacity: 3 }];
  const choices = C.transferChoices(agents, "me", "cy");
  assert.deepEqual(choices.options.map((o) => [o.value, o.disabled]), [["bob", true], ["cy", true], ["di", false]]);
  assert.equal(choices.options[2].label, "Di — away (1/3)");
  assert.equal(choices.selected, "di");
  assert.equal(choices.placeholder, null);
  assert.equal(C.transferChoices(agents, "me", "di").selected, "di");
  assert.equal(C.transferChoices(agents.slice(0, 3), "me", "").placeholder, "No agent free");
  assert.equal(C.transferChoices([{ id: "me" }], "me", "").placeholder, "No other agents");
});

test("who wrote an entry; context values for people", () => {
  const S = C.createState();
  S.me = { id: "alice" };
  const c = C.newConversation("conv-123456789");
  assert.equal(C.entryWho(S, { role: "note", agent: { id: "alice", name: "Alice" } }, c), "Internal note · Alice (you)");
  assert.equal(C.entryWho(S, { role: "agent", agent: { id: "bob" } }, c), "bob");
  assert.equal(C.entryWho(S, { role: "agent" }, c), "Agent");
  assert.equal(C.entryWho(S, { role: "customer" }, c), "Visitor 456789");
  c.context = { customer: { name: "Ann" } };
  assert.equal(C.entryWho(S, { role: "customer" }, c), "Ann");
  assert.equal(C.entryWho(S, { role: "bot" }, c), "Assistant");
  assert.equal(C.plain(0.123456), "0.123");
  assert.equal(C.plain([1, true, null]), "1, yes, —");
  assert.equal(C.plain({ a: 1 }), '{"a":1}');
  assert.equal(C.humanKey("placed_at"), "Placed at");
  assert.equal(C.formatMoney({ total_cents: 12345, currency: "USD" }), "123.45 USD");
  assert.equal(C.formatMoney({ total: 9.5 }), "9.5");
  assert.equal(C.formatMoney({}), null);
  assert.equal(C.itemsText([{ name: "Boots", quantity: 2 }, "Socks"]), "2 × Boots, Socks");
  const evidence = { reason: "frustration", context: { evidence: [{ signal: "frustration", score: 0.4 }, { signal: "frustration", score: 0.7 }, { signal: "x", score: 0.9 }] } };
  assert.equal(C.contextScore(evidence), 0.7);
});

test("supervisor figures: tiles, steps, hours", () => {
  const tiles = tileValues({ now: { queue_length: 2, longest_wait_s: 310, agents_available: 0, agents: [{}, {}] },
    today: { conversations: 120, handed_off: 14, containment: 0.883, satisfaction: { average: 2.5, count: 1 }, closed: 11 } });
  assert.deepEqual([tiles["queue-length"].value, tiles["queue-length"].sub, tiles["queue-length"].level], ["2", "2 customers waiting", "alert"]);
  assert.deepEqual([tiles["longest-wait"].value, tiles["longest-wait"].level], ["5 min 10 s", "alert"]);
  assert.equal(tiles.containment.value, "88 %");
  assert.equal(tiles.containment.sub, "bot only · 14 of 120 handed off");
  assert.deepEqual([tiles.satisfaction.value, tiles.satisfaction.sub, tiles.satisfaction.level], ["2.5 / 5", "1 rating", "warn"]);
  assert.equal(tileValues({}).satisfaction.value, "—");
  assert.deepEqual([niceStep(4, 4), niceStep(13, 4), niceStep(170, 4), niceStep(70, 4, [5, 10, 15, 30, 60])], [1, 5, 50, 30]);
  assert.equal(niceStep(1000, 4, [5, 10]), 250);
  const hours = hoursOf({ hours: [{ hour: 3, conversations: 2 }, { hour: 24, conversations: 9 }, { hour: "x" }] });
  assert.equal(hours.length, 24);
  assert.equal(hours[3].conversations, 2);
  assert.deepEqual(hours[4], { hour: 4 });
  assert.equal(isToday({ today: { date: "2026-11-22" } }, new Date(2026, 10, 22, 23, 59)), true);
  assert.equal(isToday({ today: { date: "2026-11-21" } }, new Date(2026, 10, 22, 0, 1)), false);
});

test("resync marks: the last entry with an id of every open conversation; ended ones and empty ones are left out", () => {
  const S = C.createState();
  C.applyClaimed(S, { conversation_id: "a", state: "with_agent", transcript: [{ id: "a1" }, { id: "a2" }, { role: "system" }] }, 0);
  C.applyClaimed(S, { conversation_id: "b", state: "with_agent", transcript: [] }, 0);
  C.applyClaimed(S, { conversation_id: "c", state: "with_agent", transcript: [{ id: "c1" }] }, 0);
  C.conv(S, "c").ended = { how: "closed" };
  assert.deepEqual(C.resyncMarks(S), { a: "a2" });
});

test("internal transcript lines are shown in the agent's language, by key", async () => {
  const { createState, applyHello, systemLineText } = await import("../../web/console/assets/state.js");
  const S = createState();
  applyHello(S, { agent: { id: "yuki" }, vocabulary: {
    reasons: [{ code: "frustration", label: { en: "frustration", ja: "不満・怒り" } }],
    resolution_codes: [{ code: "answered", label: { en: "answered", ja: "回答済み" } }],
    agent_lines: { handoff: { en: "handed off ({reason})", ja: "担当者へ引き継ぎ（{reason}）" },
                   closed: { en: "closed: {resolution}", ja: "対応終了：{resolution}" } } } });
  const handoff = { role: "system", text: "handed off (frustration)", line: "handoff", line_params: { reason: "frustration" } };
  assert.equal(systemLineText(S, handoff, "ja"), "担当者へ引き継ぎ（不満・怒り）");
  assert.equal(systemLineText(S, handoff, "en"), "handed off (frustration)");
  const closed = { role: "system", text: "closed: answered", line: "closed", line_params: { resolution: "answered" } };
  assert.equal(systemLineText(S, closed, "ja"), "対応終了：回答済み");
  // An old entry without a key, an unknown key, or a missing parameter: the stored text.
  assert.equal(systemLineText(S, { role: "system", text: "agent disconnected" }, "ja"), "agent disconnected");
  assert.equal(systemLineText(S, { role: "system", text: "x", line: "nope" }, "ja"), "x");
  assert.equal(systemLineText(S, { role: "system", text: "y", line: "handoff", line_params: {} }, "ja"), "y");
});
