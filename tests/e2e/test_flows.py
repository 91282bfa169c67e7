"""Every flow, end to end: REST channel → Rasa server (trained model) → action server → SQLite store."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import rows
from tests.e2e.stack import Chat

pytestmark = pytest.mark.rasa


def test_greeting_offers_what_the_bot_can_do(stack):
    chat = Chat(stack)
    assert "track an order" in chat.say("hello")
    assert "Where is my order?" in chat.buttons()


def test_order_status_with_the_number_in_the_question(stack):
    chat = Chat(stack)
    order = rows(stack.shop_db, "SELECT carrier, tracking_number FROM orders WHERE order_number='ORD-100101'")[0]
    reply = chat.say("where is my order ORD-100101?")
    assert "has shipped and is on its way" in reply and "e-mail address on the order" in reply
    assert order[0] not in reply and order[1] not in reply  # the details are for the order's owner
    reply = chat.say("jane.doe@example.com")
    assert "shipped" in reply and order[0] in reply and order[1] in reply and "Expected delivery" in reply


def test_order_details_stay_with_the_owner(stack):
    """The security review: naming an order number gave anyone its carrier, tracking number and dates."""
    chat = Chat(stack)
    carrier, tracking = rows(stack.shop_db, "SELECT carrier, tracking_number FROM orders WHERE order_number='ORD-100101'")[0]
    seen = [chat.say("where is my order ORD-100101?")]
    for guess in ("kenji.sato@example.jp", "someone@example.com"):  # another customer's address, then a guess
        seen.append(chat.say(guess))
        assert "couldn't verify" in seen[-1]
    seen.append(chat.say("another@example.com"))
    assert "didn't match again" in seen[-1]  # the third: this session checks no more
    seen.append(chat.say("jane.doe@example.com"))  # the right address, too late
    seen.append(chat.say("where is my order ORD-100101?"))
    assert chat.slot("verified_customer_id") is None
    assert not [text for text in seen if carrier in text or tracking in text]


def test_a_new_session_asks_again_who_the_customer_is(stack):
    """The review: verification travelled into the next session, so a second socket that knew only the id
    went straight to "What's the new phone number?"."""
    chat = Chat(stack)
    chat.say("change my phone number")
    chat.say("jane.doe@example.com")
    assert "new phone number" in chat.say("ORD-100103")
    chat.say("/session_start")  # what Rasa runs after an hour of silence, or a widget's new session
    assert chat.slot("verified_customer_id") is None
    assert "e-mail address on your account" in chat.say("change my phone number")


def test_order_status_asks_for_the_number_and_re_asks_on_bad_ones(stack):
    chat = Chat(stack)
    assert "order number" in chat.say("where is my package")
    assert "doesn't look like an order number" in chat.say("12345")
    reply = chat.say("ORD-999999")
    assert "couldn't find an order ORD-999999" in reply and "Talk to a person" in chat.buttons()
    assert "is out for delivery" in chat.say("#100202")


def test_a_common_question_inside_the_order_form_then_back(stack):
    chat = Chat(stack)
    chat.say("track my order")
    reply = chat.say("how long do refunds take?")
    assert "refund" in reply.lower() and "order number" in reply  # answered, then asked again
    assert "being prepared for shipping" in chat.say("ORD-100102")


def test_cancel_an_unshipped_order_after_verification(stack):
    chat = Chat(stack)
    assert "e-mail address on your account" in chat.say("I want to cancel my order ORD-100201")
    assert "couldn't verify" in chat.say("jane.doe@example.com")  # someone else's address
    assert "Shall I cancel it?" in chat.say("kenji.sato@example.jp")
    assert "is cancelled" in chat.say("yes")
    assert rows(stack.shop_db, "SELECT status FROM orders WHERE order_number='ORD-100201'") == [("cancelled",)]
    assert "was cancelled" in chat.say("what's the status of order ORD-100201")  # visible to the next lookup


def test_a_shipped_order_cannot_be_cancelled(stack):
    chat = Chat(stack)
    reply = chat.say("cancel order ORD-100101 please")
    assert "already left our warehouse" in reply and "return it for free" in reply
    assert rows(stack.shop_db, "SELECT status FROM orders WHERE order_number='ORD-100101'") == [("shipped",)]


def test_change_the_delivery_address_of_an_unshipped_order(stack):
    chat = Chat(stack)
    chat.say("I need to change the delivery address for order ORD-100303")
    assert "Where should we deliver order ORD-100303" in chat.say("maria.garcia@example.com")
    assert "will now be delivered to 9 Mill Lane" in chat.say("9 Mill Lane, E1 6AN London, UK")
    assert rows(stack.shop_db, "SELECT delivery_address FROM orders WHERE order_number='ORD-100303'") == [
        ("9 Mill Lane, E1 6AN London, UK",)
    ]


def test_change_email_then_phone_verifies_once(stack):
    chat = Chat(stack)
    assert "e-mail address on your account" in chat.say("i want to change my email address")
    assert "order number" in chat.say("jane.doe@example.com")
    assert "new e-mail address" in chat.say("ORD-100103")
    assert "confirmation link to jane.new@example.com" in chat.say("jane.new@example.com")
    assert rows(stack.shop_db, "SELECT email FROM customers WHERE id='C1001'") == [("jane.doe@example.com",)]  # until opened
    assert rows(stack.shop_db, "SELECT kind FROM outbox WHERE recipient='jane.new@example.com'") == [("email_change_confirm",)]
    # Already verified: straight to the new number.
    assert "new phone number" in chat.say("can you update my phone number")
    assert "+14155550177" in chat.say("+1 415 555 0177")
    assert rows(stack.shop_db, "SELECT phone FROM customers WHERE id='C1001'") == [("+14155550177",)]


def test_change_the_saved_address(stack):
    chat = Chat(stack)
    chat.say("I moved, please update the address on my account")
    chat.say("kenji.sato@example.jp")
    assert "new address" in chat.say("ORD-100202")
    assert "saved address is now" in chat.say("1-1 Chuo, 060-0001 Sapporo, Japan")
    assert rows(stack.shop_db, "SELECT address FROM customers WHERE id='C1002'") == [("1-1 Chuo, 060-0001 Sapporo, Japan",)]


def test_reset_password_writes_a_link_to_the_outbox(stack):
    chat = Chat(stack)
    assert "reset your password" in chat.say("i forgot my password")
    assert "link to reset the password" in chat.say("maria.garcia@example.com")
    assert rows(stack.shop_db, "SELECT kind FROM outbox WHERE recipient='maria.garcia@example.com'") == [("password_reset",)]


def test_closing_an_account_goes_to_a_person(stack):
    chat = Chat(stack)
    reply = chat.say("please close my account")
    assert "person from our team" in reply and "SR-" in reply
    assert rows(stack.shop_db, "SELECT reason FROM support_requests WHERE conversation_id=?", chat.sender) == [("sensitive",)]


def test_asking_for_a_person_and_complaining_are_recorded_with_their_reason(stack):
    chat = Chat(stack)
    assert "a person will follow up" in chat.say("I want to speak to a human agent")
    assert "so frustrating" in chat.say("this is the worst service ever, my parcel is two weeks late")
    assert rows(stack.shop_db, "SELECT reason FROM support_requests WHERE conversation_id=? ORDER BY id", chat.sender) == [
        ("explicit_request",), ("frustration",)
    ]


def test_asking_for_a_person_inside_a_form_leaves_the_form(stack):
    chat = Chat(stack)
    chat.say("change my phone number")
    assert "a person will follow up" in chat.say("let me talk to a real person")
    assert chat.slot("requested_slot") is None
    assert "Hi!" in chat.say("hi")  # the form does not come back


def test_stopping_a_form(stack):
    chat = Chat(stack)
    chat.say("cancel my order")
    assert "stopped" in chat.say("never mind")


@pytest.mark.parametrize(
    "question, answer",
    [
        ("how much is shipping", "$4.95"),
        ("do you ship to germany", "countries"),
        ("what is your return policy", "30 days"),
        ("can I pay with paypal", "PayPal"),
        ("when are you open", "8:00"),
        ("do gift cards expire", "never expire"),
    ],
)
def test_common_questions(stack, question, answer):
    assert answer in Chat(stack).say(question)


def test_small_talk(stack):
    chat = Chat(stack)
    assert "virtual assistant" in chat.say("are you a bot?")
    assert "welcome" in chat.say("thanks!")
    assert "not something I can help with" in chat.say("what's the weather in paris tomorrow")
    assert "Have a great day" in chat.say("bye")


def test_the_whole_conversation_is_kept_in_the_tracker_store(stack):
    chat = Chat(stack)
    chat.say("where is my order ORD-100102")
    chat.say("jane.doe@example.com")
    events = stack.tracker(chat.sender)["events"]
    user = [e for e in events if e["event"] == "user"]
    assert user[-2]["text"] == "where is my order ORD-100102"
    assert user[-2]["parse_data"]["intent"]["name"] == "order_status"
    assert "action_check_order_status" in [e.get("name") for e in events if e["event"] == "action"]
    assert rows(stack.tracker_url, "SELECT count(*) FROM events WHERE sender_id=?", chat.sender)[0][0] > 0
