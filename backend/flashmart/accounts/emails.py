"""The emails of the accounts domain, written as `core.mail.Message`s (sent by the services)."""

from __future__ import annotations

from urllib.parse import urlencode

from flashmart.core.mail import Message
from flashmart.core.settings import Settings

VERIFY_EMAIL_PATH = "/verify-email"  # the storefront page that reads `token` (frontend)


RESET_PASSWORD_PATH = "/reset-password"  # the storefront page that reads `token` (frontend)


def storefront_link(settings: Settings, path: str, token: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}{path}?{urlencode({'token': token})}"


def verification_link(settings: Settings, token: str) -> str:
    return storefront_link(settings, VERIFY_EMAIL_PATH, token)


def _hours(seconds: int) -> str:
    hours = max(1, seconds // 3600)
    return f"{hours} hour{'s' if hours != 1 else ''}"


def verification_email(settings: Settings, *, to: str, token: str) -> Message:
    link = verification_link(settings, token)
    text = (
        "Welcome to FlashMart!\n\n"
        "Please confirm that this is your email address by opening this link:\n\n"
        f"{link}\n\n"
        f"The link works once and expires in {_hours(settings.email_verification_ttl_seconds)}. "
        "Some flash sales are open only to shoppers with a verified email.\n\n"
        "If you did not create a FlashMart account, ignore this message.\n"
    )
    return Message(to=to, subject="Verify your email address for FlashMart", text=text)


def password_reset_email(settings: Settings, *, to: str, token: str) -> Message:
    link = storefront_link(settings, RESET_PASSWORD_PATH, token)
    minutes = max(1, settings.password_reset_ttl_seconds // 60)
    text = (
        "Someone (hopefully you) asked to reset the password of your FlashMart account.\n\n"
        "Choose a new password by opening this link:\n\n"
        f"{link}\n\n"
        f"The link works once and expires in {minutes} minutes. Setting a new password signs "
        "you out everywhere.\n\n"
        "If you did not ask for this, ignore this message: your password stays as it is.\n"
    )
    return Message(to=to, subject="Reset your FlashMart password", text=text)
