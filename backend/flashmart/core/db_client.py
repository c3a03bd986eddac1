"""The PostgreSQL client FlashMart's processes run on: Tortoise's asyncpg client behind the
database's circuit breaker (core/breaker.py).

Named as the Tortoise `engine` by `core.db.init_db`. Every query, insert and transaction
statement goes through `_translate_exceptions` (Tortoise's one funnel for them): while the
breaker is open it is refused at once with `DatabaseUnavailable`; a failure to reach the
database (see `is_database_outage`) counts towards opening it and is raised as
`DatabaseUnavailable`; any other answer, even an error, counts as the database being up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionContext, TransactionContextPooled

from flashmart.core.breaker import DATABASE, is_database_outage


class _Guarded:
    async def _translate_exceptions(
        self, func: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any
    ) -> Any:
        breaker = DATABASE
        if not breaker.closed:
            breaker.admit()
        try:
            result = await super()._translate_exceptions(func, *args, **kwargs)  # type: ignore[misc]
        except Exception as exc:
            if is_database_outage(exc):
                raise breaker.tripped() from exc
            breaker.reached()
            raise
        breaker.reached()
        return result


class GuardedTransactionWrapper(_Guarded, TransactionWrapper):
    pass


class GuardedClient(_Guarded, AsyncpgDBClient):
    def _in_transaction(self) -> TransactionContext:
        # The transaction takes its pooled connection before its first statement: refuse while
        # open (the statement itself is the half-open trial).
        DATABASE.refuse_if_open()
        return TransactionContextPooled(GuardedTransactionWrapper(self), self._pool_init_lock)


client_class = GuardedClient
