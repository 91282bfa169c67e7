"""Logging: one line per event, as text or JSON, with the bridge and the conversation id on every line.

The conversation id comes from a context variable that the bridge sets when an
operation starts (``about``), so every log line an operation writes carries it
without passing it around.
"""

from __future__ import annotations

import contextvars
import json
import logging
import time

conversation: contextvars.ContextVar[str] = contextvars.ContextVar("conversation", default="-")


def about(conversation_id: str | None) -> None:
    """From now on in this task, log lines are about ``conversation_id``."""
    conversation.set(conversation_id or "-")


class _Context(logging.Filter):
    def __init__(self, bridge_id: str) -> None:
        super().__init__()
        self.bridge_id = bridge_id

    def filter(self, record: logging.LogRecord) -> bool:
        record.bridge = self.bridge_id
        record.conversation_id = conversation.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "bridge", "conversation_id", "message", "error"?}`` per line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
                "level": record.levelname.lower(), "logger": record.name,
                "bridge": getattr(record, "bridge", ""), "conversation_id": getattr(record, "conversation_id", "-"),
                "message": record.getMessage()}
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(bridge_id: str, log_format: str, level: int = logging.INFO) -> None:
    """Set up the root logger for the bridge process."""
    handler = logging.StreamHandler()
    handler.addFilter(_Context(bridge_id))
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(bridge)s %(conversation_id)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
