"""Verified tokens' claims, kept so that the garbage collector stops walking them."""

from __future__ import annotations

import gc
import time

import pytest

from flashmart.accounts.models import Role
from flashmart.accounts.tokens import (
    AccessClaims,
    InvalidToken,
    VerifiedTokens,
    issue_access_token,
)

SECRET = "s" * 32


def test_kept_claims_are_untracked_by_the_collector_once_seen() -> None:
    tokens = VerifiedTokens()
    issued = [issue_access_token(user_id=i, role=Role.CUSTOMER, secret=SECRET) for i in range(50)]
    first = [tokens.decode(token, secret=SECRET) for token in issued]
    gc.collect()
    kept = list(tokens._claims.items())
    assert len(kept) == 50
    assert not any(gc.is_tracked(key) or gc.is_tracked(value) for key, value in kept)
    again = [tokens.decode(token, secret=SECRET) for token in issued]
    assert again == first and all(isinstance(c, AccessClaims) for c in again)
    assert [c.user_id for c in again] == list(range(50))


def test_a_kept_entry_past_its_expiry_is_not_used() -> None:
    tokens = VerifiedTokens()
    token = issue_access_token(user_id=7, role=Role.CUSTOMER, secret=SECRET)
    claims = tokens.decode(token, secret=SECRET)
    key = (token, SECRET)
    tokens._claims[key] = tuple(claims._replace(user_id=8, expires_at=int(time.time()) - 1))
    assert tokens.decode(token, secret=SECRET) == claims  # decoded again, not the stale entry
    assert tokens._claims[key] == tuple(claims)


def test_claims_are_bound_to_the_secret_they_were_checked_with() -> None:
    tokens = VerifiedTokens()
    token = issue_access_token(user_id=7, role=Role.CUSTOMER, secret=SECRET)
    assert tokens.decode(token, secret=SECRET).user_id == 7
    with pytest.raises(InvalidToken):
        tokens.decode(token, secret="t" * 32)
