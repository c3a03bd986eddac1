from __future__ import annotations

from typing import Annotated

import strawberry

from flashmart.accounts import services as accounts
from flashmart.accounts.models import User as UserModel
from flashmart.graphql.accounts.types import User, UserFilter
from flashmart.graphql.context import Info
from flashmart.graphql.pagination import Connection, paginate
from flashmart.graphql.permissions import IsAdmin


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The signed-in user, or null for anonymous requests.")
    async def me(self, info: Info) -> User | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        user = await UserModel.get_or_none(id=viewer.user_id, is_active=True)
        return User.from_model(user) if user else None

    @strawberry.field(
        description=(
            "Whether signing up mails a verification link (EMAIL_VERIFICATION). Either way a "
            "signed-in shopper may ask for one with `accountVerifyEmailResend`."
        )
    )
    def email_verification_enabled(self, info: Info) -> bool:
        return info.context.settings.email_verification

    @strawberry.field(
        permission_classes=[IsAdmin], description="Every account, oldest first (admins only)."
    )
    async def users(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="Page size, from the start.")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor to start after.")
        ] = None,
        last: Annotated[
            int | None, strawberry.argument(description="Page size, from the end.")
        ] = None,
        before: Annotated[
            str | None, strawberry.argument(description="Cursor to end before.")
        ] = None,
        filter: Annotated[UserFilter | None, strawberry.argument(description="Conditions.")] = None,
    ) -> Connection[User]:
        f = filter or UserFilter()
        queryset = accounts.search_users(search=f.search, role=f.role, is_active=f.is_active)
        return await paginate(
            queryset, User.from_model, first=first, after=after, last=last, before=before
        )
