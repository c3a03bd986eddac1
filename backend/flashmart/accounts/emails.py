"""The emails of the accounts domain, written as `core.mail.Message`s (sent by the services)."""

from __future__ import annotations

from urllib.parse import urlencode

from flashmart.core.mail import Message
from flashmart.core.settings import Settings

VERIFY_EMAIL_PATH = "/verify-email"  # the storefront page that reads `token` (frontend)


def verification_link(settings: Settings, token: str) -> str:
    return (
        f"{settings.public_base_url.rstrip('/')}{VERIFY_EMAIL_PATH}?{urlencode({'token': token})}"
    )


def verification_email(settings: Settings, *, to: str, token: str) -> Message:
    hours = max(1, settings.email_verification_ttl_seconds // 3600)
    link = verification_link(settings, token)
    text = (
        "Welcome to FlashMart!\n\n"
        "Please confirm that this is your email address by opening this link:\n\n"
        f"{link}\n\n"
        f"The link works once and expires in {hours} hour{'s' if hours != 1 else ''}. "
        "Some flash sales are open only to shoppers with a verified email.\n\n"
        "If you did not create a FlashMart account, ignore this message.\n"
    )
    return Message(to=to, subject="Verify your email address for FlashMart", text=text)
