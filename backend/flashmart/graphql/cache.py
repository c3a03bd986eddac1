"""Caches of compiled GraphQL documents: keyed by a digest of the text, bounded in bytes.

Query texts come from anyone. A cache keyed by the text keeps a copy of every text it was sent,
and one that keeps every document it parsed grows with every new text. So every cache of
compiled documents (the generic path's in `graphql/limits.py`, each lane's plans in
`graphql/plans.py`) is a `DocumentCache`: keyed by `query_digest` (32 bytes, however long the
text), holding at most GRAPHQL_CACHE_SIZE entries and GRAPHQL_CACHE_BYTES of their estimated
size (`document_bytes`), the least recently used dropped first. Its callers fill it only with
documents that parsed and validated.
"""

from __future__ import annotations

import hashlib
import sys
from collections import OrderedDict
from typing import Generic, TypeVar

from graphql import DocumentNode

V = TypeVar("V")

# A parsed document keeps its whole text (its locations hold the source) and every token of it
# (the tokens are linked), comments included, whose values copy their part of the text;
# measured with tracemalloc on graphql-core 3.3, a document costs about 300-560 bytes per
# token besides that. tests/backend/graphql/test_input_limits.py checks that the estimate
# covers dense, ordinary and mostly-comment documents.
TOKEN_BYTES = 640
ENTRY_BYTES = 256  # the key, the slot and the entry's own object
MISSING: object = object()


def query_digest(query: str) -> bytes:
    """SHA-256 of the text (lone surrogates, which JSON can carry, encoded as they are)."""
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).digest()


def document_bytes(query: str, document: DocumentNode) -> int:
    """Estimated memory a cached `document` parsed from `query` holds."""
    tokens = 0
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        tokens += 1
        token = token.next
    return ENTRY_BYTES + 2 * sys.getsizeof(query) + TOKEN_BYTES * tokens


class DocumentCache(Generic[V]):
    """Values by query digest, within `max_entries` and `max_bytes` (least recently used out)."""

    def __init__(self, *, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[bytes, tuple[V, int]] = OrderedDict()
        self.bytes = 0  # estimated size of what is held

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: bytes) -> V | object:
        """The value stored under `key`, or `MISSING`."""
        found = self._entries.get(key)
        if found is None:
            return MISSING
        self._entries.move_to_end(key)
        return found[0]

    def put(self, key: bytes, value: V, size: int) -> None:
        """Keep `value` (estimated at `size` bytes) unless it alone exceeds the bound."""
        if size > self.max_bytes or self.max_entries < 1:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= old[1]
        while self._entries and (
            len(self._entries) >= self.max_entries or self.bytes + size > self.max_bytes
        ):
            _, (_, dropped) = self._entries.popitem(last=False)
            self.bytes -= dropped
        self._entries[key] = (value, size)
        self.bytes += size
