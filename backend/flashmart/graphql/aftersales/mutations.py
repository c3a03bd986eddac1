"""Refund requests: thin resolvers over `flashmart.aftersales.services`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from flashmart.aftersales import models, services
from flashmart.graphql.aftersales.types import RefundRequest
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError, UserErrorsExtension
from flashmart.graphql.ids import decode_id
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated

REQUEST_ID = strawberry.argument(description="The refund request's global id.")


@strawberry.type(description="A refund request as it is now, or why nothing changed.")
class RefundRequestPayload:
    refund_request: RefundRequest | None
    user_errors: list[UserError]


def _payload(request: models.RefundRequest) -> RefundRequestPayload:
    return RefundRequestPayload(refund_request=RefundRequest.from_model(request), user_errors=[])


@strawberry.type
class AfterSalesMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Ask for a refund of your paid order: a REFUND before it shipped, a "
            "RETURN_AND_REFUND after (give the return's tracking number now or later with "
            "`refundRequestUpdate`). One open request per order (`ALREADY_REQUESTED`)."
        ),
    )
    async def order_refund_request(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The order's global id.")],
        reason: str,
        return_tracking_number: str | None = None,
    ) -> RefundRequestPayload:
        return _payload(
            await services.request_refund(
                info.context.runtime,
                user_id=info.context.require_viewer().user_id,
                order_id=decode_id(id, "Order"),
                reason=reason,
                return_tracking_number=return_tracking_number,
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description="Give the tracking number of your return while the request is open.",
    )
    async def refund_request_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, REQUEST_ID],
        return_tracking_number: str,
    ) -> RefundRequestPayload:
        return _payload(
            await services.add_return_tracking(
                info.context.runtime,
                user_id=info.context.require_viewer().user_id,
                request_id=decode_id(id, "RefundRequest"),
                return_tracking_number=return_tracking_number,
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "Approve a REQUESTED refund request (admins only): an unshipped order is refunded "
            "at once through the payment provider (its units go back on sale); a shipped one's "
            "return is accepted (APPROVED) and refunded with `refundRequestRefund`."
        ),
    )
    async def refund_request_approve(
        self, info: Info, id: Annotated[strawberry.ID, REQUEST_ID]
    ) -> RefundRequestPayload:
        return _payload(
            await services.approve(
                info.context.runtime,
                admin_id=info.context.require_viewer().user_id,
                request_id=decode_id(id, "RefundRequest"),
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "The goods of an APPROVED return are back (admins only): refund through the payment "
            "provider; the returned units go back on sale. Needs the return's tracking number."
        ),
    )
    async def refund_request_refund(
        self, info: Info, id: Annotated[strawberry.ID, REQUEST_ID]
    ) -> RefundRequestPayload:
        return _payload(
            await services.refund_return(
                info.context.runtime,
                admin_id=info.context.require_viewer().user_id,
                request_id=decode_id(id, "RefundRequest"),
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Decline an open refund request with a reason the shopper sees (admins only).",
    )
    async def refund_request_decline(
        self, info: Info, id: Annotated[strawberry.ID, REQUEST_ID], reason: str
    ) -> RefundRequestPayload:
        return _payload(
            await services.decline(
                info.context.runtime,
                admin_id=info.context.require_viewer().user_id,
                request_id=decode_id(id, "RefundRequest"),
                reason=reason,
            )
        )
