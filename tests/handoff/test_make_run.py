"""The README's first command, run as a user runs it (its own state directory and ports): every secret
0600, every log 0640, no secret on any process's command line, and the product answering."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from harness.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("rasa-auth-token", "handoff-secret", "action-server-token", "redis-password")


def _command_lines() -> list[str]:
    lines = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                lines.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                continue
    return lines


def test_make_run_keeps_its_secrets_and_logs_private_and_serves(tmp_path):
    var = tmp_path / "var"
    ports = {name: str(free_port()) for name in ("RASA_PORT", "ACTION_SERVER_PORT", "BRIDGE_PORT", "EMBEDDED_REDIS_PORT")}
    env = {k: v for k, v in os.environ.items() if k not in (
        "REDIS_URL", "REDIS_PASSWORD", "RASA_AUTH_TOKEN", "HANDOFF_SECRET", "ACTION_SERVER_TOKEN", "AGENTS_FILE",
        "DESK_FILE", "TRACKER_DB_URL", "SHOP_DB_URL")}
    env.update(ports, VAR_DIR=str(var))
    run = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []
    try:
        deadline = time.monotonic() + 600
        assert run.stdout is not None
        while time.monotonic() < deadline:
            line = run.stdout.readline()
            if not line:
                break
            output.append(line)
            if "Ctrl-C stops everything" in line:
                break
        text = "".join(output)
        assert "Everything is up" in text, text[-3000:]
        assert "Desk hours" in text and "demo mode" in text

        for name in SECRETS:
            assert (var / name).stat().st_mode & 0o777 == 0o600, name
        assert (var / "redis" / "redis.conf").stat().st_mode & 0o777 == 0o600
        logs = list((var / "log").glob("*.log"))
        assert {"bridge.log", "rasa-server.log", "action-server.log", "redis.log"} <= {p.name for p in logs}
        assert {p.name: p.stat().st_mode & 0o777 for p in logs} == {p.name: 0o640 for p in logs}

        secrets = [(var / name).read_text().strip() for name in SECRETS]
        assert all(len(s) >= 16 for s in secrets)
        leaked = [line for line in _command_lines() for s in secrets if s in line]
        assert leaked == []  # `ps` shows command lines to every user of the machine

        bridge = f"http://127.0.0.1:{ports['BRIDGE_PORT']}"
        with urllib.request.urlopen(f"{bridge}/health", timeout=10) as response:
            assert response.status == 200
        request = urllib.request.Request(
            f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook", method="POST",
            data=json.dumps({"sender": "make-run-test", "message": "hello"}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {secrets[0]}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert "Northwind Goods assistant" in response.read().decode()
        for log in logs:  # no secret written to a log either
            content = log.read_text(errors="replace")
            assert not [s for s in secrets if s in content], log.name
    finally:
        os.killpg(run.pid, signal.SIGINT)
        try:
            run.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(timeout=30)
