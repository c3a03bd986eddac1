"""Opaque global ids (Relay): base64 of `TypeName:pk`.

Every integer primary key is a `BigIntField` (PostgreSQL `bigint`, SQLite `INTEGER`: signed
64-bit), and rows are numbered from 1: a key outside 1..MAX_PK names no row, and handed to
the database it is an overflow error, not an empty result. So a client's key is checked
here, as it is decoded (`parse_pk`), and refused with `BAD_USER_INPUT`: in `decode_id` (id
arguments), in every type's `resolve_nodes` (`node(id:)`), and in pagination cursors.
"""

from __future__ import annotations

from collections.abc import Iterable

from strawberry import relay

from flashmart.core.errors import bad_input
from flashmart.core.i18n import text

MAX_PK = 2**63 - 1  # bigint; tests/backend/graphql/test_input_limits.py checks the models
MAX_TICKET_ID = 40  # SeckillTicket's key column


def parse_pk(value: str, type_name: str) -> int:
    """The primary key written in `value` (ASCII digits, 1..MAX_PK), or `BAD_USER_INPUT`."""
    if not (value.isascii() and value.isdigit()) or len(value) > 19 or not 0 < int(value) <= MAX_PK:
        raise bad_input(text("Invalid {type} id", type=type_name))
    return int(value)


def node_pks(node_ids: Iterable[str], type_name: str) -> list[int]:
    """`parse_pk` of each id `node(id:)` and `nodes(ids:)` hand to a type's `resolve_nodes`."""
    return [parse_pk(node_id, type_name) for node_id in node_ids]


def decode_id(global_id: str, type_name: str) -> int:
    """The primary key inside `global_id`, or `BAD_USER_INPUT` when it is malformed, foreign or
    out of range."""
    try:
        parsed = relay.GlobalID.from_id(global_id)
    except (ValueError, TypeError) as exc:
        raise bad_input(text("Invalid {type} id", type=type_name)) from exc
    if parsed.type_name != type_name:
        raise bad_input(text("Invalid {type} id", type=type_name))
    return parse_pk(parsed.node_id, type_name)


def encode_id(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


def decode_ticket_id(global_id: str) -> str:
    """The ticket id (a string key, not a primary key) inside a `SeckillTicket` global id."""
    try:
        parsed = relay.GlobalID.from_id(global_id)
    except ValueError as exc:
        raise bad_input(text("Invalid {type} id", type="SeckillTicket")) from exc
    if parsed.type_name != "SeckillTicket" or len(parsed.node_id) > MAX_TICKET_ID:
        raise bad_input(text("Invalid {type} id", type="SeckillTicket"))
    return parsed.node_id
