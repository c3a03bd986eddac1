"""Value types shared by domains: money."""

from __future__ import annotations

from decimal import Decimal

import strawberry


@strawberry.type(description='An amount of money; `amount` is a decimal string such as "19.99".')
class Money:
    amount: Decimal
    currency: str
