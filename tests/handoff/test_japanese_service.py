"""A Japanese customer is answered in Japanese through the real stack: widget protocol → bridge → Rasa
(trained model) → action server, and back; and an English customer at the same time in English."""

from __future__ import annotations

import asyncio

from handoff import keys, protocol
from harness.clients import Agent, Customer


async def test_a_japanese_and_an_english_customer_at_once_each_in_their_own_language(bridge, redis):
    ja, en = Customer(bridge.url), Customer(bridge.url)
    await asyncio.gather(ja.connect(), en.connect())
    await ja.say("/greet", customData={"language": "ja"})  # the widget's greeting payload says no language
    await en.say("/greet", customData={"language": "en"})
    greeting = await ja.bot_says("Northwind Goods のアシスタントです")
    assert [b["title"] for b in greeting["quick_replies"]][:2] == ["注文状況の確認", "注文のキャンセル"]
    assert [b["payload"] for b in greeting["quick_replies"]][:2] == ["/order_status", "/cancel_order"]
    await en.bot_says("I'm the Northwind Goods assistant")

    await asyncio.gather(ja.say("ＯＲＤ－１００１０１の配送状況を教えてください", customData={"language": "ja"}),
                         en.say("where is my order ORD-100101", customData={"language": "en"}))
    await ja.bot_says("お届けに向かっております")  # the status; the details take the e-mail on the order
    await en.bot_says("on its way")
    await ja.say("jane.doe@example.com", customData={"language": "ja"})
    status = await ja.bot_says("発送いたしました")
    assert "日（" in status["text"] and "day," not in status["text"]  # 11月22日（日）, not "Sunday, 22 November"

    await ja.say("担当者と話したいです", customData={"language": "ja"})
    await ja.seen.wait_for(protocol.HANDOFF_QUEUED)
    assert await redis.hget(keys.conversation(ja.session_id), "language") == "ja"
    assert await redis.hget(keys.conversation(en.session_id), "language") == "en"
    assert not [t for t in en.texts() if any("\u3040" <= c <= "\u30ff" for c in t)]  # no Japanese for the English one
    alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()
    await alice.emit(protocol.CLAIM, {"conversation_id": ja.session_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    await alice.emit(protocol.HAND_BACK, {"conversation_id": ja.session_id})
    await ja.seen.wait_for(protocol.HANDOFF_RETURNED)
    await ja.say("ありがとうございました", customData={"language": "ja"})
    await ja.bot_says("ございますでしょうか")  # utter_you_are_welcome, in Japanese after the hand back
    for client in (ja, en, alice):
        await client.close()
