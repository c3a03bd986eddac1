from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from flashmart.accounts import models
from flashmart.addresses import services as addresses
from flashmart.graphql.addresses.types import Address
from flashmart.graphql.context import Info
from flashmart.graphql.ids import node_pks

Role = strawberry.enum(models.Role, name="Role", description="What a user may do.")


@strawberry.type(description="A registered account.")
class User(relay.Node):
    id: relay.NodeID[int]
    email: str = strawberry.field(description="Login name; stored lower-case.")
    role: Role = strawberry.field(  # type: ignore[valid-type]
        description="`ADMIN` may use the admin operations; `CUSTOMER` shops."
    )
    is_active: bool = strawberry.field(
        description="False once an admin deactivated the account: it can no longer sign in."
    )
    created_at: datetime = strawberry.field(description="When the account was registered.")
    email_verified_at: datetime | None = strawberry.field(
        description="When the user proved the email is theirs (`accountVerifyEmail`); null: not yet"
    )
    display_name: str | None = strawberry.field(
        description="How the shopper likes to be called (`accountUpdate`); null: not given."
    )
    phone: str | None = strawberry.field(description="A contact phone number; null: not given.")

    @strawberry.field(
        description=(
            "True once the email is verified. Access tokens issued before carry the old state: "
            "`tokenRefresh` for one that says verified (flash sales may require it)."
        )
    )
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @strawberry.field(
        description="Your address book, the default first (empty on anyone else's account)."
    )
    async def addresses(self, info: Info) -> list[Address]:
        viewer = info.context.viewer
        if viewer is None or viewer.user_id != self.id:
            return []
        return [Address.from_model(a) for a in await addresses.addresses_of(self.id)]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            id=user.id,
            email=user.email,
            role=user.role,
            is_active=user.is_active,
            created_at=user.created_at,
            email_verified_at=user.email_verified_at,
            display_name=user.display_name or None,
            phone=user.phone or None,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[User | None]:
        viewer = info.context.viewer
        ids = node_pks(node_ids, "User")
        allowed = {i for i in ids if viewer and (viewer.is_admin or viewer.user_id == i)}
        found = {u.id: u for u in await models.User.filter(id__in=list(allowed))}
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.input(description="Narrow the admin list of users; every given condition must hold.")
class UserFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the email, case-insensitive."
    )
    role: Role | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only users with this role."
    )
    is_active: bool | None = strawberry.field(
        default=None, description="Only active (true) or deactivated (false) users."
    )
