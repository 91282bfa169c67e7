/* The widget's cards under the log: nobody available, the leave-a-message form, the survey.
 * DOM only; what they send goes through ctx.actions. */

import { el, remove, str } from "../shared/dom.js";
import { MAX_CHARS, isEmail } from "../shared/protocol.js";
import { icon } from "./icons.js";
import { deskOpens } from "./state.js";
import { scrollToBottom } from "./view.js";

export function hideNoAgent(ctx) {
  const { cards } = ctx.ui;
  remove(cards.noAgent);
  remove(cards.form && cards.form.node);
  cards.noAgent = null;
  cards.form = null;
}

/** Nobody to take the conversation: keep waiting or leave a message; out of hours (`why:
 * "after_hours"`), only the message, and when the desk opens. */
export function showNoAgent(ctx, offer) {
  const { ui, t } = ctx;
  if (ui.cards.noAgent || ui.cards.form) return; // already offered
  const afterHours = Boolean(offer && offer.why === "after_hours");
  const opens = afterHours ? deskOpens(ctx.state) : "";
  const keep = el("button", {
    type: "button", class: "sw-button sw-button-secondary", "data-testid": "keep-waiting", text: t("keepWaiting"),
    onclick: () => { ctx.actions.keepWaiting(); hideNoAgent(ctx); ui.input.focus(); },
  });
  const leave = el("button", {
    type: "button", class: "sw-button sw-button-primary", "data-testid": "leave-message", text: t("leaveMessage"),
    onclick: () => showLeaveMessageForm(ctx),
  });
  ui.cards.noAgent = el("div", { class: "sw-card", "data-testid": "no-agent", role: "region", "aria-labelledby": "sw-no-agent-title" },
    el("h3", { class: "sw-card-title", id: "sw-no-agent-title", text: t(afterHours ? "afterHoursTitle" : "noAgentTitle") }),
    el("p", { class: "sw-card-text", text: afterHours ? t("afterHoursText", { opens: opens || "…" }) : t("noAgentText") }),
    afterHours ? el("div", { class: "sw-card-actions" }, leave) : el("div", { class: "sw-card-actions" }, keep, leave));
  if (afterHours) ui.cards.noAgent.dataset.why = "after_hours";
  ui.extras.appendChild(ui.cards.noAgent);
  scrollToBottom(ctx, true);
}

export function showLeaveMessageForm(ctx) {
  const { ui, t } = ctx;
  remove(ui.cards.noAgent);
  ui.cards.noAgent = null;
  if (ui.cards.form) return;
  const email = el("input", {
    id: "sw-lm-email", class: "sw-field", type: "email", name: "email", required: true,
    autocomplete: "email", placeholder: t("emailPlaceholder"), maxlength: "254",
  });
  const text = el("textarea", { id: "sw-lm-text", class: "sw-field", name: "text", required: true, rows: "4", maxlength: String(MAX_CHARS) });
  const submit = el("button", { type: "submit", class: "sw-button sw-button-primary", text: t("submit") });
  const cancel = el("button", {
    type: "button", class: "sw-button sw-button-secondary", text: t("cancel"),
    onclick: () => { hideNoAgent(ctx); showNoAgent(ctx); },
  });
  const error = el("p", { class: "sw-form-error", role: "alert", hidden: true });
  const node = el("form", { class: "sw-card sw-form", "data-testid": "leave-message-form", novalidate: true, "aria-labelledby": "sw-lm-title" },
    el("h3", { class: "sw-card-title", id: "sw-lm-title", text: t("formTitle") }),
    el("label", { class: "sw-label", for: "sw-lm-email", text: t("email") }), email,
    el("label", { class: "sw-label", for: "sw-lm-text", text: t("messageText") }), text,
    error,
    el("div", { class: "sw-card-actions" }, cancel, submit));
  const fail = (field, message) => {
    field.setAttribute("aria-invalid", "true");
    error.textContent = message;
    error.hidden = false;
    field.focus();
  };
  node.addEventListener("submit", (e) => {
    e.preventDefault();
    error.hidden = true;
    const address = email.value.trim();
    const message = text.value.trim();
    email.removeAttribute("aria-invalid");
    text.removeAttribute("aria-invalid");
    if (!isEmail(address)) { fail(email, t("badEmail")); return; }
    if (!message) { fail(text, t("emptyText")); return; }
    if (!ctx.actions.leaveMessage(address, message)) return;
    submit.disabled = true;
    setTimeout(() => { submit.disabled = false; }, 3000);
  });
  ui.cards.form = { node, error, submit };
  ui.extras.appendChild(node);
  scrollToBottom(ctx, true);
  email.focus();
}

/** Show the server's complaint about the form in the form; false when no form is open. */
export function formError(ctx, message) {
  const form = ctx.ui.cards.form;
  if (!form) return false;
  form.error.textContent = str(message);
  form.error.hidden = false;
  form.submit.disabled = false;
  return true;
}

export function hideSurvey(ctx) {
  remove(ctx.ui.cards.survey);
  ctx.ui.cards.survey = null;
}

export function surveyShown(ctx) {
  return Boolean(ctx.ui.cards.survey);
}

export function surveyThanked(ctx) {
  return Boolean(ctx.ui.cards.survey && ctx.ui.cards.survey.classList.contains("sw-thanks"));
}

export function showSurvey(ctx) {
  const { ui, t } = ctx;
  if (ui.cards.survey) return;
  const choice = { rating: 0 };
  const radios = [];
  const group = el("div", { class: "sw-stars", role: "radiogroup", "aria-label": t("rating") });
  const comment = el("textarea", { id: "sw-survey-comment", class: "sw-field", "data-testid": "survey-comment", rows: "2", maxlength: String(MAX_CHARS) });
  const send = el("button", { type: "submit", class: "sw-button sw-button-primary", "data-testid": "survey-send", disabled: true, text: t("surveySend") });

  const select = (value, focus) => {
    choice.rating = value;
    radios.forEach((r, i) => {
      const on = i + 1 === value;
      r.setAttribute("aria-checked", on ? "true" : "false");
      r.tabIndex = on || (value === 0 && i === 0) ? 0 : -1;
      r.classList.toggle("sw-star-filled", i < value);
    });
    send.disabled = choice.rating === 0;
    if (focus) radios[value - 1].focus();
  };
  for (let value = 1; value <= 5; value++) {
    const star = el("button", {
      type: "button", class: "sw-star", role: "radio", "aria-checked": "false",
      "aria-label": value === 1 ? t("star") : t("stars", { n: value }), "data-testid": "survey-rating",
      "data-value": String(value), tabindex: value === 1 ? "0" : "-1",
      onclick: () => select(value, false),
      onkeydown: (e) => {
        let next = null;
        if (e.key === "ArrowRight" || e.key === "ArrowDown") next = value === 5 ? 1 : value + 1;
        else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = value === 1 ? 5 : value - 1;
        else if (e.key === "Home") next = 1;
        else if (e.key === "End") next = 5;
        if (next) { e.preventDefault(); select(next, true); }
      },
    }, icon("star", 28));
    radios.push(star);
    group.appendChild(star);
  }
  const card = el("form", { class: "sw-card sw-survey", "data-testid": "survey", novalidate: true, "aria-labelledby": "sw-survey-title" },
    el("h3", { class: "sw-card-title", id: "sw-survey-title", text: t("surveyTitle") }),
    el("p", { class: "sw-card-text", text: t("surveyText") }),
    group,
    el("label", { class: "sw-label", for: "sw-survey-comment", text: t("comment") }),
    comment,
    el("div", { class: "sw-card-actions" }, send));
  card.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!choice.rating || !ctx.actions.rate(choice.rating, comment.value.trim())) return;
    send.disabled = true;
    setTimeout(() => { if (ui.cards.survey) send.disabled = choice.rating === 0; }, 3000);
  });
  ui.cards.survey = card;
  ui.extras.appendChild(card);
  showTranscriptOffer(ctx);
  scrollToBottom(ctx, true);
}

/** After a person closed the conversation: have it by e-mail (the bridge's outbox, in the customer's language). */
export function showTranscriptOffer(ctx) {
  const { ui, t } = ctx;
  if (ui.cards.transcript) return;
  const email = el("input", {
    id: "sw-transcript-email", class: "sw-field", type: "email", name: "email", autocomplete: "email",
    placeholder: t("emailPlaceholder"), maxlength: "254", "data-testid": "transcript-email",
  });
  const note = el("p", { class: "sw-card-text sw-field-error", role: "alert", hidden: true });
  const send = el("button", { type: "submit", class: "sw-button sw-button-secondary", "data-testid": "transcript-send", text: t("transcriptSend") });
  const card = el("form", { class: "sw-card sw-transcript", "data-testid": "transcript", novalidate: true, "aria-labelledby": "sw-transcript-title" },
    el("h3", { class: "sw-card-title", id: "sw-transcript-title", text: t("transcriptTitle") }),
    el("label", { class: "sw-label", for: "sw-transcript-email", text: t("email") }),
    email, note, el("div", { class: "sw-card-actions" }, send));
  card.addEventListener("submit", (e) => {
    e.preventDefault();
    const address = email.value.trim();
    if (!isEmail(address)) { note.textContent = t("badEmail"); note.hidden = false; return; }
    note.hidden = true;
    if (ctx.actions.transcript(address)) send.disabled = true;
  });
  ui.cards.transcript = card;
  ui.extras.appendChild(card);
}

/** The transcript is on its way to `address`. */
export function transcriptSent(ctx, address) {
  remove(ctx.ui.cards.transcript);
  ctx.ui.cards.transcript = el("div", { class: "sw-card sw-thanks", "data-testid": "transcript", role: "status" },
    el("span", { class: "sw-thanks-icon", "aria-hidden": "true" }, icon("check", 20)),
    el("span", { text: ctx.t("transcriptSent", { email: address }) }));
  ctx.ui.extras.appendChild(ctx.ui.cards.transcript);
  scrollToBottom(ctx, true);
}

export function surveyThanks(ctx) {
  hideSurvey(ctx);
  ctx.ui.cards.survey = el("div", { class: "sw-card sw-thanks", "data-testid": "survey", role: "status" },
    el("span", { class: "sw-thanks-icon", "aria-hidden": "true" }, icon("check", 20)),
    el("span", { text: ctx.t("thanks") }));
  ctx.ui.extras.appendChild(ctx.ui.cards.survey);
  scrollToBottom(ctx, true);
}
