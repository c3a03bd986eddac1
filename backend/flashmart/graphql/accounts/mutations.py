"""Sign-up, sign-in, sessions, password change and the admin's user changes."""

from __future__ import annotations

from typing import Annotated

import strawberry

from flashmart.accounts import recovery, verification
from flashmart.accounts import services as accounts
from flashmart.graphql.accounts.types import Role, User
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError, UserErrorsExtension
from flashmart.graphql.ids import decode_id
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated


# --- inputs -----------------------------------------------------------------------------------
@strawberry.input(description="A new shopper account.")
class AccountRegisterInput:
    email: str = strawberry.field(description="A valid email address (ASCII); it is the login.")
    password: str = strawberry.field(
        description=(
            f"At least {accounts.MIN_PASSWORD_LENGTH} and at most "
            f"{accounts.MAX_PASSWORD_LENGTH} characters, not the email."
        )
    )


@strawberry.input(description="What an admin may change about a user; omitted fields stay.")
class UserUpdateInput:
    role: Role | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The new role."
    )
    is_active: bool | None = strawberry.field(
        default=None,
        description="False deactivates the account and ends its sessions; true restores it.",
    )


@strawberry.input(description="The signed-in user's profile; omitted fields stay, empty clears.")
class AccountUpdateInput:
    display_name: str | None = strawberry.field(
        default=None, description=f"At most {accounts.MAX_DISPLAY_NAME_LENGTH} characters."
    )
    phone: str | None = strawberry.field(
        default=None, description="Digits, spaces, dashes and brackets, optionally a leading +."
    )


# --- payloads ---------------------------------------------------------------------------------
@strawberry.type(description="Result of `accountRegister`.")
class AccountRegisterPayload:
    user: User | None = strawberry.field(description="The new account; null on errors.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was created.")


@strawberry.type(description="Result of `tokenCreate`: a new session.")
class TokenCreatePayload:
    access_token: str | None = strawberry.field(
        description="Short-lived JWT for `Authorization: Bearer …`."
    )
    refresh_token: str | None = strawberry.field(
        description="Opaque, single-use token for `tokenRefresh`; keep it secret."
    )
    user: User | None = strawberry.field(description="The signed-in user.")
    user_errors: list[UserError] = strawberry.field(description="Why signing in failed.")


@strawberry.type(description="Result of `tokenRefresh`: the next tokens of the session.")
class TokenRefreshPayload:
    access_token: str | None = strawberry.field(description="A new short-lived JWT.")
    refresh_token: str | None = strawberry.field(
        description="Replaces the refresh token you sent, which is now used up."
    )
    user_errors: list[UserError] = strawberry.field(
        description="`INVALID_TOKEN` when the token is unknown, expired, used or revoked."
    )


@strawberry.type(description="Result of `tokenRevoke`.")
class TokenRevokePayload:
    user_errors: list[UserError] = strawberry.field(
        description="`INVALID_TOKEN` when the token is unknown."
    )


@strawberry.type(description="Result of `passwordChange`.")
class PasswordChangePayload:
    user_errors: list[UserError] = strawberry.field(description="Why the password was kept.")


@strawberry.type(description="Result of `accountVerifyEmail`.")
class AccountVerifyEmailPayload:
    user: User | None = strawberry.field(
        description="The account, now verified; null on errors. Refresh the access token "
        "(`tokenRefresh`) so that it says so."
    )
    user_errors: list[UserError] = strawberry.field(
        description=(
            "`INVALID_TOKEN` (unknown, used, or replaced by a newer link) or `TOKEN_EXPIRED`."
        )
    )


@strawberry.type(description="Result of `accountVerifyEmailResend`.")
class AccountVerifyEmailResendPayload:
    user_errors: list[UserError] = strawberry.field(
        description="`INVALID_STATE` when the email is already verified."
    )


@strawberry.type(description="Result of `userUpdate`.")
class UserUpdatePayload:
    user: User | None = strawberry.field(description="The user as it is now; null on errors.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type(description="Result of `accountUpdate`.")
class AccountUpdatePayload:
    user: User | None = strawberry.field(description="The account as it is now; null on errors.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type(description="Result of `passwordResetRequest`: the same whatever the email.")
class PasswordResetRequestPayload:
    user_errors: list[UserError] = strawberry.field(description="Always empty.")


@strawberry.type(description="Result of `passwordResetConfirm`.")
class PasswordResetConfirmPayload:
    user_errors: list[UserError] = strawberry.field(
        description=(
            "`INVALID_TOKEN` (unknown, used or replaced by a newer link), `TOKEN_EXPIRED`, or "
            "the new password's problem (on `newPassword`)."
        )
    )


REFRESH_TOKEN_ARGUMENT = strawberry.argument(
    description="The latest refresh token of the session (from `tokenCreate` or `tokenRefresh`)."
)


# --- operations -------------------------------------------------------------------------------
@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        extensions=[UserErrorsExtension(under="input")],
        description=(
            "Create a shopper account. Sign in with `tokenCreate`. Too many sign-ups from one "
            "address, or in the whole shop, answer the top-level error `RATE_LIMITED` with "
            "`retryAfter`."
        ),
    )
    async def account_register(
        self,
        info: Info,
        input: Annotated[AccountRegisterInput, strawberry.argument(description="The account.")],
    ) -> AccountRegisterPayload:
        ctx = info.context
        user = await accounts.register(
            ctx.runtime, email=input.email, password=input.password, ip=ctx.client_ip
        )
        return AccountRegisterPayload(user=User.from_model(user), user_errors=[])

    @strawberry.mutation(
        extensions=[UserErrorsExtension()],
        description=(
            "Sign in: an access token and a refresh token. Wrong email or password both answer "
            "`INVALID_CREDENTIALS`; after repeated failures for an email from one address, "
            "attempts must wait (growing delays): the top-level error `RATE_LIMITED` with "
            "`retryAfter` seconds."
        ),
    )
    async def token_create(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The account's email, any case.")],
        password: Annotated[str, strawberry.argument(description="The account's password.")],
    ) -> TokenCreatePayload:
        ctx = info.context
        session = await accounts.login(
            ctx.runtime, email=email, password=password, ip=ctx.client_ip
        )
        return TokenCreatePayload(
            access_token=session.access_token,
            refresh_token=session.refresh_token,
            user=User.from_model(session.user),
            user_errors=[],
        )

    @strawberry.mutation(
        extensions=[UserErrorsExtension()],
        description=(
            "Trade a refresh token for new tokens. Each refresh token works once; using one "
            "again ends the whole session (every token from that sign-in)."
        ),
    )
    async def token_refresh(
        self, info: Info, refresh_token: Annotated[str, REFRESH_TOKEN_ARGUMENT]
    ) -> TokenRefreshPayload:
        session = await accounts.refresh(info.context.runtime, refresh_token=refresh_token)
        return TokenRefreshPayload(
            access_token=session.access_token, refresh_token=session.refresh_token, user_errors=[]
        )

    @strawberry.mutation(
        extensions=[UserErrorsExtension()],
        description="Sign out: end the session of this refresh token (its access token expires).",
    )
    async def token_revoke(
        self, refresh_token: Annotated[str, REFRESH_TOKEN_ARGUMENT]
    ) -> TokenRevokePayload:
        await accounts.revoke(refresh_token=refresh_token)
        return TokenRevokePayload(user_errors=[])

    @strawberry.mutation(
        extensions=[UserErrorsExtension()],
        description=(
            "Verify an email address with the token of the link we mailed (works signed in or "
            "not). Each link works once, until it expires or a newer one is sent."
        ),
    )
    async def account_verify_email(
        self,
        token: Annotated[str, strawberry.argument(description="The `token` of the mailed link.")],
    ) -> AccountVerifyEmailPayload:
        user = await verification.verify_email(token=token)
        return AccountVerifyEmailPayload(user=User.from_model(user), user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Mail the signed-in user a new verification link (earlier ones stop working). A "
            "few times an hour; more answer the top-level error `RATE_LIMITED` with `retryAfter`."
        ),
    )
    async def account_verify_email_resend(self, info: Info) -> AccountVerifyEmailResendPayload:
        ctx = info.context
        await verification.resend_verification(ctx.runtime, user_id=ctx.require_viewer().user_id)
        return AccountVerifyEmailResendPayload(user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Change the signed-in user's password. Every session and access token of the user "
            "ends, this one included: sign in again with the new password."
        ),
    )
    async def password_change(
        self,
        info: Info,
        old_password: Annotated[str, strawberry.argument(description="The current password.")],
        new_password: Annotated[
            str, strawberry.argument(description="The new password; same rules as sign-up.")
        ],
    ) -> PasswordChangePayload:
        ctx = info.context
        await accounts.change_password(
            ctx.runtime,
            user_id=ctx.require_viewer().user_id,
            old_password=old_password,
            new_password=new_password,
            ip=ctx.client_ip,
        )
        return PasswordChangePayload(user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "Change a user's role or deactivate / reactivate them (admins only). The user's "
            "current access tokens stop working on their next request."
        ),
    )
    async def user_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The user's global id.")],
        input: Annotated[UserUpdateInput, strawberry.argument(description="What to change.")],
    ) -> UserUpdatePayload:
        ctx = info.context
        user = await accounts.update_user(
            ctx.runtime,
            actor_id=ctx.require_viewer().user_id,
            user_id=decode_id(id, "User"),
            role=input.role,
            is_active=input.is_active,
        )
        return UserUpdatePayload(user=User.from_model(user), user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description="Change the signed-in user's display name and phone.",
    )
    async def account_update(
        self,
        info: Info,
        input: Annotated[AccountUpdateInput, strawberry.argument(description="What to change.")],
    ) -> AccountUpdatePayload:
        user = await accounts.update_profile(
            user_id=info.context.require_viewer().user_id,
            display_name=input.display_name,
            phone=input.phone,
        )
        return AccountUpdatePayload(user=User.from_model(user), user_errors=[])

    @strawberry.mutation(
        extensions=[UserErrorsExtension()],
        description=(
            "Mail a one-time password reset link to this email if an account has it. The answer "
            "is the same either way; too many requests from one address or for one email answer "
            "the top-level error `RATE_LIMITED` with `retryAfter`."
        ),
    )
    async def password_reset_request(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The account's email, any case.")],
    ) -> PasswordResetRequestPayload:
        ctx = info.context
        await recovery.request_reset(ctx.runtime, email=email, ip=ctx.client_ip)
        return PasswordResetRequestPayload(user_errors=[])

    @strawberry.mutation(
        extensions=[UserErrorsExtension()],
        description=(
            "Set a new password with the token of a reset link. The link works once; every "
            "session of the account ends: sign in with the new password."
        ),
    )
    async def password_reset_confirm(
        self,
        info: Info,
        token: Annotated[str, strawberry.argument(description="The `token` of the mailed link.")],
        new_password: Annotated[
            str, strawberry.argument(description="The new password; same rules as sign-up.")
        ],
    ) -> PasswordResetConfirmPayload:
        await recovery.confirm_reset(info.context.runtime, token=token, new_password=new_password)
        return PasswordResetConfirmPayload(user_errors=[])
