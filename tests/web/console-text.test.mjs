// The console's UI texts (English and Japanese) and their formatting per language.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import {
  FIGURES_LANGUAGE_KEY, LANGUAGE_KEY, LANGUAGE_NAMES, LANGUAGES, TEXT, agentStatusText, endedHow, formatAgo, formatClock,
  formatDuration, formatPercent, formatShortDuration, languageBadge, normalizeLanguage, placeholders, resolutionLabel,
  t, tCount, withLanguages,
} from "../../web/console/assets/text.js";
import { duration, percent, shortDuration } from "../../web/shared/time.js";
import * as C from "../../web/console/assets/state.js";
import { figuresLanguage, statsUrl, tileValues } from "../../web/console/assets/figures.js";

const CONSOLE = new URL("../../web/console/", import.meta.url);

test("both languages have exactly the same keys, none empty, the same placeholders", () => {
  assert.deepEqual(Object.keys(TEXT).sort(), [...LANGUAGES].sort());
  const en = Object.keys(TEXT.en).sort(), ja = Object.keys(TEXT.ja).sort();
  assert.deepEqual(ja, en, "the same keys in English and Japanese");
  assert.ok(en.length > 100, "every string of the three pages");
  for (const language of LANGUAGES) {
    for (const [key, value] of Object.entries(TEXT[language])) {
      assert.equal(typeof value, "string", `${language} ${key}`);
      assert.ok(value.trim().length > 0, `${language} ${key} is empty`);
      assert.equal(value, value.trim(), `${language} ${key} has spaces around it`);
    }
  }
  for (const key of en) assert.deepEqual(placeholders(TEXT.ja[key]), placeholders(TEXT.en[key]), `placeholders of ${key}`);
});

test("Japanese texts are Japanese (a few names of keys and symbols aside)", () => {
  const LATIN_OK = new Set(["tile.rating"]);  // "{average} / 5"
  const kana = /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/;  // kana, kanji, Japanese punctuation and full-width forms
  for (const [key, value] of Object.entries(TEXT.ja)) {
    if (LATIN_OK.has(key)) continue;
    assert.ok(kana.test(value), `ja ${key}: ${value}`);
  }
  // The terms a Japanese support centre uses.
  assert.equal(t("ja", "status.available"), "対応可能");
  assert.equal(t("ja", "status.away"), "離席中");
  assert.equal(t("ja", "queue.title"), "待機中の会話");
  assert.equal(t("ja", "queue.claim"), "対応を開始");
  assert.equal(t("ja", "actions.handBack"), "ボットに戻す");
  assert.equal(t("ja", "actions.transfer"), "転送");
  assert.equal(t("ja", "actions.close"), "対応終了");
  assert.equal(t("ja", "note.label"), "社内メモ");
  assert.equal(t("ja", "canned.title"), "定型文");
  assert.equal(t("ja", "conv.customerTyping"), "お客様が入力中…");
  assert.equal(t("ja", "tickets.title"), "チケット");
  assert.equal(t("ja", "tickets.markHandled"), "対応済みにする");
  assert.deepEqual(["queueLength", "longestWait", "containment", "averageWait", "firstResponse", "satisfaction"].map((k) => t("ja", "tile." + k)),
    ["待ち件数", "最長待ち時間", "自動解決率", "平均待ち時間", "初回応答時間", "顧客満足度"]);
});

test("t(): placeholders filled as text; unknown languages and keys fall back to English", () => {
  assert.equal(t("en", "queue.claim"), "Claim");
  assert.equal(t("en", "queue.claimLabel", { position: 2, reason: "frustration 0.82" }), "Claim conversation #2 (frustration 0.82)");
  assert.equal(t("ja", "queue.claimLabel", { position: 2, reason: "不満・怒り" }), "会話 #2（不満・怒り）の対応を開始");
  for (const language of ["fr", "", null, undefined, "EN", "__proto__", "constructor", 42]) {
    assert.equal(t(language, "queue.claim"), "Claim", `fallback for ${String(language)}`);
    assert.equal(normalizeLanguage(language), "en");
  }
  assert.equal(normalizeLanguage("ja"), "ja");
  assert.equal(t("en", "no.such.key"), "no.such.key");
  assert.equal(t("ja", "constructor"), "constructor", "no inherited properties");
  // A value is put in as it is, never read as a placeholder or markup; a missing one stays visible.
  assert.equal(t("en", "queue.assigned", { name: "<b>{name}</b>" }), "New conversation assigned to you: <b>{name}</b>");
  assert.equal(t("en", "queue.assigned", {}), "New conversation assigned to you: {name}");
  assert.equal(t("en", "queue.assigned", { name: 0 }), "New conversation assigned to you: 0");
  assert.equal(tCount("en", 1, "queue.signal", "queue.signals"), "1 signal");
  assert.equal(tCount("en", 3, "queue.signal", "queue.signals"), "3 signals");
  assert.equal(tCount("ja", 3, "queue.signal", "queue.signals"), "シグナル 3 件");
});

test("every key the pages use is in the catalogue, and every key is used", () => {
  const GROUPS = new Set(Object.keys(TEXT.en).map((key) => key.split(".")[0]));
  const used = new Set();
  for (const name of ["console.html", "login.html", "supervisor.html"]) {
    const html = readFileSync(new URL(name, CONSOLE), "utf8");
    for (const m of html.matchAll(/data-t(?:-[a-z-]+)?="([^"]+)"/g)) used.add(m[1]);
  }
  const assets = new URL("assets/", CONSOLE);
  for (const name of readdirSync(assets).filter((n) => n.endsWith(".js") && n !== "text.js")) {
    const js = readFileSync(new URL(name, assets), "utf8");
    // every string literal that looks like a key of one of the catalogue's groups
    for (const m of js.matchAll(/"([a-zA-Z]+)\.([a-zA-Z]+)"/g)) if (GROUPS.has(m[1])) used.add(m[1] + "." + m[2]);
  }
  assert.ok(used.size > 100, `found ${used.size} keys in use`);
  const missing = [...used].filter((key) => !Object.prototype.hasOwnProperty.call(TEXT.en, key));
  assert.deepEqual(missing, [], "used but not in the catalogue");
  // agentStatus.* keys are picked by the status's name (agentStatusText), ended.* by text.js's endedHow
  const unused = Object.keys(TEXT.en).filter((key) => !used.has(key) && !/^(agentStatus|ended)\./.test(key));
  assert.deepEqual(unused, [], "in the catalogue but used nowhere");
});

test("the login page's English fallback (used when text.js cannot be loaded) is the catalogue's English", () => {
  const js = readFileSync(new URL("assets/login.js", CONSOLE), "utf8");
  const block = /const ENGLISH = (\{[\s\S]*?\});/.exec(js);
  assert.ok(block, "login.js has its ENGLISH table");
  const english = JSON.parse(block[1].replace(/,\s*\}$/, "}"));
  assert.ok(Object.keys(english).length >= 5);
  for (const [key, value] of Object.entries(english)) assert.equal(value, TEXT.en[key], key);
});

test("durations: English exactly as before, Japanese as 1分24秒", () => {
  for (const s of [null, undefined, "x", 0, 42, 59.6, 60, 84, 84.2, 300, 310, 3599, 3600, 3660, 7500, 7170, 86400]) {
    assert.equal(formatDuration("en", s), duration(s), `en ${s}`);
  }
  assert.equal(formatDuration("en", 84), "1 min 24 s");
  assert.deepEqual([null, 0, 42, 60, 84, 310, 3600, 7500, 7170].map((s) => formatDuration("ja", s)),
    ["—", "0秒", "42秒", "1分", "1分24秒", "5分10秒", "1時間", "2時間5分", "2時間"]);
  assert.equal(formatDuration("fr", 84), "1 min 24 s", "unknown language: English");
  for (const s of [0, 5, 30, 60, 90, 600, 3600, 5400]) assert.equal(formatShortDuration("en", s), shortDuration(s));
  assert.deepEqual([0, 30, 60, 90, 3600, 5400].map((s) => formatShortDuration("ja", s)), ["0", "30秒", "1分", "1.5分", "1時間", "1.5時間"]);
});

test("percentages: 88 % / 88%", () => {
  for (const x of [0.883, 0, 1, null, undefined, "x", 0.005]) assert.equal(formatPercent("en", x), percent(x));
  assert.equal(formatPercent("en", 0.883), "88 %");
  assert.equal(formatPercent("ja", 0.883), "88%");
  assert.equal(formatPercent("ja", 1), "100%");
  assert.equal(formatPercent("ja", null), "—");
});

test("ages and clock times per language", () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0) / 1000;
  assert.equal(formatAgo("en", now - 10, now), "just now");
  assert.equal(formatAgo("en", now - 300, now), "5 min ago");
  assert.equal(formatAgo("en", now - 3 * 3600, now), "3 h ago");
  assert.equal(formatAgo("ja", now - 10, now), "たった今");
  assert.equal(formatAgo("ja", now - 300, now), "5分前");
  assert.equal(formatAgo("ja", now - 3 * 3600, now), "3時間前");
  const d = new Date(2026, 1, 3, 14, 5);
  const ts = d.getTime() / 1000;
  assert.equal(formatClock("en", ts, true), "3 Feb 14:05");
  assert.equal(formatClock("ja", ts, true), "2月3日 14:05");
  assert.equal(formatClock("ja", ts, false, d), "14:05");
  assert.equal(formatClock("ja", "x"), "");
  assert.match(formatAgo("ja", now - 3 * 86400, now), /^\d+月\d+日 \d\d:\d\d$/);
});

test("languages: badges, agents' languages, availability, vocabulary labels, how a conversation ended", () => {
  assert.deepEqual(languageBadge("en"), { text: "EN", title: "English" });
  assert.deepEqual(languageBadge("ja"), { text: "JA", title: "日本語" });
  assert.equal(languageBadge(undefined), null);
  assert.equal(languageBadge(""), null);
  assert.deepEqual(LANGUAGE_NAMES, { en: "English", ja: "日本語" });
  assert.equal(LANGUAGE_KEY, "nwsupport.console.language");
  assert.equal(FIGURES_LANGUAGE_KEY, "nwsupport.supervisor.figures_language");
  assert.equal(withLanguages("Alice", ["en"]), "Alice (EN)");
  assert.equal(withLanguages("Yuki", ["ja", "en"]), "Yuki (JA, EN)");
  assert.equal(withLanguages("Bob", undefined), "Bob");
  assert.equal(withLanguages("Bob", []), "Bob");
  assert.equal(agentStatusText("en", "away"), "away");
  assert.equal(agentStatusText("ja", "away"), "離席中");
  assert.equal(agentStatusText("ja", undefined), "オフライン");
  assert.equal(agentStatusText("ja", "busy"), "busy", "unknown: as it came");
  const labels = { answered: { en: "Answered", ja: "回答済み" } };
  assert.equal(resolutionLabel("en", "follow_up_by_email", {}), "follow up by email");
  assert.equal(resolutionLabel("ja", "answered", labels), "回答済み");
  assert.equal(resolutionLabel("en", "answered", labels), "Answered");
  assert.equal(resolutionLabel("ja", "spam", labels), "spam");
  assert.equal(endedHow("en", "closed: answered", labels), "closed: answered", "English: as the server said it");
  assert.equal(endedHow("ja", "closed: answered", labels), "対応終了：回答済み");
  assert.equal(endedHow("ja", "transferred to Bob"), "Bob さんに転送しました");
  assert.equal(endedHow("ja", "handed back to the assistant"), "ボットに戻しました");
  assert.equal(endedHow("ja", "no longer yours"), "担当が外れました");
  assert.equal(endedHow("ja", "something new"), "something new");
});

test("the console's state texts: English as before, Japanese on demand", () => {
  const agents = [{ id: "me" }, { id: "yuki", name: "Yuki", status: "away", load: 1, capacity: 3, languages: ["ja", "en"] },
                  { id: "di", name: "Di", status: "away", load: 1, capacity: 3 }];
  const en = C.transferChoices(agents, "me", "");
  assert.deepEqual(en.options.map((o) => o.label), ["Yuki (JA, EN) — away (1/3)", "Di — away (1/3)"]);
  const ja = C.transferChoices(agents, "me", "", "ja");
  assert.deepEqual(ja.options.map((o) => o.label), ["Yuki (JA, EN) — 離席中（1/3）", "Di — 離席中（1/3）"]);
  assert.equal(C.transferChoices([{ id: "me" }], "me", "", "ja").placeholder, "ほかの担当者がいません");
  const S = C.createState();
  S.me = { id: "alice" };
  const c = C.newConversation("conv-123456789");
  S.language = "ja";
  assert.equal(C.entryWho(S, { role: "note", agent: { id: "alice", name: "Alice" } }, c), "社内メモ · Alice（自分）");
  assert.equal(C.entryWho(S, { role: "bot" }, c), "アシスタント");
  assert.equal(C.entryWho(S, { role: "customer" }, c), "ゲスト 456789");
  assert.equal(C.plain([true, false], "ja"), "はい, いいえ");
  // Resolution codes: plain codes, or codes with labels.
  C.applyHello(S, { vocabulary: { resolution_codes: ["resolved", { code: "answered", label: { en: "Answered", ja: "回答済み" } }] } });
  assert.deepEqual(S.resolutionCodes, ["resolved", "answered"]);
  assert.deepEqual(S.resolutionLabels, { answered: { en: "Answered", ja: "回答済み" } });
  // The conversation's language comes with claimed, else from its queue entry.
  S.queue = [{ conversation_id: "q1", language: "ja" }];
  assert.equal(C.applyClaimed(S, { conversation_id: "q1", state: "with_agent" }, 0).c.language, "ja");
  assert.equal(C.applyClaimed(S, { conversation_id: "q2", state: "with_agent", language: "en" }, 0).c.language, "en");
  assert.equal(C.applyClaimed(S, { conversation_id: "q3", state: "with_agent" }, 0).c.language, null);
});

test("supervisor: the figures' language filter and the tiles in Japanese", () => {
  assert.deepEqual(["en", "ja", "all", "", null, "fr"].map(figuresLanguage), ["en", "ja", "all", "all", "all", "all"]);
  assert.equal(statsUrl("all"), "/api/stats");
  assert.equal(statsUrl("en"), "/api/stats?language=en");
  assert.equal(statsUrl("ja"), "/api/stats?language=ja");
  const data = { now: { queue_length: 2, longest_wait_s: 84, agents_available: 1, agents: [{}, {}] },
    today: { conversations: 120, handed_off: 14, containment: 0.883, average_wait_s: 42, first_response_s: 55.1,
             satisfaction: { average: 4.2, count: 9 }, closed: 11 } };
  const en = tileValues(data);
  assert.deepEqual([en["longest-wait"].value, en.containment.value, en["queue-length"].sub], ["1 min 24 s", "88 %", "2 customers waiting"]);
  const ja = tileValues(data, "ja");
  assert.deepEqual([ja["longest-wait"].value, ja.containment.value, ja["average-wait"].value, ja["first-response"].value],
    ["1分24秒", "88%", "42秒", "55秒"]);
  assert.equal(ja["queue-length"].sub, "2 名のお客様が待機中");
  assert.equal(ja.satisfaction.value, "4.2 / 5");
  assert.equal(ja.satisfaction.sub, "評価 9 件");
  assert.equal(ja.containment.sub, "ボットのみで解決 · 120 件中 14 件を引き継ぎ");
});
