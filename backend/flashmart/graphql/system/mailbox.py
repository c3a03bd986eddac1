"""The development mailbox: what the `mailbox` mail backend kept (core/mail.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from flashmart.core.errors import forbidden
from flashmart.core.mail import StoredMessage, dev_mailbox
from flashmart.core.settings import Environment
from flashmart.graphql.context import Info

MAX_MESSAGES = 100


@strawberry.type(description="A message the development mail backend kept instead of sending.")
class DevMail:
    id: strawberry.ID
    to: str = strawberry.field(description="The recipient's address.")
    subject: str
    text: str = strawberry.field(description="The plain-text body; links are written in full.")
    sent_at: datetime

    @classmethod
    def from_stored(cls, message: StoredMessage) -> DevMail:
        return cls(
            id=strawberry.ID(message.id),
            to=message.to,
            subject=message.subject,
            text=message.text,
            sent_at=message.sent_at,
        )


@strawberry.type
class MailboxQueries:
    @strawberry.field(
        description=(
            "Development only: the newest messages the `mailbox` mail backend kept, newest "
            "first. Outside ENV=development the top-level error `FORBIDDEN`."
        )
    )
    async def dev_mailbox(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description=f"How many, 1 to {MAX_MESSAGES}.")
        ] = 20,
        to: Annotated[
            str | None, strawberry.argument(description="Only messages to this address.")
        ] = None,
    ) -> list[DevMail]:
        runtime = info.context.runtime
        if runtime.settings.env is not Environment.DEVELOPMENT:
            raise forbidden("The development mailbox exists only in development")
        limit = max(1, min(first, MAX_MESSAGES))
        recipient = to.strip().lower() if to else None
        messages = await dev_mailbox(runtime).messages(limit=limit, to=recipient)
        return [DevMail.from_stored(m) for m in messages]
