// The outbox: acknowledgement handling and the retry/back-off schedule (shared by widget and console).
import { test, mock, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay, classifyAck, createOutbox, retryAfterMs } from "../../web/shared/outbox.js";

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"] }));
afterEach(() => mock.timers.reset());

/** An outbox whose emits are recorded; each emit's callback is kept to answer later. */
function harness(options = {}) {
  const sent = [];
  const events = [];
  const outbox = createOutbox({
    emit: (item, done) => sent.push({ id: item.message_id, at: Date.now(), done }),
    onDelivered: (item, ack) => events.push(["delivered", item.message_id, ack.status]),
    onRefused: (item, ack) => events.push(["refused", item.message_id, ack.code]),
    onGiveUp: (item) => events.push(["gave up", item.message_id]),
    ...options,
  });
  return { outbox, sent, events };
}

const msg = (id) => ({ message_id: id, text: "hello " + id });

test("the back-off doubles from 1 s and is capped at 30 s", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(backoffDelay(1000), 30000);  // no overflow to Infinity/NaN
  assert.equal(backoffDelay(0), 1000);
});

test("acknowledgements are classified: ok/duplicate delivered, pending and passing errors retried, others refused", () => {
  assert.equal(classifyAck(null, { status: "ok" }), "delivered");
  assert.equal(classifyAck(null, { status: "duplicate" }), "delivered");
  assert.equal(classifyAck(null, { status: "pending" }), "retry");
  assert.equal(classifyAck(null, { status: "error", code: "unavailable" }), "retry");
  assert.equal(classifyAck(null, { status: "error", code: "internal" }), "retry");
  assert.equal(classifyAck(null, { status: "error", code: "too_long" }), "refused");
  assert.equal(classifyAck(new Error("operation has timed out"), undefined), "retry");
  assert.equal(classifyAck(null, undefined), "retry");
  assert.equal(classifyAck(null, "ok"), "retry");  // not an acknowledgement object
});

test("a message unanswered is sent again under the same id after 1, 2, 4, 8, 16, 30, 30 s", () => {
  const { outbox, sent } = harness();
  outbox.add(msg("w1"));
  for (let i = 0; i < 7; i++) {
    sent[sent.length - 1].done(new Error("timeout"));
    mock.timers.tick(backoffDelay(i + 1) - 1);
    assert.equal(sent.length, i + 1, "not before its time");
    mock.timers.tick(1);
    assert.equal(sent.length, i + 2);
  }
  const gaps = sent.slice(1).map((s, i) => s.at - sent[i].at);
  assert.deepEqual(gaps, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  assert.ok(sent.every((s) => s.id === "w1"));
  assert.equal(outbox.size, 1);
});

test("ok and duplicate remove the message and report it; nothing is sent again", () => {
  const changes = [];
  const { outbox, sent, events } = harness({ onChange: (items) => changes.push(items.map((i) => i.message_id)) });
  outbox.add(msg("a"));
  outbox.add(msg("b"));
  sent[0].done(null, { status: "ok", message_id: "a" });
  sent[1].done(null, { status: "duplicate", message_id: "b" });
  mock.timers.tick(120000);
  assert.equal(sent.length, 2);
  assert.equal(outbox.size, 0);
  assert.deepEqual(events, [["delivered", "a", "ok"], ["delivered", "b", "duplicate"]]);
  assert.deepEqual(changes, [["a"], ["a", "b"], ["b"], []]);  // what the widget persists
});

test("pending keeps the message and retries it; a refusal drops it for good", () => {
  const { outbox, sent, events } = harness();
  outbox.add(msg("p"));
  sent[0].done(null, { status: "pending" });
  assert.ok(outbox.has("p"));
  mock.timers.tick(1000);
  assert.equal(sent.length, 2);
  sent[1].done(null, { status: "error", code: "too_long" });
  assert.equal(outbox.has("p"), false);
  mock.timers.tick(60000);
  assert.equal(sent.length, 2);
  assert.deepEqual(events, [["refused", "p", "too_long"]]);
});

test("maxAttempts gives up after that many sends; keep() false gives up before the next one", () => {
  const { outbox, sent, events } = harness({ maxAttempts: 3 });
  outbox.add(msg("m"));
  for (let i = 0; i < 3; i++) { sent[i].done(new Error("timeout")); mock.timers.tick(30000); }
  assert.equal(sent.length, 3);
  assert.deepEqual(events, [["gave up", "m"]]);

  const live = { open: true };
  const h = harness({ keep: () => live.open });
  h.outbox.add(msg("k"));
  h.sent[0].done(new Error("timeout"));
  live.open = false;  // the conversation ended meanwhile
  mock.timers.tick(1000);
  assert.equal(h.sent.length, 1);
  assert.deepEqual(h.events, [["gave up", "k"]]);
});

test("while not ready nothing is emitted; flush() sends at once, once per message, skipping ones in flight", () => {
  const link = { up: false };
  const { outbox, sent } = harness({ ready: () => link.up });
  outbox.add(msg("x"));
  outbox.add(msg("y"));
  mock.timers.tick(3000);
  assert.equal(sent.length, 0);
  link.up = true;
  outbox.flush();
  assert.deepEqual(sent.map((s) => s.id), ["x", "y"]);
  outbox.flush();  // both still in flight: not sent twice
  assert.equal(sent.length, 2);
  sent[0].done(null, { status: "ok" });
  sent[1].done(new Error("timeout"));
  outbox.flush();  // y is waiting for its retry: flushed now, not after the back-off
  assert.deepEqual(sent.map((s) => s.id), ["x", "y", "y"]);
  mock.timers.tick(60000);
  assert.equal(sent.length, 3, "the flushed retry replaced the scheduled one");
});

test("retain() drops messages the transcript already holds, and their late acknowledgements are ignored", () => {
  const { outbox, sent, events } = harness({ items: [msg("old1"), msg("old2")] });
  assert.equal(outbox.size, 2);
  outbox.flush();
  outbox.retain((m) => m.message_id !== "old1");
  assert.deepEqual(outbox.items().map((m) => m.message_id), ["old2"]);
  sent[0].done(null, { status: "ok" });  // old1's answer arrives after all
  assert.deepEqual(events, []);
  assert.equal(outbox.add(msg("old2")), false, "an id is queued once");
});

test("rate_limited is sent again, not before the retry_after_s the bridge asked for", () => {
  const { outbox, sent, events } = harness();
  outbox.add(msg("r"));
  sent[0].done(null, { status: "error", code: "rate_limited", retry_after_s: 7 });
  mock.timers.tick(6999);
  assert.equal(sent.length, 1, "the back-off alone would have sent it after 1 s");
  mock.timers.tick(1);
  assert.equal(sent.length, 2);
  sent[1].done(null, { status: "ok" });
  assert.deepEqual(events, [["delivered", "r", "ok"]]);
  assert.equal(retryAfterMs({ retry_after_s: "x" }), 0);
  assert.equal(retryAfterMs({ retry_after_s: -3 }), 0);
  assert.equal(retryAfterMs({ retry_after_s: 1e9 }), 300000);  // at most 5 min, whatever the answer says
});
