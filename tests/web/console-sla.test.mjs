// The console's service-level countdowns and the supervisor's response targets (pure parts).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as C from "../../web/console/assets/state.js";
import {
  SLA_KINDS, applySlaBreached, countdownText, estimateOffset, formatCountdown, markBreached, mergeOffset, serverNow,
  stopAnswered, timerAt, timerLabel, timerViews,
} from "../../web/console/assets/sla.js";
import { autoResolvedText, slaCounted, slaRows } from "../../web/console/assets/figures.js";
import { AGENT } from "../../web/shared/protocol.js";

// A first-response timer as the server sends it: started at 1000 s, 2 min target, amber at 75 %.
const FIRST = Object.freeze({ kind: "first_response", started_at: 1000, target_s: 120, due_at: 1120, amber_at: 1090,
                              stopped_at: null, state: "ok" });
const RESOLUTION = Object.freeze({ kind: "resolution", started_at: 1000, target_s: 1800, due_at: 2800, amber_at: 2350,
                                   stopped_at: null, state: "ok" });

test("a running timer: ok, amber from amber_at, breached from due_at; seconds left and overdue", () => {
  const at = (now) => timerAt(FIRST, now);
  assert.deepEqual(at(1000), { kind: "first_response", state: "ok", running: true, dueAt: 1120, leftS: 120, overS: 0 });
  assert.equal(at(1089.9).state, "ok");
  assert.equal(at(1090).state, "amber", "amber once now ≥ amber_at");
  assert.equal(at(1119.5).state, "amber");
  assert.equal(at(1119.5).leftS, 1, "rounded up: 0:01 left until it is due");
  assert.equal(at(1120).state, "breached", "breached at due_at");
  assert.equal(at(1120).overS, 0);
  assert.equal(at(1190.7).overS, 70);
  assert.equal(at(1190.7).leftS, 0);
  // Timestamps as strings (as Redis keeps them) count the same.
  assert.equal(timerAt({ ...FIRST, due_at: "1120", amber_at: "1090" }, 1100).state, "amber");
});

test("the server's state is a floor: a browser clock behind never shows a breached timer as ok", () => {
  assert.equal(timerAt({ ...FIRST, state: "amber" }, 1000).state, "amber");
  const told = timerAt({ ...FIRST, state: "breached" }, 1100);
  assert.equal(told.state, "breached");
  assert.equal(countdownText("en", told), "overdue 0:00", "overdue, never a time left, once breached");
  assert.equal(timerAt({ ...FIRST, state: "ok" }, 1130).state, "breached", "and the clock moves it on");
  assert.equal(timerAt({ ...FIRST, state: "nonsense" }, 1000).state, "ok");
});

test("the server's clock from the queue: seconds, an offset to the browser's milliseconds", () => {
  // The queue was sent when the entry had waited 30 s since its handoff at 1000 s: server "now" 1030 s.
  const queue = [{ conversation_id: "a", waiting_s: 30, sla: [RESOLUTION, FIRST] }];
  const receivedMs = 5_000_000;  // the browser's Date.now() then: 5000 s
  const offset = estimateOffset(queue, receivedMs);
  assert.equal(offset, 1030 - 5000);
  assert.equal(serverNow(receivedMs, offset), 1030);
  assert.equal(serverNow(receivedMs + 60_000, offset), 1090, "a minute later in the browser");
  assert.equal(timerAt(FIRST, serverNow(receivedMs + 59_000, offset)).state, "ok");
  assert.equal(timerAt(FIRST, serverNow(receivedMs + 60_000, offset)).state, "amber");
  assert.equal(timerAt(FIRST, serverNow(receivedMs + 90_000, offset)).state, "breached");
  assert.equal(countdownText("en", timerAt(FIRST, serverNow(receivedMs + 160_000, offset))), "overdue 1:10");
  // Nothing to learn from: null, and no offset means the clocks agree.
  assert.equal(estimateOffset([], receivedMs), null);
  assert.equal(estimateOffset("broken", receivedMs), null);
  assert.equal(estimateOffset([{ waiting_s: 5, sla: [RESOLUTION] }], receivedMs), 1005 - 5000, "any timer started at the handoff");
  assert.equal(estimateOffset([{ waiting_s: 5, sla: [{ kind: "next_response", started_at: 1 }] }, null, { sla: [FIRST] }], receivedMs), null);
  assert.equal(serverNow(1_234_000, null), 1234);
  // Estimates err low (latency): keep the higher unless a clock was set (seconds apart).
  assert.equal(mergeOffset(null, -3970), -3970);
  assert.equal(mergeOffset(-3970, -3970.4), -3970);
  assert.equal(mergeOffset(-3970.4, -3970), -3970);
  assert.equal(mergeOffset(-3970, -3600), -3600, "the browser's clock was set back");
  assert.equal(mergeOffset(-3970, null), -3970);
  assert.equal(mergeOffset(null, null), 0);
});

test("stopped timers: met or missed, never counted down", () => {
  const met = timerAt({ ...FIRST, stopped_at: 1100, state: "met" }, 5000);
  assert.deepEqual(met, { kind: "first_response", state: "met", running: false, dueAt: 1120, leftS: null, overS: null });
  assert.equal(timerAt({ ...FIRST, stopped_at: 1130, state: undefined }, 1131).state, "missed");
  assert.equal(timerAt({ ...FIRST, stopped_at: 1120, state: undefined }, 1131).state, "met", "at the deadline: met");
  assert.equal(timerAt({ ...FIRST, due_at: null, stopped_at: 9999, state: undefined }, 1131).state, "met");
  assert.equal(countdownText("en", met), "");
  assert.deepEqual(timerViews([{ ...FIRST, stopped_at: 1100, state: "met" }], 1050, "en"), []);
});

test("a deadline beyond the server's horizon (due_at null): nothing to count", () => {
  const far = { ...RESOLUTION, due_at: null, amber_at: null };
  const view = timerAt(far, 1e12);
  assert.equal(view.state, "ok");
  assert.equal(view.running, true);
  assert.equal(view.leftS, null);
  assert.equal(countdownText("en", view), "");
  assert.deepEqual(timerViews([far], 1000, "en"), []);
  assert.equal(timerAt({ ...FIRST, amber_at: null }, 1100).state, "ok", "no amber_at: ok until due");
});

test("formatting: m:ss, h:mm:ss; left and overdue in English and Japanese", () => {
  assert.deepEqual([0, 9, 59, 60, 155, 599, 3599, 3723].map(formatCountdown),
    ["0:00", "0:09", "0:59", "1:00", "2:35", "9:59", "59:59", "1:02:03"]);
  const left = timerAt(FIRST, 1120 - 155);
  assert.equal(countdownText("en", left), "2:35 left");
  assert.equal(countdownText("ja", left), "残り 2:35");
  const over = timerAt(FIRST, 1190);
  assert.equal(countdownText("en", over), "overdue 1:10");
  assert.equal(countdownText("ja", over), "超過 1:10");
  assert.equal(countdownText("fr", over), "overdue 1:10", "unknown language: English");
  assert.deepEqual(SLA_KINDS.map((k) => timerLabel("en", k)), ["First reply", "Next reply", "Resolution"]);
  assert.deepEqual(SLA_KINDS.map((k) => timerLabel("ja", k)), ["初回応答", "次回応答", "解決"]);
  assert.equal(timerLabel("ja", "handle_time"), "handle time", "an unknown kind by its code");
});

test("what to draw: running timers with a deadline, nearest first, labelled in the UI language", () => {
  const next = { kind: "next_response", started_at: 1500, target_s: 180, due_at: 1680, amber_at: 1635, stopped_at: null, state: "ok" };
  const timers = [RESOLUTION, { ...FIRST, stopped_at: 1400, state: "met" }, next, null, "x"];
  const views = timerViews(timers, 1650, "en");
  assert.deepEqual(views.map((v) => [v.kind, v.state, v.label, v.text]),
    [["next_response", "amber", "Next reply", "0:30 left"], ["resolution", "ok", "Resolution", "19:10 left"]]);
  assert.match(views[0].title, /^Next reply · due .*\d\d:\d\d$/);
  const ja = timerViews(timers, 1700, "ja");
  assert.deepEqual(ja.map((v) => [v.label, v.text, v.state]), [["次回応答", "超過 0:20", "breached"], ["解決", "残り 18:20", "ok"]]);
  assert.match(ja[0].title, /^次回応答 · 期限 /);
  assert.deepEqual(timerViews(timers, 1650, "en", ["first_response"]), []);
  assert.deepEqual(timerViews(undefined, 1650, "en"), []);
});

test("the agent's answer stops the first and the next response; a breach notice marks (or adds) its timer", () => {
  const next = { kind: "next_response", started_at: 1500, target_s: 180, due_at: 1680, amber_at: 1635, stopped_at: null, state: "ok" };
  const stopped = stopAnswered([FIRST, RESOLUTION], 1100);
  assert.deepEqual(stopped.map((x) => [x.kind, x.stopped_at, x.state]),
    [["first_response", 1100, "met"], ["resolution", null, "ok"]]);
  assert.equal(stopAnswered([next], 1700)[0].state, "missed");
  assert.equal(stopAnswered([next], 1400)[0], next, "an answer from before the customer wrote (a resync's older entry)");
  assert.equal(stopAnswered([FIRST], undefined)[0], FIRST, "no time: left as it was");
  assert.equal(FIRST.stopped_at, null, "a new list: what the server sent is not changed");
  assert.deepEqual(timerViews(stopped, 1110, "en").map((v) => v.kind), ["resolution"]);

  const marked = markBreached([FIRST, RESOLUTION], { kind: "first_response", due_at: 1120 });
  assert.equal(timerAt(marked[0], 1000).state, "breached");
  assert.equal(marked[1], RESOLUTION);
  const added = markBreached([{ ...FIRST, stopped_at: 1100 }], { kind: "next_response", due_at: 1680 });
  assert.equal(added.length, 2);
  assert.deepEqual(timerViews(added, 1750, "en").map((v) => [v.kind, v.text]), [["next_response", "overdue 1:10"]]);
  assert.deepEqual(markBreached(undefined, {}), []);
});

test("sla_breached: the notice's text in both languages (mine, in the queue, elsewhere) and the timers marked", () => {
  assert.equal(AGENT.SLA_BREACHED, "sla_breached");
  const S = C.createState();
  assert.equal(S.serverOffsetS, null, "not known before the first queue");
  C.applyHello(S, { vocabulary: { reasons: [{ code: "frustration", label: { en: "frustration", ja: "不満・怒り" }, priority: 2 }] } });
  C.applyClaimed(S, { conversation_id: "conv-123456789", state: "with_agent", sla: [FIRST, RESOLUTION, null] }, 0);
  const c = C.conv(S, "conv-123456789");
  assert.deepEqual(c.sla, [FIRST, RESOLUTION], "claimed keeps the timers");
  assert.deepEqual(C.applyClaimed(S, { conversation_id: "old", state: "with_agent" }, 0).c.sla, [], "none sent: none");
  const notice = { conversation_id: "conv-123456789", kind: "first_response", reason: "frustration", due_at: 1120, agent_id: "alice" };
  assert.equal(applySlaBreached(S, notice, "en"), "First reply overdue: Visitor 456789");
  assert.equal(timerAt(c.sla[0], 1000).state, "breached");
  assert.equal(applySlaBreached(S, notice, "ja"), "ゲスト 456789：初回応答の目標時間を超過しました");

  C.applyQueue(S, [{ conversation_id: "q1", position: 2, reason: "frustration", waiting_s: 200, sla: [FIRST] }], 0);
  const queued = { conversation_id: "q1", kind: "first_response", reason: "frustration", due_at: 1120, agent_id: "" };
  assert.equal(applySlaBreached(S, queued, "en"), "First reply overdue: conversation #2 in the queue (frustration)");
  assert.equal(applySlaBreached(S, queued, "ja"), "待機中の会話 #2（不満・怒り）：初回応答の目標時間を超過しました");
  assert.equal(S.queue[0].sla[0].state, "breached");
  assert.equal(FIRST.state, "ok");

  const gone = { conversation_id: "conv-gone-abcdef", kind: "resolution" };
  assert.equal(applySlaBreached(S, gone, "en"), "Resolution overdue: conversation abcdef");
  assert.equal(applySlaBreached(S, gone, "ja"), "会話 abcdef：解決の目標時間を超過しました");
});

const TODAY = {
  auto_resolved: 3,
  sla: {
    first_response: { met: 22, missed: 3, share: 0.88, breaches: 4,
                      by_reason: { unresolved: { met: 10, missed: 0, share: 1 }, frustration: { met: 12, missed: 3, share: 0.8 } },
                      by_agent: { yuki: { met: 12, missed: 1, share: 0.923 }, alice: { met: 10, missed: 2, share: 0.833 } } },
    next_response: { met: 0, missed: 0, share: null, breaches: 0, by_reason: {}, by_agent: {} },
    resolution: { met: 5, missed: 5, share: 0.5, breaches: 5, by_reason: {}, by_agent: { ghost: { met: 1, missed: 0, share: 1 } } },
  },
};

test("supervisor: the response targets table per kind, by reason and by agent, in both languages", () => {
  const names = { agent: (id) => ({ alice: "Alice", yuki: "Yuki" }[id] || id) };
  const groups = slaRows(TODAY.sla, "en", names);
  assert.deepEqual(groups.map((g) => g.kind), ["first_response", "next_response", "resolution"]);
  const first = groups[0].rows;
  assert.deepEqual(first.map((r) => [r.level, r.label]), [
    ["kind", "First reply"], ["group", "By reason"], ["reason", "frustration"], ["reason", "unresolved"],
    ["group", "By agent"], ["agent", "Alice"], ["agent", "Yuki"]]);
  assert.deepEqual([first[0].shareText, first[0].met, first[0].missed, first[0].breaches, first[0].tone], ["88 %", 22, 3, 4, "mid"]);
  assert.deepEqual([first[2].shareText, first[2].tone, first[3].shareText, first[3].tone], ["80 %", "mid", "100 %", null]);
  assert.deepEqual(groups[1].rows.map((r) => [r.label, r.shareText, r.share, r.breaches]), [["Next reply", "—", null, 0]]);
  assert.deepEqual(groups[2].rows.map((r) => [r.level, r.label, r.key]),
    [["kind", "Resolution", "resolution"], ["group", "By agent", "agent"], ["agent", "ghost", "ghost"]], "an agent without a name: the id");
  assert.equal(groups[2].rows[0].tone, "low");
  const ja = slaRows(TODAY.sla, "ja", { ...names, reason: (code) => ({ frustration: "不満・怒り" }[code] || code),
                                        reasonOrder: (codes) => ["frustration", "unresolved"].filter((c) => codes.includes(c)) });
  assert.deepEqual(ja[0].rows.map((r) => r.label), ["初回応答", "理由別", "不満・怒り", "unresolved", "担当者別", "Alice", "Yuki"]);
  assert.equal(ja[0].rows[0].shareText, "88%");
  assert.deepEqual(slaRows(undefined, "en").map((g) => g.rows.length), [1, 1, 1], "no figures yet: the three kinds, empty");
  assert.equal(slaCounted(TODAY.sla), true);
  assert.equal(slaCounted({ first_response: { met: 0, missed: 0, breaches: 0 } }), false);
  assert.equal(slaCounted(null), false);
  assert.equal(autoResolvedText(TODAY, "en"), "Closed automatically (nobody wrote): 3");
  assert.equal(autoResolvedText(TODAY, "ja"), "自動終了（お客様の応答なし）：3 件");
  assert.equal(autoResolvedText({}, "en"), "Closed automatically (nobody wrote): 0");
});
