from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry import relay

from flashmart.addresses import models
from flashmart.addresses.services import Destination
from flashmart.addresses.validation import AddressFields
from flashmart.graphql.context import Info
from flashmart.graphql.ids import decode_id, node_pks


@strawberry.type(description="An address of the signed-in shopper's book.")
class Address(relay.Node):
    id: relay.NodeID[int]
    recipient: str
    phone: str
    region: str = strawberry.field(description="Province, state or region.")
    city: str
    district: str
    street: str
    postcode: str
    is_default: bool = strawberry.field(description="Preselected at checkout; one per shopper.")

    @classmethod
    def from_model(cls, address: models.Address) -> Address:
        return cls(
            id=address.id,
            recipient=address.recipient,
            phone=address.phone,
            region=address.region,
            city=address.city,
            district=address.district,
            street=address.street,
            postcode=address.postcode,
            is_default=address.is_default,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Address | None]:
        viewer = info.context.viewer
        ids = node_pks(node_ids, "Address")
        if viewer is None:
            return [None for _ in ids]
        found = {a.id: a for a in await models.Address.filter(id__in=ids, user_id=viewer.user_id)}
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="The address an order ships to, copied from the book when ordered.")
class OrderAddress:
    recipient: str
    phone: str
    region: str
    city: str
    district: str
    street: str
    postcode: str

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, str]) -> OrderAddress:
        return cls(**vars(AddressFields.from_snapshot(snapshot)))


@strawberry.input(description="An address as written on a parcel.")
class AddressInput:
    recipient: str
    phone: str = strawberry.field(
        description="Mainland China (ADDRESS_FORMAT=CN): 11 digits starting with 1, optional +86."
    )
    region: str = strawberry.field(description="Province, state or region.")
    city: str
    street: str
    district: str = ""
    postcode: str = strawberry.field(
        default="", description="Six digits under ADDRESS_FORMAT=CN (required there)."
    )

    def to_fields(self) -> AddressFields:
        return AddressFields(
            recipient=self.recipient,
            phone=self.phone,
            region=self.region,
            city=self.city,
            district=self.district,
            street=self.street,
            postcode=self.postcode,
        )


def destination(
    address_id: strawberry.ID | None, address: AddressInput | None, save_address: bool
) -> Destination | None:
    """The arguments `addressId`, `address` and `saveAddress` as a service's `Destination`."""
    if address_id is not None:
        return Destination(address_id=decode_id(address_id, "Address"))
    if address is not None:
        return Destination(written=address.to_fields(), save=save_address)
    return None
