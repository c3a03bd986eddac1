"""The waiting room's draw, re-run in Python: anyone holding the published seed and the
window's entrants in arrival order gets the admission order draw.lua wrote.

The generator is Marsaglia's xorshift128 on 32-bit words, seeded with the four 8-hex-digit
groups of a 128-bit seed; `below(n)` takes uniform integers in [0, n) by rejection (no modulo
bias); the shuffle is Fisher-Yates from the last entry down. draw.lua documents the same steps.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
MASK = 0xFFFFFFFF
TWO32 = 1 << 32
SEED_HEX_DIGITS = 32


def new_seed() -> str:
    """A fresh 128-bit seed as 32 hex digits (never all zero: xorshift would stay at zero)."""
    while True:
        seed = secrets.token_hex(SEED_HEX_DIGITS // 2)
        if int(seed, 16):
            return seed


def check_seed(seed: str) -> None:
    if len(seed) != SEED_HEX_DIGITS or not int(seed, 16):
        raise ValueError("a draw seed is 32 hex digits, not all zero")


def xorshift128(seed: str) -> Iterator[int]:
    """The 32-bit outputs of xorshift128 seeded with `seed` (32 hex digits)."""
    check_seed(seed)
    x, y, z, w = (int(seed[i : i + 8], 16) for i in range(0, SEED_HEX_DIGITS, 8))
    while True:
        t = (x ^ (x << 11)) & MASK
        x, y, z = y, z, w
        w = (w ^ (w >> 19) ^ t ^ (t >> 8)) & MASK
        yield w


def shuffled(items: Sequence[T], seed: str) -> list[T]:
    """`items` (the window's entrants in arrival order) in the order the draw admits them."""
    order = list(items)
    outputs = xorshift128(seed)

    def below(n: int) -> int:
        limit = TWO32 - TWO32 % n
        value = next(outputs)
        while value >= limit:
            value = next(outputs)
        return value % n

    for i in range(len(order) - 1, 0, -1):
        j = below(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def admission_order(joined: Sequence[T], window: int, seed: str) -> list[T]:
    """Every entrant by position: the window's drawn, then the later joiners by arrival."""
    return [*shuffled(joined[:window], seed), *joined[window:]]
