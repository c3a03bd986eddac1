"""What a GraphQL request may ask, checked before anything runs (docs/security.md "Input limits").

- Length: a query text over MAX_QUERY_LENGTH characters is refused before it is parsed, with
  `QUERY_TOO_LARGE` (`check_length`), on every path: the view (POST and GET), WebSocket
  `subscribe` messages (graphql/websocket.py) and the lanes (graphql/plans.py, which hand it on).
- Tokens, depth and aliases: graphql-core's and Strawberry's limits (schema.py),
  `QUERY_TOO_COMPLEX`.
- Cost: an operation whose static cost (graphql/cost.py) exceeds MAX_QUERY_COST is refused after
  validation with `QUERY_TOO_COMPLEX` and the numbers; every query and mutation reports its cost
  in the response's `extensions.cost`.

`InputLimits` is the schema extension that does this for generic execution, and it keeps the one
cache of parsed, validated documents (`DocumentCache` by digest, bounded in entries and bytes):
it replaces Strawberry's ParserCache and ValidationCache, which key by the text and also keep
documents that fail validation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, FragmentDefinitionNode, GraphQLError, get_operation_ast
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types.graphql import OperationType

from flashmart.core.errors import ApiError, TopLevelCode
from flashmart.core.settings import Settings
from flashmart.graphql.cache import MISSING, DocumentCache, document_bytes, query_digest
from flashmart.graphql.cost import operation_cost, too_complex


@dataclass(frozen=True)
class Limits:
    max_length: int
    max_tokens: int
    max_cost: int
    cache_entries: int
    cache_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_length=settings.max_query_length,
            max_tokens=settings.max_query_tokens,
            max_cost=settings.max_query_cost,
            cache_entries=settings.graphql_cache_size,
            cache_bytes=settings.graphql_cache_bytes,
        )

    def cache(self) -> DocumentCache[Any]:
        return DocumentCache(max_entries=self.cache_entries, max_bytes=self.cache_bytes)


def query_too_large(length: int, limit: int) -> ApiError:
    return ApiError(
        f"Query is too long: {length} characters, at most {limit} allowed",
        TopLevelCode.QUERY_TOO_LARGE,
        {"length": length, "maxLength": limit},
    )


def check_length(query: str | None, limit: int) -> None:
    """Refuse a query text over `limit` characters (before anything parses it)."""
    if query is not None and len(query) > limit:
        raise query_too_large(len(query), limit)


def cost_report(requested: int, limit: int) -> dict[str, Any]:
    """The response's `extensions` of an operation of this cost (the buy lane's too)."""
    return {"cost": {"requested": requested, "limit": limit}}


@dataclass(slots=True)
class Compiled:
    """A document that parsed and validated under `rules`."""

    document: DocumentNode
    rules: tuple[type[ASTValidationRule], ...]
    costs: dict[str | None, int] = field(default_factory=dict)  # static costs by operation


class InputLimits(SchemaExtension):
    """Length before parsing, the document cache, validation, cost (see the module docstring).
    Listed first among the schema's extensions: its `on_parse` runs before any other's."""

    def __init__(self, *, limits: Limits, cache: DocumentCache[Compiled]) -> None:
        self.limits, self.cache = limits, cache
        self.key: bytes | None = None
        self.hit: Compiled | None = None
        self.cost: int | None = None

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        query = ctx.query
        if query is not None and ctx.graphql_document is None:
            check_length(query, self.limits.max_length)  # raised: a pre-execution error
            self.key = query_digest(query)
            found = self.cache.get(self.key)
            if found is not MISSING:
                assert isinstance(found, Compiled)
                self.hit = found
                ctx.graphql_document = found.document
        yield  # on a miss, Strawberry parses (within MAX_QUERY_TOKENS) and reports its errors

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        assert document is not None  # validation follows a successful parse
        rules = tuple(ctx.validation_rules)
        compiled = self.hit
        if compiled is None or compiled.rules != rules:
            errors = validate_document(ctx.schema._schema, document, rules)
            if errors:
                ctx.pre_execution_errors = errors  # never cached
                yield
                return
            compiled = Compiled(document, rules)
            if self.key is not None and ctx.query is not None:
                self.cache.put(self.key, compiled, document_bytes(ctx.query, document))
        ctx.pre_execution_errors = self._check_cost(compiled)
        yield

    def _check_cost(self, compiled: Compiled) -> list[GraphQLError]:
        ctx = self.execution_context
        name = ctx.operation_name
        requested = compiled.costs.get(name)
        if requested is None:
            operation = get_operation_ast(compiled.document, name)
            if operation is None:  # Strawberry refuses the request before validation
                return []
            fragments = {
                d.name.value: d
                for d in compiled.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            cost = operation_cost(ctx.schema._schema, operation, fragments, ctx.variables)
            requested = cost.requested
            if cost.static:  # one per operation of the document at most
                compiled.costs[name] = requested
        if ctx.operation_type is not OperationType.SUBSCRIPTION:
            self.cost = requested  # reported; a subscription's messages carry no cost
        if requested > self.limits.max_cost:
            error = too_complex(requested, self.limits.max_cost)
            return [GraphQLError(error.message, original_error=error)]
        return []

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return cost_report(self.cost, self.limits.max_cost)
