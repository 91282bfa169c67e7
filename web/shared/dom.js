/* DOM helpers of every page. Text is only ever text: strings become text nodes and
 * attribute values; no markup string is ever parsed.
 * Nothing here touches `document` until it is called, so the module imports under Node. */

const SVG_NS = "http://www.w3.org/2000/svg";
// Set as properties on HTML elements (so `false` really means off).
const BOOL_PROPS = new Set(["hidden", "disabled", "checked", "selected", "required", "readOnly", "open"]);

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (typeof child === "string" || typeof child === "number") node.appendChild(document.createTextNode(String(child)));
    else node.appendChild(child);
  }
  return node;
}

function setAttrs(node, attrs, isSvg) {
  if (!attrs) return;
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (value === null || value === undefined || value === false) continue;
    if (key.slice(0, 2) === "on") {
      // Event handlers are functions; a string here would be an inline script.
      if (typeof value !== "function") throw new TypeError("el(): " + key + " must be a function");
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      if (isSvg) node.setAttribute("class", value); else node.className = value;
    } else if (key === "text") {
      node.textContent = String(value);
    } else if (key === "dataset") {
      for (const k of Object.keys(value)) node.dataset[k] = String(value[k]);
    } else if (!isSvg && BOOL_PROPS.has(key)) {
      node[key] = Boolean(value);
    } else if (!isSvg && key === "value") {
      node.value = String(value);
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

/** el("li", {class: "x", "data-testid": "entry"}, "text", childNode, [more]): strings become text nodes. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs, false);
  return append(node, children);
}

/** The same for SVG elements. */
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs, true);
  return append(node, children);
}

/** A decorative 24×24 stroke icon from [tag, attrs] parts (aria-hidden). */
export function icon(parts, attrs) {
  return svg("svg", { viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false", ...attrs },
    (parts || []).map(([tag, partAttrs]) => svg(tag, partAttrs)));
}

/** Remove every child; returns the node. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function remove(node) {
  if (node && node.parentNode) node.parentNode.removeChild(node);
}

/** A value as a display string ("" for null/undefined). */
export function str(value) {
  return typeof value === "string" ? value : value === null || value === undefined ? "" : String(value);
}

/** The first letter of a name, upper case ("?" when there is none). */
export function initial(name) {
  const s = str(name).trim();
  return s ? Array.from(s)[0].toUpperCase() : "?";
}
