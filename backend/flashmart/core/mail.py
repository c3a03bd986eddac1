"""Outgoing mail: a `Message`, the backends that deliver it, and the development mailbox.

A service writes its message (accounts/emails.py writes the verification email; a password
reset is written the same way) and calls `send_mail(runtime, message)`, which delivers it with
the backend MAIL_BACKEND names:

- `mailbox` (the default, for development): the message is kept in Redis
  (`Keys.dev_mailbox`, newest first, the last DEV_MAILBOX_SIZE for a week) and shown by the
  storefront's `/dev/mailbox` page through the GraphQL field `devMailbox`, which answers only
  while ENV=development. Production refuses to start with it while EMAIL_VERIFICATION is on.
- `smtp`: handed to the SMTP server at SMTP_HOST:SMTP_PORT (STARTTLS, TLS or plain, with
  optional login), from MAIL_FROM.

`send_mail` raises `MailNotSent` when the backend could not take the message.
"""

from __future__ import annotations

import asyncio
import json
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from flashmart.core.keys import Keys
from flashmart.core.settings import Settings

MAILBOX_TTL_SECONDS = 7 * 86_400


class MailNotSent(Exception):
    """The backend did not take the message (SMTP server unreachable or refusing, Redis down)."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str  # plain text; links written out in full


@dataclass(frozen=True)
class StoredMessage:
    """A message as the development mailbox keeps it."""

    id: str
    to: str
    subject: str
    text: str
    sent_at: datetime


class MailBackend(Protocol):
    async def send(self, message: Message) -> None: ...


class HasMailDeps(Protocol):
    """What `send_mail` needs from the process (the `Runtime`)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def redis(self) -> Redis: ...

    @property
    def keys(self) -> Keys: ...


class DevMailbox:
    """Messages kept in Redis for the development mailbox page, shared by every process."""

    def __init__(self, redis: Redis, keys: Keys, *, size: int) -> None:
        self.redis = redis
        self.key = keys.dev_mailbox
        self.size = size

    async def send(self, message: Message) -> None:
        stored = {
            "id": uuid.uuid4().hex,
            "to": message.to,
            "subject": message.subject,
            "text": message.text,
            "sentAt": datetime.now(UTC).isoformat(),
        }
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.lpush(self.key, json.dumps(stored))
                pipe.ltrim(self.key, 0, self.size - 1)
                pipe.expire(self.key, MAILBOX_TTL_SECONDS)
                await pipe.execute()
        except RedisError as exc:
            raise MailNotSent("the development mailbox is unavailable") from exc

    async def messages(self, *, limit: int, to: str | None = None) -> list[StoredMessage]:
        """The newest `limit` messages (to `to` only, when given), newest first."""
        raw = await self.redis.lrange(self.key, 0, self.size - 1)  # type: ignore[misc]
        found: list[StoredMessage] = []
        for item in raw:
            data = json.loads(item)
            if to is not None and data["to"] != to:
                continue
            found.append(
                StoredMessage(
                    id=data["id"],
                    to=data["to"],
                    subject=data["subject"],
                    text=data["text"],
                    sent_at=datetime.fromisoformat(data["sentAt"]),
                )
            )
            if len(found) >= limit:
                break
        return found


class SmtpBackend:
    """Hands messages to an SMTP server (the standard library's client, in a thread)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: Message) -> None:
        try:
            await asyncio.to_thread(self._send, message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailNotSent(f"the SMTP server did not take the message: {exc}") from exc

    def _send(self, message: Message) -> None:
        s = self.settings
        email = EmailMessage()
        email["From"] = s.mail_from
        email["To"] = message.to
        email["Subject"] = message.subject
        email.set_content(message.text)
        timeout = s.smtp_timeout_seconds
        if s.smtp_security == "tls":
            context = ssl.create_default_context()
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=timeout, context=context
            )
        else:
            client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=timeout)
        with client:
            if s.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if s.smtp_username:
                client.login(s.smtp_username, s.smtp_password)
            client.send_message(email)


def dev_mailbox(deps: HasMailDeps) -> DevMailbox:
    return DevMailbox(deps.redis, deps.keys, size=deps.settings.dev_mailbox_size)


def backend_for(deps: HasMailDeps) -> MailBackend:
    if deps.settings.mail_backend == "smtp":
        return SmtpBackend(deps.settings)
    return dev_mailbox(deps)


async def send_mail(deps: HasMailDeps, message: Message) -> None:
    """Deliver `message` with MAIL_BACKEND; `MailNotSent` when it could not be handed over."""
    await backend_for(deps).send(message)
