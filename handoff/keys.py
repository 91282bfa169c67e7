"""Every Redis key and channel of the bridge, in one place (prefixed and versioned).

No other module formats a key.
"""

from __future__ import annotations

import hashlib

PREFIX = "nwsupport:v1"

# Socket.IO's own cross-process channel (AsyncRedisManager).
SOCKETIO_CHANNEL = f"{PREFIX}:socketio"
# A counter written only so that a WAIT after it covers every write before it (delivery.replicated).
REPLICATION_MARK = f"{PREFIX}:replication_mark"

# Conversations waiting for an agent: sorted set, member = conversation id,
# score = queue order (earlier and higher priority first).
QUEUE = f"{PREFIX}:queue"

# Agents currently connected with status "available": set of agent ids.
AVAILABLE_AGENTS = f"{PREFIX}:agents:available"

# Tickets left by customers (newest first): list of ticket ids.
TICKETS = f"{PREFIX}:tickets"


def conversation(conversation_id: str) -> str:
    """Hash: state, reason, agent, timestamps, handoff context (JSON) of one conversation."""
    return f"{PREFIX}:conv:{conversation_id}"


def transcript(conversation_id: str) -> str:
    """List: the conversation's turns as JSON, oldest first (customer, bot, agent, system)."""
    return f"{PREFIX}:conv:{conversation_id}:transcript"


def agent(agent_id: str) -> str:
    """Hash: an agent's status, display name, capacity, last assignment time."""
    return f"{PREFIX}:agent:{agent_id}"


def agent_conversations(agent_id: str) -> str:
    """Set: the conversations an agent owns now."""
    return f"{PREFIX}:agent:{agent_id}:conversations"


def agent_sockets(agent_id: str) -> str:
    """Sorted set: the agent's open console sockets (``<bridge>:<sid>``, all processes), each scored with
    the time it expires unless its bridge renews it (``Agents.ttl_s``): a bridge that dies
    stops renewing, and its sockets drop out by themselves."""
    return f"{PREFIX}:agent:{agent_id}:sockets"


def sweep_lock(agent_id: str) -> str:
    """String with TTL: one bridge is giving back the conversations of an agent who is gone."""
    return f"{PREFIX}:agent:{agent_id}:sweep"


def agent_session(token: str) -> str:
    """String with TTL: agent id of a login session token. The key holds the token's SHA-256, not the
    token: whoever can list Redis's keys (a backup, ``MONITOR``, the append-only file) cannot log in."""
    return f"{PREFIX}:session:{hashlib.sha256(token.encode()).hexdigest()}"


def ticket(ticket_id: str) -> str:
    """Hash: a message left by a customer while no agent was available."""
    return f"{PREFIX}:ticket:{ticket_id}"

# Retention (handoff.retention): sorted sets, score = when the item was closed (a conversation) or
# handled (a ticket); the sweep deletes what is older than its retention period.
CLOSED_CONVERSATIONS = f"{PREFIX}:retention:conversations"
HANDLED_TICKETS = f"{PREFIX}:retention:tickets"
RETENTION_SWEEP_LOCK = f"{PREFIX}:retention:sweep-lock"  # string with TTL: one bridge sweeps at a time

# Auto-resolve (handoff.idle, handoff.autoresolve): open conversations by their last entry's time
# (sorted set; a closed one leaves it), and the lock that lets one bridge sweep at a time.
ACTIVITY = f"{PREFIX}:activity"
IDLE_SWEEP_LOCK = f"{PREFIX}:activity:sweep-lock"
SLA_SWEEP_LOCK = f"{PREFIX}:sla:sweep-lock"  # one bridge at a time notices breached timers (handoff.sla_watch)

# Mail to customers (handoff.outbox): stream of {to, kind, language, subject, body, conversation_id, created_at}.
OUTBOX = f"{PREFIX}:outbox"
SURVEY_DUE = f"{PREFIX}:survey:due"  # sorted set: conversations an agent closed, by when (handoff.survey reminders)
MAIL_SENT = f"{PREFIX}:outbox:sent"  # string: the id of the last entry the SMTP relay sent (handoff.mailer)
MAIL_LOCK = f"{PREFIX}:outbox:lock"  # string with TTL: one bridge sends at a time

def watch_mark(agent_id: str, conversation_id: str) -> str:
    """String with TTL: a supervisor's watching of a conversation is audited once per period, not at every
    refresh of the read-only view (handoff.supervisor_api)."""
    return f"{PREFIX}:watch:{agent_id}:{conversation_id}"


# Audit trail: stream of {at, actor, action, conversation, detail} (handoff.audit), append-only.
AUDIT = f"{PREFIX}:audit"

# Canned responses: hash, field = id, value = JSON {title, text, owner} (owner "" = the team's).
CANNED = f"{PREFIX}:canned"

# Set once the default canned responses were written (so deleting them all sticks).
CANNED_SEEDED = f"{PREFIX}:canned:seeded"


def stats_day(day: str) -> str:
    """Hash: the day's counters (``name`` and ``name@HH`` per hour), ``day`` as YYYY-MM-DD; expires after 90 days."""
    return f"{PREFIX}:stats:{day}"


def message(conversation_id: str, sender: str, message_id: str) -> str:
    """String with TTL: how far the bridge got with one client message id (at-most-once delivery)."""
    return f"{PREFIX}:conv:{conversation_id}:msg:{sender}:{message_id}"


def login_failures(kind: str, who: str) -> str:
    """Integer with TTL: failed logins (``kind`` pair: one username from one address, user: one
    username, address: one address; addresses as hashes, ``handoff.lockout``)."""
    return f"{PREFIX}:login-failures:{kind}:{who}"


def login_block(kind: str, who: str) -> str:
    """String with TTL: logins of that ``kind`` (as ``login_failures``) wait until it expires."""
    return f"{PREFIX}:login-block:{kind}:{who}"


def login_in_flight(username: str) -> str:
    """String with TTL: a login of this username is being checked (one at a time, ``handoff.lockout``)."""
    return f"{PREFIX}:login-in-flight:{username}"


def login_known(username: str) -> str:
    """Set with TTL: hashes of the addresses an agent logged in from (not held back by others' failures)."""
    return f"{PREFIX}:login-known:{username}"


def bot_turn(conversation_id: str) -> str:
    """String with TTL: a bot turn of the conversation is in flight (a handoff arriving meanwhile, from
    the action server inside that turn, is announced to plain Rasa widgets after the turn's replies)."""
    return f"{PREFIX}:conv:{conversation_id}:bot-turn"


def tracker_outbox(conversation_id: str) -> str:
    """List of JSON items: the human turns (and survey answers) of a conversation on their way to Rasa's
    tracker, oldest first; each is removed once Rasa took it (``handoff.tracker_writer``)."""
    return f"{PREFIX}:conv:{conversation_id}:tracker-outbox"


# Set: conversations whose tracker outbox holds items (the writers' work list).
TRACKER_PENDING = f"{PREFIX}:tracker:pending"


def tracker_lock(conversation_id: str) -> str:
    """String with TTL: one writer is appending a conversation's outbox to Rasa's tracker."""
    return f"{PREFIX}:conv:{conversation_id}:tracker-lock"
