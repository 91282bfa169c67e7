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

if [ "$with_tests" -eq 1 ]; then
  # The compatibility test drives the real rasa-webchat (the widget most Rasa sites embed) against
  # the bridge: its published tarball, checked against the registry's integrity, bundle only.
  step "Fetching rasa-webchat $WEBCHAT_VERSION from npm for the compatibility test"
  webchat_dir="$VAR_DIR/test-vendor/rasa-webchat-$WEBCHAT_VERSION"
  if [ -f "$webchat_dir/index.js" ]; then
    echo "      already there"
  else
    webchat_tmp=$(mktemp -d)
    (cd "$webchat_tmp" && npm pack "rasa-webchat@$WEBCHAT_VERSION" --silent --loglevel=error >/dev/null) \
      || die "npm pack rasa-webchat@$WEBCHAT_VERSION failed (is the npm registry reachable?)"
    tarball="$webchat_tmp/rasa-webchat-$WEBCHAT_VERSION.tgz"
    got=$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tarball")
    [ "$got" = "$WEBCHAT_INTEGRITY" ] || die "rasa-webchat $WEBCHAT_VERSION: integrity $got is not the published $WEBCHAT_INTEGRITY"
    tar -xzf "$tarball" -C "$webchat_tmp" package/lib/index.js
    mkdir -p "$webchat_dir" && cp "$webchat_tmp/package/lib/index.js" "$webchat_dir/index.js"
    rm -rf "$webchat_tmp"
    echo "      $webchat_dir/index.js ($(wc -c < "$webchat_dir/index.js") bytes)"
  fi
fi
