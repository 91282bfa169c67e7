/* The desk's vocabulary as the server sends it (pure): the customer's status lines (`history`)
 * and the handoff reasons (`hello`, `/api/stats`). The pages keep no copy of their own. */

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * `template` with `{name}` placeholders filled from `params`, as segments
 * `[{text}, {text, param: "ticket"}, …]` so a view can style a value without parsing markup.
 * Returns null when a placeholder has no string/number value in `params`.
 */
export function fillTemplate(template, params) {
  const segments = [];
  const re = /\{([a-z_]+)\}/g;
  let last = 0;
  let match;
  while ((match = re.exec(template)) !== null) {
    const name = match[1];
    const value = params && hasOwn(params, name) ? params[name] : undefined;
    if (typeof value !== "string" && typeof value !== "number") return null;
    if (match.index > last) segments.push({ text: template.slice(last, match.index) });
    segments.push({ text: String(value), param: name });
    last = re.lastIndex;
  }
  if (last < template.length) segments.push({ text: template.slice(last) });
  return segments;
}

export function segmentsText(segments) {
  return segments.map((s) => s.text).join("");
}

/** The status line `key` in `lang` from `vocabulary.status_lines`, as segments; null when there is
 * no vocabulary, the key or the language is missing, or a placeholder has no value. */
export function statusLine(vocabulary, key, lang, params) {
  const lines = vocabulary && typeof vocabulary === "object" ? vocabulary.status_lines : null;
  if (!lines || typeof lines !== "object" || typeof key !== "string" || !hasOwn(lines, key)) return null;
  const line = lines[key];
  const template = line && typeof line === "object" && hasOwn(line, lang) ? line[lang] : null;
  if (typeof template !== "string" || !template) return null;
  return fillTemplate(template, params);
}

/** The reasons of `vocabulary.reasons` in their order: {order: [code], labels: {code: {en, ja}}}. */
export function reasonBook(vocabulary) {
  const book = { order: [], labels: Object.create(null) };
  const reasons = vocabulary && Array.isArray(vocabulary.reasons) ? vocabulary.reasons : [];
  for (const reason of reasons) {
    if (!reason || typeof reason.code !== "string" || !reason.code || book.labels[reason.code]) continue;
    book.order.push(reason.code);
    book.labels[reason.code] = reason.label && typeof reason.label === "object" ? reason.label : {};
  }
  return book;
}

export function isKnownReason(book, code) {
  return Boolean(book && typeof code === "string" && book.labels[code]);
}

/** A reason's label in `lang` (English, then the code with `_` → space, when there is none). */
export function reasonLabel(book, code, lang = "en") {
  const key = String(code || "unknown");
  const label = book && book.labels[key];
  const text = label && (typeof label[lang] === "string" && label[lang] ? label[lang] : label.en);
  return typeof text === "string" && text ? text : key.replace(/_/g, " ");
}

/** The text of a reason badge: "explicit request", "frustration 0.82". */
export function reasonText(book, code, score, lang = "en") {
  let text = reasonLabel(book, code, lang);
  if (code === "frustration" && score !== null && score !== undefined && Number.isFinite(Number(score))) {
    text += " " + Number(score).toFixed(2);
  }
  return text;
}

/** The codes to list: the vocabulary's order first, then any other code of `codes` in its order. */
export function reasonOrder(book, codes) {
  const order = book ? book.order.slice() : [];
  for (const code of codes || []) if (!order.includes(code)) order.push(code);
  return order;
}
