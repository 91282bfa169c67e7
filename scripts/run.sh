#!/usr/bin/env bash
# Set up (if needed) and run the assistant: the action server and the Rasa
# server, both on loopback. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"

# The token that protects Rasa's HTTP API (tracker events, model loading).
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  [ -s "$VAR_DIR/rasa-auth-token" ] || "$RASA_VENV/bin/python" -c "import secrets; print(secrets.token_urlsafe(32))" > "$VAR_DIR/rasa-auth-token"
  RASA_AUTH_TOKEN=$(cat "$VAR_DIR/rasa-auth-token")
fi
export RASA_AUTH_TOKEN

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

step "Starting the action server on $ACTION_SERVER_HOST:$ACTION_SERVER_PORT"
SANIC_HOST="$ACTION_SERVER_HOST" "$RASA_VENV/bin/rasa" run actions --actions actions --port "$ACTION_SERVER_PORT" \
  > "$LOG_DIR/action-server.log" 2>&1 &
pids+=($!)
wait_for_url "http://$ACTION_SERVER_HOST:$ACTION_SERVER_PORT/health" 120 "the action server" \
  || die "the action server did not start; see $LOG_DIR/action-server.log"

step "Starting the Rasa server on $RASA_HOST:$RASA_PORT (loading the model takes ~20 s)"
"$RASA_VENV/bin/rasa" run --enable-api --auth-token "$RASA_AUTH_TOKEN" \
  --interface "$RASA_HOST" --port "$RASA_PORT" --model models \
  --endpoints endpoints.yml --credentials credentials.yml \
  > "$LOG_DIR/rasa-server.log" 2>&1 &
pids+=($!)
wait_for_url "http://$RASA_HOST:$RASA_PORT/status?token=$RASA_AUTH_TOKEN" 300 "the Rasa server" \
  || die "the Rasa server did not start; see $LOG_DIR/rasa-server.log"
step "Running"

cat <<INFO

  The assistant is up.
    Talk to it over Rasa's REST channel:
      curl -s http://$RASA_HOST:$RASA_PORT/webhooks/rest/webhook -d '{"sender": "me", "message": "where is my order ORD-100101"}'
    or in a terminal:  make shell
    Rasa server    http://$RASA_HOST:$RASA_PORT   (HTTP API token in var/rasa-auth-token)
    Action server  http://$ACTION_SERVER_HOST:$ACTION_SERVER_PORT
    Logs           var/log/
  Ctrl-C stops both.

INFO
wait -n "${pids[@]}"
die "a server stopped unexpectedly; see $LOG_DIR/"
