"""Telling people: one customer's sockets, one agent's sockets, or every agent.

The Socket.IO server's Redis manager reaches every bridge process, so whichever
bridge holds a socket delivers. The rooms are the protocol's (``protocol.agent_room``,
``protocol.AGENTS_ROOM``; a customer's room is the conversation id).
"""

from __future__ import annotations

from typing import Any

import socketio

from handoff import protocol


class Notify:
    """Emits events to the people involved, whichever bridge holds their sockets."""

    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio

    async def customer(self, conversation_id: str, event: str, payload: Any) -> None:
        """To every socket of the customer of ``conversation_id``."""
        await self.sio.emit(event, payload, room=conversation_id)

    async def agent(self, agent_id: str, event: str, payload: Any) -> None:
        """To every console socket of one agent."""
        await self.sio.emit(event, payload, room=protocol.agent_room(agent_id), namespace=protocol.AGENT_NAMESPACE)

    async def agents(self, event: str, payload: Any) -> None:
        """To every logged-in agent."""
        await self.sio.emit(event, payload, room=protocol.AGENTS_ROOM, namespace=protocol.AGENT_NAMESPACE)
