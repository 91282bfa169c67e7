// Message ids and the image URL check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MESSAGE_ID_RE, newMessageId } from "../../web/shared/ids.js";
import { safeImageSrc } from "../../web/shared/url.js";

test("a message id is the prefix and 18 hex digits of 9 random bytes, zero-padded", () => {
  const fixed = () => Uint8Array.from([0, 1, 15, 16, 127, 128, 200, 254, 255]);
  assert.equal(newMessageId("w", fixed), "w00010f107f80c8feff");
  assert.equal(newMessageId("a", fixed), "a00010f107f80c8feff");
  assert.throws(() => newMessageId("w", () => new Uint8Array(4)));
});

test("real ids match the documented format and do not repeat", () => {
  const ids = new Set();
  for (let i = 0; i < 2000; i++) {
    const id = newMessageId(i % 2 ? "w" : "a");
    assert.match(id, MESSAGE_ID_RE);
    ids.add(id);
  }
  assert.equal(ids.size, 2000);
  assert.doesNotMatch("w00010f107f80c8fe", MESSAGE_ID_RE);  // too short
  assert.doesNotMatch("W00010F107F80C8FEFF", MESSAGE_ID_RE);
});

test("images: http(s) only, relative URLs resolved against the base", () => {
  const base = "https://support.example.com/";
  assert.equal(safeImageSrc("https://cdn.example.com/a.png", base), "https://cdn.example.com/a.png");
  assert.equal(safeImageSrc("http://cdn.example.com/a b.png", base), "http://cdn.example.com/a%20b.png");
  assert.equal(safeImageSrc("/img/x.png", base), "https://support.example.com/img/x.png");
  assert.equal(safeImageSrc("//evil.example/x.png", "http://127.0.0.1:8000/"), "http://evil.example/x.png");
});

test("images: javascript:, data:, vbscript:, blob:, file: and disguised schemes are refused", () => {
  const base = "https://support.example.com/";
  for (const src of ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                     "java\nscript:alert(1)", "data:image/svg+xml,<svg onload=alert(1)>", "data:image/png;base64,AAAA",
                     "vbscript:msgbox(1)", "blob:https://support.example.com/1234", "file:///etc/passwd",
                     "ftp://example.com/a.png", "http://[::1", "", null, undefined, 42, { src: "https://x" }]) {
    assert.equal(safeImageSrc(src, base), null, String(src));
  }
  assert.equal(safeImageSrc("x.png"), null, "relative without a base does not parse");
});
