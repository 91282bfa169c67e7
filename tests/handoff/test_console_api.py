"""The console's server side on a real Redis (Rasa is down here): cookie logins guarding pages,
sockets and figures; notes the customer never sees; canned responses; tickets; the survey."""

from __future__ import annotations

import asyncio

import aiohttp
import socketio
import yarl

from handoff import keys, protocol
from handoff.accounts import SESSION_COOKIE
from harness.clients import Agent, Customer, Recorder, login, post_handoff
from tests.handoff.conftest import SECRET
from tests.handoff.test_queue_and_agents import queued_customer


async def cookie_session(url: str, username: str, password: str) -> aiohttp.ClientSession:
    """A browser-like HTTP session logged in with the session cookie."""
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with session.post(f"{url}/api/agent/login", json={"username": username, "password": password}) as r:
        assert r.status == 200
        assert SESSION_COOKIE in r.cookies and r.cookies[SESSION_COOKIE]["httponly"]
        assert r.cookies[SESSION_COOKIE]["samesite"] == "Strict"
    return session


async def status_of(session: aiohttp.ClientSession, url: str) -> tuple:
    async with session.get(url, allow_redirects=False) as r:
        return r.status, r.headers.get("Location"), r.headers.get("Content-Security-Policy", "")


async def test_every_console_page_needs_a_login(dead_rasa_bridge):
    url = dead_rasa_bridge.url
    async with aiohttp.ClientSession() as anonymous:
        assert await status_of(anonymous, f"{url}/console/") == (302, "/console/login", "")
        assert (await status_of(anonymous, f"{url}/console/supervisor"))[:2] == (302, "/console/login")
        assert (await status_of(anonymous, f"{url}/console/assets/console.js"))[0] == 401
        assert (await status_of(anonymous, f"{url}/console/assets/supervisor.js"))[0] == 401
        assert (await status_of(anonymous, f"{url}/api/stats"))[0] == 401
        for sneaky in ("%2e%2e%2f%2e%2e%2fhandoff%2fagents.example.json", "..%2Fconsole.html", "login.html"):
            async with anonymous.get(yarl.URL(f"{url}/console/assets/{sneaky}", encoded=True),
                                     allow_redirects=False) as r:
                assert r.status == 404, sneaky  # only the listed assets, never a path
        login = await status_of(anonymous, f"{url}/console/login")
        assert login[0] == 200 and "frame-ancestors 'none'" in login[2] and "script-src 'self'" in login[2]
        assert (await status_of(anonymous, f"{url}/shop/"))[0] == 200  # the shop and widget are public
        assert (await status_of(anonymous, f"{url}/widget/widget.js"))[0] == 200
        assert (await status_of(anonymous, f"{url}/vendor/socket.io.min.js"))[0] == 200

    alice = await cookie_session(url, "alice", "alice-demo-password")
    try:
        page = await status_of(alice, f"{url}/console/")
        assert page[0] == 200 and "script-src 'self';" in page[2]
        assert (await status_of(alice, f"{url}/console/assets/console.js"))[0] == 200
        assert (await status_of(alice, f"{url}/console/supervisor"))[0] == 403  # not a supervisor
        assert (await status_of(alice, f"{url}/api/stats"))[0] == 403
        async with alice.post(f"{url}/api/agent/logout", json={}) as r:
            assert r.status == 200
        assert (await status_of(alice, f"{url}/console/"))[:2] == (302, "/console/login")
    finally:
        await alice.close()

    sam = await cookie_session(url, "supervisor", "supervisor-demo-password")
    try:
        assert (await status_of(sam, f"{url}/console/supervisor"))[0] == 200
        async with sam.get(f"{url}/api/stats") as r:
            assert r.status == 200 and set(await r.json()) == {"language", "now", "today", "hours", "vocabulary", "viewer"}
        async with sam.get(f"{url}/api/stats?language=fr") as r:
            assert r.status == 400 and (await r.json())["error"]["code"] == "bad_language"
    finally:
        await sam.close()


async def test_the_agent_socket_takes_the_cookie_and_refuses_without(dead_rasa_bridge):
    url = dead_rasa_bridge.url
    session = await cookie_session(url, "bob", "bob-demo-password")
    cookie = next(c for c in session.cookie_jar if c.key == SESSION_COOKIE).value
    await session.close()

    seen = Recorder()
    console = socketio.AsyncClient(reconnection=False)
    console.on("*", seen.record, namespace=protocol.AGENT_NAMESPACE)
    await console.connect(url, socketio_path="socket.io", transports=["websocket"], namespaces=[protocol.AGENT_NAMESPACE],
                          headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})
    hello = await seen.wait_for(protocol.HELLO)
    assert hello["agent"] == {"id": "bob", "name": "Bob", "capacity": 2, "role": "agent", "languages": ["en"]}
    assert "password_hash" not in str(hello) and "resolved" in hello["resolution_codes"]
    assert {a["id"]: a["languages"] for a in hello["agents"]} == {
        "alice": ["en"], "bob": ["en"], "yuki": ["ja", "en"], "supervisor": ["en", "ja"]}
    canned = await seen.wait_for(protocol.CANNED)
    assert len(canned) >= 5 and all(set(c) == {"id", "title", "text", "personal", "editable"} for c in canned)
    await console.disconnect()

    forged = socketio.AsyncClient(reconnection=False)
    try:
        await forged.connect(url, socketio_path="socket.io", transports=["websocket"],
                             namespaces=[protocol.AGENT_NAMESPACE], headers={"Cookie": f"{SESSION_COOKIE}={'x' * 43}"})
        connected = True
    except socketio.exceptions.ConnectionError:
        connected = False
    assert not connected


async def test_notes_stay_with_agents_and_the_customer_history_hides_internal_lines(dead_rasa_bridge, redis):
    customer = await queued_customer(dead_rasa_bridge, "frustration")
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    await alice.emit(protocol.NOTE, {"conversation_id": customer.session_id, "text": "VIP: refund approved by Sam"})
    note = await alice.seen.wait_for(protocol.ENTRY_ADDED, lambda d: d["entry"]["role"] == "note")
    assert note["entry"]["text"] == "VIP: refund approved by Sam" and note["entry"]["agent"]["id"] == "alice"
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "Hello, Alice here"})
    echo = await alice.seen.wait_for(protocol.ENTRY_ADDED, lambda d: d["entry"]["role"] == "agent")
    assert echo["conversation_id"] == customer.session_id and echo["entry"]["text"] == "Hello, Alice here"
    await customer.seen.wait_for(protocol.BOT_UTTERED, lambda d: d.get("text") == "Hello, Alice here")
    assert not any("VIP" in str(data) for _, data in customer.seen.events)

    again = Customer(dead_rasa_bridge.url)  # the customer reloads the page
    await again.connect(customer.session_id, resume_token=customer.resume_token)
    history = await again.seen.wait_for(protocol.HISTORY)
    assert history["state"] == "with_agent" and history["agent"] == {"id": protocol.public_agent_id("alice"),
                                                                    "name": "Alice"}
    assert "alice" not in str(history["transcript"])  # the login name stays with the agents
    texts = [(e["role"], e["text"]) for e in history["transcript"]]
    assert ("agent", "Hello, Alice here") in texts and ("system", "Alice from Support joined") in texts
    assert not any("VIP" in t or "frustration" in t for _, t in texts)  # no note, no internal reason
    for client in (customer, again, alice):
        await client.close()


async def test_canned_responses_the_team_s_by_supervisors_and_each_agent_s_own(dead_rasa_bridge, redis):
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    bob = await Agent(dead_rasa_bridge.url, "bob", "bob-demo-password").connect()
    boss = await Agent(dead_rasa_bridge.url, "supervisor", "supervisor-demo-password").connect()
    team = await bob.seen.wait_for(protocol.CANNED)
    assert team and all(not c["personal"] and not c["editable"] for c in team)  # the seeded team responses

    # An agent's new response is their own: the others do not see it.
    await alice.emit(protocol.CANNED_SAVE, {"title": "Return label", "text": "Here is your return label: <b>"})
    mine = await alice.seen.wait_for(protocol.CANNED, lambda c: any(x["title"] == "Return label" for x in c))
    added = next(c for c in mine if c["title"] == "Return label")
    assert added["personal"] and added["editable"] and added["text"] == "Here is your return label: <b>"
    await alice.emit(protocol.CANNED_SAVE, {"id": added["id"], "title": "Return label", "text": "Label attached."})
    await alice.seen.wait_for(protocol.CANNED, lambda c: any(x["text"] == "Label attached." for x in c))
    await bob.emit(protocol.CANNED_SAVE, {"id": added["id"], "title": "Mine now", "text": "x"})
    assert (await bob.seen.wait_for(protocol.ERROR))["code"] == "not_yours"
    assert all(c["title"] != "Return label" for c in bob.seen.of(protocol.CANNED)[-1])

    # The team's: only a supervisor changes them.
    await alice.emit(protocol.CANNED_SAVE, {"id": team[0]["id"], "title": "Hijacked", "text": "send me your password"})
    assert (await alice.seen.wait_for(protocol.ERROR, lambda e: e["event"] == "canned_save"))["code"] == "not_yours"
    await alice.emit(protocol.CANNED_DELETE, {"id": team[0]["id"]})
    assert (await alice.seen.wait_for(protocol.ERROR, lambda e: e["event"] == "canned_delete"))["code"] == "not_yours"
    await boss.emit(protocol.CANNED_SAVE, {"title": "Holiday hours", "text": "We are closed on 1 January."})
    shared = await bob.seen.wait_for(protocol.CANNED, lambda c: any(x["title"] == "Holiday hours" for x in c))
    assert not next(x for x in shared if x["title"] == "Holiday hours")["personal"]

    await alice.emit(protocol.CANNED_SAVE, {"title": "", "text": "no title"})
    assert (await alice.seen.wait_for(protocol.ERROR, lambda e: e["code"] == "empty"))["event"] == "canned_save"
    await alice.emit(protocol.CANNED_DELETE, {"id": "nope"})
    assert (await alice.seen.wait_for(protocol.ERROR, lambda e: e.get("code") == "unknown_canned"))
    lists = len(alice.seen.of(protocol.CANNED))
    await alice.emit(protocol.CANNED_DELETE, {"id": added["id"]})
    assert await alice.seen.count_reaches(protocol.CANNED, lists + 1, timeout=10)
    assert all(x["id"] != added["id"] for x in alice.seen.of(protocol.CANNED)[-1])
    # Every change is in the audit trail, with who made it.
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{dead_rasa_bridge.url}/api/audit", params={"agent": "alice"},
                            headers={"Authorization": f"Bearer {boss.token}"}) as r:
            assert r.status == 200
            trail = (await r.json())["entries"]
        async with http.get(f"{dead_rasa_bridge.url}/api/audit", headers={"Authorization": f"Bearer {alice.token}"}) as r:
            assert r.status == 403  # agents do not read it
    actions = [(e["actor"], e["action"], e["detail"].get("team")) for e in trail]
    assert actions[:3] == [("alice", "canned_delete", False), ("alice", "canned_save", False),
                           ("alice", "canned_save", False)]  # newest first; refused attempts left nothing
    assert ("alice", "login", None) in actions and all(a == "alice" for a, _, _ in actions)
    for agent in (alice, bob, boss):
        await agent.close()


async def test_survey_after_close_is_stored_once_and_counted(dead_rasa_bridge, redis):
    customer = await queued_customer(dead_rasa_bridge)
    await customer.sio.emit(protocol.SURVEY, {"rating": 5})
    assert (await customer.seen.wait_for(protocol.ERROR))["code"] == "not_closed"

    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    await alice.emit(protocol.CLAIM, {"conversation_id": customer.session_id})
    await alice.seen.wait_for(protocol.CLAIMED)
    await alice.emit(protocol.AGENT_MESSAGE, {"conversation_id": customer.session_id, "text": "Sorted!"})
    await alice.emit(protocol.CLOSE, {"conversation_id": customer.session_id, "resolution": "not-a-code"})
    assert (await alice.seen.wait_for(protocol.ERROR, lambda e: e["event"] == "close"))["code"] == "bad_resolution"
    await alice.emit(protocol.CLOSE, {"conversation_id": customer.session_id, "resolution": "order_changed"})
    await customer.seen.wait_for(protocol.HANDOFF_CLOSED)

    reloaded = Customer(dead_rasa_bridge.url)
    await reloaded.connect(customer.session_id, resume_token=customer.resume_token)
    assert (await reloaded.seen.wait_for(protocol.HISTORY))["survey_pending"] is True

    for bad in ({"rating": 0}, {"rating": 6}, {"rating": "5"}, {"rating": True}, {"rating": 3.5}, "five"):
        await customer.sio.emit(protocol.SURVEY, bad)
    await customer.sio.emit(protocol.SURVEY, {"rating": 4, "comment": "x" * 5000})
    await customer.seen.wait_for(protocol.ERROR, lambda e: e["code"] == "too_long")
    codes = [e["code"] for e in customer.seen.of(protocol.ERROR) if e["event"] == "survey"]
    assert codes == ["not_closed"] + ["bad_rating"] * 5 + ["malformed", "too_long"]
    await customer.sio.emit(protocol.SURVEY, {"rating": 4, "comment": "quick <b>and</b> kind"})
    assert (await customer.seen.wait_for(protocol.SURVEY_SAVED))["rating"] == 4
    stored = await redis.hgetall(keys.conversation(customer.session_id))
    assert stored["satisfaction"] == "4" and stored["satisfaction_comment"] == "quick <b>and</b> kind"
    await customer.sio.emit(protocol.SURVEY, {"rating": 1})
    assert (await customer.seen.wait_for(protocol.ERROR, lambda e: e["code"] == "already_rated"))
    assert (await redis.hgetall(keys.conversation(customer.session_id)))["satisfaction"] == "4"

    sam = await cookie_session(dead_rasa_bridge.url, "supervisor", "supervisor-demo-password")
    async with sam.get(f"{dead_rasa_bridge.url}/api/stats") as r:
        figures = await r.json()
    await sam.close()
    today = figures["today"]
    assert today["conversations"] == 1  # the reload kept the same conversation
    assert today["handed_off"] == 1 and today["handoffs_by_reason"] == {"explicit_request": 1}
    assert today["containment"] == 0.0 and today["closed"] == 1
    assert today["satisfaction"] == {"average": 4.0, "count": 1}
    assert today["average_wait_s"] is not None and today["first_response_s"] >= today["average_wait_s"]
    assert sum(h["handoffs"] for h in figures["hours"]) == 1 and len(figures["hours"]) == 24
    assert figures["now"]["queue_length"] == 0
    # Split by the customer's language: this English customer is all of the English figures, none of the Japanese.
    sam = await cookie_session(dead_rasa_bridge.url, "supervisor", "supervisor-demo-password")
    split = {}
    for language in ("en", "ja"):
        async with sam.get(f"{dead_rasa_bridge.url}/api/stats", params={"language": language}) as r:
            split[language] = await r.json()
    await sam.close()
    english, japanese = split["en"]["today"], split["ja"]["today"]
    assert split["en"]["language"] == "en"
    assert (english["conversations"], english["handed_off"], english["closed"]) == (0, 1, 1)  # it never wrote
    assert english["satisfaction"] == {"average": 4.0, "count": 1} and english["average_wait_s"] is not None
    assert (japanese["conversations"], japanese["handed_off"], japanese["closed"]) == (0, 0, 0)
    assert japanese["satisfaction"]["count"] == 0 and sum(h["handoffs"] for h in split["ja"]["hours"]) == 0
    for client in (customer, reloaded, alice):
        await client.close()


async def test_tickets_can_be_marked_handled(dead_rasa_bridge, redis):
    customer = await queued_customer(dead_rasa_bridge)
    await customer.sio.emit(protocol.LEAVE_MESSAGE, {"email": "ann@example.com", "text": "please call me back"})
    ticket_id = (await customer.seen.wait_for(protocol.TICKET_CREATED))["ticket_id"]
    bob = await Agent(dead_rasa_bridge.url, "bob", "bob-demo-password").connect()
    tickets = await bob.seen.wait_for(protocol.TICKETS, lambda t: len(t) == 1)
    assert tickets[0]["status"] == "open"
    await bob.emit(protocol.TICKET_HANDLED, {"ticket_id": "T-NOPE"})
    assert (await bob.seen.wait_for(protocol.ERROR))["code"] == "unknown_ticket"
    await bob.emit(protocol.TICKET_HANDLED, {"ticket_id": ticket_id})
    handled = await bob.seen.wait_for(protocol.TICKETS, lambda t: t and t[0]["status"] == "handled")
    assert handled[0]["handled_by"] == "Bob"
    await customer.close()
    await bob.close()


async def test_stats_count_distinct_handoffs_and_queue_now(dead_rasa_bridge, redis):
    first = await queued_customer(dead_rasa_bridge, "frustration")
    second = await queued_customer(dead_rasa_bridge, "unresolved")
    status, _ = await post_handoff(dead_rasa_bridge.url, {"conversation_id": first.session_id, "reason": "sensitive"},
                                   SECRET)
    assert status == 200  # already queued: unchanged, not counted again
    sam = await cookie_session(dead_rasa_bridge.url, "supervisor", "supervisor-demo-password")
    async with sam.get(f"{dead_rasa_bridge.url}/api/stats") as r:
        figures = await r.json()
    await sam.close()
    assert figures["now"]["queue_length"] == 2 and figures["now"]["longest_wait_s"] >= 0
    assert figures["today"]["handoffs_by_reason"] == {"frustration": 1, "unresolved": 1}
    assert figures["today"]["handed_off"] == 2 and figures["today"]["containment"] == 0.0
    for client in (first, second):
        await client.close()


async def test_the_session_cookie_is_found_among_other_cookies():
    from handoff.accounts import session_token_in

    header = 'prefs={"a": 1}; theme=dark; ' + SESSION_COOKIE + '=tok_en-123; other="x y"'
    assert session_token_in(header) == "tok_en-123"
    assert session_token_in("prefs={\"a\": 1}") is None and session_token_in(None) is None


async def test_logout_ends_the_consoles_socket_too(dead_rasa_bridge):
    url = dead_rasa_bridge.url
    session = await cookie_session(url, "bob", "bob-demo-password")
    cookie = next(c for c in session.cookie_jar if c.key == SESSION_COOKIE).value
    seen = Recorder()
    console = socketio.AsyncClient(reconnection=False)
    console.on("*", seen.record, namespace=protocol.AGENT_NAMESPACE)
    await console.connect(url, socketio_path="socket.io", transports=["websocket"], namespaces=[protocol.AGENT_NAMESPACE],
                          headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})
    await seen.wait_for(protocol.HELLO)
    async with session.post(f"{url}/api/agent/logout", json={}) as r:
        assert r.status == 200
    await session.close()
    await console.emit(protocol.SET_STATUS, {"status": "away"}, namespace=protocol.AGENT_NAMESPACE)
    refused = await seen.wait_for(protocol.ERROR)
    assert refused["code"] == "unauthorized"
    for _ in range(50):
        if not console.connected:
            break
        await asyncio.sleep(0.1)
    assert not console.connected


async def test_repeated_wrong_passwords_are_held_back(dead_rasa_bridge):
    """A few free tries per username and address, then a wait (handoff.lockout; the lock-out that
    cannot be turned against an agent is tested in test_security)."""
    url = dead_rasa_bridge.url
    async with aiohttp.ClientSession() as http:
        statuses = []
        for _ in range(7):
            async with http.post(f"{url}/api/agent/login", json={"username": "alice", "password": "guess"}) as r:
                statuses.append(r.status)
        assert statuses == [401] * 6 + [429]
        async with http.post(f"{url}/api/agent/login",
                             json={"username": "alice", "password": "alice-demo-password"}) as r:
            assert r.status == 429 and int(r.headers["Retry-After"]) > 0  # even the right one, for a while
        async with http.post(f"{url}/api/agent/login", json={"username": "bob", "password": "bob-demo-password"}) as r:
            assert r.status == 200  # another account is not locked


async def test_the_audit_trail_holds_every_step_of_a_journey(dead_rasa_bridge):
    """Claim (which shows the customer's account data), note, transfer, close, logout: who, when, what."""
    customer = await queued_customer(dead_rasa_bridge)
    alice = await Agent(dead_rasa_bridge.url, "alice", "alice-demo-password").connect()
    bob = await Agent(dead_rasa_bridge.url, "bob", "bob-demo-password").connect()
    cid = customer.session_id
    await alice.emit(protocol.CLAIM, {"conversation_id": cid})
    await alice.seen.wait_for(protocol.CLAIMED)
    await alice.emit(protocol.NOTE, {"conversation_id": cid, "text": "asked for the order e-mail"})
    await alice.seen.wait_for(protocol.ENTRY_ADDED, lambda e: e["entry"]["role"] == "note")
    await alice.emit(protocol.TRANSFER, {"conversation_id": cid, "to_agent": "bob"})
    await bob.seen.wait_for(protocol.CLAIMED)
    await bob.emit(protocol.CLOSE, {"conversation_id": cid, "resolution": "answered"})
    await customer.seen.wait_for(protocol.HANDOFF_CLOSED)
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{dead_rasa_bridge.url}/api/agent/logout", json={},
                             headers={"Authorization": f"Bearer {alice.token}"}) as r:
            assert r.status == 200
        boss = await login(dead_rasa_bridge.url, "supervisor", "supervisor-demo-password")
        async with http.get(f"{dead_rasa_bridge.url}/api/audit", params={"conversation": cid},
                            headers={"Authorization": f"Bearer {boss['token']}"}) as r:
            about = (await r.json())["entries"]
        async with http.get(f"{dead_rasa_bridge.url}/api/audit", params={"agent": "alice"},
                            headers={"Authorization": f"Bearer {boss['token']}"}) as r:
            by_alice = (await r.json())["entries"]
    steps = [(e["actor"], e["action"]) for e in reversed(about)]
    assert steps == [("alice", "claim"), ("alice", "note"), ("alice", "transfer"), ("bob", "close"),
                     ("supervisor", "audit_read")]
    assert about[1]["detail"] == {"resolution": "answered"} and about[2]["detail"] == {"to": "bob"}
    assert all(e["at"] > 0 for e in about)
    assert "asked for the order e-mail" not in str(about)  # the note's length, not its words
    assert [e["action"] for e in by_alice][:1] == ["logout"] and "login" in [e["action"] for e in by_alice]
    for c in (customer, alice, bob):
        await c.close()
