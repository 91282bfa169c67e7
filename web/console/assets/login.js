/* The console's login page: POST /api/agent/login, then the console (or the supervisor page).
 * The login page loads nothing that needs a login: this module, and the UI texts (text.js, which
 * imports only web/shared/). text.js is loaded on its own (a dynamic import) so that signing in
 * works even where it cannot be fetched: the page then stays in English, its HTML's texts. */

const LANGUAGE_KEY = "nwsupport.console.language";  // as text.js's LANGUAGE_KEY

const form = document.getElementById("login-form");
const username = document.getElementById("username");
const password = document.getElementById("password");
const toSupervisor = document.getElementById("to-supervisor");
const error = document.getElementById("login-error");
const submit = document.getElementById("login-submit");
const languageSelect = document.getElementById("ui-language");

// The page's state: the catalogue once loaded, the UI language, what is on screen.
const page = { text: null, language: "en", error: null, busy: false };

// The English of the messages this module shows, for when text.js could not be loaded (the
// catalogue, text.js, holds the same texts in every language).
const ENGLISH = {
  "login.submit": "Sign in",
  "login.submitting": "Signing in…",
  "login.wrong": "Wrong username or password",
  "login.tooMany": "Too many attempts. Wait a minute and try again.",
  "login.failed": "Sign-in failed ({status}). Try again.",
  "login.missing": "Enter your username and password.",
  "login.unreachable": "Cannot reach the server. Check your connection and try again.",
};

function say(key, params) {
  if (page.text) return page.text.t(page.language, key, params);
  return (ENGLISH[key] || key).replace(/\{([A-Za-z_]+)\}/g, (whole, name) =>
    params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
}

function readLanguage() {
  try { return window.localStorage.getItem(LANGUAGE_KEY) === "ja" ? "ja" : "en"; } catch (e) { return "en"; }
}

function storeLanguage(language) {
  try { window.localStorage.setItem(LANGUAGE_KEY, language); } catch (e) { /* private mode */ }
}

/** The page's texts in the UI language: `data-t` (text), `data-t-aria-label|placeholder|title` (attributes). */
function applyTexts() {
  document.documentElement.lang = page.text ? page.language : "en";  // the language the page is shown in
  if (languageSelect.value !== page.language) languageSelect.value = page.language;
  if (!page.text) return;
  const t = page.text.t;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(page.language, node.getAttribute("data-t"));
  for (const attr of ["aria-label", "placeholder", "title"]) {
    for (const node of document.querySelectorAll("[data-t-" + attr + "]")) node.setAttribute(attr, t(page.language, node.getAttribute("data-t-" + attr)));
  }
  busy(page.busy);
  if (page.error) showError(page.error.key, page.error.params);
}

function useLanguage(language) {
  page.language = language === "ja" ? "ja" : "en";
  applyTexts();
}

if (new URLSearchParams(window.location.search).get("next") === "supervisor") toSupervisor.checked = true;

/** Show the message `key` (none: hide the box). */
function showError(key, params) {
  page.error = key ? { key, params } : null;
  const text = key ? say(key, params) : "";
  error.textContent = text;
  error.hidden = !text;
  if (text) password.setAttribute("aria-invalid", "true");
  else password.removeAttribute("aria-invalid");
}

function busy(on) {
  page.busy = on;
  submit.disabled = on;
  submit.textContent = say(on ? "login.submitting" : "login.submit");
  form.setAttribute("aria-busy", on ? "true" : "false");
}

function refused(status) {
  if (status === 401 || status === 403) {
    showError("login.wrong");
    password.value = "";
    password.focus();
  } else if (status === 429) {
    showError("login.tooMany");
  } else {
    showError("login.failed", { status });
  }
}

languageSelect.value = page.language = readLanguage();
languageSelect.addEventListener("change", () => {
  const language = languageSelect.value === "ja" ? "ja" : "en";
  storeLanguage(language);
  useLanguage(language);
});
window.addEventListener("storage", (event) => {
  if (event.key === LANGUAGE_KEY) useLanguage(event.newValue);
});
import("./text.js").then((text) => {
  page.text = text;
  applyTexts();
}).catch(() => { /* the page stays in English */ });

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const user = username.value.trim();
  if (!user || !password.value) {
    showError("login.missing");
    (user ? password : username).focus();
    return;
  }
  showError("");
  busy(true);
  fetch("/api/agent/login", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: user, password: password.value }),
  }).then((response) => {
    if (response.ok) {
      return response.json().catch(() => ({})).then((data) => {
        const role = data && data.agent && data.agent.role;
        window.location.assign(toSupervisor.checked && role === "supervisor" ? "/console/supervisor" : "/console/");
      });
    }
    busy(false);
    refused(response.status);
    return null;
  }).catch(() => {
    busy(false);
    showError("login.unreachable");
  });
});
