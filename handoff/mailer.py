"""The mail relay: sends the outbox (``handoff.outbox``) through an SMTP server, when one is configured.

    SMTP_URL=smtp://user:password@mail.example.com:587?starttls=1   (or smtps://... for TLS at once)
    MAIL_FROM="Northwind Goods Support <support@northwind.example>"

Without ``SMTP_URL`` the outbox is only written (the shop's own mail system may read it). With it,
one bridge at a time (a lock in Redis) sends what came after the last mail sent, in order, and moves
its mark only after the server accepted a mail: a server that is down is tried again at the next
round, and nothing is sent twice by this relay (a mail accepted just before a crash, before the
mark moved, would be: SMTP gives no way to ask).
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from redis.asyncio import Redis

from handoff import keys

logger = logging.getLogger(__name__)

BATCH = 50
LOCK_S = 60


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send."""

    host: str
    port: int
    username: str = ""
    password: str = ""
    tls: bool = False  # TLS from the start (smtps)
    starttls: bool = False
    sender: str = "Northwind Goods Support <support@northwind.example>"
    timeout_s: float = 20.0

    @classmethod
    def parse(cls, url: str, sender: str | None = None) -> SmtpSettings:
        """``smtp://[user:password@]host[:port][?starttls=1]`` or ``smtps://...``."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:password@host:587?starttls=1 or smtps://host:465")
        query = parse_qs(parts.query)
        return cls(host=parts.hostname, port=parts.port or (465 if parts.scheme == "smtps" else 25),
                   username=unquote(parts.username or ""), password=unquote(parts.password or ""),
                   tls=parts.scheme == "smtps", starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
                   sender=sender or cls.sender)


def message(fields: dict[str, Any], sender: str) -> EmailMessage:
    """One outbox entry as an e-mail (UTF-8; its language said in ``Content-Language``)."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, str(fields["to"]), str(fields["subject"])
    mail["Date"], mail["Message-ID"] = formatdate(localtime=True), make_msgid(domain="northwind.example")
    mail.set_content(str(fields["body"]))
    mail["Content-Language"] = str(fields.get("language") or "en")  # after: set_content resets Content-*
    return mail


class Mailer:
    """Sends the outbox in order, from where it left off."""

    def __init__(self, redis: Redis, settings: SmtpSettings) -> None:
        self.redis, self.settings = redis, settings

    async def deliver(self) -> int:
        """Send what is waiting (up to ``BATCH``); returns how many the server accepted."""
        if not await self.redis.set(keys.MAIL_LOCK, "1", nx=True, ex=LOCK_S):
            return 0
        try:
            after = str(await self.redis.get(keys.MAIL_SENT) or "0-0")
            waiting = await self.redis.xrange(keys.OUTBOX, min=f"({after}", count=BATCH) or []
            sent = 0
            for entry_id, fields in waiting:
                entry = {str(k): v for k, v in (fields or {}).items()}
                try:
                    await asyncio.to_thread(self._send, message(entry, self.settings.sender))
                except (OSError, smtplib.SMTPException) as e:
                    logger.warning("mail %s not sent yet (tried again later): %s", entry_id, e)
                    break
                await self.redis.set(keys.MAIL_SENT, str(entry_id))
                sent += 1
            return sent
        finally:
            await self.redis.delete(keys.MAIL_LOCK)

    def _send(self, mail: EmailMessage) -> None:
        s = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP = (smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_s, context=context) if s.tls
                              else smtplib.SMTP(s.host, s.port, timeout=s.timeout_s))
        with smtp:
            if s.starttls:
                smtp.starttls(context=context)
            if s.username:
                smtp.login(s.username, s.password)
            smtp.send_message(mail)


async def watch_mail(mailer: Mailer, every_s: float) -> None:
    """Background task: send every ``every_s``; survive any one failure."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await mailer.deliver()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("mail relay failed")
