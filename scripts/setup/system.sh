# What only the tests need from the system: Debian's Chromium, CJK fonts, nginx, PostgreSQL's server.
# Sourced by scripts/setup.sh (uses ROOT, RASA_VENV, BRIDGE_VENV, with_tests and the helpers of lib.sh).
# shellcheck shell=bash

if [ "$with_tests" -eq 1 ]; then
  step "Checking the browser and the load balancer for the tests (Debian's Chromium, CJK fonts, nginx)"
  if [ -x "$CHROMIUM" ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && command -v nginx >/dev/null; then
    echo "      $("$CHROMIUM" --version 2>/dev/null | head -n 1); $(nginx -v 2>&1)"
  elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "      installing chromium, fonts-noto-cjk and nginx-light from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >"$LOG_DIR/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk \
      nginx-light >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get could not install them (see $LOG_DIR/apt.log)"
    echo "      $("$CHROMIUM" --version 2>/dev/null | head -n 1); $(nginx -v 2>&1)"
  else
    die "the page tests need Chromium and a CJK font, the fault test nginx:
    sudo apt-get install chromium fonts-noto-cjk nginx-light
(or point CHROMIUM at a Chromium binary)"
  fi
fi

if [ "$with_tests" -eq 1 ]; then
  # The tests start private PostgreSQL clusters (harness/postgres.py) unless DATABASE_URL names a server.
  step "Checking PostgreSQL's server programs for the tests (Debian's postgresql)"
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "      DATABASE_URL is set: the tests use that server"
  elif [ -n "${PG_BINDIR:-}${pg_bin}" ] && [ -x "${PG_BINDIR:-$pg_bin}/initdb" ]; then
    echo "      $("${PG_BINDIR:-$pg_bin}/postgres" --version)"
  elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "      installing postgresql from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql \
      >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get could not install postgresql (see $LOG_DIR/apt.log)"
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    echo "      $("$pg_bin/postgres" --version)"
  else
    die "the database tests need PostgreSQL's server programs:
    sudo apt-get install postgresql
(or point PG_BINDIR at them, or DATABASE_URL at a server where the tests may create databases)"
  fi
fi
