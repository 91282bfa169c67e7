"""The multi-machine deployment files: systemd units systemd accepts, env examples that match the
code, and an nginx configuration nginx accepts and that behaves as docs/deployment.md says.

Each unit is rendered with the install root (/opt/nwsupport) replaced by this checkout, so that
``systemd-analyze verify`` finds the real interpreters of both environments; a system program
this machine lacks (Debian's redis-server) gets a stand-in, since the unit is under test, not
the package. The nginx configuration gets loopback addresses, free ports, a throwaway
certificate and a private prefix, so it runs unprivileged; then it is started for real in front
of two stand-in bridges. Standard library and the project's ``harness.ports`` only (Python 3.10+).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.ports import HOST, free_port, port_open

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "deploy" / "systemd"
ENV_EXAMPLES = SYSTEMD / "env"
NGINX_CONF = ROOT / "deploy" / "nginx" / "nwsupport-tls.conf"
UNITS = sorted(SYSTEMD.glob("*.service"))

INSTALL_ROOT = "/opt/nwsupport"  # where the units expect the checkout
CONFIG_ROOT = "/etc/nwsupport"  # where the units expect their settings
SYSTEMD_ANALYZE = os.environ.get("SYSTEMD_ANALYZE") or shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
# The instance each template is verified as: a port.
EXAMPLE_INSTANCE = "8000"
# systemd-analyze security's exposure (0 best, 10 worst): the units score 1.8-3.2 today.
MAX_EXPOSURE = 4.0
# Words that have no business on a command line (`ps` shows it to every user of the host).
SECRET_WORDS = re.compile(r"pass(word|wd)?|secret|token|auth", re.IGNORECASE)
PLACEHOLDER = "CHANGE-ME"
PUBLIC_NAME = "support.example.com"


# --------------------------------------------------------------------------- reading units


@dataclass(frozen=True)
class Unit:
    """A unit file's assignments, in order: (section, key, value), continuation lines joined."""

    path: Path
    assignments: tuple[tuple[str, str, str], ...]

    @classmethod
    def read(cls, path: Path) -> Unit:
        text = re.sub(r"\\\n\s*", " ", path.read_text())
        section, found = "", []
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                continue
            key, _, value = line.partition("=")
            found.append((section, key.strip(), value.strip()))
        return cls(path, tuple(found))

    def values(self, key: str) -> list[str]:
        return [value for _, k, value in self.assignments if k == key]

    def value(self, key: str) -> str:
        """The effective value of a single-valued key (the last one wins, as in systemd); '' if unset."""
        values = self.values(key)
        return values[-1] if values else ""

    @property
    def exec_start(self) -> list[str]:
        return self.value("ExecStart").split()

    @property
    def environment(self) -> dict[str, str]:
        """What the unit's Environment= lines set."""
        pairs = (item.partition("=") for line in self.values("Environment") for item in line.split())
        return {name: value for name, _, value in pairs}

    @property
    def runs_project_code(self) -> bool:
        """Whether ExecStart runs one of the checkout's Python environments (not a system program)."""
        return self.exec_start[0].startswith(INSTALL_ROOT + "/")


def example_env(role: str) -> tuple[dict[str, str], set[str]]:
    """An env example's assignments, and every name it shows (assigned, or assigned in a comment)."""
    text = (ENV_EXAMPLES / f"{role}.env.example").read_text()
    assigned = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.MULTILINE))
    shown = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))
    return assigned, shown


def role_of(unit: Unit) -> str:
    """The role an EnvironmentFile names: /etc/nwsupport/bridge.env → bridge."""
    (path,) = unit.values("EnvironmentFile")
    return Path(path).name.removesuffix(".env")


def names_read(*sources: Path) -> set[str]:
    """The environment variables Python sources read (os.environ / env .get("X") and ["X"])."""
    pattern = re.compile(r"""(?:environ|env)(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]*)["']""")
    return {name for source in sources for name in pattern.findall(source.read_text())}


def unit_named(name: str) -> Unit:
    return Unit.read(SYSTEMD / name)


# --------------------------------------------------------------------------- rendering units


def render_unit(unit: Path, folder: Path) -> Path:
    """``unit`` as this machine can verify it, written to ``folder`` (a template as one instance).

    The install root becomes this checkout (its interpreters must exist: that is checked, not
    stubbed); a system program that is not installed here becomes an executable stand-in.
    """
    text = unit.read_text().replace(INSTALL_ROOT, str(ROOT))
    program = Unit.read(unit).exec_start[0]
    if not program.startswith(INSTALL_ROOT + "/") and not Path(program).exists():
        stand_in = folder / "bin" / Path(program).name
        stand_in.parent.mkdir(exist_ok=True)
        stand_in.write_text("#!/bin/sh\nexit 0\n")
        stand_in.chmod(0o755)
        text = text.replace(program, str(stand_in))
    name = unit.name.replace("@.", f"@{EXAMPLE_INSTANCE}.")
    target = folder / name
    target.write_text(text)
    return target


def systemd_analyze(*args: str) -> subprocess.CompletedProcess[str]:
    if not Path(SYSTEMD_ANALYZE).exists():
        pytest.skip(f"systemd-analyze is not installed at {SYSTEMD_ANALYZE}")
    return subprocess.run([SYSTEMD_ANALYZE, *args], capture_output=True, text=True, timeout=120)


def test_there_is_a_unit_for_every_process() -> None:
    assert [unit.name for unit in UNITS] == [
        "nwsupport-actions.service", "nwsupport-bridge@.service", "nwsupport-rasa@.service",
        "nwsupport-redis.service", "nwsupport-sentinel.service"]


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_systemd_accepts_the_unit(path: Path, tmp_path: Path) -> None:
    rendered = render_unit(path, tmp_path)
    result = systemd_analyze("verify", str(rendered))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Unknown keys, bad values and the like are warnings with exit code 0: none may name the unit.
    about_the_unit = [line for line in output.splitlines() if rendered.name in line or str(tmp_path) in line]
    assert about_the_unit == [], output


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_unit_is_sandboxed(path: Path, tmp_path: Path) -> None:
    rendered = render_unit(path, tmp_path)
    result = systemd_analyze("security", "--offline=true", str(rendered))
    if "--offline" in result.stderr and result.returncode != 0:
        pytest.skip("this systemd-analyze cannot review a unit file offline (systemd < 250)")
    found = re.search(r"Overall exposure level for \S+: (\d+(?:\.\d+)?)", result.stdout + result.stderr)
    assert found, result.stdout + result.stderr
    assert float(found.group(1)) <= MAX_EXPOSURE, result.stdout


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_unit_runs_as_nwsupport_hardened_and_restarted(path: Path) -> None:
    unit = Unit.read(path)
    expected = {"User": "nwsupport", "Group": "nwsupport", "NoNewPrivileges": "yes", "ProtectSystem": "strict",
                "ProtectHome": "yes", "PrivateTmp": "yes", "UMask": "0027", "Restart": "on-failure",
                "CapabilityBoundingSet": ""}  # empty: no capability at all
    assert {key: unit.values(key) for key in expected} == {key: [value] for key, value in expected.items()}
    assert unit.value("TimeoutStopSec"), "how long a stop may take is said, not left to the default"
    # Everything writable is named: the state directory or explicit paths, nothing else.
    for path_ in unit.values("ReadWritePaths"):
        assert path_.startswith(CONFIG_ROOT + "/"), path_


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_no_secret_on_the_command_line(path: Path) -> None:
    unit = Unit.read(path)
    command = unit.value("ExecStart")
    assert command, "no ExecStart"
    for word in command.split():
        word_without_paths = re.sub(r"/[\w./@%-]*", "", word)  # /opt/nwsupport/.venv-bridge/...
        assert not SECRET_WORDS.search(word_without_paths), f"{word!r} looks like a secret on the command line"
        assert not re.search(r"://[^/\s]*@", word), f"{word!r} holds credentials"
        # A long random-looking string (a token pasted in), letters and digits mixed.
        assert not re.fullmatch(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-+/=]{20,}", word), word
    for variable in re.findall(r"\$\{?(\w+)", command):
        assert not SECRET_WORDS.search(variable), f"${variable} puts a secret on the command line"


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_secrets_come_from_a_root_only_file(path: Path) -> None:
    """The project's processes read their settings from /etc/nwsupport/<role>.env (with an example
    here); Redis and Sentinel, which read no environment, from a config file in /etc/nwsupport."""
    unit = Unit.read(path)
    if unit.runs_project_code:
        (env_file,) = unit.values("EnvironmentFile")
        assert re.fullmatch(rf"{CONFIG_ROOT}/[a-z]+\.env", env_file), "required ('-' would start without it)"
        assert (ENV_EXAMPLES / f"{role_of(unit)}.env.example").exists()
    else:
        assert unit.values("EnvironmentFile") == []
        assert any(word.startswith(CONFIG_ROOT + "/") for word in unit.exec_start[1:]), unit.value("ExecStart")


def test_a_bridge_has_the_descriptors_and_the_time_to_drain() -> None:
    unit = unit_named("nwsupport-bridge@.service")
    assert int(unit.value("LimitNOFILE")) >= 20000  # what 5,000 idle customers were measured with
    default = re.search(r"drain_s: float = ([\d.]+)", (ROOT / "handoff" / "config.py").read_text())
    assert default, "BRIDGE_DRAIN_S's default is no longer where this test reads it"
    drain_s = float(default.group(1))
    # Up to BRIDGE_DRAIN_S closing sockets, then as long again for the requests in flight.
    assert int(unit.value("TimeoutStopSec")) > 2 * drain_s
    assert unit.environment["BRIDGE_PORT"] == "%i"


# --------------------------------------------------------------------------- env examples


@pytest.mark.parametrize("role", ["bridge", "rasa", "actions"])
def test_the_env_example_is_an_environment_file_without_secrets(role: str) -> None:
    text = (ENV_EXAMPLES / f"{role}.env.example").read_text()
    for line in text.splitlines():
        assert not line.strip() or line.startswith("#") or re.fullmatch(r"[A-Z][A-Z0-9_]*=\S.*", line), line
    assigned, _ = example_env(role)
    for name, value in assigned.items():
        if re.search(r"PASSWORD|SECRET|TOKEN", name):
            assert value == PLACEHOLDER, f"{name} must be the placeholder, not a value"
        credentials = re.search(r"://[^:/@\s]+:([^@\s]+)@", value)
        if credentials:
            assert credentials.group(1) == PLACEHOLDER, f"{name} holds a password"


def test_the_bridge_example_shows_every_setting_the_bridge_reads() -> None:
    unit = unit_named("nwsupport-bridge@.service")
    read = names_read(ROOT / "handoff" / "config.py")
    read |= set(re.findall(r'"(BRIDGE_LIMIT_[A-Z_]+)"', (ROOT / "handoff" / "config.py").read_text()))
    read.discard("BRIDGE_DEMO")  # allows the published demo accounts: never in production
    assigned, shown = example_env(role_of(unit))
    set_by_the_unit = set(unit.environment)
    assert sorted(read - set_by_the_unit - shown) == []
    # A value in the file would override the unit's (EnvironmentFile= wins over Environment=).
    assert sorted(set_by_the_unit & set(assigned)) == []


def test_the_rasa_example_fills_the_endpoints_the_unit_names() -> None:
    unit = unit_named("nwsupport-rasa@.service")
    command = unit.exec_start
    endpoints = ROOT / command[command.index("--endpoints") + 1].replace(INSTALL_ROOT + "/", "")
    needed = set(re.findall(r"\$\{(\w+)\}", endpoints.read_text()))
    needed |= set(re.findall(r"\$\{(\w+)\}", unit.value("ExecStart")))  # RASA_INTERFACE
    needed |= names_read(ROOT / "bot" / "serve.py", ROOT / "bot" / "channels.py", *(ROOT / "escalation").glob("*.py"))
    _, shown = example_env(role_of(unit))
    assert sorted(needed - shown) == []


def test_the_actions_example_shows_every_setting_the_action_server_reads() -> None:
    unit = unit_named("nwsupport-actions.service")
    sources = [ROOT / "bot" / "action_server.py", *(ROOT / "actions").rglob("*.py"), *(ROOT / "escalation").glob("*.py")]
    read = names_read(*sources) | {"ACTION_SERVER_SANIC_WORKERS"}  # rasa-sdk's own
    read.discard("ACTION_SERVER_PORT")  # the unit's --port is used instead
    _, shown = example_env(role_of(unit))
    assert sorted(read - shown) == []


def test_the_rasa_servers_call_the_port_the_action_server_listens_on() -> None:
    command = unit_named("nwsupport-actions.service").exec_start
    assigned, _ = example_env("rasa")
    assert assigned["ACTION_SERVER_PORT"] == command[command.index("--port") + 1]
    assert assigned["ACTION_SERVER_HOST"] == example_env("actions")[0]["SANIC_HOST"]


# --------------------------------------------------------------------------- nginx


@dataclass(frozen=True)
class RenderedNginx:
    """The TLS configuration rendered to run here: its main file, folder, certificate and ports."""

    main: Path
    prefix: Path
    certificate: Path
    listen: dict[str, int]  # the configuration's listen address ("443", "[::]:443"...) → the port here
    bridges: list[int]  # the upstream servers, in order → the ports here


def render_nginx(folder: Path, certificate: Path, key: Path) -> RenderedNginx:
    """nwsupport-tls.conf on loopback with free ports and ``folder``'s paths, in a main configuration
    of its own (the one Debian's nginx.conf would be in production)."""
    text = NGINX_CONF.read_text()
    listen: dict[str, int] = {}
    bridges: list[int] = []

    def listen_here(match: re.Match[str]) -> str:
        listen[match.group(2)] = free_port()
        return f"{match.group(1)}{HOST}:{listen[match.group(2)]}{match.group(3)};"

    def bridge_here(match: re.Match[str]) -> str:
        bridges.append(free_port())
        return f"{match.group(1)}{HOST}:{bridges[-1]}"

    text = re.sub(r"(?m)^(\s*listen\s+)([^\s;]+)([^;\n]*);", listen_here, text)
    text = re.sub(r"(?m)^(\s*server\s+)[\w.-]+:\d+", bridge_here, text)
    text = re.sub(r"(?m)^(\s*ssl_certificate\s+)\S+;", rf"\g<1>{certificate};", text)
    text = re.sub(r"(?m)^(\s*ssl_certificate_key\s+)\S+;", rf"\g<1>{key};", text)
    text = re.sub(r"(?m)^(\s*(?:access|error)_log\s+)/\S+/", rf"\g<1>{folder}/logs/", text)
    site = folder / "nwsupport-tls.conf"
    site.write_text(text)
    for sub in ("logs", "temp"):
        (folder / sub).mkdir(exist_ok=True)
    temp = "\n".join(f"    {kind}_temp_path {folder}/temp/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = folder / "nginx.conf"
    main.write_text(f"pid {folder}/nginx.pid;\nerror_log {folder}/logs/error.log warn;\n"
                    f"events {{ worker_connections 256; }}\nhttp {{\n{temp}\n    include {site};\n}}\n")
    return RenderedNginx(main, folder, certificate, listen, bridges)


def nginx_command(conf: RenderedNginx, *args: str) -> list[str]:
    return [NGINX, "-p", str(conf.prefix), "-c", str(conf.main), "-e", str(conf.prefix / "logs" / "error.log"), *args]


@pytest.fixture(scope="module")
def nginx_conf(tmp_path_factory: pytest.TempPathFactory) -> RenderedNginx:
    if not Path(NGINX).exists():
        pytest.skip(f"nginx is not installed at {NGINX}")
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.skip("openssl is needed for a throwaway certificate")
    folder = tmp_path_factory.mktemp("nginx")
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", f"/CN={PUBLIC_NAME}",
                    "-addext", f"subjectAltName=DNS:{PUBLIC_NAME},IP:{HOST}",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True, timeout=60)
    return render_nginx(folder, certificate, key)


def test_nginx_accepts_the_tls_configuration(nginx_conf: RenderedNginx) -> None:
    result = subprocess.run(nginx_command(nginx_conf, "-t"), capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "test is successful" in output
    # nginx 1.25.1 and later prefer `http2 on;`, which Debian 12's 1.22 does not know yet.
    warnings = [line for line in output.splitlines()
                if "[warn]" in line and '"listen ... http2" directive is deprecated' not in line]
    assert warnings == []


def test_the_configuration_keeps_the_clusters_sticky_route_and_offers_modern_tls_only() -> None:
    text = NGINX_CONF.read_text()
    template = (ROOT / "deploy" / "nginx.conf.template").read_text()
    assert "map $cookie_nwroute" in template and "map $cookie_nwroute" in text  # the same cookie as the cluster
    assert re.search(r"hash \$nwsupport_route consistent;", text)
    (protocols,) = re.findall(r"ssl_protocols ([^;]+);", text)
    assert protocols.split() == ["TLSv1.2", "TLSv1.3"]


class StandInBridge(BaseHTTPRequestHandler):
    """Answers every request with its port and the headers it got (as JSON)."""

    def do_GET(self) -> None:
        body = json.dumps({"port": self.connection.getsockname()[1], "headers": dict(self.headers)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def running_nginx(nginx_conf: RenderedNginx) -> Iterator[RenderedNginx]:
    """nginx started with the rendered configuration, in front of stand-in bridges on the upstream ports."""
    bridges = [ThreadingHTTPServer((HOST, port), StandInBridge) for port in nginx_conf.bridges]
    for bridge in bridges:
        threading.Thread(target=bridge.serve_forever, daemon=True).start()
    nginx = subprocess.Popen(nginx_command(nginx_conf, "-g", "daemon off;"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 15
        while not port_open(nginx_conf.listen["443"]):
            assert nginx.poll() is None, nginx.stderr.read() if nginx.stderr else ""
            assert time.monotonic() < deadline, "nginx did not open its HTTPS port"
            time.sleep(0.1)
        yield nginx_conf
    finally:
        nginx.terminate()
        nginx.wait(timeout=15)
        for bridge in bridges:
            bridge.shutdown()
            bridge.server_close()


def https(conf: RenderedNginx, method: str, path: str, headers: dict[str, str] | None = None,
          ) -> tuple[http.client.HTTPResponse, bytes]:
    """One request over TLS to nginx, checking its certificate (the throwaway one)."""
    context = ssl.create_default_context(cafile=str(conf.certificate))
    connection = http.client.HTTPSConnection(HOST, conf.listen["443"], context=context, timeout=10)
    try:
        connection.request(method, path, headers={"Host": PUBLIC_NAME, **(headers or {})})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_plain_http_is_redirected_to_https(running_nginx: RenderedNginx) -> None:
    connection = http.client.HTTPConnection(HOST, running_nginx.listen["80"], timeout=10)
    connection.request("GET", "/shop/?lang=ja", headers={"Host": PUBLIC_NAME})
    response = connection.getresponse()
    assert (response.status, response.getheader("Location")) == (301, f"https://{PUBLIC_NAME}/shop/?lang=ja")
    connection.close()


@pytest.mark.parametrize(("method", "path"), [("GET", "/metrics"), ("GET", "/ready"), ("POST", "/api/handoff")])
def test_internal_paths_are_not_served_to_the_internet(running_nginx: RenderedNginx, method: str, path: str) -> None:
    response, body = https(running_nginx, method, path)
    assert response.status == 404
    assert b"headers" not in body  # never reached a bridge


def test_a_bridge_gets_the_client_s_address_and_scheme_and_the_client_a_sticky_secure_cookie(
        running_nginx: RenderedNginx) -> None:
    response, body = https(running_nginx, "GET", "/socket.io/?EIO=4&transport=polling",
                           {"X-Forwarded-For": "203.0.113.9"})  # forged by the client
    assert response.status == 200
    seen = json.loads(body)["headers"]
    assert seen["X-Forwarded-For"] == HOST  # the real peer, not what the client wrote
    assert seen["X-Forwarded-Proto"] == "https"
    assert seen["Host"] == PUBLIC_NAME
    assert response.getheader("Strict-Transport-Security") == "max-age=63072000"
    cookie = response.getheader("Set-Cookie") or ""
    route = re.match(r"nwroute=([^;]+);", cookie)
    assert route and "Secure" in cookie and "HttpOnly" in cookie, cookie
    # With the cookie, every request of the session reaches the same bridge.
    ports = {json.loads(https(running_nginx, "GET", "/socket.io/?EIO=4&transport=polling",
                              {"Cookie": f"nwroute={route.group(1)}"})[1])["port"] for _ in range(6)}
    assert ports == {json.loads(body)["port"]}
