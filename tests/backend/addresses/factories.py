"""Addresses for tests: one valid mainland-China address, as fields and as GraphQL input."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from flashmart.addresses.services import Destination
from flashmart.addresses.validation import AddressFields

HOME = AddressFields(
    recipient="Li Lei",
    phone="13800138000",
    region="Zhejiang",
    city="Hangzhou",
    district="Xihu",
    street="18 Wensan Road",
    postcode="310012",
)
SHIP_HOME = Destination(written=HOME)


def address_input(**changes: str) -> dict[str, Any]:
    """HOME as an `AddressInput` variable, with `changes`."""
    return asdict(replace(HOME, **changes))
