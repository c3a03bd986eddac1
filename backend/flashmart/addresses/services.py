"""The address book: create, update, delete and choose the default, one user's at a time.
No GraphQL here.

Every write runs in one transaction that first locks the owner's user row, so one user's
concurrent writes are decided one after the other: the first address becomes the default,
there is never more than one default, and the cap (`ADDRESS_MAX_PER_USER`) holds. Another
user's address answers NOT_FOUND, exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from tortoise.transactions import in_transaction

from flashmart.accounts.models import User
from flashmart.addresses.models import Address
from flashmart.addresses.validation import AddressFields, AddressFormat, clean_address
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import text
from flashmart.core.settings import Settings

FIELD_NAMES = tuple(f.name for f in fields(AddressFields))


def _not_found(field: str = "id") -> DomainFailure:
    return DomainFailure(DomainError(ErrorCode.NOT_FOUND, text("No such address"), (field,)))


def fields_of(address: Address) -> AddressFields:
    return AddressFields(**{name: getattr(address, name) for name in FIELD_NAMES})


async def addresses_of(user_id: int) -> list[Address]:
    """The user's book: the default first, then oldest first."""
    return await Address.filter(user_id=user_id).order_by("-is_default", "id")


async def address_of(*, user_id: int, address_id: int, field: str = "id") -> Address:
    """The user's own address, or NOT_FOUND (also for someone else's)."""
    found = await Address.get_or_none(id=address_id, user_id=user_id)
    if found is None:
        raise _not_found(field)
    return found


async def chosen_address(*, user_id: int, address_id: int | None) -> Address | None:
    """The user's address `address_id`, or without one their default; None if there is none
    (also for someone else's address)."""
    if address_id is not None:
        return await Address.get_or_none(id=address_id, user_id=user_id)
    return await Address.get_or_none(user_id=user_id, is_default=True)


async def _lock_owner(user_id: int) -> None:
    await User.select_for_update().filter(id=user_id).only("id").first()


async def create_address(
    *,
    user_id: int,
    data: AddressFields,
    make_default: bool = False,
    address_format: AddressFormat,
    maximum: int,
) -> Address:
    clean = clean_address(data, address_format=address_format)
    async with in_transaction():
        await _lock_owner(user_id)
        count = await Address.filter(user_id=user_id).count()
        if count >= maximum:
            raise DomainFailure(
                DomainError(
                    ErrorCode.LIMIT_EXCEEDED,
                    text("Your address book holds at most {maximum} addresses", maximum=maximum),
                )
            )
        default = make_default or count == 0
        if default:
            await Address.filter(user_id=user_id, is_default=True).update(is_default=False)
        address = Address(user_id=user_id, is_default=default)
        address.update_from_dict(clean.snapshot())
        await address.save()
        return address


async def update_address(
    *,
    user_id: int,
    address_id: int,
    data: AddressFields,
    address_format: AddressFormat,
) -> Address:
    clean = clean_address(data, address_format=address_format)
    async with in_transaction():
        await _lock_owner(user_id)
        address = await address_of(user_id=user_id, address_id=address_id)
        address.update_from_dict(clean.snapshot())
        await address.save()
    return address


async def set_default_address(*, user_id: int, address_id: int) -> Address:
    async with in_transaction():
        await _lock_owner(user_id)
        address = await address_of(user_id=user_id, address_id=address_id)
        await (
            Address.filter(user_id=user_id, is_default=True)
            .exclude(id=address_id)
            .update(is_default=False)
        )
        if not address.is_default:
            address.is_default = True
            await address.save(update_fields=["is_default", "updated_at"])
    return address


async def delete_address(*, user_id: int, address_id: int) -> Address:
    """Delete the address (returned, without its row); when it was the default, the oldest
    remaining one becomes the default."""
    async with in_transaction():
        await _lock_owner(user_id)
        address = await address_of(user_id=user_id, address_id=address_id)
        await address.delete()
        if address.is_default:
            heir = await Address.filter(user_id=user_id).order_by("id").first()
            if heir is not None:
                heir.is_default = True
                await heir.save(update_fields=["is_default", "updated_at"])
    return address


# --- where an order ships -------------------------------------------------------------------
@dataclass(frozen=True)
class Destination:
    """Where a new order ships, as the shopper chose it: an address of their book
    (`address_id`), or one written at checkout (`written`, added to the book when `save`)."""

    address_id: int | None = None
    written: AddressFields | None = None
    save: bool = False


async def destination_snapshot(
    destination: Destination, *, user_id: int, settings: Settings
) -> dict[str, str]:
    """The address to copy onto the order; errors name `addressId` or `address.<field>`."""
    address_format, maximum = settings.address_format, settings.address_max_per_user
    if destination.address_id is not None:
        chosen = await address_of(
            user_id=user_id, address_id=destination.address_id, field="addressId"
        )
        return fields_of(chosen).snapshot()
    if destination.written is None:
        raise DomainFailure(
            DomainError(ErrorCode.ADDRESS_REQUIRED, text("Choose where to ship"), ("addressId",))
        )
    try:
        if destination.save:
            saved = await create_address(
                user_id=user_id,
                data=destination.written,
                address_format=address_format,
                maximum=maximum,
            )
            return fields_of(saved).snapshot()
        return clean_address(destination.written, address_format=address_format).snapshot()
    except DomainFailure as failure:
        raise DomainFailure(
            *(DomainError(e.code, e.message, ("address", *(e.field or ()))) for e in failure.errors)
        ) from None
