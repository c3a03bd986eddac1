"""Assemble the one GraphQL schema from the per-domain query and mutation types."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.relay import Node
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from flashmart.core import tracing
from flashmart.core.settings import Environment, Settings
from flashmart.graphql.accounts.mutations import AccountMutations
from flashmart.graphql.accounts.queries import AccountQueries
from flashmart.graphql.addresses.schema import AddressMutations, AddressQueries
from flashmart.graphql.aftersales.mutations import AfterSalesMutations
from flashmart.graphql.aftersales.queries import AfterSalesQueries
from flashmart.graphql.cache import DocumentCache
from flashmart.graphql.cart.schema import CartMutations, CartQueries
from flashmart.graphql.catalog.mutations import CatalogMutations
from flashmart.graphql.catalog.queries import CatalogQueries
from flashmart.graphql.error_mapping import log_unexpected
from flashmart.graphql.extensions import AuthenticationGate, OneOperation, OperationMetrics
from flashmart.graphql.introspection import NoIntrospection
from flashmart.graphql.limits import Compiled, InputLimits, Limits
from flashmart.graphql.orders.checkout import CheckoutMutations, CheckoutQueries
from flashmart.graphql.orders.mutations import OrderMutations
from flashmart.graphql.orders.queries import OrderQueries
from flashmart.graphql.orders.reports import ReportQueries
from flashmart.graphql.payments.mutations import PaymentMutations
from flashmart.graphql.seckill.mutations import SeckillMutations
from flashmart.graphql.seckill.queries import SeckillQueries
from flashmart.graphql.subscriptions import Subscription
from flashmart.graphql.system.mailbox import MailboxQueries
from flashmart.graphql.system.schema import SystemMutations, SystemQueries
from flashmart.graphql.tracing import GraphQLTracing


def _query_type() -> type:
    # Built per schema: Strawberry's relay `node` field can be converted into one schema only.
    @strawberry.type
    class NodeQueries:
        node: Node | None = strawberry.relay.node(description="Fetch any object by its global id.")

    return merge_types(
        "Query",
        (
            NodeQueries,
            SystemQueries,
            AccountQueries,
            CatalogQueries,
            SeckillQueries,
            CartQueries,
            OrderQueries,
            ReportQueries,
            AddressQueries,
            CheckoutQueries,
            MailboxQueries,
            AfterSalesQueries,
        ),
    )


Mutation = merge_types(
    "Mutation",
    (
        SystemMutations,
        AccountMutations,
        CartMutations,
        OrderMutations,
        PaymentMutations,
        AddressMutations,
        CheckoutMutations,
        CatalogMutations,
        SeckillMutations,
        AfterSalesMutations,
    ),
)


class FlashMartSchema(strawberry.Schema):
    # The validation rules added to graphql-core's (depth, aliases): the lanes validate with
    # exactly these too, under the same limits.
    extra_rules: list[type[ASTValidationRule]] = []
    limits: Limits
    documents: DocumentCache[Compiled]  # parsed and validated documents (graphql/limits.py)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_unexpected(errors)


def build_schema(settings: Settings | None = None) -> FlashMartSchema:
    settings = settings or Settings()
    limits = Limits.from_settings(settings)
    documents: DocumentCache[Compiled] = limits.cache()
    # Factories: one extension object per request; the document cache is shared.
    # The depth and alias rule classes are built ONCE: each limiter instance creates a new
    # rule class, and a cached document is valid only under the rules it was validated with,
    # so building them per request made every request a cache miss and a full validation
    # (docs/bench.md).
    rules: list[type[ASTValidationRule]] = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_query_aliases).validation_rules,
    ]
    if not settings.graphql_introspection:  # off by default in production
        rules.append(NoIntrospection)
    extensions: list[Any] = [
        lambda: InputLimits(limits=limits, cache=documents),  # first: length before parsing
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: AddValidationRules(rules),
        OneOperation,
        AuthenticationGate,
        OperationMetrics,
    ]
    if tracing.provider is not None:  # operation, parse, validate and resolver spans
        extensions.insert(0, GraphQLTracing)
    schema = FlashMartSchema(
        query=_query_type(), mutation=Mutation, subscription=Subscription, extensions=extensions
    )
    schema.extra_rules = rules
    schema.limits = limits
    schema.documents = documents
    return schema


def export_sdl() -> str:
    # The SDL does not depend on the environment: build it with development settings, so an
    # export in a production shell is not refused by production-only checks.
    return build_schema(Settings(env=Environment.DEVELOPMENT)).as_str() + "\n"
