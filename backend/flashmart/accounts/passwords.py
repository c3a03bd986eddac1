"""Password hashing with Argon2id; the cost is a setting so tests and seeding stay fast."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@lru_cache(maxsize=4)
def hasher(time_cost: int = 2, memory_cost: int = 19_456) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)


def hash_password(password: str, *, time_cost: int = 2, memory_cost: int = 19_456) -> str:
    return hasher(time_cost, memory_cost).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
