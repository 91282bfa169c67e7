#!/usr/bin/env bash
# Set up (if needed) and run the product: Redis (embedded unless REDIS_URL is
# set), the action server and the Rasa server on loopback, and the handoff
# bridge in front of them. Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"

# Secrets are made on first use in var/, readable by this user only (0600), and passed to the
# servers in their environment, never on a command line (`ps` shows those to everyone).
secret() {  # secret NAME: the contents of var/NAME, made first if missing
  local file="$VAR_DIR/$1"
  if [ ! -s "$file" ]; then
    (umask 077 && "$RASA_VENV/bin/python" -c "import secrets; print(secrets.token_urlsafe(32))" > "$file")
  fi
  chmod 600 "$file"
  cat "$file"
}
# The token that protects Rasa's HTTP API (tracker events, model loading) and the bridge's channel.
export RASA_AUTH_TOKEN="${RASA_AUTH_TOKEN:-$(secret rasa-auth-token)}"
# The secret the action server shows the bridge when it hands a conversation over.
export HANDOFF_SECRET="${HANDOFF_SECRET:-$(secret handoff-secret)}"
# The token the Rasa server shows the action server (endpoints.yml; bot.action_server).
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$(secret action-server-token)}"
# Logs: readable by this user and its group only (0640), those left by the set-up too (a log a
# server reopens keeps its old mode).
umask 027
chmod 640 "$LOG_DIR"/*.log 2>/dev/null || true
export HANDOFF_URL="${HANDOFF_URL:-http://$BRIDGE_HOST:$BRIDGE_PORT/api/handoff}"
# The desk's hours and idle rules, the support manager's file (DESK_FILE= for a desk that never closes).
export DESK_FILE="${DESK_FILE-$ROOT/desk.toml}"
export RASA_URL="${RASA_URL:-http://$RASA_HOST:$RASA_PORT}"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [ -z "${REDIS_URL:-}" ]; then
  # The password every client of the embedded Redis gives (the bridge reads REDIS_PASSWORD).
  export REDIS_PASSWORD="${REDIS_PASSWORD:-$(secret redis-password)}"
  step "Starting the embedded Redis on 127.0.0.1:$EMBEDDED_REDIS_PORT (data in var/redis, append-only, password in var/redis-password)"
  "$BRIDGE_VENV/bin/python" -m handoff.redis_server --port "$EMBEDDED_REDIS_PORT" --dir "$VAR_DIR/redis" \
    > "$LOG_DIR/redis.log" 2>&1 &
  pids+=($!)
  export REDIS_URL="redis://127.0.0.1:$EMBEDDED_REDIS_PORT/0"
  REDIS_SHOWN="$REDIS_URL   (password in var/redis-password)"
else
  # Shown without a password the URL may carry (redis://user:PASSWORD@host...; REDIS_PASSWORD is the other way).
  REDIS_SHOWN="$(printf '%s' "$REDIS_URL" | sed -E 's#^([a-z+]+://)[^/]*@#\1#')"
  step "Using Redis at $REDIS_SHOWN"
fi

step "Starting the action server on $ACTION_SERVER_HOST:$ACTION_SERVER_PORT"
SANIC_HOST="$ACTION_SERVER_HOST" "$RASA_VENV/bin/python" -m bot.action_server --actions actions --port "$ACTION_SERVER_PORT" \
  > "$LOG_DIR/action-server.log" 2>&1 &
pids+=($!)
wait_for_url "http://$ACTION_SERVER_HOST:$ACTION_SERVER_PORT/health" 120 "the action server" \
  || die "the action server did not start; see $LOG_DIR/action-server.log"

step "Starting the Rasa server on $RASA_HOST:$RASA_PORT (loading the model takes ~20 s)"
"$RASA_VENV/bin/python" -m bot.serve --enable-api \
  --interface "$RASA_HOST" --port "$RASA_PORT" --model models \
  --endpoints endpoints.yml --credentials credentials.yml \
  > "$LOG_DIR/rasa-server.log" 2>&1 &
pids+=($!)
# The channel's open health route (the token in a URL would show in `ps`); Rasa listens once the model is loaded.
wait_for_url "http://$RASA_HOST:$RASA_PORT/webhooks/rest/" 300 "the Rasa server" \
  || die "the Rasa server did not start; see $LOG_DIR/rasa-server.log"
if [ -z "${AGENTS_FILE:-}" ]; then
  # The example accounts' passwords are in the README: the bridge takes them only in demo mode.
  export BRIDGE_DEMO=1
  step "Starting the handoff bridge on $BRIDGE_HOST:$BRIDGE_PORT (demo mode: the example agent accounts)"
else
  step "Starting the handoff bridge on $BRIDGE_HOST:$BRIDGE_PORT"
fi
"$BRIDGE_VENV/bin/python" -m handoff > "$LOG_DIR/bridge.log" 2>&1 &
pids+=($!)
wait_for_url "http://$BRIDGE_HOST:$BRIDGE_PORT/health" 60 "the bridge" \
  || die "the bridge did not start; see $LOG_DIR/bridge.log"
step "Running"

cat <<INFO

  Everything is up.
    The demo shop with the chat widget   http://$BRIDGE_HOST:$BRIDGE_PORT/shop/
    The agent console                    http://$BRIDGE_HOST:$BRIDGE_PORT/console/   (alice / alice-demo-password, bob / bob-demo-password)
    The supervisor page                  http://$BRIDGE_HOST:$BRIDGE_PORT/console/supervisor   (supervisor / supervisor-demo-password)
    Widgets on other sites connect with Socket.IO (Rasa's protocol) to  http://$BRIDGE_HOST:$BRIDGE_PORT  (path /socket.io)
    Talk to the assistant directly over Rasa's REST channel:
      curl -s http://$RASA_HOST:$RASA_PORT/webhooks/rest/webhook -H "Authorization: Bearer \$(cat var/rasa-auth-token)" \\
        -H 'Content-Type: application/json' -d '{"sender": "me", "message": "where is my order ORD-100101"}'
    or in a terminal:  make chat
    Rasa server    http://$RASA_HOST:$RASA_PORT   (HTTP API token in var/rasa-auth-token)
    Action server  http://$ACTION_SERVER_HOST:$ACTION_SERVER_PORT
    Bridge         http://$BRIDGE_HOST:$BRIDGE_PORT   (health: /health)
    Redis          $REDIS_SHOWN
    Desk hours     ${DESK_FILE:-none}: $(PYTHONPATH="$ROOT" "$BRIDGE_VENV/bin/python" -m handoff.desk_policy "${DESK_FILE:-}")
    Logs           var/log/
  Ctrl-C stops everything.

INFO
wait -n "${pids[@]}"
die "a server stopped unexpectedly; see $LOG_DIR/"
