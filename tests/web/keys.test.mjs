// Enter to send with the IME guard, and the typing notifications' debounce.
import { test, mock, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createTypingNotifier, enterSends, isComposing, isEnterToSend } from "../../web/shared/keys.js";

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"] }));
afterEach(() => mock.timers.reset());

const key = (props) => ({ key: "Enter", shiftKey: false, altKey: false, isComposing: false, keyCode: 13, ...props });

test("Enter sends; Shift/Alt+Enter and other keys do not", () => {
  assert.equal(isEnterToSend(key()), true);
  assert.equal(isEnterToSend(key({ shiftKey: true })), false);
  assert.equal(isEnterToSend(key({ altKey: true })), false);
  assert.equal(isEnterToSend(key({ key: "a", keyCode: 65 })), false);
  assert.equal(isEnterToSend(null), false);
});

test("the Enter that confirms an IME conversion never sends (isComposing, or keyCode 229 in older engines)", () => {
  assert.equal(isComposing(key({ isComposing: true })), true);
  assert.equal(isComposing(key({ keyCode: 229 })), true);
  assert.equal(isEnterToSend(key({ isComposing: true })), false);
  assert.equal(isEnterToSend(key({ isComposing: false, keyCode: 229 })), false);
  assert.equal(isComposing(key()), false);
});

test("enterSends() acts and prevents the line break only for a real Enter", () => {
  const listeners = {};
  const field = { addEventListener: (type, fn) => { listeners[type] = fn; } };
  let sends = 0;
  enterSends(field, () => { sends += 1; });
  const fire = (props) => {
    const event = { ...key(props), prevented: false, preventDefault() { this.prevented = true; } };
    listeners.keydown(event);
    return event.prevented;
  };
  assert.equal(fire({ isComposing: true }), false);
  assert.equal(fire({ shiftKey: true }), false);
  assert.equal(sends, 0);
  assert.equal(fire({}), true);
  assert.equal(sends, 1);
});

function notifier(options) {
  const sent = [];
  const typing = createTypingNotifier({ send: (k, on) => sent.push([k, on, Date.now()]), ...options });
  return { typing, sent };
}

test("typing: true once when it starts, false 2 s after the last keystroke", () => {
  const { typing, sent } = notifier({});
  typing.input("c1", true);
  mock.timers.tick(1500);
  typing.input("c1", true);
  mock.timers.tick(1999);
  assert.deepEqual(sent.map(([k, on]) => [k, on]), [["c1", true]]);
  mock.timers.tick(1);
  assert.deepEqual(sent.map(([k, on, at]) => [k, on, at]), [["c1", true, 0], ["c1", false, 3500]]);
  mock.timers.tick(10000);
  assert.equal(sent.length, 2);
});

test("typing: emptying the box or stop() sends false at once; stop() when idle sends nothing", () => {
  const { typing, sent } = notifier({});
  typing.stop();
  assert.equal(sent.length, 0);
  typing.input("c1", true);
  typing.input("c1", false);
  assert.deepEqual(sent.map(([, on]) => on), [true, false]);
  typing.input("c1", true);
  typing.stop();
  mock.timers.tick(5000);
  assert.deepEqual(sent.map(([, on]) => on), [true, false, true, false]);
});

test("typing: repeated every repeatMs while it goes on; moving to another conversation stops the first", () => {
  const { typing, sent } = notifier({ repeatMs: 4000 });
  for (let t = 0; t <= 9000; t += 1000) { typing.input("c1", true); mock.timers.tick(1000); }
  assert.deepEqual(sent.map(([, on, at]) => [on, at]), [[true, 0], [true, 5000]]);
  typing.input("c2", true);
  assert.deepEqual(sent.slice(-2).map(([k, on]) => [k, on]), [["c1", false], ["c2", true]]);
  assert.equal(typing.key, "c2");
});

test("typing: reset() (connection lost) forgets without sending, and the idle timer is gone", () => {
  const { typing, sent } = notifier({});
  typing.input("c1", true);
  typing.reset();
  mock.timers.tick(5000);
  assert.deepEqual(sent.map(([, on]) => on), [true]);
  typing.input("c1", true);  // typing again after reconnecting starts afresh
  assert.deepEqual(sent.map(([, on]) => on), [true, true]);
});
