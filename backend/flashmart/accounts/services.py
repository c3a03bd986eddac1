"""Account services: creating users and checking credentials. No GraphQL here."""

from __future__ import annotations

import asyncio

from tortoise.exceptions import IntegrityError

from flashmart.accounts.models import Role, User
from flashmart.accounts.passwords import hash_password, verify_password
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
MAX_EMAIL_LENGTH = 254


def normalize_email(email: str) -> str:
    return email.strip().lower()


def validate_credentials(email: str, password: str) -> list[DomainError]:
    errors: list[DomainError] = []
    local, at, domain = email.partition("@")
    if (
        not at
        or not local
        or "." not in domain
        or domain.startswith(".")
        or domain.endswith(".")
        or len(email) > MAX_EMAIL_LENGTH
        or any(c.isspace() for c in email)
        or not email.isascii()
    ):
        errors.append(DomainError(ErrorCode.INVALID, "Enter a valid email address", ("email",)))
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.append(
            DomainError(
                ErrorCode.PASSWORD_TOO_SHORT,
                f"Password must have at least {MIN_PASSWORD_LENGTH} characters",
                ("password",),
            )
        )
    elif len(password) > MAX_PASSWORD_LENGTH:
        errors.append(
            DomainError(
                ErrorCode.PASSWORD_TOO_LONG,
                f"Password must have at most {MAX_PASSWORD_LENGTH} characters",
                ("password",),
            )
        )
    elif password.strip().lower() == email:
        errors.append(
            DomainError(
                ErrorCode.PASSWORD_TOO_SIMILAR, "Password must differ from the email", ("password",)
            )
        )
    return errors


async def create_user(
    *, email: str, password: str, role: Role = Role.CUSTOMER, password_hash: str | None = None
) -> User:
    """Create a user or raise `DomainFailure`. `password_hash` lets bulk seeding reuse one hash."""
    email = normalize_email(email)
    errors = validate_credentials(email, password)
    if errors:
        raise DomainFailure(*errors)
    if password_hash is None:
        password_hash = await asyncio.to_thread(hash_password, password)
    try:
        return await User.create(email=email, password_hash=password_hash, role=role)
    except IntegrityError as exc:
        raise DomainFailure(
            DomainError(ErrorCode.EMAIL_TAKEN, "This email is already registered", ("email",))
        ) from exc


async def ensure_admin(*, email: str, password: str) -> tuple[User, bool]:
    """Create the admin, or promote and re-password an existing account. Returns (user, created)."""
    email = normalize_email(email)
    existing = await User.get_or_none(email=email)
    if existing is None:
        return await create_user(email=email, password=password, role=Role.ADMIN), True
    errors = validate_credentials(email, password)
    if errors:
        raise DomainFailure(*errors)
    existing.role = Role.ADMIN
    existing.is_active = True
    if not verify_password(existing.password_hash, password):
        existing.password_hash = await asyncio.to_thread(hash_password, password)
    await existing.save()
    return existing, False
