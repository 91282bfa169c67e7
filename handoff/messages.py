"""Texts the bridge itself sends to customers (when Rasa cannot: it is down or paused).

Everything else a customer reads lives in domain.yml; these few are here so
they can be translated in one place too.
"""

ASSISTANT_UNAVAILABLE = (
    "Sorry, the assistant is unavailable right now. You can try again in a moment, "
    "or ask for a person and someone from our team will take over."
)
# Rasa is down and the customer asked for a person: the bridge hands over on its own.
UNAVAILABLE_CONNECTING = (
    "Sorry, the assistant is unavailable right now, so I'm connecting you with a person from our team."
)
TALK_TO_A_PERSON = {"content_type": "text", "title": "Talk to a person", "payload": "/request_human"}
# Rasa answered a turn with nothing (an action failed inside it, or the turn timed out there).
NO_REPLY = (
    "Sorry, I couldn't answer that just now. Could you try again? If it keeps happening, "
    "a person from our team can take over."
)


# Canned responses a new team starts with; agents edit them in the console.
DEFAULT_CANNED = (
    ("Greeting", "Hi, I'm here to help. Let me read through your conversation so far."),
    ("One moment", "Thanks for waiting, I'm checking this for you now."),
    ("Order delayed", "I'm sorry your order is late. I've asked the warehouse to prioritise it and you'll get an e-mail with the new delivery date."),
    ("Refund issued", "I've issued the refund. It shows on your statement within 3-5 business days."),
    ("Anything else", "Is there anything else I can help you with?"),
    ("Goodbye", "Thanks for contacting Northwind. Have a great day!"),
)
