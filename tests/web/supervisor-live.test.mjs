// The supervisor's live conversations (live.js): rows, whom a conversation can be given to, the
// reassign body, the watched transcript's lines, the day's downloads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as L from "../../web/console/assets/live.js";

const TEAM = [
  { id: "alice", name: "Alice", status: "available", role: "agent", conversations: 1, capacity: 3, languages: ["en"] },
  { id: "bob", name: "Bob", status: "away", role: "agent", conversations: 3, capacity: 3, languages: ["en"] },
  { id: "yuki", name: "Yuki", status: "available", role: "agent", conversations: 0, capacity: 2, languages: ["ja", "en"] },
  { id: "sam", name: "Sam", status: "offline", role: "supervisor", conversations: 0, capacity: 2, languages: ["en"] },
];

const LIVE = {
  now: 1000,
  conversations: [
    { conversation_id: "c-with-alice", state: "with_agent", reason: "frustration", agent_id: "alice", language: "en", queued_at: 400, sla: [] },
    { conversation_id: "c-queued-new", state: "queued", reason: "sensitive", agent_id: null, language: "ja", queued_at: 990, sla: [] },
    { conversation_id: "c-queued-old", state: "queued", reason: "explicit_request", agent_id: null, language: "en", queued_at: 910, sla: [] },
    { conversation_id: "c-with-gone", state: "with_agent", reason: null, agent_id: "left-the-team", language: null, queued_at: null },
    { state: "queued" },  // no id: left out
  ],
};

test("rows: waiting first, longest first; the agent by name (else id, else 'waiting'); time since queued", () => {
  const rows = L.liveRows(LIVE, TEAM, "en");
  assert.deepEqual(rows.map((r) => r.id), ["c-queued-old", "c-queued-new", "c-with-alice", "c-with-gone"]);
  assert.deepEqual(rows.map((r) => r.agentText), ["waiting", "waiting", "Alice", "left-the-team"]);
  assert.deepEqual(rows.map((r) => r.stateText), ["Waiting", "Waiting", "With an agent", "With an agent"]);
  assert.deepEqual(rows.map((r) => r.waitedText), ["1 min 30 s", "10 s", "10 min", "—"]);
  assert.equal(rows[0].reason, "explicit_request");
  assert.equal(rows[3].reason, null);
  assert.equal(rows[1].language, "ja");
  const ja = L.liveRows(LIVE, TEAM, "ja");
  assert.deepEqual(ja.map((r) => r.agentText), ["未割り当て", "未割り当て", "Alice", "left-the-team"]);
  assert.deepEqual(ja.map((r) => r.waitedText), ["1分30秒", "10秒", "10分", "—"]);
  assert.deepEqual(L.liveRows(null, null), []);
  assert.deepEqual(L.liveRows({ conversations: "broken" }, TEAM), []);
});

test("give: not the one who has it, not the viewer, only agents with room; by name", () => {
  const [queued] = L.liveRows(LIVE, TEAM, "en");
  const withAlice = L.liveRows(LIVE, TEAM, "en").find((r) => r.agentId === "alice");
  assert.deepEqual(L.giveChoices(TEAM, queued, "sam").map((c) => c.value), ["alice", "yuki"]);
  assert.deepEqual(L.giveChoices(TEAM, withAlice, "sam").map((c) => c.value), ["yuki"]);
  assert.deepEqual(L.giveChoices(TEAM, withAlice, null).map((c) => c.value), ["sam", "yuki"], "viewer unknown: they can pick themselves");
  assert.equal(L.giveChoices(TEAM, queued, "sam")[1].label, "Yuki (JA, EN) — available (0/2)");
  assert.equal(L.giveChoices(TEAM, queued, "sam", "ja")[1].label, "Yuki (JA, EN) — 対応可能（0/2）");
  assert.deepEqual(L.giveChoices(null, queued, "sam"), []);
  assert.equal(L.hasRoom({ conversations: 2, capacity: 2 }), false);
  assert.equal(L.hasRoom({ conversations: "1", capacity: "2" }), true);
  assert.equal(L.hasRoom({}), false);
});

test("take over: the viewer, known, with a seat, and not already theirs", () => {
  const rows = L.liveRows(LIVE, TEAM, "en");
  assert.equal(L.canTakeOver(TEAM, rows[0], "sam"), true);
  assert.equal(L.canTakeOver(TEAM, rows[0], null), false);
  const full = TEAM.map((a) => (a.id === "sam" ? { ...a, conversations: 2 } : a));
  assert.equal(L.canTakeOver(full, rows[0], "sam"), false);
  assert.equal(L.canTakeOver(TEAM, { ...rows[2], agentId: "sam" }, "sam"), false);
});

test("the viewer: /api/stats' viewer, else the team's one supervisor, else unknown", () => {
  assert.equal(L.viewerId({ viewer: { id: "boss" }, now: { agents: TEAM } }), "boss");
  assert.equal(L.viewerId({ now: { agents: TEAM } }), "sam");
  assert.equal(L.viewerId({ now: { agents: [...TEAM, { id: "kim", role: "supervisor" }] } }), null, "two supervisors: not a guess");
  assert.equal(L.viewerId({ now: { agents: TEAM.map(({ role, ...a }) => a) } }), null);
  assert.equal(L.viewerId(null), null);
});

test("the reassign body and the server's words for a refusal", () => {
  assert.deepEqual(L.reassignBody("c1", "bob"), { conversation_id: "c1", to_agent: "bob" });
  assert.equal(JSON.stringify(L.reassignBody("c1", "sam")), '{"conversation_id":"c1","to_agent":"sam"}');
  assert.equal(L.refusalText({ error: { code: "at_capacity", message: "Bob is at capacity" } }, 409), "Bob is at capacity");
  assert.equal(L.refusalText(null, 502), "The server answered 502.");
  assert.equal(L.refusalText({ error: {} }, 500, "ja"), "サーバーがステータス 500 を返しました。");
  assert.equal(L.REASSIGN_URL, "/api/supervisor/reassign");
  assert.equal(L.conversationUrl("a/b c"), "/api/conversation/a%2Fb%20c");
});

test("the day's downloads: the day shown, else the server's today", () => {
  assert.equal(L.exportUrl("figures", "2026-03-04"), "/api/export/figures.csv?day=2026-03-04");
  assert.equal(L.exportUrl("conversations", "2026-03-04"), "/api/export/conversations.csv?day=2026-03-04");
  assert.equal(L.exportUrl("conversations", undefined), "/api/export/conversations.csv");
  assert.equal(L.exportUrl("figures", "2026-03-04&x=1"), "/api/export/figures.csv");
});

test("the watched transcript: labelled as the console labels it, text only, times, system lines in the UI language", () => {
  const vocabulary = { agent_lines: { joined: { en: "{agent} joined", ja: "{agent} さんが参加しました" } }, reasons: [] };
  const book = L.transcriptBook(vocabulary);
  const view = { transcript: [
    { id: "e1", role: "customer", text: "<b>where</b> is my parcel", ts: 1000 },
    { id: "e2", role: "bot", text: "Let me check", ts: 1001 },
    { id: "e3", role: "system", text: "Alice joined", line: "joined", line_params: { agent: "Alice" }, ts: 1002 },
    { id: "e4", role: "agent", text: "Hello", agent: { id: "alice", name: "Alice" }, ts: 1003 },
    { id: "e5", role: "note", text: "VIP", agent: { id: "alice", name: "Alice" }, ts: 1004 },
    { role: "bot", text: "", ts: "x" },
    null,
  ] };
  const lines = L.watchLines(view, "en", book);
  assert.deepEqual(lines.map((l) => l.who), ["Customer", "Assistant", "", "Alice", "Internal note · Alice", "Assistant"]);
  assert.equal(lines[0].text, "<b>where</b> is my parcel", "text as it came: drawn as text, never markup");
  assert.equal(lines[2].text, "Alice joined");
  assert.equal(L.watchLines(view, "ja", book)[2].text, "Alice さんが参加しました");
  assert.equal(L.watchLines(view, "ja", book)[0].who, "お客様");
  assert.equal(lines[5].text, "(no text)");
  assert.equal(lines[5].key, "entry-5");
  assert.equal(lines[5].time, "");
  assert.match(lines[0].time, /^\d\d:\d\d$|\d{1,2} [A-Z][a-z]{2} \d\d:\d\d$/);
  assert.deepEqual(L.watchLines(null), []);
});

test("the live panel's modules draw text only (no markup strings)", () => {
  for (const name of ["live.js", "live-view.js", "supervisor.js"]) {
    const js = readFileSync(new URL("../../web/console/assets/" + name, import.meta.url), "utf8");
    assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, name);
  }
});
