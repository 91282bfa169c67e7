# The web pages' JavaScript packages (socket.io-client from npm; no build step).
# Sourced by scripts/setup.sh (uses ROOT, RASA_VENV, BRIDGE_VENV, with_tests and the helpers of lib.sh).
# shellcheck shell=bash

step "Installing the web pages' JavaScript packages (socket.io-client from npm)"
command -v npm >/dev/null || die "npm not found: the widget and the console use socket.io-client from npm.
Install Node.js 18 or later with npm (for example: apt-get install nodejs npm), then run this again."
web_wanted=$(sha256sum < web/package-lock.json | cut -c1-16)
if [ "$(cat web/node_modules/.installed 2>/dev/null)" = "$web_wanted" ]; then
  echo "      up to date"
else
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "$web_wanted" > web/node_modules/.installed
fi
