/* Message ids: the client names each message once, and sends it again under the same id until
 * the bridge acknowledges it (the bridge handles an id once). */

const ID_BYTES = 9;

function randomBytes(n) {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** `prefix` + 18 lower-case hex digits (72 random bits): "w3f09a…" from the widget, "a…" from the console. */
export function newMessageId(prefix, random = randomBytes) {
  const bytes = random(ID_BYTES);
  if (!bytes || bytes.length !== ID_BYTES) throw new Error("newMessageId: need " + ID_BYTES + " random bytes");
  return String(prefix) + Array.from(bytes, (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
}

export const MESSAGE_ID_RE = /^[a-z][0-9a-f]{18}$/;
