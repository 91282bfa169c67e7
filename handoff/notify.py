"""Telling people: one customer's sockets, one agent's sockets, or every agent.

The Socket.IO server's Redis manager reaches every bridge process, so whichever
bridge holds a socket delivers. The rooms are the protocol's (``protocol.agent_room``,
``protocol.AGENTS_ROOM``; a customer's room is the conversation id, and
``protocol.plain_room`` of it for Rasa widgets that know no handoff events: they get
each event as ``protocol.plain_message`` makes it, a plain bot message in the conversation's
language, or nothing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from handoff import protocol


class Notify:
    """Emits events to the people involved, whichever bridge holds their sockets."""

    def __init__(self, sio: socketio.AsyncServer, language_of: Callable[[str], Awaitable[str]]) -> None:
        self.sio = sio
        self.language_of = language_of  # a conversation's language, for what plain widgets are told

    async def customer(self, conversation_id: str, event: str, payload: Any, skip_sid: str | None = None) -> None:
        """To every socket of the customer of ``conversation_id`` but ``skip_sid`` (a place in line: see
        ``place_in_line``)."""
        if event == protocol.BOT_UTTERED:  # the same message for both kinds of client: one publish
            await self.sio.emit(event, payload, room=[conversation_id, protocol.plain_room(conversation_id)],
                                skip_sid=skip_sid)
            return
        await self.sio.emit(event, payload, room=conversation_id, skip_sid=skip_sid)
        if event != protocol.HANDOFF_QUEUED:
            await self._plain(conversation_id, event, payload, skip_sid)

    async def place_in_line(self, conversation_id: str, payload: Any, announce: bool) -> None:
        """A waiting customer's place: to clients with handoff events each time it changes, to plain
        Rasa widgets only when ``announce`` (the handoff, a reconnect), not at every move of the line."""
        await self.sio.emit(protocol.HANDOFF_QUEUED, payload, room=conversation_id)
        if announce:
            await self._plain(conversation_id, protocol.HANDOFF_QUEUED, payload)

    async def plain_place(self, conversation_id: str, payload: Any) -> None:
        """A waiting customer's place, to the plain Rasa widgets only."""
        await self._plain(conversation_id, protocol.HANDOFF_QUEUED, payload)

    async def _plain(self, conversation_id: str, event: str, payload: Any, skip_sid: str | None = None) -> None:
        if event not in protocol.PLAIN_EVENTS:
            return
        message = protocol.plain_message(event, payload, await self.language_of(conversation_id))
        if message is not None:
            await self.sio.emit(protocol.BOT_UTTERED, message, room=protocol.plain_room(conversation_id),
                                skip_sid=skip_sid)

    async def agent(self, agent_id: str, event: str, payload: Any) -> None:
        """To every console socket of one agent."""
        await self.sio.emit(event, payload, room=protocol.agent_room(agent_id), namespace=protocol.AGENT_NAMESPACE)

    async def agents(self, event: str, payload: Any) -> None:
        """To every logged-in agent."""
        await self.sio.emit(event, payload, room=protocol.AGENTS_ROOM, namespace=protocol.AGENT_NAMESPACE)
