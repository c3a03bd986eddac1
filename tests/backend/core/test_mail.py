"""The mail module (core/mail.py): the development mailbox in the real Redis, and SMTP delivery
to a real SMTP server (aiosmtpd) or to a port where nothing listens."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from redis.asyncio import Redis

from flashmart.core.keys import Keys
from flashmart.core.mail import (
    DevMailbox,
    MailNotSent,
    Message,
    SmtpBackend,
    backend_for,
    send_mail,
)
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps what it received."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()  # type: ignore[no-untyped-call]
    try:
        yield port, inbox
    finally:
        controller.stop()  # type: ignore[no-untyped-call]


async def test_the_mailbox_keeps_the_newest_messages_first(redis: Redis, redis_prefix: str) -> None:
    mailbox = DevMailbox(redis, Keys(redis_prefix), size=3)
    for n in range(5):
        await mailbox.send(Message(to=f"u{n % 2}@example.com", subject=f"#{n}", text="hello"))
    assert [m.subject for m in await mailbox.messages(limit=10)] == ["#4", "#3", "#2"]
    assert [m.subject for m in await mailbox.messages(limit=10, to="u0@example.com")] == [
        "#4",
        "#2",
    ]
    assert [m.subject for m in await mailbox.messages(limit=1)] == ["#4"]
    assert await redis.ttl(Keys(redis_prefix).dev_mailbox) > 0


async def test_smtp_delivers_to_a_real_server(
    settings: Settings, smtp_server: tuple[int, Inbox]
) -> None:
    port, inbox = smtp_server
    smtp = settings.model_copy(
        update={
            "mail_backend": "smtp",
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_security": "none",
            "mail_from": "Shop <shop@example.com>",
        }
    )
    await SmtpBackend(smtp).send(
        Message(to="ada@example.com", subject="Hello", text="Open https://shop.example/x?token=a\n")
    )
    ((sender, recipients, content),) = inbox.received
    assert (sender, recipients) == ("shop@example.com", ["ada@example.com"])
    mail = message_from_bytes(content)
    assert mail["Subject"] == "Hello" and mail["To"] == "ada@example.com"
    assert "https://shop.example/x?token=a" in mail.get_payload(decode=True).decode()


async def test_a_backend_that_cannot_deliver_raises_mail_not_sent(
    settings: Settings, runtime: Runtime
) -> None:
    runtime.settings = settings.model_copy(
        update={
            "mail_backend": "smtp",
            "smtp_host": "127.0.0.1",
            "smtp_port": _free_port(),  # nothing listens
            "smtp_security": "none",
            "smtp_timeout_seconds": 2,
        }
    )
    assert isinstance(backend_for(runtime), SmtpBackend)
    with pytest.raises(MailNotSent):
        await send_mail(runtime, Message(to="ada@example.com", subject="x", text="y"))


# Production with the sandbox payment provider allowed (a staging stack): only the mail settings
# are under test.
PRODUCTION = {"env": "production", "allow_sandbox_payments": True}


def test_smtp_needs_a_host_and_production_verification_needs_smtp(settings: Settings) -> None:
    with pytest.raises(ValueError, match="SMTP_HOST"):
        Settings(**{**settings.model_dump(), "mail_backend": "smtp", "smtp_host": ""})
    with pytest.raises(ValueError, match="EMAIL_VERIFICATION in production"):
        Settings(**{**settings.model_dump(), **PRODUCTION, "email_verification": True})
    Settings(
        **{
            **settings.model_dump(),
            **PRODUCTION,
            "email_verification": True,
            "mail_backend": "smtp",
            "smtp_host": "mail.example.com",
        }
    )
