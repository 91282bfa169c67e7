"""The security review's findings, replayed against a real bridge and Redis: each must now fail to get through.

Limits are tested on bridges with small limits (the defaults are larger, ``handoff.limits``);
addresses other than 127.0.0.1 come through a trusted proxy's ``X-Forwarded-For``, as they do
behind nginx.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import aiohttp
import pytest
import socketio

from handoff import keys, protocol
from handoff.limits import CustomerLimits, Rate
from handoff.peers import networks
from harness.clients import Agent, Customer, post_handoff
from harness.ports import free_port
from tests.handoff.conftest import SECRET, BridgeProcessless, bridge_settings

LONE = "\ud800"  # a lone surrogate, as json.loads reads "\ud800"


@pytest.fixture
async def strict_bridge(redis, redis_server):
    """A bridge (Rasa down) with small limits, behind a trusted proxy on 127.0.0.1."""
    limits = CustomerLimits(connections_per_address=Rate(8, 60), conversations_per_address=Rate(6, 60),
                            conversations_per_socket=Rate(3, 60), messages_per_socket=Rate(5, 60))
    running = await BridgeProcessless(bridge_settings(
        redis_server.url, free_port(), f"http://127.0.0.1:{free_port()}", rasa_timeout_s=2.0, limits=limits,
        trusted_proxies=networks(["127.0.0.1"]), metrics_token="metrics-token-for-tests")).start()
    yield running
    await running.stop()


async def conversations_in(redis) -> int:
    return len([k for k in await redis.keys(keys.conversation("*"))])


# --- inputs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("event, payload", [
    (protocol.USER_UTTERED, {"message": f"hello {LONE}"}),
    (protocol.USER_UTTERED, {"message": "hi", "customData": {"language": LONE}}),
    (protocol.LEAVE_MESSAGE, {"email": "a@example.com", "text": f"call me {LONE}"}),
    (protocol.LEAVE_MESSAGE, {"email": f"a{LONE}@example.com", "text": "call me"}),
    (protocol.SURVEY, {"rating": 4, "comment": LONE}),
    (protocol.TYPING, {"typing": True, LONE: 1}),
    (protocol.SESSION_REQUEST, {"capabilities": [LONE]}),
])
async def test_a_lone_surrogate_in_any_customer_event_is_malformed_and_changes_nothing(
        dead_rasa_bridge, redis, event, payload):
    customer = Customer(dead_rasa_bridge.url)
    await customer.connect()
    await post_handoff(dead_rasa_bridge.url, {"conversation_id": customer.session_id, "reason": "complaint"}, SECRET)
    before = await redis.hgetall(keys.conversation(customer.session_id))
    ack = await customer.sio.call(event, {**payload, "session_id": customer.session_id}, timeout=10)
    assert ack["status"] == "error" and ack["code"] == "malformed", ack  # not "internal" (retried forever)
    assert (await customer.seen.wait_for(protocol.ERROR))["event"] == event
    assert await redis.hgetall(keys.conversation(customer.session_id)) == before  # still waiting, no ticket
    assert await redis.llen(keys.TICKETS) == 0
    # ...and the same customer can go on: a good ticket now.
    ack = await customer.sio.call(protocol.LEAVE_MESSAGE, {"email": "a@example.com", "text": "please call me"},
                                  timeout=10)
    assert ack is None or ack.get("status") != "error"
    await customer.seen.wait_for(protocol.TICKET_CREATED)
    await customer.close()


async def test_deep_and_oversized_payloads_are_refused_and_the_bridge_keeps_serving(dead_rasa_bridge, redis):
    customer = Customer(dead_rasa_bridge.url)
    await customer.connect()
    deep: object = "x"
    for _ in range(400):
        deep = {"a": deep}
    ack = await customer.sio.call(protocol.USER_UTTERED, {"message": "hi", "customData": deep}, timeout=10)
    assert ack["code"] == "malformed" and "nested" in ack["message"]
    ack = await customer.sio.call(protocol.USER_UTTERED, {"message": "hi", "customData": {"k": list(range(600))}},
                                  timeout=10)
    assert ack["code"] == "malformed"
    assert await redis.llen(keys.transcript(customer.session_id)) == 0
    other = Customer(dead_rasa_bridge.url)
    await other.connect()  # still serving
    for c in (customer, other):
        await c.close()


async def test_a_long_polling_post_over_the_limit_is_refused_at_once(dead_rasa_bridge):
    """An engine.io long-polling POST larger than the payload limit is answered 413 (it hung for minutes)."""
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{dead_rasa_bridge.url}/socket.io/?EIO=4&transport=polling") as r:
            handshake = re.search(r'"sid":"([^"]+)"', await r.text())
            assert handshake
            sid = handshake.group(1)
        body = "4" + "x" * (dead_rasa_bridge.settings.max_payload_bytes + 10)
        async with asyncio.timeout(10):
            async with http.post(f"{dead_rasa_bridge.url}/socket.io/?EIO=4&transport=polling&sid={sid}",
                                 data=body, headers={"Content-Type": "text/plain"}) as r:
                assert r.status in (400, 413)


# --- floods -------------------------------------------------------------------------------------

async def test_a_flood_of_session_requests_on_one_socket_is_cut_off(strict_bridge, redis):
    customer = Customer(strict_bridge.url, error_ends_handshake=False)
    await customer.connect()
    answers = []
    for _ in range(20):
        await customer.sio.emit(protocol.SESSION_REQUEST, {"session_id": None})
    for _ in range(20):
        await asyncio.sleep(0.05)
    errors = await customer.seen.count_reaches(protocol.ERROR, 1, timeout=10)
    answers = customer.seen.of(protocol.ERROR)
    assert errors and answers[0]["code"] == "rate_limited" and answers[0]["retry_after_s"] >= 1
    assert await conversations_in(redis) == 3  # the socket's limit (3 per minute), not 21
    assert customer.seen.of(protocol.SESSION_CONFIRM)[-1] == customer.seen.of(protocol.SESSION_CONFIRM)[2]
    await customer.close()


async def test_new_conversations_are_limited_per_address_across_sockets(strict_bridge, redis):
    made, refused = [], 0
    for _ in range(4):  # sockets asking for 2 new conversations each: the 4th socket's first is the 7th
        c = Customer(strict_bridge.url, error_ends_handshake=True)
        try:
            await c.connect()
            made.append((c, c.session_id, c.resume_token))
        except RuntimeError as e:
            assert "rate_limited" in str(e)
            refused += 1
            await c.close()
            continue
        confirms = len(c.seen.of(protocol.SESSION_CONFIRM))
        await c.sio.emit(protocol.SESSION_REQUEST, {"session_id": None})
        for _ in range(200):  # session_request has no acknowledgement: a confirmation or an error comes
            if len(c.seen.of(protocol.SESSION_CONFIRM)) > confirms or c.seen.of(protocol.ERROR):
                break
            await asyncio.sleep(0.05)
        if c.seen.of(protocol.ERROR):
            assert c.seen.of(protocol.ERROR)[-1]["code"] == "rate_limited"
            refused += 1
    assert await conversations_in(redis) == 6  # the address's limit (6 per minute)
    assert refused == 1
    # Resuming one's own conversation is never limited.
    first, first_id, first_token = made[0]
    again = Customer(strict_bridge.url)
    assert await again.connect(first_id, resume_token=first_token) == first_id
    for c in [*(m[0] for m in made), again]:
        await c.close()


async def test_a_burst_of_messages_is_limited_per_socket_with_retry_after(strict_bridge, redis):
    customer = Customer(strict_bridge.url)
    await customer.connect()
    acks = [await customer.sio.call(protocol.USER_UTTERED, {"message": f"m{i}", "message_id": f"m-{i}"}, timeout=10)
            for i in range(8)]
    limited = [a for a in acks if a.get("code") == "rate_limited"]
    assert len(limited) == 3 and all(a["retry_after_s"] >= 1 for a in limited)
    assert [a.get("code") for a in acks[:5]] == [None] * 5 or all(a.get("code") != "rate_limited" for a in acks[:5])
    await customer.close()


async def test_a_flood_of_connections_from_one_address_is_refused(strict_bridge):
    refused: list[object] = []
    clients = []
    for _ in range(12):
        sio = socketio.AsyncClient(reconnection=False)

        @sio.event
        async def connect_error(data, sink=refused):
            sink.append(data)

        try:
            await sio.connect(strict_bridge.url, transports=["websocket"], wait_timeout=5)
        except socketio.exceptions.ConnectionError:
            pass
        clients.append(sio)
    await asyncio.sleep(0.2)
    assert sum(1 for c in clients if c.connected) == 8
    assert refused and all(isinstance(r, dict) and r["data"]["code"] == "rate_limited"
                           and r["data"]["retry_after_s"] >= 1 for r in refused)
    # Another address (through the trusted proxy) is not held back by this one.
    other = socketio.AsyncClient(reconnection=False)
    await other.connect(strict_bridge.url, transports=["websocket"], headers={"X-Forwarded-For": "203.0.113.5"})
    assert other.connected
    for c in [*clients, other]:
        await c.disconnect()


async def test_empty_conversations_expire_and_written_ones_do_not(dead_rasa_bridge, redis):
    customer = Customer(dead_rasa_bridge.url)
    await customer.connect()
    assert 0 < await redis.ttl(keys.conversation(customer.session_id)) <= 3600
    await customer.say("hello")
    await customer.seen.wait_for(protocol.BOT_UTTERED)  # "assistant unavailable": a transcript entry
    assert await redis.ttl(keys.conversation(customer.session_id)) == -1
    await customer.close()


# --- agents -------------------------------------------------------------------------------------

async def attempt(http, url, password, address=None, **extra):
    headers = {"X-Forwarded-For": address} if address else {}
    async with http.post(f"{url}/api/agent/login", json={"username": "alice", "password": password},
                         headers=headers, **extra) as r:
        return r.status


async def test_guessing_from_elsewhere_cannot_lock_the_agent_out_of_their_usual_desk(strict_bridge):
    url = strict_bridge.url
    async with aiohttp.ClientSession() as http:
        assert await attempt(http, url, "alice-demo-password", "192.0.2.10") == 200  # alice's desk
        # Someone guesses from three addresses, more than the per-username threshold.
        statuses = [await attempt(http, url, "guess", f"198.51.100.{n}") for n in (1, 2, 3) for _ in range(6)]
        assert statuses.count(401) >= 11 and 429 not in statuses[:5]
        assert await attempt(http, url, "guess", "198.51.100.1") == 429  # each guesser waits
        assert await attempt(http, url, "alice-demo-password", "198.51.100.1") == 429  # even with the password
        assert await attempt(http, url, "alice-demo-password", "203.0.113.77") == 429  # new places wait too
        assert await attempt(http, url, "alice-demo-password", "192.0.2.10") == 200  # her desk still works


async def test_x_forwarded_for_is_not_believed_from_an_untrusted_peer(dead_rasa_bridge):
    async with aiohttp.ClientSession() as http:
        statuses = [await attempt(http, dead_rasa_bridge.url, "guess", f"198.51.100.{n}") for n in range(8)]
    assert statuses[-1] == 429  # rotating the header did not make eight addresses of one


@pytest.mark.parametrize("how", ["text/plain", "form", "foreign origin"])
async def test_cross_site_login_and_logout_are_refused(dead_rasa_bridge, how):
    url = dead_rasa_bridge.url
    body = '{"username": "alice", "password": "alice-demo-password"}'
    choices: dict[str, dict[str, Any]] = {
        "text/plain": {"data": body, "headers": {"Content-Type": "text/plain"}},
        "form": {"data": {"username": "alice", "password": "alice-demo-password"}},
        "foreign origin": {"data": body, "headers": {"Content-Type": "application/json",
                                                     "Origin": "https://evil.example"}}}
    options = choices[how]
    async with aiohttp.ClientSession() as http:
        for path in ("/api/agent/login", "/api/agent/logout"):
            async with http.post(url + path, **options) as r:
                assert r.status in (403, 415), (path, r.status)
                assert (await r.json())["error"]["code"] in ("cross_site", "unsupported_media_type")


# --- the service itself ---------------------------------------------------------------------------

async def test_no_versions_in_headers_and_a_nonce_csp_on_the_shop(dead_rasa_bridge):
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{dead_rasa_bridge.url}/shop/") as r:
            html, csp = await r.text(), r.headers["Content-Security-Policy"]
            assert "aiohttp" not in r.headers.get("Server", "") and "Python" not in r.headers.get("Server", "")
        async with http.get(f"{dead_rasa_bridge.url}/shop/") as r:
            second = r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'self'" in csp
    found = re.search(r"'nonce-([^']+)'", csp)
    assert found
    nonce = found.group(1)
    assert html.count(f'<script nonce="{nonce}">') == 2 and "<script>" not in html
    assert second != csp  # a fresh nonce each time


async def test_metrics_and_ready_are_internal(strict_bridge):
    url = strict_bridge.url
    async with aiohttp.ClientSession() as http:
        for path in ("/metrics", "/ready"):
            async with http.get(url + path) as r:  # this host
                assert r.status in (200, 503)
            async with http.get(url + path, headers={"X-Forwarded-For": "203.0.113.9"}) as r:  # the internet
                assert r.status == 403
            async with http.get(url + path, headers={"X-Forwarded-For": "203.0.113.9",
                                                     "Authorization": "Bearer metrics-token-for-tests"}) as r:
                assert r.status in (200, 503)


# --- the Rasa side trusts only its callers --------------------------------------------------------

async def test_the_action_server_refuses_callers_without_its_token(rasa_stack):
    """A forged tracker (verified_customer_id set) once got that customer's e-mail back."""
    forged = {"next_action": "action_account_summary", "sender_id": "x", "version": "3.6.21",
              "tracker": {"sender_id": "x", "slots": {"verified_customer_id": "C1001"}, "events": [],
                          "latest_message": {}, "paused": False, "active_loop": {}},
              "domain": {}}
    url = f"{rasa_stack.action_url}/webhook"
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=forged) as r:
            assert r.status == 401 and "C1001" not in await r.text()
        async with http.post(url, json=forged, params={"token": "guess"}) as r:
            assert r.status == 401
        async with http.post(url, data=json.dumps(forged), params={"token": rasa_stack.action_token},
                             headers={"Content-Type": "text/plain", "Origin": "https://evil.example"}) as r:
            assert r.status == 415 and "Access-Control-Allow-Origin" not in r.headers
        async with http.options(url, headers={"Origin": "https://evil.example",
                                              "Access-Control-Request-Method": "POST"}) as r:
            assert "Access-Control-Allow-Origin" not in r.headers  # no browser page may call it
        async with http.get(f"{rasa_stack.action_url}/health") as r:
            assert r.status == 200


async def test_rasa_s_channel_takes_messages_only_with_the_token(rasa_stack):
    url = f"{rasa_stack.rasa_url}/webhooks/rest/webhook"
    body = {"sender": "someone-elses-conversation", "message": "what's my e-mail?"}
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=body) as r:
            assert r.status == 401
        async with http.post(url, data=json.dumps(body),
                             headers={"Authorization": f"Bearer {rasa_stack.token}", "Content-Type": "text/plain"}) as r:
            assert r.status == 415
        async with http.post(url, json={"sender": "security-test", "message": "hi"},
                             headers={"Authorization": f"Bearer {rasa_stack.token}"}) as r:
            assert r.status == 200 and await r.json()


async def test_the_rasa_token_is_not_on_any_command_line(rasa_stack):
    for pid in (p.pid for p in rasa_stack.processes):
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read().decode()
        assert rasa_stack.token not in cmdline and rasa_stack.action_token not in cmdline


async def test_the_agent_sees_that_the_customer_is_not_verified(bridge, rasa_stack, redis):
    """The action server's ``unverified_order`` once fell out of the bridge's list of fields."""
    customer = Customer(bridge.url)
    conversation_id = await customer.connect()
    await customer.say("where is my order ORD-100101", customData={"language": "en"})
    await customer.bot_says("on its way")
    await customer.say("I want to talk to a human")
    await customer.seen.wait_for(protocol.HANDOFF_QUEUED)
    alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()
    await alice.emit(protocol.CLAIM, {"conversation_id": conversation_id})
    view = await alice.seen.wait_for(protocol.CLAIMED)
    assert view["context"].get("unverified_order") == "ORD-100101"
    assert view["context"].get("customer") is None
    for c in (customer, alice):
        await c.close()


# --- a conversation id is a name, not a key --------------------------------------------------------

async def test_a_bare_id_shows_nothing_and_the_token_resumes(dead_rasa_bridge, redis):
    owner = Customer(dead_rasa_bridge.url)
    conversation_id = await owner.connect()
    assert owner.resume_token
    await owner.say("my address is 1-2-3 Shibuya, call me at 090-1234-5678")
    await owner.seen.wait_for(protocol.BOT_UTTERED)
    intruder = Customer(dead_rasa_bridge.url)
    assert await intruder.connect(conversation_id) != conversation_id  # a new conversation of their own
    history = await intruder.seen.wait_for(protocol.HISTORY)
    assert history["transcript"] == [] and "Shibuya" not in str(intruder.seen.events)
    await intruder.say("hello?")  # and nothing they say reaches the owner's conversation
    await asyncio.sleep(0.3)
    assert "hello?" not in str(await redis.lrange(keys.transcript(conversation_id), 0, -1))
    forger = Customer(dead_rasa_bridge.url)
    assert await forger.connect(conversation_id, resume_token="forged-token-0123456789ab") != conversation_id

    second_device = Customer(dead_rasa_bridge.url)
    assert await second_device.connect(conversation_id, resume_token=owner.resume_token) == conversation_id
    assert "Shibuya" in str((await second_device.seen.wait_for(protocol.HISTORY))["transcript"])
    told = await owner.seen.wait_for(protocol.SESSION_JOINED)  # the first one is told
    assert told["session_id"] == conversation_id
    assert not second_device.seen.of(protocol.SESSION_JOINED)
    for c in (owner, intruder, forger, second_device):
        await c.close()


async def test_a_plain_widget_is_told_in_words_when_another_device_joins(dead_rasa_bridge):
    owner = Customer(dead_rasa_bridge.url)
    conversation_id = await owner.connect()
    plain = Customer(dead_rasa_bridge.url, capabilities=())  # a Rasa widget on the same conversation
    await plain.connect(conversation_id, resume_token=owner.resume_token)
    assert not plain.seen.of(protocol.SESSION_SECRET)  # Rasa's events only
    third = Customer(dead_rasa_bridge.url)
    await third.connect(conversation_id, resume_token=owner.resume_token)
    said = await plain.bot_says("another window or on another device")
    assert set(said) == {"text"}  # a plain bot message, key for key
    for c in (owner, plain, third):
        await c.close()


async def test_the_widget_s_cookie_resumes_and_scripts_cannot_read_it(dead_rasa_bridge):
    owner = Customer(dead_rasa_bridge.url)
    conversation_id = await owner.connect()
    url = f"{dead_rasa_bridge.url}/api/customer/resume"
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json={"session_id": conversation_id, "resume_token": "wrong-token-0123456789"}) as r:
            assert r.status == 403 and "Set-Cookie" not in r.headers
        async with http.post(url, json={"session_id": conversation_id, "resume_token": owner.resume_token}) as r:
            assert r.status == 200
            cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/socket.io" in cookie
    value = cookie.split(";")[0]
    reloaded = Customer(dead_rasa_bridge.url)
    reloaded.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
    reloaded.sio.on("*", reloaded._dispatch)
    await reloaded.sio.connect(dead_rasa_bridge.url, transports=["websocket"], headers={"Cookie": value})
    await reloaded.sio.emit(protocol.SESSION_REQUEST, {"session_id": conversation_id,
                                                       "capabilities": [protocol.HANDOFF_EVENTS]})
    assert await reloaded.seen.wait_for(protocol.SESSION_CONFIRM) == conversation_id  # the cookie alone did it
    for c in (owner, reloaded):
        await c.close()


async def test_the_id_only_mode_is_explicit(redis, redis_server):
    running = await BridgeProcessless(bridge_settings(
        redis_server.url, free_port(), f"http://127.0.0.1:{free_port()}", rasa_timeout_s=2.0,
        resume_by_id=True)).start()
    try:
        first = Customer(running.url, capabilities=())
        conversation_id = await first.connect()
        webchat_after_reload = Customer(running.url, capabilities=())
        assert await webchat_after_reload.connect(conversation_id) == conversation_id
        await first.bot_says("another window or on another device")  # still told
        for c in (first, webchat_after_reload):
            await c.close()
    finally:
        await running.stop()


# --- a customer's data-deletion request ------------------------------------------------------------

async def test_an_erasure_removes_the_customer_from_redis_the_tracker_and_the_tickets(bridge, rasa_stack, redis):
    customer = Customer(bridge.url)
    cid = await customer.connect()
    await customer.say("where is my order ORD-100101", customData={"language": "en"})
    await customer.bot_says("on its way")
    await customer.say("I want to talk to a human")
    await customer.seen.wait_for(protocol.HANDOFF_QUEUED)
    alice = await Agent(bridge.url, "alice", "alice-demo-password").connect()
    await alice.emit(protocol.CLAIM, {"conversation_id": cid})
    await alice.seen.wait_for(protocol.CLAIMED)
    await customer.say("I'm Jane Doe, jane.doe@example.com, 090-1234-5678: please delete all my data")
    await alice.seen.wait_for(protocol.CUSTOMER_MESSAGE)
    bob = await Agent(bridge.url, "bob", "bob-demo-password").connect()
    await bob.emit(protocol.ERASE, {"conversation_id": cid})  # not his
    assert (await bob.seen.wait_for(protocol.ERROR))["code"] == "not_yours"

    claims = len(alice.seen.of(protocol.CLAIMED))
    await alice.emit(protocol.ERASE, {"conversation_id": cid})
    assert await alice.seen.count_reaches(protocol.CLAIMED, claims + 1, timeout=30)
    view = alice.seen.of(protocol.CLAIMED)[-1]
    assert [e["role"] for e in view["transcript"]] == ["system"] and "erased" in view["transcript"][0]["text"]
    history = await customer.seen.wait_for(protocol.HISTORY, lambda h: len(h["transcript"]) == 1)
    assert history["transcript"][0]["status"] == "erased"

    everything = str(await redis.lrange(keys.transcript(cid), 0, -1)) + str(
        await redis.hgetall(keys.conversation(cid)))
    for secret in ("jane.doe@example.com", "090-1234-5678", "ORD-100101", "Jane Doe"):
        assert secret not in everything
    events = http_tracker(rasa_stack, cid)
    texts = [e.get("text") for e in events if e.get("event") in ("user", "bot")]
    assert texts and set(texts) == {"[erased]"}
    assert "jane.doe" not in json.dumps(events) and "090-1234" not in json.dumps(events)
    assert any(e.get("event") == "user" for e in events)  # the shape stays for the figures
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": cid, "text": "Done: your data is deleted."})
    await customer.bot_says("your data is deleted")  # the conversation goes on

    # A message left while waiting (a ticket with the e-mail), erased later by a supervisor.
    waiting = Customer(bridge.url)
    waiting_id = await waiting.connect()
    await post_handoff(bridge.url, {"conversation_id": waiting_id, "reason": "sensitive"}, SECRET)
    await waiting.emit(protocol.LEAVE_MESSAGE, {"email": "kenji.sato@example.jp", "text": "delete my account data"})
    ticket = (await waiting.seen.wait_for(protocol.TICKET_CREATED))["ticket_id"]
    await alice.emit(protocol.ERASE, {"conversation_id": waiting_id})  # closed: not hers to erase
    assert (await alice.seen.wait_for(protocol.ERROR, lambda e: e["event"] == "erase"))["code"] == "not_yours"
    boss = await Agent(bridge.url, "supervisor", "supervisor-demo-password").connect()
    await boss.emit(protocol.ERASE, {"conversation_id": waiting_id})
    await boss.seen.wait_for(protocol.TICKETS, lambda ts: all(t["id"] != ticket for t in ts))
    assert not await redis.exists(keys.ticket(ticket)) and ticket not in await redis.lrange(keys.TICKETS, 0, -1)
    assert "kenji" not in str(await redis.lrange(keys.transcript(waiting_id), 0, -1))
    for c in (customer, alice, bob, waiting, boss):
        await c.close()


def http_tracker(stack, conversation_id: str) -> list:
    from bot.launcher import http_json

    return http_json("GET", f"{stack.rasa_url}/conversations/{conversation_id}/tracker"
                            f"?include_events=ALL&token={stack.token}")["events"]


# --- packets python-socketio cannot read ---------------------------------------------------------

@pytest.mark.parametrize("frame", ['42["user_uttered",{bad json', "42" + "[" * 20000, "47[]", "42{\"a\": 1}", "42",
                                   "42[]", "42[5, {}]", '42["disconnect"]', '42["connect",{}]'])
async def test_a_malformed_packet_gets_an_error_and_the_socket_goes_on(dead_rasa_bridge, frame, caplog):
    url = dead_rasa_bridge.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        assert (await ws.receive_str()).startswith("0")  # engine.io open
        await ws.send_str("40")
        assert (await ws.receive_str()).startswith("40")  # socket.io connect to /
        await ws.send_str(frame)
        answer = await asyncio.wait_for(ws.receive_str(), 10)
        assert answer.startswith('42["error"') and '"code":"malformed"' in answer
        await ws.send_str('42["session_request",{}]')  # still serving this socket
        while not (await asyncio.wait_for(ws.receive_str(), 10)).startswith('42["session_confirm"'):
            pass
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert not tracebacks  # one warning line, no traceback



async def test_an_idle_tab_s_expired_empty_conversation_starts_again_at_the_first_message(dead_rasa_bridge, redis):
    customer = Customer(dead_rasa_bridge.url)
    cid = await customer.connect()
    await redis.delete(keys.conversation(cid))  # what the hour's expiry does to a conversation nobody wrote in
    ack = await customer.sio.call(protocol.USER_UTTERED, {"message": "hello, still there?", "message_id": "m-1"},
                                  timeout=10)
    assert ack["status"] == "ok", ack  # not unknown_conversation
    assert await redis.exists(keys.conversation(cid)) and await redis.llen(keys.transcript(cid))
    await customer.close()


async def test_a_joining_socket_cannot_hide_from_the_others_by_naming_an_entry(dead_rasa_bridge):
    owner = Customer(dead_rasa_bridge.url)
    cid = await owner.connect()
    sneaky = Customer(dead_rasa_bridge.url)
    await sneaky._connect(10)
    await sneaky.sio.emit(protocol.SESSION_REQUEST, {"session_id": cid, "resume_token": owner.resume_token,
                                                     "after": "some-entry", "capabilities": ["handoff_events"]})
    assert await sneaky.seen.wait_for(protocol.SESSION_CONFIRM) == cid
    await owner.seen.wait_for(protocol.SESSION_JOINED)
    for c in (owner, sneaky):
        await c.close()


async def test_spraying_from_an_office_address_does_not_lock_out_the_agents_who_work_there(strict_bridge):
    url, office = strict_bridge.url, "192.0.2.50"
    async with aiohttp.ClientSession() as http:
        assert await attempt(http, url, "alice-demo-password", office) == 200
        for n in range(60):  # someone in the office guesses many names
            async with http.post(f"{url}/api/agent/login", json={"username": f"user{n}", "password": "guess"},
                                 headers={"X-Forwarded-For": office}) as r:
                assert r.status in (401, 429)
        async with http.post(f"{url}/api/agent/login", json={"username": "bob", "password": "bob-demo-password"},
                             headers={"X-Forwarded-For": office}) as r:
            assert r.status == 429  # bob never logged in from there: the spraying block holds him back
        assert await attempt(http, url, "alice-demo-password", office) == 200  # alice's desk still works


async def test_guesses_sent_all_at_once_do_not_pass_the_back_off(strict_bridge):
    url = strict_bridge.url
    async with aiohttp.ClientSession() as http:
        statuses = await asyncio.gather(*(attempt(http, url, "guess", "198.51.100.200") for _ in range(40)))
    assert statuses.count(401) <= 6  # the free tries and the one that set the back-off; the rest wait
    assert statuses.count(429) >= 34
