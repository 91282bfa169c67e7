# What only the tests need from the system: Debian's Chromium, CJK fonts, nginx.
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
