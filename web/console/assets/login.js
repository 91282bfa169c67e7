/* The console's login page: POST /api/agent/login, then the console (or the supervisor page).
 * A module with no imports: the login page loads nothing that needs a login. */

const form = document.getElementById("login-form");
const username = document.getElementById("username");
const password = document.getElementById("password");
const toSupervisor = document.getElementById("to-supervisor");
const error = document.getElementById("login-error");
const submit = document.getElementById("login-submit");

if (new URLSearchParams(window.location.search).get("next") === "supervisor") toSupervisor.checked = true;

function showError(text) {
  error.textContent = text;
  error.hidden = !text;
  if (text) password.setAttribute("aria-invalid", "true");
  else password.removeAttribute("aria-invalid");
}

function busy(on) {
  submit.disabled = on;
  submit.textContent = on ? "Signing in…" : "Sign in";
  form.setAttribute("aria-busy", on ? "true" : "false");
}

function refused(status) {
  if (status === 401 || status === 403) {
    showError("Wrong username or password");
    password.value = "";
    password.focus();
  } else if (status === 429) {
    showError("Too many attempts. Wait a minute and try again.");
  } else {
    showError("Sign-in failed (" + status + "). Try again.");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const user = username.value.trim();
  if (!user || !password.value) {
    showError("Enter your username and password.");
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
    showError("Cannot reach the server. Check your connection and try again.");
  });
});
