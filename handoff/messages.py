"""Texts the bridge itself sends to customers (when Rasa cannot: it is down or paused).

Everything else a customer reads lives in domain.yml; these few are here so
they can be translated in one place too.
"""

ASSISTANT_UNAVAILABLE = (
    "Sorry, the assistant is unavailable right now. You can try again in a moment, "
    "or ask for a person and someone from our team will take over."
)
TALK_TO_A_PERSON = {"content_type": "text", "title": "Talk to a person", "payload": "/request_human"}

# What a customer may type, while the assistant is down, to reach a person.
PERSON_WORDS = ("/request_human", "agent", "human", "person", "operator", "someone")
