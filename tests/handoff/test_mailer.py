"""The mail relay against a real SMTP server (aiosmtpd on a loopback port) and a real Redis: the
outbox goes out in order, in the customer's language, once; a server that is down loses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from handoff import keys
from handoff.mailer import Mailer, SmtpSettings
from handoff.outbox import Outbox
from harness.ports import free_port


class Collect:
    """An SMTP handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Collect]]:
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def test_an_smtp_url_is_read_or_refused():
    settings = SmtpSettings.parse("smtp://desk%40shop:s3cret@mail.example.com:587?starttls=1", "Desk <d@shop>")
    assert (settings.host, settings.port, settings.username, settings.password, settings.starttls) == (
        "mail.example.com", 587, "desk@shop", "s3cret", True)
    assert SmtpSettings.parse("smtps://mail.example.com").port == 465 and SmtpSettings.parse("smtps://m.x").tls
    with pytest.raises(ValueError, match="SMTP_URL"):
        SmtpSettings.parse("http://mail.example.com")


async def test_the_outbox_goes_out_in_order_once_and_waits_for_a_server_that_is_down(redis, smtp):
    controller, handler = smtp
    outbox = Outbox(redis)
    await outbox.add("kenji.sato@example.jp", "ticket_ack", "ja", "c1", ticket="T-1A2B3C4D", text="折り返しください",
                     when="担当者より順次、")
    await outbox.add("jane.doe@example.com", "ticket_reply", "en", "c2", ticket="T-00000001", text="On its way.",
                     agent="Alice")
    mailer = Mailer(redis, SmtpSettings(host="127.0.0.1", port=controller.port, sender="Support <support@shop.test>"))
    assert await mailer.deliver() == 2
    first, second = handler.received
    assert first["To"] == "kenji.sato@example.jp" and "T-1A2B3C4D" in str(first["Subject"])
    assert first["Content-Language"] == "ja" and "折り返しください" in first.get_content()
    assert second["To"] == "jane.doe@example.com" and "On its way." in second.get_content()
    assert second["From"] == "Support <support@shop.test>"
    assert await mailer.deliver() == 0 and len(handler.received) == 2  # once

    down = Mailer(redis, SmtpSettings(host="127.0.0.1", port=free_port(), timeout_s=2))  # nothing listens
    await outbox.add("maria.garcia@example.com", "transcript", "en", "c3", transcript="[..] You: hello")
    assert await down.deliver() == 0
    assert await mailer.deliver() == 1  # the server is back: the mail was kept
    assert handler.received[-1]["To"] == "maria.garcia@example.com"
    assert await redis.get(keys.MAIL_SENT) is not None
