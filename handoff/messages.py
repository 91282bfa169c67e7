"""The canned responses a new team starts with (agents edit them in the console).

What the bridge says to customers itself is in ``handoff.vocabulary`` (``BRIDGE_REPLIES``).
"""

# Canned responses a new team starts with; agents edit them in the console.
DEFAULT_CANNED = (
    ("Greeting", "Hi, I'm here to help. Let me read through your conversation so far."),
    ("One moment", "Thanks for waiting, I'm checking this for you now."),
    ("Order delayed", "I'm sorry your order is late. I've asked the warehouse to prioritise it and you'll get an e-mail with the new delivery date."),
    ("Refund issued", "I've issued the refund. It shows on your statement within 3-5 business days."),
    ("Anything else", "Is there anything else I can help you with?"),
    ("Goodbye", "Thanks for contacting Northwind. Have a great day!"),
)
