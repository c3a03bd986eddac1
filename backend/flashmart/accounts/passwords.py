"""Password hashing with Argon2id; the cost is a setting so tests and seeding stay fast.

Passwords are NFKC-normalised before hashing and verifying, so the same password typed on
different keyboards (composed or decomposed accents, full-width digits) hashes the same.
"""

from __future__ import annotations

import secrets
import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from flashmart.core.metrics import PASSWORD_HASHES

DEFAULT_TIME_COST = 2
DEFAULT_MEMORY_COST = 19_456  # KiB


@lru_cache(maxsize=4)
def hasher(
    time_cost: int = DEFAULT_TIME_COST, memory_cost: int = DEFAULT_MEMORY_COST
) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)


def _prepare(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def hash_password(
    password: str, *, time_cost: int = DEFAULT_TIME_COST, memory_cost: int = DEFAULT_MEMORY_COST
) -> str:
    PASSWORD_HASHES.labels("hash").inc()
    return hasher(time_cost, memory_cost).hash(_prepare(password))


def verify_password(password_hash: str, password: str) -> bool:
    """Check `password` against a hash of any cost (the parameters live in the hash)."""
    PASSWORD_HASHES.labels("verify").inc()
    try:
        return hasher().verify(password_hash, _prepare(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, *, time_cost: int, memory_cost: int) -> bool:
    """True when the hash was made with other parameters than the configured ones."""
    try:
        return hasher(time_cost, memory_cost).check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=4)
def dummy_hash(time_cost: int = DEFAULT_TIME_COST, memory_cost: int = DEFAULT_MEMORY_COST) -> str:
    """A hash of a random secret: logins for unknown emails verify against it to cost the same."""
    return hash_password(secrets.token_urlsafe(24), time_cost=time_cost, memory_cost=memory_cost)
