from __future__ import annotations

import strawberry

from flashmart.accounts.models import User as UserModel
from flashmart.graphql.accounts.types import User
from flashmart.graphql.context import Info


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The signed-in user, or null for anonymous requests.")
    async def me(self, info: Info) -> User | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        user = await UserModel.get_or_none(id=viewer.user_id, is_active=True)
        return User.from_model(user) if user else None
