"""Socket.IO packets that cannot be read become one answerable event instead of a traceback.

python-socketio raises inside its packet parser on bad JSON, JSON nested past the decoder's
recursion limit, an unknown packet type or an event without a name; engine.io then logs a
full traceback per packet and the client hears nothing. ``CheckedPacket`` (given to
``AsyncServer`` as its ``serializer``, a public option) turns every such packet into the event
``malformed_packet``, which each namespace answers with an ``error`` (``malformed``) and one log
line. Packets engine.io itself cannot read (a websocket frame that is not an engine.io packet)
never reach this layer.
"""

from __future__ import annotations

from typing import Any

from socketio import packet

MALFORMED_PACKET = "malformed_packet"
_TYPES = range(packet.CONNECT, packet.BINARY_ACK + 1)
# Names a client must not send as events: python-socketio would call the server's own connect and
# disconnect handlers with them (a client's "disconnect" event emptied its socket's rate-limit buckets).
RESERVED = frozenset({"connect", "disconnect", MALFORMED_PACKET})


class CheckedPacket(packet.Packet):  # type: ignore[misc]
    """``socketio.packet.Packet`` whose decoding never raises: a bad packet is ``[malformed_packet, why]``."""

    def decode(self, encoded_packet: Any) -> int:
        """Decode as python-socketio does; on failure, become the ``malformed_packet`` event."""
        try:
            attachments = int(super().decode(encoded_packet))
        except (ValueError, TypeError, KeyError, IndexError, RecursionError) as e:
            return self._malformed(f"{type(e).__name__}: {str(e)[:80]}")
        if self.packet_type not in _TYPES:
            return self._malformed(f"unknown packet type {self.packet_type!r}")
        if self.packet_type in (packet.EVENT, packet.BINARY_EVENT) and not (
                isinstance(self.data, list) and self.data and isinstance(self.data[0], str)):
            return self._malformed("an event is [name, payload...]")
        if self.packet_type in (packet.EVENT, packet.BINARY_EVENT) and self.data[0] in RESERVED:
            return self._malformed(f"{self.data[0]!r} is not an event a client sends")
        return attachments

    def _malformed(self, why: str) -> int:
        self.packet_type = packet.EVENT
        namespace: Any = getattr(self, "namespace", None)
        self.namespace = namespace if isinstance(namespace, str) else None
        self.id = None
        self.data = [MALFORMED_PACKET, why]
        return 0
