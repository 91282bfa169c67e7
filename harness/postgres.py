"""``PostgresServer``: the one way the tests, the benchmarks and the local cluster start PostgreSQL.

A private cluster on loopback, the way ``harness.redis.RedisServer`` starts Redis: ``initdb`` on
first start (password authentication, UTF-8), then ``postgres`` itself in the foreground as a
``harness.processes.Process`` (so a SIGKILL reaches the postmaster, and a restart keeps the port
and the data). PostgreSQL refuses to run as root; started by root (CI), every PostgreSQL program
runs as the ``postgres`` user that Debian's package creates (``setpriv``), on a directory it owns.

``database_server()`` is what the test fixtures use: ``DATABASE_URL`` names an existing server
(a PostgreSQL URL with a role allowed to create databases), else a private cluster is started.
Either way ``create_database(name)`` gives a fresh database and ``url(name, driver)`` its URL.

Standard library plus ``bot.launcher`` only: both Python environments import it.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from harness.ports import HOST, free_port
from harness.processes import Process

ROLE = "nwsupport"
SYSTEM_USER = "postgres"  # Debian's package makes it; the programs run as it when we are root


def postgres_bindir() -> Path:
    """Where ``initdb``, ``postgres`` and ``createdb`` are: ``PG_BINDIR``, else the newest
    ``/usr/lib/postgresql/<version>/bin`` (Debian), else next to ``initdb`` on the PATH.

    Raises:
        RuntimeError: no PostgreSQL server programs were found (with how to install them).
    """
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("PostgreSQL's server programs were not found: apt-get install postgresql "
                       "(or set PG_BINDIR, or DATABASE_URL to use a running server)")


def _as_server_user() -> list[str]:
    """The prefix that runs a PostgreSQL program as the ``postgres`` user when we are root, else none."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        raise RuntimeError("PostgreSQL refuses to run as root and there is no 'postgres' user "
                           "(apt-get install postgresql makes it)") from None
    return ["setpriv", f"--reuid={SYSTEM_USER}", f"--regid={SYSTEM_USER}", "--init-groups", "--"]


def _give_to_server_user(path: Path) -> None:
    """Make ``path`` (and what is in it) the ``postgres`` user's when we are root."""
    if os.geteuid() != 0:
        return
    user = pwd.getpwnam(SYSTEM_USER)
    for folder, dirs, files in os.walk(path):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.chown(name, user.pw_uid, user.pw_gid)


def _reachable_by_server_user(path: Path) -> bool:
    """Whether the ``postgres`` user could reach ``path`` (every existing folder above it searchable by others)."""
    folder = path.resolve()
    while not folder.exists():
        folder = folder.parent
    return all(os.stat(p).st_mode & 0o001 for p in [folder, *folder.parents])


class PostgresServer(Process):
    """A private PostgreSQL cluster on loopback with its files in ``base_dir`` (data in ``base_dir/data``).

    Started by root, where the ``postgres`` user cannot reach ``base_dir`` (a pytest ``tmp_path``,
    whose parents are private to root), the files go to a new folder under the system's temporary
    directory instead (``base_dir`` tells which).

    ``durable``: PostgreSQL's defaults (every commit flushed), as production runs; otherwise
    ``fsync``/``synchronous_commit`` are off (tests, where the machine never crashes mid-test),
    which makes creating databases and committing much faster. A server restart loses nothing
    either way; only an operating-system crash could.
    """

    def __init__(self, base_dir: Path, port: int = 0, *, password: str = "", durable: bool = False,
                 max_connections: int = 200, log: Path | None = None, name: str = "postgres") -> None:
        if os.geteuid() == 0 and not _reachable_by_server_user(base_dir):
            base_dir = Path(tempfile.mkdtemp(prefix="nwsupport-pg-"))
        self.base_dir = base_dir.resolve()
        self.data_dir = self.base_dir / "data"
        self.port = port or free_port()
        self.password = password or secrets.token_hex(16)  # hex: safe in a URL as it is
        self.bindir = postgres_bindir()
        settings = {"listen_addresses": HOST, "max_connections": str(max_connections),
                    "unix_socket_directories": ""}  # TCP only: a deep folder's socket path would be too long
        if not durable:
            settings.update(fsync="off", synchronous_commit="off", full_page_writes="off")
        args = [*_as_server_user(), str(self.bindir / "postgres"), "-D", str(self.data_dir),
                "-p", str(self.port), *(f"-c{key}={value}" for key, value in settings.items())]
        super().__init__(name, args, {"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"},
                         log or self.base_dir / "postgres.log", self.accepting, start_timeout_s=60)

    # --- addresses ---------------------------------------------------------

    @property
    def admin_url(self) -> str:
        """The maintenance database ``postgres`` as the cluster's owner (do not print it: it has the password)."""
        return self.url("postgres")

    def url(self, database: str, driver: str = "postgresql") -> str:
        """SQLAlchemy URL of ``database`` (``driver``: ``postgresql`` for psycopg2, ``postgresql+asyncpg``)."""
        return f"{driver}://{ROLE}:{self.password}@{HOST}:{self.port}/{database}"

    # --- life --------------------------------------------------------------

    def spawn(self) -> None:
        """``initdb`` on the first start, then start ``postgres``."""
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        super().spawn()

    def _initdb(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.base_dir.chmod(0o700)
        password_file = self.base_dir / "initdb-password"
        password_file.write_text(self.password + "\n")
        password_file.chmod(0o600)
        _give_to_server_user(self.base_dir)
        try:
            result = subprocess.run(
                [*_as_server_user(), str(self.bindir / "initdb"), "-D", str(self.data_dir), "-U", ROLE,
                 f"--pwfile={password_file}", "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C",
                 "--no-instructions"],
                env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"}, capture_output=True, text=True,
                timeout=120, cwd=self.base_dir)
        finally:
            password_file.unlink(missing_ok=True)
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed ({result.returncode}) in {self.data_dir}:\n"
                               f"{result.stdout[-1500:]}{result.stderr[-1500:]}")

    def accepting(self) -> bool:
        """Whether it accepts connections (``pg_isready``: not while it starts up or recovers)."""
        result = subprocess.run([str(self.bindir / "pg_isready"), "-q", "-h", HOST, "-p", str(self.port)],
                                capture_output=True, timeout=10)
        return result.returncode == 0

    def stop(self, timeout_s: float = 20.0, sig: int = signal.SIGINT) -> None:
        """Stop it: SIGINT is PostgreSQL's "fast" shutdown (sessions ended, a clean checkpoint);
        SIGKILL if it has not exited within ``timeout_s``."""
        super().stop(timeout_s=timeout_s, sig=sig)

    def restart(self, timeout_s: float | None = None, stop_timeout_s: float = 30.0) -> None:
        """A fast shutdown and a start on the same port and data; returns once it accepts connections."""
        self.stop(timeout_s=stop_timeout_s)
        self.start(timeout_s)

    def remove(self) -> None:
        """Delete its files (once stopped)."""
        shutil.rmtree(self.base_dir, ignore_errors=True)

    # --- databases ---------------------------------------------------------

    def create_database(self, name: str) -> str:
        """Create ``name`` (dropped first if it exists); return its URL (psycopg2 driver)."""
        return create_database(self.admin_url, name, self.bindir)

    def ensure_database(self, name: str) -> str:
        """Create ``name`` unless it exists (its data kept); return its URL (psycopg2 driver)."""
        return create_database(self.admin_url, name, self.bindir, keep=True)


class ExternalPostgres:
    """A PostgreSQL server somebody else runs (``DATABASE_URL``): databases are made on it, nothing started."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if not parts.scheme.startswith("postgres"):
            raise ValueError(f"DATABASE_URL must be a postgresql:// URL, not {parts.scheme}://")
        self.parts = parts._replace(scheme="postgresql")
        self.bindir = postgres_bindir()

    @property
    def admin_url(self) -> str:
        """The URL as given (its database is the maintenance database)."""
        return urlunsplit(self.parts)

    def url(self, database: str, driver: str = "postgresql") -> str:
        """The same server and role, another database."""
        return urlunsplit(self.parts._replace(scheme=driver, path="/" + quote(database)))

    def create_database(self, name: str) -> str:
        """Create ``name`` (dropped first if it exists); return its URL."""
        return create_database(self.admin_url, name, self.bindir)

    def stop(self, timeout_s: float = 20.0) -> None:
        """Nothing to stop: the server is not ours."""


def create_database(admin_url: str, name: str, bindir: Path, *, keep: bool = False) -> str:
    """Drop ``name`` if it exists and create it afresh, through ``admin_url``; return its URL.
    ``keep``: an existing database is left as it is instead.

    Raises:
        RuntimeError: ``dropdb`` or ``createdb`` failed (with what they said).
    """
    conninfo = admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    programs = [["createdb"]] if keep else [["dropdb", "--if-exists", "--force"], ["createdb"]]
    for program in programs:
        result = subprocess.run([str(bindir / program[0]), *program[1:], f"--maintenance-db={conninfo}", name],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0 and not (keep and "already exists" in result.stderr):
            raise RuntimeError(f"{program[0]} {name} failed: {result.stderr.strip()}")
    return urlunsplit(urlsplit(conninfo)._replace(path="/" + quote(name)))


def database_server(scratch: Path | None = None) -> PostgresServer | ExternalPostgres:
    """``DATABASE_URL``'s server if set, else a private cluster, started, in ``scratch`` or a new
    folder under the system's temporary directory (which the ``postgres`` user can reach when we
    are root; a pytest ``tmp_path`` cannot be: its parents are private to root)."""
    if os.environ.get("DATABASE_URL"):
        return ExternalPostgres(os.environ["DATABASE_URL"])
    base = scratch or Path(tempfile.mkdtemp(prefix="nwsupport-pg-"))
    return PostgresServer(base).start()
