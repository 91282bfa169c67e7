"""The bridge's input channel: Rasa's REST channel whose stream mode always ends (no server needed)."""

from __future__ import annotations

import asyncio

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput

from bot.channels import DONE, StreamingRestInput


async def _drain(queue: asyncio.Queue) -> list:
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


async def test_each_reply_is_queued_as_the_dialogue_utters_it_before_the_turn_ends() -> None:
    queue: asyncio.Queue = asyncio.Queue()
    later = asyncio.Event()

    async def turn(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "first")
        await later.wait()  # the rest of the turn (the per-turn escalation check, say)
        await message.output_channel.send_text_message(message.sender_id, "second")

    running = asyncio.ensure_future(StreamingRestInput.on_message_wrapper(turn, "hi", queue, "c1", "rest", None))
    first = await asyncio.wait_for(queue.get(), 5)
    assert first["text"] == "first" and not running.done()
    later.set()
    await running
    assert [m if m == DONE else m["text"] for m in await _drain(queue)] == ["second", DONE]


async def test_a_failing_turn_still_ends_the_stream_where_rasas_own_never_would() -> None:
    async def turn(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "before the failure")
        raise ConnectionError("lock store unreachable")

    ours: asyncio.Queue = asyncio.Queue()
    await StreamingRestInput.on_message_wrapper(turn, "hi", ours, "c1", "rest", None)
    assert [m if m == DONE else m["text"] for m in await _drain(ours)] == ["before the failure", DONE]

    theirs: asyncio.Queue = asyncio.Queue()
    try:
        await RestInput.on_message_wrapper(turn, "hi", theirs, "c1", "rest", None)
    except ConnectionError:
        pass
    assert DONE not in await _drain(theirs)  # Rasa's stream loop would wait for it forever
    assert StreamingRestInput.name() == RestInput.name() == "rest"  # the same URL
