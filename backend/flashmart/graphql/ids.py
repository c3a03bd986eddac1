"""Opaque global ids (Relay): base64 of `TypeName:pk`."""

from __future__ import annotations

from strawberry import relay

from flashmart.core.errors import bad_input


def decode_id(global_id: str, type_name: str) -> int:
    """The primary key inside `global_id`, or `BAD_USER_INPUT` when it is malformed or foreign."""
    try:
        parsed = relay.GlobalID.from_id(global_id)
        if parsed.type_name != type_name:
            raise ValueError(parsed.type_name)
        return int(parsed.node_id)
    except (ValueError, TypeError) as exc:
        raise bad_input(f"Invalid {type_name} id") from exc


def encode_id(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


def decode_ticket_id(global_id: str) -> str:
    """The ticket id (a string key, not a primary key) inside a `SeckillTicket` global id."""
    try:
        parsed = relay.GlobalID.from_id(global_id)
    except ValueError as exc:
        raise bad_input("Invalid SeckillTicket id") from exc
    if parsed.type_name != "SeckillTicket":
        raise bad_input("Invalid SeckillTicket id")
    return parsed.node_id
