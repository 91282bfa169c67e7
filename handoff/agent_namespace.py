"""The agent side: ``/agent``. Every socket authenticates with a session token at connect."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import socketio

from handoff import delivery, protocol, vocabulary
from handoff.accounts import Account, Sessions, session_token_in
from handoff.bridge import Bridge
from handoff.canned import TEAM, CannedResponses
from handoff.reporting import malformed_packet, reported
from handoff.state import State

logger = logging.getLogger(__name__)


class AgentNamespace(socketio.AsyncNamespace):
    """Handlers of the console's events."""

    def __init__(self, bridge: Bridge, sessions: Sessions) -> None:
        super().__init__(protocol.AGENT_NAMESPACE)
        self.bridge = bridge
        self.sessions = sessions
        self.canned = CannedResponses(bridge.redis)
        self._grace: dict[str, asyncio.Task[None]] = {}
        self._tokens: dict[str, str] = {}  # this process's agent sockets and their login tokens
        self._agents: dict[str, str] = {}  # this process's agent sockets and whose they are

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """``auth = {token}`` from ``POST /api/agent/login``, or the console's session cookie; else refused."""
        token = auth.get("token") if isinstance(auth, dict) else None
        token = token or session_token_in(environ.get("HTTP_COOKIE"))
        agent = await self.sessions.agent_for(token)
        if agent is None:
            raise socketio.exceptions.ConnectionRefusedError({"code": "unauthorized",
                                                              "message": "log in first (POST /api/agent/login)"})
        await self.save_session(sid, {"agent_id": agent.id, "token": token})
        self._tokens[sid] = str(token)
        self._agents[sid] = agent.id
        self.bridge.metrics.connect("agent", 1)
        await self.enter_room(sid, protocol.AGENTS_ROOM)
        await self.enter_room(sid, protocol.agent_room(agent.id))
        pending = self._grace.pop(agent.id, None)
        if pending:
            pending.cancel()
        agents = self.bridge.agents
        await agents.connected(agent.id, self._socket_id(sid))
        status = await agents.status(agent.id)
        words = vocabulary.for_agents()
        await self.emit(protocol.HELLO, {"agent": agent.public(), "status": status,
                                         "resolution_codes": list(vocabulary.RESOLUTION_CODES), "vocabulary": words,
                                         "agents": await agents.team()}, to=sid)
        await self._set_status(agent, status)
        await self.emit(protocol.QUEUE, await self.bridge.queue.snapshot(), to=sid)
        await self.emit(protocol.TICKETS, await self.bridge.tickets.all(), to=sid)
        await self.canned.seed()
        await self.emit(protocol.CANNED, await self.canned.all(agent), to=sid)
        for conversation_id in await agents.held(agent.id):
            await self.emit(protocol.CLAIMED, await self.bridge.views.conversation(conversation_id), to=sid)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        """After the grace period with no socket left, the agent's conversations go back to the queue."""
        self._tokens.pop(sid, None)
        self._agents.pop(sid, None)
        session = await self.get_session(sid)
        agent = self.bridge.accounts.get(session.get("agent_id", ""))
        if agent is None:
            return
        self.bridge.metrics.connect("agent", -1)
        try:
            if await self.bridge.agents.disconnected(agent.id, self._socket_id(sid)) <= 0:
                self._grace[agent.id] = asyncio.create_task(self._after_grace(agent.id))
                await self.bridge.agents.broadcast()
        except Exception:
            logger.exception("disconnect of %s", agent.id)

    def _socket_id(self, sid: str) -> str:
        """The socket's id across bridges (presence entries say which bridge holds them)."""
        return f"{self.bridge.settings.bridge_id}:{sid}"

    async def keep_presence(self, every_s: float) -> None:
        """Background task: renew this bridge's agent sockets; notice agents whose bridge died (their
        sockets expire) and apply the grace rules to them; survive any one failure."""
        while True:
            await asyncio.sleep(every_s)
            try:
                held: dict[str, list[str]] = {}
                for sid, agent_id in list(self._agents.items()):
                    held.setdefault(agent_id, []).append(self._socket_id(sid))
                await self.bridge.agents.renew(held)
                await self.bridge.desk.sweep_absent(self.bridge.settings.agent_grace_s)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis may be briefly down: next round
                logger.warning("presence round failed", exc_info=True)

    async def _after_grace(self, agent_id: str) -> None:
        await asyncio.sleep(self.bridge.settings.agent_grace_s)
        self._grace.pop(agent_id, None)
        if not await self.bridge.agents.online(agent_id):
            await self.bridge.desk.requeue_agent(agent_id)

    @staticmethod
    def _addressed(data: Any) -> tuple[Mapping[str, Any], str]:
        """The payload of an event about one conversation, and that conversation's id (validated)."""
        payload = protocol.require_mapping(data)
        return payload, protocol.conversation_id(payload.get("conversation_id"), "conversation_id")

    async def _agent(self, sid: str) -> Account:
        """The socket's agent, while their login session lasts (a logout or expiry ends the socket too)."""
        session = await self.get_session(sid)
        agent = await self.sessions.agent_for(session.get("token"))
        if agent is None or agent.id != session.get("agent_id"):
            message = "your session ended; log in again"
            await self.emit(protocol.ERROR, protocol.error_payload("unauthorized", message, "session"), to=sid)
            await self.disconnect(sid)
            raise protocol.BadPayload("unauthorized", message)
        return agent

    async def sweep_sessions(self, every_s: float) -> None:
        """Background task: close this process's sockets whose login ended (logout, expiry) even if they stay quiet."""
        while True:
            await asyncio.sleep(every_s)
            for sid, token in list(self._tokens.items()):
                try:
                    if await self.sessions.agent_for(token) is None:
                        await self.emit(protocol.ERROR, protocol.error_payload(
                            "unauthorized", "your session ended; log in again", "session"), to=sid)
                        await self.disconnect(sid)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.warning("session sweep failed", exc_info=True)
                    break

    async def _set_status(self, agent: Account, status: str) -> None:
        await self.bridge.agents.set_status(agent, status)
        await self.emit(protocol.STATUS, {"status": status}, room=protocol.agent_room(agent.id))
        await self.bridge.agents.broadcast()
        await self.bridge.queue.refresh_positions()
        # Available: they may take work; away: the last speaker of a language gone, anyone may take it.
        await self.bridge.desk.assign_if_automatic()

    @reported(protocol.SET_STATUS)
    async def on_set_status(self, sid: str, data: Any = None) -> None:
        """``{status: "available"|"away"}``."""
        status = protocol.require_mapping(data).get("status")
        if status not in protocol.AGENT_STATUSES:
            raise protocol.BadPayload("bad_status", f"status must be one of {protocol.AGENT_STATUSES}")
        await self._set_status(await self._agent(sid), status)

    @reported(protocol.RESYNC)
    async def on_resync(self, sid: str, data: Any = None) -> None:
        """``{after: {conversation_id: last entry id seen}}``, after a reconnect or the bridge's ``resync``:
        the queue, the tickets, the agent's status, and for each conversation the agent holds its
        ``entries`` after the one named (the whole view, ``claimed``, when none is named or it is gone);
        ``conversation_ended`` for one named that the agent no longer holds."""
        seen = protocol.resync_marks(protocol.require_mapping(data).get("after"))
        agent = await self._agent(sid)
        bridge = self.bridge
        await self.emit(protocol.STATUS, {"status": await bridge.agents.status(agent.id)}, to=sid)
        await self.emit(protocol.QUEUE, await bridge.queue.snapshot(), to=sid)
        await self.emit(protocol.TICKETS, await bridge.tickets.all(), to=sid)
        held = await bridge.agents.held(agent.id)
        for conversation_id in held:
            newer = await bridge.conversations.after(conversation_id, seen.get(conversation_id))
            if newer is None:
                await self.emit(protocol.CLAIMED, await bridge.views.conversation(conversation_id), to=sid)
            else:
                await self.emit(protocol.ENTRIES, {"conversation_id": conversation_id,
                                                   "after": seen[conversation_id], "entries": newer}, to=sid)
        for conversation_id in set(seen) - set(held):
            await self.emit(protocol.CONVERSATION_ENDED, {"conversation_id": conversation_id,
                                                          "how": "no longer yours"}, to=sid)

    async def on_malformed_packet(self, sid: str, why: Any = None) -> None:
        """A packet python-socketio could not read (``handoff.packets``)."""
        await malformed_packet(self, sid, why)

    @reported(protocol.CLAIM)
    async def on_claim(self, sid: str, data: Any = None) -> None:
        """``{conversation_id}``: atomic; the loser gets ``error already_claimed``."""
        _, conversation_id = self._addressed(data)
        agent = await self._agent(sid)
        await self.bridge.desk.claim(agent, conversation_id)
        # The claim shows the agent the customer's context: their account and orders.
        await self.bridge.audit.record(agent.id, "claim", conversation_id)

    @reported(protocol.AGENT_MESSAGE)
    async def on_agent_message(self, sid: str, data: Any = None) -> Any:
        """``{conversation_id, text, message_id?}`` to the customer; acknowledged ``{status, message_id}``."""
        payload, conversation_id = self._addressed(data)
        text = protocol.message_text(payload.get("text"), self.bridge.settings.max_message_chars)
        message_id = delivery.message_id(payload.get("message_id"))
        status = await self.bridge.relay.agent_message(await self._agent(sid), conversation_id, text, message_id)
        return {"status": status, "message_id": message_id}

    @reported(protocol.TYPING)
    async def on_typing(self, sid: str, data: Any = None) -> None:
        """``{conversation_id, typing}``."""
        payload, conversation_id = self._addressed(data)
        await self.bridge.relay.agent_typing(await self._agent(sid), conversation_id, bool(payload.get("typing")))

    @reported(protocol.HAND_BACK)
    async def on_hand_back(self, sid: str, data: Any = None) -> None:
        """``{conversation_id}``: back to the assistant."""
        _, conversation_id = self._addressed(data)
        agent = await self._agent(sid)
        await self.bridge.desk.hand_back(agent, conversation_id)
        await self.bridge.audit.record(agent.id, "hand_back", conversation_id)

    @reported(protocol.CLOSE)
    async def on_close(self, sid: str, data: Any = None) -> None:
        """``{conversation_id, resolution}``: one of ``vocabulary.RESOLUTION_CODES``."""
        payload, conversation_id = self._addressed(data)
        agent = await self._agent(sid)
        await self.bridge.desk.close(agent, conversation_id, payload.get("resolution"))
        await self.bridge.audit.record(agent.id, "close", conversation_id,
                                       {"resolution": protocol.resolution_code(payload.get("resolution"))})

    @reported(protocol.TRANSFER)
    async def on_transfer(self, sid: str, data: Any = None) -> None:
        """``{conversation_id, to_agent}``."""
        payload, conversation_id = self._addressed(data)
        to_agent = self.bridge.accounts.get(str(payload.get("to_agent")))
        agent = await self._agent(sid)
        await self.bridge.desk.transfer(agent, conversation_id, to_agent)
        await self.bridge.audit.record(agent.id, "transfer", conversation_id,
                                       {"to": to_agent.id if to_agent else None})

    @reported(protocol.NOTE)
    async def on_note(self, sid: str, data: Any = None) -> None:
        """``{conversation_id, text}``: an internal note, never shown to the customer."""
        payload, conversation_id = self._addressed(data)
        text = protocol.message_text(payload.get("text"), self.bridge.settings.max_message_chars)
        agent = await self._agent(sid)
        await self.bridge.desk.note(agent, conversation_id, text)
        await self.bridge.audit.record(agent.id, "note", conversation_id, {"chars": len(text)})

    @reported(protocol.ERASE)
    async def on_erase(self, sid: str, data: Any = None) -> None:
        """``{conversation_id}``: erase the customer's data (``handoff.erasure``; the holder or a supervisor).
        The agent gets the conversation again (now one line), the customer's widget its new history."""
        _, conversation_id = self._addressed(data)
        agent = await self._agent(sid)
        erased = await self.bridge.erasure.erase(agent, conversation_id)
        await self.bridge.audit.record(agent.id, "erase", conversation_id, erased)
        conversation = await self.bridge.conversations.require(conversation_id)
        if conversation.state is State.WITH_AGENT:  # its holder's console shows what is left
            await self.emit(protocol.CLAIMED, await self.bridge.views.conversation(conversation_id),
                            room=protocol.agent_room(conversation.agent_id))
        await self.bridge.notify.customer(conversation_id, protocol.HISTORY,
                                          await self.bridge.views.customer(conversation_id, None))
        await self.emit(protocol.TICKETS, await self.bridge.tickets.all(), room=protocol.AGENTS_ROOM)

    @reported(protocol.TICKET_HANDLED)
    async def on_ticket_handled(self, sid: str, data: Any = None) -> None:
        """``{ticket_id}``: mark a left message as handled."""
        agent = await self._agent(sid)
        ticket_id = protocol.require_mapping(data).get("ticket_id")
        await self.bridge.tickets.mark_handled(ticket_id, agent.name)
        await self.bridge.audit.record(agent.id, "ticket_handled", detail={"ticket": ticket_id})
        await self.emit(protocol.TICKETS, await self.bridge.tickets.all(), room=protocol.AGENTS_ROOM)

    @reported(protocol.TICKET_REPLY)
    async def on_ticket_reply(self, sid: str, data: Any = None) -> None:
        """``{ticket_id, text}``: answer a left message by e-mail (the outbox); the ticket is then handled."""
        agent = await self._agent(sid)
        payload = protocol.require_mapping(data)
        text = protocol.message_text(payload.get("text"), self.bridge.settings.max_message_chars)
        await self.bridge.desk.reply_to_ticket(agent, payload.get("ticket_id"), text)
        await self.bridge.audit.record(agent.id, "ticket_reply", detail={"ticket": payload.get("ticket_id"),
                                                                        "chars": len(text)})
        await self.emit(protocol.TICKETS, await self.bridge.tickets.all(), room=protocol.AGENTS_ROOM)

    @reported(protocol.CANNED_SAVE)
    async def on_canned_save(self, sid: str, data: Any = None) -> None:
        """``{id?, title, text, personal?}``: add or edit a canned response (``handoff.canned`` says whose);
        whoever sees it gets their new list."""
        agent = await self._agent(sid)
        payload = protocol.require_mapping(data)
        canned_id, owner = await self.canned.save(agent, payload)
        await self.bridge.audit.record(agent.id, "canned_save", detail={
            "id": canned_id, "team": owner == TEAM, "edited": bool(payload.get("id")), "title": payload.get("title")})
        await self._send_canned(owner)

    @reported(protocol.CANNED_DELETE)
    async def on_canned_delete(self, sid: str, data: Any = None) -> None:
        """``{id}``: remove a canned response (the team's: supervisors only)."""
        agent = await self._agent(sid)
        canned_id = protocol.require_mapping(data).get("id")
        owner = await self.canned.delete(agent, canned_id)
        await self.bridge.audit.record(agent.id, "canned_delete", detail={"id": canned_id, "team": owner == TEAM})
        await self._send_canned(owner)

    async def _send_canned(self, owner: str) -> None:
        """Each agent who sees a response of ``owner`` gets their list again (every agent for the team's)."""
        for account in self.bridge.accounts.values():
            if owner in (TEAM, account.id):
                await self.emit(protocol.CANNED, await self.canned.all(account), room=protocol.agent_room(account.id))
