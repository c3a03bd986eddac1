"""bench/loadgen.py's requests for several sales at once (`make bench BENCH_ARGS=--cluster`).
bench/ is not a package: the module is imported from its folder."""

from __future__ import annotations

import collections
import importlib
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_every_shopper_sends_every_body_once_per_attempt() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        loadgen = importlib.import_module("loadgen")
    finally:
        sys.path.remove(str(BENCH))
    spec = {"host": "127.0.0.1", "port": 8000}
    bodies = [{"sale": n} for n in range(3)]
    phase = {"path": "/graphql", "users": [1, 2], "attempts": 2, "shuffle_seed": 7,
             "body": bodies[0], "bodies": bodies}  # fmt: skip
    requests = loadgen.build_requests(spec, phase, {1: "token-1", 2: "token-2"})
    sent: collections.Counter[tuple[str, int]] = collections.Counter()
    for raw in requests:
        head, body = raw.split(b"\r\n\r\n", 1)
        token = head.split(b"Authorization: Bearer ")[1].decode()
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        assert len(body) == length
        sent[(token, json.loads(body)["sale"])] += 1
    assert sent == {(f"token-{u}", n): 2 for u in (1, 2) for n in range(3)}
