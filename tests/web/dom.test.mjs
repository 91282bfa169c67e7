// el(): network text becomes text nodes and attribute values, never markup; handlers must be functions.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { clear, el, initial, str } from "../../web/shared/dom.js";

class FakeNode {
  constructor(tag) {
    this.tag = tag; this.children = []; this.attributes = {}; this.listeners = {}; this.dataset = {}; this.className = "";
  }
  appendChild(child) { this.children.push(child); child.parentNode = this; return child; }
  removeChild(child) { this.children.splice(this.children.indexOf(child), 1); return child; }
  get firstChild() { return this.children[0] || null; }
  setAttribute(name, value) { this.attributes[name] = value; }
  addEventListener(type, fn) { this.listeners[type] = fn; }
  set innerHTML(value) { throw new Error("innerHTML was used"); }
}

before(() => {
  globalThis.document = {
    createElement: (tag) => new FakeNode(tag),
    createElementNS: (ns, tag) => Object.assign(new FakeNode(tag), { ns }),
    createTextNode: (text) => ({ text }),
  };
});
after(() => { delete globalThis.document; });

test("strings and numbers become text nodes, arrays are flattened, null/false are skipped", () => {
  const hostile = "<img src=x onerror=alert(1)>";
  const node = el("p", { class: "msg", "data-testid": "message" }, hostile, null, false, [7, ["x"]], el("b", null, "y"));
  assert.deepEqual(node.children.slice(0, 3).map((c) => c.text), [hostile, "7", "x"]);
  assert.equal(node.children[3].tag, "b");
  assert.equal(node.className, "msg");
  assert.deepEqual(node.attributes, { "data-testid": "message" });
});

test("attributes: booleans as properties, true as an empty attribute, false and null left out", () => {
  const node = el("button", { disabled: true, hidden: false, "aria-label": 'say "hi"', novalidate: true, title: null, dataset: { id: 5 } });
  assert.equal(node.disabled, true);
  assert.equal(node.hidden, undefined);
  assert.deepEqual(node.attributes, { "aria-label": 'say "hi"', novalidate: "" });
  assert.deepEqual(node.dataset, { id: "5" });
  assert.equal(el("p", { text: "<b>" }).textContent, "<b>");
});

test("an on* attribute must be a function (a string would be an inline script)", () => {
  let clicked = 0;
  const node = el("button", { onclick: () => { clicked += 1; } });
  node.listeners.click();
  assert.equal(clicked, 1);
  assert.throws(() => el("button", { onclick: "alert(1)" }), TypeError);
  assert.throws(() => el("img", { onerror: "alert(1)" }), TypeError);
});

test("clear() empties a node; str() and initial()", () => {
  const node = el("ul", null, el("li"), el("li"));
  assert.equal(clear(node).children.length, 0);
  assert.equal(str(null), "");
  assert.equal(str(12), "12");
  assert.equal(initial("  alice"), "A");
  assert.equal(initial("😀 Bob"), "😀", "a whole code point, not half a surrogate pair");
  assert.equal(initial(""), "?");
});
