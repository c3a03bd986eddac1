from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    CUSTOMER = "CUSTOMER"
    ADMIN = "ADMIN"


class User(Model):
    id = fields.BigIntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=255)
    role = fields.CharEnumField(Role, max_length=16, default=Role.CUSTOMER)
    is_active = fields.BooleanField(default=True)
    # Access tokens issued before this instant are refused (password change, role change,
    # deactivation). Cached in Redis per user; see flashmart.accounts.revocation.
    tokens_valid_after = fields.DatetimeField(null=True)
    # When the user proved the email is theirs (accounts/verification.py); null: not yet.
    # Access tokens carry it as the `ev` claim (accounts/tokens.py).
    email_verified_at = fields.DatetimeField(null=True)
    # The shopper's profile (`accountUpdate`); empty: not given.
    display_name = fields.CharField(max_length=80, default="")
    phone = fields.CharField(max_length=32, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "accounts_user"


class RefreshToken(Model):
    """An opaque refresh token, stored hashed; tokens of one login share a family."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    family = fields.CharField(max_length=32, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts_refresh_token"


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "VERIFY_EMAIL"
    PASSWORD_RESET = "PASSWORD_RESET"


class AccountToken(Model):
    """A one-time token mailed to a user (the link in a verification email): stored as SHA-256
    only, expiring at `expires_at`, used up at `used_at`. Another purpose (a password reset)
    adds a `TokenPurpose`."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="account_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    purpose = fields.CharEnumField(TokenPurpose, max_length=16)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts_token"
        indexes = (("user", "purpose"),)
