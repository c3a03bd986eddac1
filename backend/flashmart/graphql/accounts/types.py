from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry import relay

from flashmart.accounts import models
from flashmart.graphql.context import Info

Role = strawberry.enum(models.Role, name="Role", description="What a user may do.")


@strawberry.type(description="A registered account.")
class User(relay.Node):
    id: relay.NodeID[int]
    email: str
    role: Role  # type: ignore[valid-type]
    is_active: bool

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(id=user.id, email=user.email, role=user.role, is_active=user.is_active)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[User | None]:
        viewer = info.context.viewer
        ids = [int(i) for i in node_ids]
        allowed = {i for i in ids if viewer and (viewer.is_admin or viewer.user_id == i)}
        found = {u.id: u for u in await models.User.filter(id__in=list(allowed))}
        return [cls.from_model(found[i]) if i in found else None for i in ids]
