/* The console's canned responses: search (Enter inserts), insert into the reply box, add, edit,
 * delete with a confirmation. DOM only; installs ctx.render.canned. */

import { clear, el } from "../../shared/dom.js";
import { AGENT as E } from "../../shared/protocol.js";
import { icon, toast, tr } from "./common.js";
import { cannedMatches, insertText } from "./state.js";

export function install(ctx) {
  const { S, ui, render } = ctx;
  const matches = () => cannedMatches(S.canned, ui.cannedSearch.value);

  function insert(item) {
    const reply = ui.reply;
    if (reply.disabled) { toast(tr("canned.openFirst"), "info"); return; }
    let start = reply.selectionStart, end = reply.selectionEnd;
    if (typeof start !== "number" || (document.activeElement !== reply && start === 0 && end === 0 && reply.value)) {
      start = end = reply.value.length;
    }
    const result = insertText(reply.value, start, end, String(item.text || ""));
    reply.value = result.value;
    reply.focus();
    reply.setSelectionRange(result.caret, result.caret);
    reply.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function deleteButton(item) {
    const armed = S.deleteArmed === item.id;
    const del = el("button", { type: "button", class: "icon-btn" + (armed ? " is-armed" : ""), "data-testid": "canned-delete",
      "aria-label": tr(armed ? "canned.confirmDelete" : "canned.delete", { title: String(item.title || "") }) },
    armed ? tr("canned.deleteArmed") : icon("trash"));
    del.addEventListener("click", () => {
      if (S.deleteArmed === item.id) {
        S.deleteArmed = null;
        ctx.send(E.CANNED_DELETE, { id: item.id });
        del.disabled = true;
        return;
      }
      S.deleteArmed = item.id;
      render.canned();
      const again = ui.cannedList.querySelector(".is-armed");
      if (again) again.focus();
      setTimeout(() => { if (S.deleteArmed === item.id) { S.deleteArmed = null; render.canned(); } }, 4000);
    });
    return del;
  }

  render.canned = () => {
    const items = matches();
    if (S.cannedHighlight >= items.length) S.cannedHighlight = Math.max(0, items.length - 1);
    clear(ui.cannedList);
    items.forEach((item, index) => {
      const highlighted = index === S.cannedHighlight && ui.cannedSearch.value;
      const insertButton = el("button", { type: "button", class: "canned-insert" + (highlighted ? " is-highlighted" : ""),
        "data-testid": "canned-item", onclick: () => insert(item) },
        el("span", { class: "canned-title" }, String(item.title || "")),
        el("span", { class: "canned-preview" }, String(item.text || "")));
      // The team's responses are changed by supervisors only, an agent's own by them (handoff/canned.py).
      const tools = item.editable === false ? [] : [
        el("button", { type: "button", class: "icon-btn", "data-testid": "canned-edit",
          "aria-label": tr("canned.edit", { title: String(item.title || "") }), onclick: () => openForm(item) }, icon("pencil")),
        deleteButton(item)];
      const badge = item.personal
        ? el("span", { class: "canned-badge", title: tr("canned.personalHint") }, tr("canned.personal")) : null;
      ui.cannedList.appendChild(el("li", { class: "canned-item", dataset: { cannedId: String(item.id) } }, insertButton,
        el("span", { class: "canned-tools" }, badge, ...tools)));
    });
    if (!items.length) {
      ui.cannedList.appendChild(el("li", { class: "empty" }, tr(S.canned.length ? "canned.noMatch" : "canned.none")));
    }
  };

  function showForm(on) {
    ui.cannedForm.hidden = !on;
    ui.cannedList.hidden = on;
    ui.cannedSearch.hidden = on;
    ui.cannedNew.hidden = on;
  }

  function openForm(item) {
    S.cannedEditing = item ? { id: item.id } : {};
    ui.cannedTitle.value = item ? String(item.title || "") : "";
    ui.cannedText.value = item ? String(item.text || "") : (ui.reply.value || "");
    showForm(true);
    ui.cannedTitle.focus();
  }

  function closeForm() {
    S.cannedEditing = null;
    showForm(false);
  }

  ui.cannedNew.addEventListener("click", () => openForm(null));
  ui.cannedCancel.addEventListener("click", () => { closeForm(); ui.cannedNew.focus(); });
  ui.cannedForm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); closeForm(); ui.cannedNew.focus(); }
  });
  ui.cannedForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const title = ui.cannedTitle.value.trim(), text = ui.cannedText.value.trim();
    if (!title || !text) { toast(tr("canned.incomplete")); return; }
    const payload = { title, text };
    if (S.cannedEditing && S.cannedEditing.id !== undefined && S.cannedEditing.id !== null) payload.id = S.cannedEditing.id;
    if (ctx.send(E.CANNED_SAVE, payload)) { closeForm(); ui.cannedNew.focus(); }
  });

  ui.cannedSearch.addEventListener("input", () => { S.cannedHighlight = 0; render.canned(); });
  ui.cannedSearch.addEventListener("keydown", (event) => {
    const items = matches();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!items.length) return;
      S.cannedHighlight = (S.cannedHighlight + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      render.canned();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (items[S.cannedHighlight]) { insert(items[S.cannedHighlight]); ui.cannedSearch.value = ""; render.canned(); }
    } else if (event.key === "Escape") {
      ui.cannedSearch.value = "";
      render.canned();
    }
  });
}
