/* The console's login page: POST /api/agent/login, then the console (or the supervisor page). Standalone. */
(function () {
  "use strict";

  var form = document.getElementById("login-form");
  var username = document.getElementById("username");
  var password = document.getElementById("password");
  var toSupervisor = document.getElementById("to-supervisor");
  var error = document.getElementById("login-error");
  var submit = document.getElementById("login-submit");

  var params = new URLSearchParams(window.location.search);
  if (params.get("next") === "supervisor") toSupervisor.checked = true;

  function showError(text) {
    error.textContent = text;
    error.hidden = !text;
    if (text) {
      password.setAttribute("aria-invalid", "true");
    } else {
      password.removeAttribute("aria-invalid");
    }
  }

  function busy(on) {
    submit.disabled = on;
    submit.textContent = on ? "Signing in…" : "Sign in";
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var user = username.value.trim();
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
      body: JSON.stringify({ username: user, password: password.value })
    }).then(function (response) {
      if (response.ok) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          var role = data && data.agent && data.agent.role;
          var target = toSupervisor.checked && role === "supervisor" ? "/console/supervisor" : "/console/";
          window.location.assign(target);
        });
      }
      busy(false);
      if (response.status === 401 || response.status === 403) {
        showError("Wrong username or password");
        password.value = "";
        password.focus();
      } else if (response.status === 429) {
        showError("Too many attempts. Wait a minute and try again.");
      } else {
        showError("Sign-in failed (" + response.status + "). Try again.");
      }
      return null;
    }).catch(function () {
      busy(false);
      showError("Cannot reach the server. Check your connection and try again.");
    });
  });
})();
