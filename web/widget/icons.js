/* The widget's icons: static shapes built node by node (no markup strings). */

import { icon as build } from "../shared/dom.js";

const PATHS = {
  chat: ["M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6A.5.5 0 0 1 5 19.2V16h1.5",
    "M4 5.5v8A2.5 2.5 0 0 0 6.5 16"],
  close: ["M6 6l12 12", "M18 6L6 18"],
  chevron: ["M6 9l6 6 6-6"],
  send: ["M4 12l16-8-6 16-2.5-6.5z", "M11.5 13.5L20 4"],
  star: ["M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z"],
  person: ["M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z", "M4.5 20a7.5 7.5 0 0 1 15 0"],
  bot: ["M6 8.5h12a2 2 0 0 1 2 2V17a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-6.5a2 2 0 0 1 2-2z", "M12 8.5V5", "M9 13.5h.01", "M15 13.5h.01"],
  mail: ["M4 6h16v12H4z", "M4 7l8 6 8-6"],
  check: ["M5 12.5l4.5 4.5L19 7.5"],
};

export function icon(name, size = 24) {
  return build((PATHS[name] || []).map((d) => ["path", { d }]),
    { width: String(size), height: String(size), class: "sw-icon sw-icon-" + name });
}
