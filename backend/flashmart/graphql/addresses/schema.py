"""The address book: one query and four mutations, all for the signed-in shopper."""

from __future__ import annotations

import strawberry

from flashmart.addresses import models, services
from flashmart.graphql.addresses.types import Address, AddressInput
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError, UserErrorsExtension
from flashmart.graphql.ids import decode_id
from flashmart.graphql.permissions import IsAuthenticated


@strawberry.type(description="The address changed, your book after the change, or why not.")
class AddressPayload:
    address: Address | None
    addresses: list[Address] | None = strawberry.field(
        description="Your whole book after the change (the default first)."
    )
    user_errors: list[UserError]


async def _payload(user_id: int, address: models.Address) -> AddressPayload:
    book = await services.addresses_of(user_id)
    return AddressPayload(
        address=Address.from_model(next((a for a in book if a.id == address.id), address)),
        addresses=[Address.from_model(a) for a in book],
        user_errors=[],
    )


@strawberry.type
class AddressQueries:
    @strawberry.field(
        permission_classes=[IsAuthenticated], description="Your address book, the default first."
    )
    async def addresses(self, info: Info) -> list[Address]:
        book = await services.addresses_of(info.context.require_viewer().user_id)
        return [Address.from_model(a) for a in book]


@strawberry.type
class AddressMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension(under="input")],
        description=(
            "Add an address to your book. The first one (or one with isDefault) becomes the "
            "default; the book holds at most ADDRESS_MAX_PER_USER (LIMIT_EXCEEDED)."
        ),
    )
    async def address_create(
        self, info: Info, input: AddressInput, is_default: bool = False
    ) -> AddressPayload:
        user_id = info.context.require_viewer().user_id
        settings = info.context.settings
        created = await services.create_address(
            user_id=user_id,
            data=input.to_fields(),
            make_default=is_default,
            address_format=settings.address_format,
            maximum=settings.address_max_per_user,
        )
        return await _payload(user_id, created)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension(under="input")],
        description="Rewrite one of your addresses (orders keep the copy they were placed with).",
    )
    async def address_update(
        self, info: Info, id: strawberry.ID, input: AddressInput
    ) -> AddressPayload:
        user_id = info.context.require_viewer().user_id
        updated = await services.update_address(
            user_id=user_id,
            address_id=decode_id(id, "Address"),
            data=input.to_fields(),
            address_format=info.context.settings.address_format,
        )
        return await _payload(user_id, updated)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description="Make one of your addresses the default (the previous default stops being it).",
    )
    async def address_set_default(self, info: Info, id: strawberry.ID) -> AddressPayload:
        user_id = info.context.require_viewer().user_id
        chosen = await services.set_default_address(
            user_id=user_id, address_id=decode_id(id, "Address")
        )
        return await _payload(user_id, chosen)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Delete one of your addresses; `address` is the deleted one. When it was the "
            "default, your oldest remaining address becomes the default."
        ),
    )
    async def address_delete(self, info: Info, id: strawberry.ID) -> AddressPayload:
        user_id = info.context.require_viewer().user_id
        deleted = await services.delete_address(
            user_id=user_id, address_id=decode_id(id, "Address")
        )
        return await _payload(user_id, deleted)
