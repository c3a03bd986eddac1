"""Trusted documents: the storefront's GraphQL documents by id, and who may send what.

The frontend's codegen writes every document the storefront and the admin console send to a
manifest, `persisted-documents.json` at the repository root (`TRUSTED_DOCUMENTS_MANIFEST`): a
JSON object from a document's id, `sha256:<hex of the SHA-256 of its text>`, to its text. The
app loads it once at start-up (`load_manifest`) and checks every id against its text.

A request may name a document by id instead of sending its text (`{"documentId":
"sha256:…", "variables": …, "operationName": …}`, over HTTP and in a graphql-transport-ws
`subscribe` payload); `Gate.resolve` turns it into the manifest's text or refuses it:
an id the manifest lacks is `PERSISTED_QUERY_NOT_FOUND`; a request that sends a `query` too
is served only when that text is exactly the manifest's (`BAD_USER_INPUT` otherwise). An empty
`query` next to a `documentId` counts as none: graphql-ws insists on a `query` string.

With `TRUSTED_DOCUMENTS_ONLY` on (the default in production) `Gate.admit` lets anonymous
visitors and shoppers run only the manifest's documents, by id or by their exact text;
administrators (the role of the verified access token) may send any document, and so may the
GraphiQL page in development (`GRAPHIQL=true`, `ENV=development`), whose requests carry
`GRAPHIQL_MARKER`. Anything else is refused with `TRUSTED_DOCUMENT_REQUIRED` before it is
parsed, so nothing of it runs; a request whose bearer token was refused gets that
`UNAUTHENTICATED` instead, as it would have before execution.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from flashmart.accounts.models import Role
from flashmart.accounts.tokens import AccessClaims
from flashmart.core import i18n
from flashmart.core.errors import ApiError, TopLevelCode, bad_input, unauthenticated
from flashmart.core.settings import Settings

logger = logging.getLogger("flashmart.graphql")

Q = TypeVar("Q")
ID_PREFIX = "sha256:"
# What the GraphiQL page served in development adds to its requests: an HTTP header, and a
# key of its graphql-transport-ws `connection_init` payload.
GRAPHIQL_MARKER = "x-flashmart-graphiql"


class ManifestError(Exception):
    """The manifest cannot be used: missing where it is required, unreadable, or inconsistent."""


def document_id(text: str) -> str:
    """The id of a document's text: `sha256:` and the hex SHA-256 of its UTF-8 bytes."""
    return ID_PREFIX + hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Manifest:
    """The trusted documents: text by id, and id by text."""

    texts: Mapping[str, str] = field(default_factory=dict)
    ids: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, texts: Mapping[str, str]) -> Manifest:
        for found, text in texts.items():
            if document_id(text) != found:
                raise ManifestError(f"{found} is not the id of its text ({document_id(text)})")
        return cls(texts=dict(texts), ids={text: found for found, text in texts.items()})

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ManifestError(
                f"cannot read the trusted documents manifest {path}: {exc}"
            ) from exc
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise ManifestError(f"{path}: expected a JSON object of document id -> text")
        return cls.of(data)


def load_manifest(settings: Settings) -> Manifest:
    """The manifest named by TRUSTED_DOCUMENTS_MANIFEST. A missing file is an error when
    TRUSTED_DOCUMENTS_ONLY is on; otherwise the app serves with none (every `documentId`
    is then unknown) and says so in the log."""
    path = settings.trusted_documents_manifest
    if not path.exists():
        if settings.requires_trusted_documents:
            raise ManifestError(
                f"TRUSTED_DOCUMENTS_ONLY is on but the manifest {path} does not exist "
                "(the frontend's `npm run codegen` writes it; see TRUSTED_DOCUMENTS_MANIFEST)"
            )
        logger.warning("no trusted documents manifest at %s: every documentId is unknown", path)
        return Manifest()
    return Manifest.read(path)


def not_found() -> ApiError:
    return ApiError(
        "Unknown documentId: this server does not know the document",
        TopLevelCode.PERSISTED_QUERY_NOT_FOUND,
    )


def trusted_document_required() -> ApiError:
    return ApiError(
        "Only the shop's own documents are accepted here: send a known documentId",
        TopLevelCode.TRUSTED_DOCUMENT_REQUIRED,
    )


@dataclass(frozen=True)
class Gate:
    """The manifest and the policy every transport applies before a document runs."""

    manifest: Manifest
    trusted_only: bool = False
    graphiql: bool = False  # the GraphiQL page may send any document (development only)

    @classmethod
    def for_settings(cls, settings: Settings, manifest: Manifest) -> Gate:
        return cls(
            manifest=manifest,
            trusted_only=settings.requires_trusted_documents,
            graphiql=bool(settings.graphiql) and not settings.is_production,
        )

    def resolve(self, query: Q, document_id: object) -> Q | str:
        """The document text to run: the manifest's for a `documentId`, else the request's
        own `query` unchanged (whatever it is: the caller's usual checks follow)."""
        if document_id is None:
            return query
        if not isinstance(document_id, str):
            raise bad_input(i18n.text("documentId must be a string"))
        text = self.manifest.texts.get(document_id)
        if text is None:
            raise not_found()
        if query not in (None, "") and query != text:
            raise bad_input(i18n.text("query is not the text of the document documentId names"))
        return text

    def admit(
        self,
        query: object,
        *,
        viewer: AccessClaims | None,
        auth_problem: str | None,
        from_graphiql: bool,
    ) -> None:
        """Refuse `query` (raise) when TRUSTED_DOCUMENTS_ONLY forbids this client to run it."""
        if not self.trusted_only or not isinstance(query, str) or query in self.manifest.ids:
            return
        if viewer is not None and viewer.role_name == Role.ADMIN.value:
            return
        if from_graphiql and self.graphiql:
            return
        if auth_problem:
            raise unauthenticated(auth_problem)
        raise trusted_document_required()
