"""The storefront's GraphQL requests as it sends them: its documents by id, not by text.

The frontend's codegen writes every document it sends to `persisted-documents.json` at the
repository root (docs/security.md "Trusted documents"), and the storefront sends
`{"documentId", "operationName", "variables"}` (over graphql-ws with an empty `query` beside the
id, which graphql-ws insists on). The bench sends the same requests, ids read from that file.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

MANIFEST = Path(__file__).resolve().parent.parent / "persisted-documents.json"


@cache
def document_id(operation_name: str) -> str:
    """The id of the storefront's document of that operation."""
    pattern = re.compile(rf"\b(?:query|mutation|subscription) {re.escape(operation_name)}\b")
    for found, text in json.loads(MANIFEST.read_text()).items():
        if pattern.search(text):
            return str(found)
    raise LookupError(f"no {operation_name} in {MANIFEST} (run `npm run codegen` in frontend/)")


def request(operation_name: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The body of an HTTP request (or a graphql-ws `subscribe` payload, with `query: ""`)."""
    return {
        "documentId": document_id(operation_name),
        "operationName": operation_name,
        "variables": variables,
    }
