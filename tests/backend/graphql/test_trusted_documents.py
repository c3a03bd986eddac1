"""Trusted documents over HTTP: the manifest, `documentId` requests, TRUSTED_DOCUMENTS_ONLY."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    DefinitionNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import REMOVE, Visitor

from flashmart.accounts.models import Role, User
from flashmart.catalog.models import Product
from flashmart.core.settings import Environment, Settings
from flashmart.graphql.ids import encode_id
from flashmart.graphql.trusted_documents import (
    GRAPHIQL_MARKER,
    Manifest,
    ManifestError,
    document_id,
    load_manifest,
)
from tests.backend.graphql.test_product_images import CSRF, png
from tests.backend.helpers import MANIFEST, error_code, persisted, serving, token_for

REPO = MANIFEST.parent
FRONTEND_SRC = REPO / "frontend" / "src"
STALE = "persisted-documents.json is stale: run `npm run codegen` in frontend/ and commit it"

REGISTER_TEXT = (
    "mutation Register($input: AccountRegisterInput!) "
    "{ accountRegister(input: $input) { user { email } userErrors { code } } }"
)


# --- the manifest ---------------------------------------------------------------------------
def _frontend_documents() -> Iterator[DocumentNode]:
    """Every `graphql(`…`)` document of the frontend's code (what codegen reads)."""
    for path in sorted(FRONTEND_SRC.rglob("*.ts*")):
        if path.relative_to(FRONTEND_SRC).parts[0] == "gql" or ".test." in path.name:
            continue
        for text in re.findall(r"\bgraphql\(\s*`([^`]*)`\s*\)", path.read_text()):
            yield parse(text)


class _Canonical(Visitor):
    """A document compared as codegen prints it, without its order: no `__typename` (codegen
    adds them), every selection set and the variables sorted."""

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        return REMOVE if node.name.value == "__typename" and node.alias is None else None

    def leave_selection_set(self, node: SelectionSetNode, *_: Any) -> SelectionSetNode:
        ordered = sorted(node.selections, key=lambda s: print_ast(s))
        return SelectionSetNode(selections=tuple(ordered))

    def leave_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> Any:
        ordered = sorted(node.variable_definitions or (), key=lambda v: v.variable.name.value)
        fields = {key: getattr(node, key) for key in node.keys}
        return OperationDefinitionNode(**{**fields, "variable_definitions": tuple(ordered)})


def _canonical(definitions: list[DefinitionNode]) -> list[str]:
    return sorted(print_ast(visit(d, _Canonical())) for d in definitions)


def _with_fragments(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> list[DefinitionNode]:
    """The operation and every fragment it spreads, directly or not."""
    found: dict[str, FragmentDefinitionNode] = {}
    pending: list[DefinitionNode] = [operation]
    while pending:
        for name in _spreads(pending.pop()):
            if name not in found:
                found[name] = fragments[name]
                pending.append(fragments[name])
    return [operation, *found.values()]


def _spreads(definition: DefinitionNode) -> list[str]:
    names: list[str] = []

    class Spreads(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
            names.append(node.name.value)

    visit(definition, Spreads())
    return names


def test_the_manifest_holds_exactly_the_frontends_documents() -> None:
    """Fails when a document of the frontend changed, came or went without `npm run codegen`."""
    operations: dict[str, OperationDefinitionNode] = {}
    fragments: dict[str, FragmentDefinitionNode] = {}
    for document in _frontend_documents():
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                fragments[definition.name.value] = definition
            elif isinstance(definition, OperationDefinitionNode) and definition.name:
                operations[definition.name.value] = definition
    assert len(operations) > 40, "the frontend's documents were not found"

    manifest: dict[str, list[str]] = {}
    for text in Manifest.read(MANIFEST).texts.values():
        definitions = list(parse(text).definitions)
        (operation,) = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
        assert operation.name is not None
        manifest[operation.name.value] = _canonical(definitions)
    assert sorted(manifest) == sorted(operations), STALE
    for name, operation in operations.items():
        assert manifest[name] == _canonical(_with_fragments(operation, fragments)), (name, STALE)


def test_ids_are_the_sha256_of_the_texts(tmp_path: Path) -> None:
    text = next(iter(Manifest.read(MANIFEST).texts.values()))
    assert document_id(text) == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    tampered = tmp_path / "manifest.json"
    tampered.write_text(json.dumps({document_id(text): text + " "}))
    with pytest.raises(ManifestError, match="is not the id of its text"):
        Manifest.read(tampered)
    tampered.write_text(json.dumps([text]))
    with pytest.raises(ManifestError, match="JSON object"):
        Manifest.read(tampered)


def test_trusted_only_is_on_in_production_and_off_in_development(settings: Settings) -> None:
    assert settings.requires_trusted_documents is False
    production = settings.model_copy(update={"env": Environment.PRODUCTION})
    assert production.requires_trusted_documents is True
    relaxed = production.model_copy(update={"trusted_documents_only": False})
    assert relaxed.requires_trusted_documents is False
    assert Settings(
        _env_file=None,  # type: ignore[call-arg]
        jwt_secret="s" * 40,
        payment_webhook_secret="s" * 40,
        trusted_documents_only="true",  # type: ignore[arg-type]  # as from the environment
    ).requires_trusted_documents


def test_a_missing_manifest_stops_the_start_only_when_it_is_required(
    settings: Settings, tmp_path: Path
) -> None:
    missing = settings.model_copy(update={"trusted_documents_manifest": tmp_path / "none.json"})
    assert load_manifest(missing).texts == {}
    with pytest.raises(ManifestError, match="TRUSTED_DOCUMENTS_ONLY is on"):
        load_manifest(missing.model_copy(update={"trusted_documents_only": True}))


# --- requests -------------------------------------------------------------------------------
def _http(app_factory: Any, **overrides: Any) -> AbstractAsyncContextManager[httpx.AsyncClient]:
    return serving(app_factory(**overrides))


async def _post(
    http: httpx.AsyncClient, body: dict[str, Any], token: str | None = None, **headers: str
) -> dict[str, Any]:
    if token:
        headers["authorization"] = f"Bearer {token}"
    response = await http.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _register(email: str) -> dict[str, Any]:
    return {"input": {"email": email, "password": "correct horse battery"}}


async def test_documents_by_id_query_and_mutation(app_factory: Any) -> None:
    time_id, _ = persisted("ServerTime")
    register_id, _ = persisted("AccountRegister")
    async with _http(app_factory) as http:
        now = await _post(http, {"documentId": time_id})
        assert now["data"]["serverTime"] and "errors" not in now
        got = await http.get(  # a query by GET too
            "/graphql", params={"documentId": time_id}, headers={"accept": "application/json"}
        )
        assert got.json()["data"]["serverTime"]
        body = {"documentId": register_id, "variables": _register("ann@example.com"),
                "operationName": "AccountRegister"}  # fmt: skip
        made = await _post(http, body)
    assert made["data"]["accountRegister"]["user"]["email"] == "ann@example.com"
    assert made["data"]["accountRegister"]["user"]["__typename"] == "User"  # the manifest's text
    assert await User.filter(email="ann@example.com").exists()


async def test_unknown_or_mismatched_documents_are_refused_and_nothing_runs(
    app_factory: Any,
) -> None:
    register_id, register_text = persisted("AccountRegister")
    async with _http(app_factory) as http:
        unknown = await _post(http, {"documentId": document_id(REGISTER_TEXT),
                                     "variables": _register("bob@example.com")})  # fmt: skip
        assert unknown == {
            "data": None,
            "errors": [
                {
                    "message": "Unknown documentId: this server does not know the document",
                    "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
                }
            ],
        }
        other = await _post(http, {"documentId": register_id, "query": REGISTER_TEXT,
                                   "variables": _register("bob@example.com")})  # fmt: skip
        assert error_code(other) == "BAD_USER_INPUT"
        assert error_code(await _post(http, {"documentId": 42})) == "BAD_USER_INPUT"
        assert not await User.filter(email="bob@example.com").exists()
        same = await _post(http, {"documentId": register_id, "query": register_text,
                                  "variables": _register("bob@example.com")})  # fmt: skip
    assert same["data"]["accountRegister"]["userErrors"] == []
    assert await User.filter(email="bob@example.com").exists()


async def test_trusted_only_refuses_other_documents_of_visitors_and_shoppers(
    app_factory: Any,
) -> None:
    shopper = await User.create(email="shopper@example.com", password_hash="x")
    admin = await User.create(email="admin@example.com", password_hash="x", role=Role.ADMIN)
    time_id, time_text = persisted("ServerTime")
    async with _http(app_factory, trusted_documents_only=True) as http:
        for token in (None, token_for(shopper.id)):
            raw = await _post(http, {"query": "{ serverTime }"}, token)
            assert raw["data"] is None
            assert raw["errors"][0]["extensions"] == {"code": "TRUSTED_DOCUMENT_REQUIRED"}
            refused = await _post(
                http, {"query": REGISTER_TEXT, "variables": _register("eve@example.com")}, token
            )
            assert error_code(refused) == "TRUSTED_DOCUMENT_REQUIRED"
            # The manifest's own documents, by id or by their exact text.
            for body in ({"documentId": time_id}, {"query": time_text}):
                assert (await _post(http, body, token))["data"]["serverTime"]
        assert not await User.filter(email="eve@example.com").exists()
        # An administrator may send anything.
        admin_token = token_for(admin.id, Role.ADMIN)
        assert (await _post(http, {"query": "{ serverTime }"}, admin_token))["data"]["serverTime"]
        made = await _post(
            http, {"query": REGISTER_TEXT, "variables": _register("eve@example.com")}, admin_token
        )
        assert made["data"]["accountRegister"]["user"] == {"email": "eve@example.com"}
        # A refused token says so: the client refreshes it rather than give up.
        expired = await _post(http, {"query": "{ serverTime }"}, "x.y.z")
        assert error_code(expired) == "UNAUTHENTICATED"


async def test_an_upload_by_document_id(app_factory: Any) -> None:
    """A multipart request's `operations` may name the document too (the console's upload)."""
    admin = await User.create(email="uploader@example.com", password_hash="x", role=Role.ADMIN)
    product = await Product.create(name="Aurora", slug="aurora", price="9.99", stock=1)
    upload_id, _ = persisted("AdminProductImageUpload")
    headers = {**CSRF, "authorization": f"Bearer {token_for(admin.id, Role.ADMIN)}"}
    variables = {"productId": encode_id("Product", product.id), "file": None, "alt": "A photo"}

    async def upload(http: httpx.AsyncClient, document: str) -> dict[str, Any]:
        operations = {"documentId": document, "variables": variables}
        response = await http.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": ("photo.png", png(), "image/png")},
            headers=headers,
        )
        answer: dict[str, Any] = response.json()
        return answer

    async with _http(app_factory, trusted_documents_only=True) as http:
        unknown = await upload(http, document_id(REGISTER_TEXT))
        assert error_code(unknown) == "PERSISTED_QUERY_NOT_FOUND"
        done = await upload(http, upload_id)
    payload = done["data"]["productImageUpload"]
    assert payload["userErrors"] == [] and len(payload["product"]["images"]) == 1


@pytest.mark.parametrize(
    ("env", "allowed"), [(Environment.DEVELOPMENT, True), (Environment.PRODUCTION, False)]
)
async def test_graphiql_may_send_any_document_in_development_only(
    app_factory: Any, env: Environment, allowed: bool
) -> None:
    async with _http(
        app_factory, env=env, graphiql=True, trusted_documents_only=True
    ) as http:  # fmt: skip
        page = await http.get("/graphql", headers={"accept": "text/html"})
        assert (GRAPHIQL_MARKER in page.text) is allowed
        body = await _post(http, {"query": "{ serverTime }"}, **{GRAPHIQL_MARKER: "1"})
    if allowed:
        assert body["data"]["serverTime"]
        assert page.text.count(GRAPHIQL_MARKER) == 2  # HTTP headers and connection_init
    else:
        assert error_code(body) == "TRUSTED_DOCUMENT_REQUIRED"
