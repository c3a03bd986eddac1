"""arq jobs of the accounts domain: keeping Redis's record of revoked tokens complete."""

from __future__ import annotations

from typing import Any

from flashmart.accounts import revocation
from flashmart.core.runtime import deps


async def sync_token_stamps(ctx: dict[str, Any]) -> int:
    """Rewrite recent revocations into Redis and mark them complete (a cron; idempotent).

    Returns how many stamps changed: after a Redis data loss, the recently revoked users.
    """
    return await revocation.sync_stamps(deps(ctx))
