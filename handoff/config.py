"""The bridge's settings: read from the environment once, validated, frozen."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from handoff.limits import CustomerLimits, Rate
from handoff.peers import Network, networks
from handoff.redis_url import parse_sentinel_url

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_AGENTS = ROOT / "handoff" / "agents.example.json"  # demo accounts with published passwords


class ConfigError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    """Everything the bridge needs to know, with defaults that run on a laptop."""

    host: str = "127.0.0.1"
    port: int = 8000
    # redis://host:port/db, or the primary Sentinel watches: redis+sentinel://h1:26379,h2:26379/0/nwsupport
    # (handoff.redis_url).
    redis_url: str = "redis://127.0.0.1:6390/0"
    # Redis's password (REDIS_PASSWORD), apart from the URL so the URL can be shown; one in a redis:// URL
    # (redis://:PASSWORD@host:port/0) is taken too, and wins. The sentinels take the same. Never logged.
    redis_password: str = field(default="", repr=False)
    redis_max_connections: int = 200
    # Replicas that must have a message before a client hears "ok" (REDIS_WAIT_REPLICAS; Redis's WAIT):
    # 1 with a replica, so a primary that dies loses nothing it acknowledged. 0: no wait (one Redis).
    redis_wait_replicas: int = 0
    # How long to wait for them (REDIS_WAIT_TIMEOUT_MS); past it the message is acknowledged anyway
    # (a replica down must not stop the desk) and counted (nwsupport_unreplicated_acks_total).
    redis_wait_timeout_ms: int = 200
    rasa_url: str = "http://127.0.0.1:5005"
    # Several Rasa servers sharing a tracker store and a lock store (RASA_URLS); empty: just rasa_url.
    rasa_urls: tuple[str, ...] = field(default_factory=tuple)
    rasa_token: str = ""
    rasa_timeout_s: float = 15.0
    # Turns sent to one Rasa server at a time (RASA_MAX_INFLIGHT; 0: no limit); the rest wait in order
    # (bench/bridge.py: at 10 and 50 conversations 4 beat no limit and 8, docs/benchmarks.md).
    rasa_max_inflight: int = 4
    handoff_secret: str = ""
    agents_file: Path = EXAMPLE_AGENTS
    agent_session_ttl_s: int = 12 * 3600
    agent_grace_s: float = 30.0
    presence_heartbeat_s: float = 5.0  # agents' sockets are renewed this often; gone after 3 missed renewals
    max_message_chars: int = 4000
    max_payload_bytes: int = 64 * 1024
    max_wait_s: float = 15 * 60
    average_handle_s: float = 180.0
    auto_assign: bool = False
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    # Proxies whose X-Forwarded-For is believed (BRIDGE_TRUSTED_PROXIES: addresses or networks); none by default.
    trusted_proxies: tuple[Network, ...] = field(default_factory=tuple)
    # Per address and per socket limits on customers (BRIDGE_LIMIT_*: N/S or off; handoff.limits).
    limits: CustomerLimits = field(default_factory=CustomerLimits)
    # Who may read /ready and /metrics besides this host (BRIDGE_METRICS_TOKEN, as a Bearer token).
    metrics_token: str = ""
    # Resume a conversation knowing only its id (BRIDGE_RESUME_BY_ID): only where a Rasa widget that
    # keeps nothing but the id is embedded (rasa-webchat); else a resume token is needed (handoff.identity).
    resume_by_id: bool = False
    # How long closed conversations (transcript, handoff context) and handled tickets are kept (handoff.retention).
    retention_days: float = 90.0
    ticket_retention_days: float = 365.0
    # Where customers reach the bridge (BRIDGE_PUBLIC_URL): an image path in a bot response ("/shop/x.svg")
    # is sent as an address under it, since a widget on a shop's own site resolves a path against that site.
    public_url: str = ""
    # The support manager's file: business hours, idle rules (DESK_FILE; handoff.desk_policy). None: always
    # open, IdlePolicy's defaults.
    desk_file: Path | None = None
    # The SMTP server the outbox is sent through (SMTP_URL, MAIL_FROM; handoff.mailer); "": only written.
    smtp_url: str = field(default="", repr=False)
    mail_from: str = ""
    bridge_id: str = "bridge"
    log_format: str = "text"
    drain_s: float = 10.0
    message_id_ttl_s: int = 24 * 3600

    @property
    def rasa_servers(self) -> tuple[str, ...]:
        """Every Rasa server the bridge may use."""
        return self.rasa_urls or (self.rasa_url,)

    @property
    def resume_key(self) -> str:
        """The key of resume tokens (``handoff.identity``): derived from the handoff secret, which every
        bridge of a deployment shares and no customer sees."""
        return "resume-tokens|" + self.handoff_secret

    @property
    def public_base(self) -> str:
        """The bridge's public address, without a trailing slash: ``public_url``, else where it listens;
        empty when it listens on every interface (0.0.0.0) and was not told (paths then stay paths)."""
        if self.public_url:
            return self.public_url
        if self.host in ("0.0.0.0", "::", ""):
            return ""
        return f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build the settings from ``BRIDGE_*``, ``REDIS_*`` and ``RASA_*`` variables."""
        env = os.environ if env is None else env
        try:
            settings = cls(
                host=env.get("BRIDGE_HOST", cls.host),
                port=int(env.get("BRIDGE_PORT", cls.port)),
                redis_url=env.get("REDIS_URL", cls.redis_url),
                redis_password=env.get("REDIS_PASSWORD", ""),
                redis_max_connections=int(env.get("REDIS_MAX_CONNECTIONS", cls.redis_max_connections)),
                redis_wait_replicas=int(env.get("REDIS_WAIT_REPLICAS", cls.redis_wait_replicas)),
                redis_wait_timeout_ms=int(env.get("REDIS_WAIT_TIMEOUT_MS", cls.redis_wait_timeout_ms)),
                rasa_url=env.get("RASA_URL", cls.rasa_url).rstrip("/"),
                rasa_urls=tuple(u.strip().rstrip("/") for u in env.get("RASA_URLS", "").split(",") if u.strip()),
                rasa_token=env.get("RASA_AUTH_TOKEN", ""),
                rasa_timeout_s=float(env.get("RASA_TIMEOUT_S", cls.rasa_timeout_s)),
                rasa_max_inflight=int(env.get("RASA_MAX_INFLIGHT", cls.rasa_max_inflight)),
                handoff_secret=env.get("HANDOFF_SECRET", ""),
                agents_file=Path(env.get("AGENTS_FILE", str(cls.agents_file))),
                agent_grace_s=float(env.get("AGENT_GRACE_S", cls.agent_grace_s)),
                presence_heartbeat_s=float(env.get("PRESENCE_HEARTBEAT_S", cls.presence_heartbeat_s)),
                max_wait_s=float(env.get("MAX_WAIT_S", cls.max_wait_s)),
                auto_assign=env.get("AUTO_ASSIGN", "").lower() in ("1", "true", "yes"),
                cors_origins=tuple(o for o in env.get("BRIDGE_CORS_ORIGINS", "").split(",") if o),
                trusted_proxies=networks(env.get("BRIDGE_TRUSTED_PROXIES", "").split(",")),
                limits=limits_from_env(env),
                metrics_token=env.get("BRIDGE_METRICS_TOKEN", ""),
                resume_by_id=env.get("BRIDGE_RESUME_BY_ID", "").lower() in ("1", "true", "yes"),
                retention_days=float(env.get("BRIDGE_RETENTION_DAYS", cls.retention_days)),
                ticket_retention_days=float(env.get("BRIDGE_TICKET_RETENTION_DAYS", cls.ticket_retention_days)),
                public_url=env.get("BRIDGE_PUBLIC_URL", "").rstrip("/"),
                desk_file=Path(env["DESK_FILE"]) if env.get("DESK_FILE") else None,
                smtp_url=env.get("SMTP_URL", ""),
                mail_from=env.get("MAIL_FROM", ""),
                bridge_id=env.get("BRIDGE_ID", cls.bridge_id),
                log_format=env.get("LOG_FORMAT", cls.log_format),
                drain_s=float(env.get("BRIDGE_DRAIN_S", cls.drain_s)),
            )
        except ValueError as e:
            raise ConfigError(f"bad setting: {e}") from e
        try:
            parse_sentinel_url(settings.redis_url)
        except ValueError as e:
            raise ConfigError(f"REDIS_URL: {e}") from e
        if settings.redis_wait_replicas < 0 or settings.redis_wait_timeout_ms < 1:
            raise ConfigError("REDIS_WAIT_REPLICAS must be 0 or more and REDIS_WAIT_TIMEOUT_MS 1 or more")
        if len(settings.handoff_secret) < 16:
            raise ConfigError("HANDOFF_SECRET must be set (16+ characters): the action server uses it to hand over")
        if settings.rasa_max_inflight < 0:
            raise ConfigError("RASA_MAX_INFLIGHT must be 0 (no limit) or more")
        if settings.public_url and not settings.public_url.startswith(("http://", "https://")):
            raise ConfigError("BRIDGE_PUBLIC_URL must start with http:// or https://")
        if settings.log_format not in ("text", "json"):
            raise ConfigError("LOG_FORMAT must be text or json")
        if settings.smtp_url:
            from handoff.mailer import SmtpSettings

            SmtpSettings.parse(settings.smtp_url)  # a malformed URL stops the bridge, with the reason
        if settings.desk_file is not None:
            from handoff.desk_policy import DeskFileError, load  # the file is read again by the bridge

            try:
                load(settings.desk_file)
            except DeskFileError as e:
                raise ConfigError(str(e)) from e
        if not settings.agents_file.exists():
            raise ConfigError(f"AGENTS_FILE {settings.agents_file} does not exist")
        if settings.agents_file.resolve() == EXAMPLE_AGENTS and env.get("BRIDGE_DEMO", "").lower() not in (
                "1", "true", "yes"):
            raise ConfigError("AGENTS_FILE is the example accounts file, whose passwords are published: give your "
                              "own (python -m handoff.accounts hash), or set BRIDGE_DEMO=1 for the demo (make run)")
        return settings


LIMIT_VARIABLES = {
    "connections_per_address": "BRIDGE_LIMIT_CONNECTIONS_PER_ADDRESS",
    "conversations_per_address": "BRIDGE_LIMIT_CONVERSATIONS_PER_ADDRESS",
    "conversations_per_socket": "BRIDGE_LIMIT_CONVERSATIONS_PER_SOCKET",
    "messages_per_socket": "BRIDGE_LIMIT_MESSAGES_PER_SOCKET",
}


def limits_from_env(env: Mapping[str, str]) -> CustomerLimits:
    """``BRIDGE_LIMIT_*`` (each ``N/S`` or ``off``) over the defaults; ``BRIDGE_LIMITS=off`` turns all off."""
    base = CustomerLimits.off() if env.get("BRIDGE_LIMITS", "").lower() == "off" else CustomerLimits()
    values = {name: Rate.parse(env[var]) if var in env else getattr(base, name)
              for name, var in LIMIT_VARIABLES.items()}
    return CustomerLimits(**values)
