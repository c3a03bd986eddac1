"""Relay connections over Tortoise querysets with keyset (cursor) pagination.

Cursors encode the primary key of the row, so pages stay stable while rows are inserted.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry
from tortoise.models import Model
from tortoise.queryset import QuerySet

from flashmart.core.errors import bad_input

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
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "pk":
            raise ValueError(kind)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise bad_input("Invalid cursor") from exc


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
        raise bad_input("Pass either `first` or `last`, not both")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            raise bad_input(f"`{name}` must be between 0 and {MAX_PAGE_SIZE}")
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
