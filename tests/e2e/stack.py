"""A customer's conversation with the running stack (harness.rasa starts it)."""

from __future__ import annotations

import secrets
from typing import Any

from harness.rasa import RasaStack


class Chat:
    """One customer's conversation with the running assistant."""

    def __init__(self, stack: RasaStack, sender: str | None = None) -> None:
        self.stack = stack
        self.sender = sender or f"e2e-{secrets.token_hex(6)}"
        self.replies: list[dict[str, Any]] = []

    def say(self, message: str) -> str:
        """Send ``message``; return the replies' texts joined by newlines."""
        self.replies = self.stack.say(self.sender, message)
        return "\n".join(r.get("text", "") for r in self.replies)

    def buttons(self) -> list[str]:
        """Titles of the buttons in the last replies."""
        return [b["title"] for r in self.replies for b in r.get("buttons", [])]

    def slot(self, name: str) -> Any:
        """A slot's current value in Rasa's tracker."""
        return self.stack.tracker(self.sender)["slots"].get(name)
