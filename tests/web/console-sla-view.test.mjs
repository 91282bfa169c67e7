// The countdowns on screen (sla-view.js) over a minimal fake document: one node per timer, redrawn in
// place, data-kind / data-state kept current, text only (never markup).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { drawTimers } from "../../web/console/assets/sla-view.js";

class FakeNode {
  constructor(tag) {
    this.tag = tag; this.children = []; this.attributes = {}; this.dataset = {}; this.className = ""; this.parentNode = null;
    this.text = null;
  }
  appendChild(child) { return this.insertBefore(child, null); }
  insertBefore(child, ref) {
    if (child.parentNode) child.parentNode.children.splice(child.parentNode.children.indexOf(child), 1);
    const index = ref ? this.children.indexOf(ref) : -1;
    if (index < 0) this.children.push(child); else this.children.splice(index, 0, child);
    child.parentNode = this;
    return child;
  }
  remove() { if (this.parentNode) this.parentNode.children.splice(this.parentNode.children.indexOf(this), 1); this.parentNode = null; }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return Object.prototype.hasOwnProperty.call(this.attributes, name) ? this.attributes[name] : null; }
  addEventListener() {}
  get textContent() { return this.text !== null ? this.text : this.children.map((c) => c.textContent).join(""); }
  set textContent(value) { this.children = []; this.text = String(value); }
  querySelector(selector) {
    const name = selector.replace(/^\./, "");
    for (const child of this.children) {
      if (!(child instanceof FakeNode)) continue;
      if (child.className.split(" ").includes(name)) return child;
      const found = child.querySelector(selector);
      if (found) return found;
    }
    return null;
  }
  set innerHTML(value) { throw new Error("innerHTML was used"); }
}

before(() => {
  globalThis.document = {
    createElement: (tag) => new FakeNode(tag),
    createTextNode: (text) => ({ textContent: text }),
  };
});
after(() => { delete globalThis.document; });

const FIRST = { kind: "first_response", started_at: 1000, target_s: 120, due_at: 1120, amber_at: 1090, stopped_at: null, state: "ok" };
const RESOLUTION = { kind: "resolution", started_at: 1000, target_s: 1800, due_at: 2800, amber_at: 2350, stopped_at: null, state: "ok" };

test("one sla-timer per running timer, nearest first, updated in place as time passes", () => {
  const box = new FakeNode("div");
  drawTimers(box, [RESOLUTION, FIRST], 1000, "en");
  assert.equal(box.hidden, false);
  assert.deepEqual(box.children.map((n) => [n.attributes["data-testid"], n.dataset.kind, n.dataset.state]),
    [["sla-timer", "first_response", "ok"], ["sla-timer", "resolution", "ok"]]);
  const first = box.children[0];
  assert.equal(first.textContent, "First reply 2:00 left");
  assert.equal(first.className, "sla sla-ok");

  drawTimers(box, [RESOLUTION, FIRST], 1095, "en");
  assert.equal(box.children[0], first, "the same node, redrawn");
  assert.deepEqual([first.dataset.state, first.className, first.textContent], ["amber", "sla sla-amber", "First reply 0:25 left"]);

  drawTimers(box, [RESOLUTION, FIRST], 1190, "ja");
  assert.deepEqual([first.dataset.state, first.className, first.textContent], ["breached", "sla sla-breached", "初回応答 超過 1:10"]);

  drawTimers(box, [RESOLUTION, { ...FIRST, stopped_at: 1150, state: "missed" }], 1200, "en");
  assert.deepEqual(box.children.map((n) => n.dataset.kind), ["resolution"], "a stopped timer goes");
  drawTimers(box, [], 1200, "en");
  assert.deepEqual(box.children, []);
  assert.equal(box.hidden, true);
  drawTimers(null, [FIRST], 1000, "en");  // no box on the page: nothing to do
});
