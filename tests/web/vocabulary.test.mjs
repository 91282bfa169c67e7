// The server's vocabulary (status lines, reasons) and the protocol's limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fillTemplate, reasonBook, reasonLabel, reasonOrder, reasonText, segmentsText, statusLine } from "../../web/shared/vocabulary.js";
import { EMAIL_RE, MAX_CHARS, clip, isEmail, isPassingError } from "../../web/shared/protocol.js";

const VOCABULARY = {
  status_lines: {
    joined: { en: "{agent} from Support joined", ja: "サポートの{agent}が参加しました" },
    ticket: { en: "Message left: ticket {ticket}", ja: "メッセージを承りました（受付番号 {ticket}）" },
    closed: { en: "The conversation was closed" },
  },
};

test("templates are filled as text segments; a value is never interpreted", () => {
  assert.deepEqual(fillTemplate("{agent} joined", { agent: "<b>Al</b>" }), [{ text: "<b>Al</b>", param: "agent" }, { text: " joined" }]);
  assert.deepEqual(fillTemplate("ticket {ticket}.", { ticket: "T-1" }), [{ text: "ticket " }, { text: "T-1", param: "ticket" }, { text: "." }]);
  assert.deepEqual(fillTemplate("{agent}{agent}", { agent: "{agent}" }).map((s) => s.text), ["{agent}", "{agent}"]);
  assert.equal(fillTemplate("{agent} joined", {}), null, "a missing value: the caller falls back");
  assert.equal(fillTemplate("{agent} joined", { agent: { name: "x" } }), null);
  assert.equal(fillTemplate("{constructor} joined", {}), null, "no inherited properties");
});

test("status lines by key in the widget's language, params substituted", () => {
  assert.equal(segmentsText(statusLine(VOCABULARY, "joined", "ja", { agent: "Alice" })), "サポートのAliceが参加しました");
  assert.equal(segmentsText(statusLine(VOCABULARY, "ticket", "en", { ticket: "T-9" })), "Message left: ticket T-9");
  assert.equal(statusLine(VOCABULARY, "closed", "ja", {}), null, "no Japanese line: fall back");
  assert.equal(statusLine(VOCABULARY, "rated", "en", {}), null, "unknown key");
  assert.equal(statusLine(VOCABULARY, "__proto__", "en", {}), null);
  assert.equal(statusLine(null, "joined", "en", { agent: "A" }), null, "no vocabulary yet");
  assert.equal(statusLine({ status_lines: "x" }, "joined", "en", { agent: "A" }), null);
});

test("reasons keep the server's order and labels; unknown codes show as the code with spaces", () => {
  const book = reasonBook({ reasons: [
    { code: "explicit_request", label: { en: "explicit request", ja: "担当者希望" }, priority: 0 },
    { code: "frustration", label: { en: "frustration", ja: "不満・怒り" }, priority: 2 },
    { code: "frustration", label: { en: "dup" }, priority: 9 },
    { code: "unresolved", label: { en: "not solved" }, priority: 1 },
    { label: { en: "no code" } },
  ] });
  assert.deepEqual(book.order, ["explicit_request", "frustration", "unresolved"]);
  assert.equal(reasonLabel(book, "unresolved"), "not solved");
  assert.equal(reasonLabel(book, "frustration", "ja"), "不満・怒り");
  assert.equal(reasonLabel(book, "unresolved", "ja"), "not solved", "English when the language is missing");
  assert.equal(reasonLabel(book, "billing_dispute"), "billing dispute");
  assert.equal(reasonLabel(reasonBook(null), "explicit_request"), "explicit request");
  assert.equal(reasonText(book, "frustration", 0.8234), "frustration 0.82");
  assert.equal(reasonText(book, "unresolved", 0.8234), "not solved", "only frustration shows its score");
  assert.equal(reasonText(book, "frustration", null), "frustration");
  assert.deepEqual(reasonOrder(book, ["sensitive", "frustration", "billing"]), ["explicit_request", "frustration", "unresolved", "sensitive", "billing"]);
});

test("e-mail pattern, the 4,000-character limit, passing errors", () => {
  for (const ok of ["ann@example.com", "a.b+c@mail.example.co.jp"]) assert.ok(isEmail(ok), ok);
  for (const bad of ["ann", "ann@example", "ann@@example.com", "<a>@example.com", "a b@example.com", "ann@example.c", "", null]) {
    assert.equal(isEmail(bad), false, String(bad));
  }
  assert.equal(EMAIL_RE.test("x".repeat(65) + "@example.com"), false);
  assert.equal(MAX_CHARS, 4000);
  assert.equal(clip("x".repeat(5000)).length, 4000);
  assert.equal(clip("short"), "short");
  assert.ok(isPassingError("unavailable") && isPassingError("internal"));
  assert.equal(isPassingError("too_long"), false);
});
