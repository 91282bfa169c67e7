/* Which URLs from the network the pages may use (pure). */

/** The absolute http(s) URL for `src` (relative to `base`), or null: `javascript:`, `data:`,
 * `blob:`, `file:` and anything unparsable are refused. Only for images in messages. */
export function safeImageSrc(src, base) {
  if (typeof src !== "string" || !src) return null;
  try {
    const url = base ? new URL(src, base) : new URL(src);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (e) {
    return null;
  }
}

/** The origin of `url` (resolved against `base`), or null when it does not parse. */
export function originOf(url, base) {
  try { return new URL(url, base).origin; } catch (e) { return null; }
}
