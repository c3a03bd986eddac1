"""Relay connections over Tortoise querysets with keyset (cursor) pagination.

Cursors encode the primary key of the row, so pages stay stable while rows are inserted.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

import strawberry
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from flashmart.core.errors import ApiError, bad_input
from flashmart.core.i18n import text
from flashmart.graphql.ids import MAX_PK, parse_pk

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

NodeT = TypeVar("NodeT")
ModelT = TypeVar("ModelT", bound=Model)


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"pk:{pk}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The primary key in a cursor, or `BAD_USER_INPUT` (also for one out of range: ids.py)."""
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "pk":
            raise ValueError(kind)
        return parse_pk(value, "cursor")
    except (ValueError, binascii.Error, UnicodeDecodeError, ApiError) as exc:
        raise bad_input(text("Invalid cursor")) from exc


async def paginate(
    queryset: QuerySet[ModelT],
    convert: Callable[[ModelT], NodeT],
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[NodeT]:
    """Slice `queryset` (ordered by primary key) into a Relay connection."""
    if first is not None and last is not None:
        raise bad_input(text("Pass either `first` or `last`, not both"))
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            raise bad_input(
                text("`{name}` must be between 0 and {maximum}", name=name, maximum=MAX_PAGE_SIZE)
            )
    total = await queryset.count()
    window = queryset
    if after is not None:
        window = window.filter(id__gt=decode_cursor(after))
    if before is not None:
        window = window.filter(id__lt=decode_cursor(before))
    backwards = last is not None
    size = last if backwards else first
    if size is None:
        size = DEFAULT_PAGE_SIZE
    rows = list(await window.order_by("-id" if backwards else "id").limit(size + 1))
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    edges = [Edge(cursor=encode_cursor(row.pk), node=convert(row)) for row in rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_more if not backwards else before is not None,
            has_previous_page=has_more if backwards else after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


# --- keyset pagination over any order (catalog listings) ------------------------------------
# The cursor holds the sort key values of its row plus the primary key (the last key of every
# order), so "after this row" stays exact while rows are inserted or deleted around it.


def _encode_value(value: object) -> object:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot put a {type(value).__name__} into a cursor")


def _decode_value(raw: object) -> object:
    if isinstance(raw, dict):
        if set(raw) == {"dt"}:
            return datetime.fromisoformat(str(raw["dt"]))
        if set(raw) == {"dec"}:
            return Decimal(str(raw["dec"]))
        raise ValueError("unknown cursor value")
    return raw


def _order_keys(order: Sequence[str]) -> list[tuple[str, bool]]:
    """("-price", "-id") → [("price", True), ("id", True)] (name, descending)."""
    return [(key.removeprefix("-"), key.startswith("-")) for key in order]


def encode_keyset_cursor(row: Model, order: Sequence[str], sort: str) -> str:
    values = [_encode_value(getattr(row, name)) for name, _ in _order_keys(order)]
    raw = json.dumps({"s": sort, "v": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_keyset_cursor(cursor: str, order: Sequence[str], sort: str) -> list[object]:
    """The key values in a cursor, or `BAD_USER_INPUT`: the last (the primary key) must be a
    key in range (ids.py), other numbers finite and integers within 64 bits, as the database
    compares them."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(data, dict) or data.get("s") != sort:
            raise ValueError("cursor of another order")
        values = data.get("v")
        if not isinstance(values, list) or len(values) != len(order):
            raise ValueError("cursor of another shape")
        decoded = [_decode_value(v) for v in values]
        pk = decoded[-1] if decoded else None
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk <= MAX_PK:
            raise ValueError("no primary key")
        for value in decoded:
            _check_number(value)
        return decoded
    except (ValueError, TypeError, ArithmeticError, RecursionError, binascii.Error) as exc:
        raise bad_input(text("Invalid cursor")) from exc


def _check_number(value: object) -> None:
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError("integer out of range")
    if isinstance(value, (float, Decimal)) and not math.isfinite(value):
        raise ValueError("not a finite number")


def _beyond(order: Sequence[str], values: Sequence[object], *, forward: bool) -> Q:
    """Rows strictly after (`forward`) or before the row whose key values are `values`."""
    keys = _order_keys(order)
    alternatives = []
    for i, (name, descending) in enumerate(keys):
        greater = descending != forward  # the wanted rows have greater values of this key
        conditions: dict[str, Any] = {keys[j][0]: values[j] for j in range(i)}
        conditions[f"{name}__{'gt' if greater else 'lt'}"] = values[i]
        alternatives.append(Q(**conditions))
    return Q(*alternatives, join_type=Q.OR)


def connection_from_rows(
    rows: Sequence[ModelT],
    convert: Callable[[ModelT], NodeT],
    *,
    order: Sequence[str],
    sort: str,
    has_next_page: bool,
    has_previous_page: bool,
    total_count: int,
) -> Connection[NodeT]:
    """A connection over rows already fetched in `order` (e.g. a cached first page)."""
    edges = [Edge(cursor=encode_keyset_cursor(row, order, sort), node=convert(row)) for row in rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next_page,
            has_previous_page=has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total_count,
    )


async def paginate_keyset(
    queryset: QuerySet[ModelT],
    convert: Callable[[ModelT], NodeT],
    *,
    order: Sequence[str],
    sort: str,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[NodeT]:
    """Like `paginate`, for any `order` whose last key is unique (normally the primary key).

    `sort` names the order inside cursors: a cursor minted under another order is refused.
    Keys may be model fields or annotations of `queryset`; none may be NULL.
    """
    if first is not None and last is not None:
        raise bad_input(text("Pass either `first` or `last`, not both"))
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            raise bad_input(
                text("`{name}` must be between 0 and {maximum}", name=name, maximum=MAX_PAGE_SIZE)
            )
    window = queryset
    if after is not None:
        window = window.filter(
            _beyond(order, decode_keyset_cursor(after, order, sort), forward=True)
        )
    if before is not None:
        values = decode_keyset_cursor(before, order, sort)
        window = window.filter(_beyond(order, values, forward=False))
    backwards = last is not None
    size = last if backwards else first
    if size is None:
        size = DEFAULT_PAGE_SIZE
    reverse = [key.removeprefix("-") if key.startswith("-") else f"-{key}" for key in order]
    total = await queryset.count()
    rows = list(await window.order_by(*(reverse if backwards else order)).limit(size + 1))
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return connection_from_rows(
        rows,
        convert,
        order=order,
        sort=sort,
        has_next_page=has_more if not backwards else before is not None,
        has_previous_page=has_more if backwards else after is not None,
        total_count=total,
    )
