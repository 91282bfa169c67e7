// Time formatting (local time: the tests pin the zone to Tokyo, UTC+9, no daylight saving).
process.env.TZ = "Asia/Tokyo";
import { test } from "node:test";
import assert from "node:assert/strict";
import { ago, clock, duration, hhmm, hhmmss, isoTime, localDay, percent, shortDuration, toDate, waitClock } from "../../web/shared/time.js";

const TS = Date.UTC(2026, 10, 22, 14, 5, 7) / 1000;  // 2026-11-22 23:05:07 in Tokyo

test("wire timestamps are seconds (milliseconds accepted); missing or broken ones mean now", () => {
  assert.equal(toDate(TS).getTime(), TS * 1000);
  assert.equal(toDate(TS * 1000).getTime(), TS * 1000);
  assert.equal(toDate(String(TS)).getTime(), TS * 1000);
  for (const bad of [null, undefined, "", "soon", -5, 0, NaN, Infinity]) assert.equal(toDate(bad, 12345).getTime(), 12345, String(bad));
});

test("clock times are local and zero-padded", () => {
  assert.equal(hhmm(toDate(TS)), "23:05");
  assert.equal(hhmmss(toDate(TS)), "23:05:07");
  assert.equal(localDay(toDate(TS)), "2026-11-22");
  assert.equal(localDay(toDate(TS + 3600)), "2026-11-23");  // past midnight in Tokyo, still the 22nd in UTC
  assert.equal(isoTime(TS), "2026-11-22T14:05:07.000Z");
  assert.equal(isoTime("x"), "");
});

test("the console's clock shows the date only for other days", () => {
  const sameDay = new Date(TS * 1000 - 3600 * 1000);
  assert.equal(clock(TS, false, sameDay), "23:05");
  assert.equal(clock(TS, false, new Date((TS + 86400) * 1000)), "22 Nov 23:05");
  assert.equal(clock(TS, true, sameDay), "22 Nov 23:05");
  assert.equal(clock("23:05"), "");
});

test("durations for people, with rounding across units", () => {
  assert.equal(duration(0), "0 s");
  assert.equal(duration(42.4), "42 s");
  assert.equal(duration(59.6), "1 min");
  assert.equal(duration(84.2), "1 min 24 s");
  assert.equal(duration(3599.6), "1 h");
  assert.equal(duration(7170), "2 h");  // 1 h 59.5 min rounds up to the next hour, never "1 h 60 min"
  assert.equal(duration(3600 + 5 * 60), "1 h 5 min");
  assert.equal(duration(-3), "0 s");
  for (const unknown of [null, undefined, "n/a", NaN]) assert.equal(duration(unknown), "—");
  assert.equal(shortDuration(0), "0");
  assert.equal(shortDuration(30), "30 s");
  assert.equal(shortDuration(90), "1.5 min");
  assert.equal(shortDuration(120), "2 min");
  assert.equal(shortDuration(5400), "1.5 h");
});

test("wait clocks, percentages and ages", () => {
  assert.equal(waitClock(42.9), "0:42");
  assert.equal(waitClock(725), "12:05");
  assert.equal(waitClock(3723), "1:02:03");
  assert.equal(waitClock(-4), "0:00");
  assert.equal(percent(0.883), "88 %");
  assert.equal(percent(1), "100 %");
  assert.equal(percent(null), "—");
  assert.equal(ago(TS - 10, TS), "just now");
  assert.equal(ago(TS - 300, TS), "5 min ago");
  assert.equal(ago(TS - 3 * 3600, TS), "3 h ago");
  assert.equal(ago(TS - 3 * 86400, TS), "19 Nov 23:05");
  assert.equal(ago(undefined, TS), "");
});
