"""A tiny OTLP/HTTP trace receiver for the benchmark's tracing scenario (bench/run.py), so the
spans the API and the worker export leave their processes over HTTP as they do in production.

    python bench/otlp_sink.py <port>

- `POST /v1/traces`: counts the request and its body's bytes, keeps the body, answers 200
  with an empty body (an empty `ExportTraceServiceResponse`: full success, as the OTLP/HTTP
  specification allows) and `Content-Type: application/x-protobuf`. Nothing else is done
  while the spans arrive, so the storm shares the machine with as little of the sink as
  possible.
- `GET /stats`: the counts so far as JSON; the bodies kept since the last call are decoded
  then (`ExportTraceServiceRequest`, gunzipped first when so encoded) to count their spans per
  `service.name`. A body that does not decode is counted in `undecodable`.

HTTP/1.1 keep-alive, one thread per connection (the exporters hold one connection each).
Stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import gzip
import json
import signal
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TRACES_PATH = "/v1/traces"
MAX_KEPT_BYTES = 512 * 2**20  # beyond this, bodies are counted but not kept (spans: None)


class Sink:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.bytes = 0
        self.kept: list[tuple[bytes, str]] = []
        self.kept_bytes = 0
        self.overflowed = False
        self.spans: Counter[str] = Counter()
        self.undecodable = 0

    def receive(self, body: bytes, encoding: str) -> None:
        with self.lock:
            self.requests += 1
            self.bytes += len(body)
            if self.kept_bytes + len(body) <= MAX_KEPT_BYTES:
                self.kept.append((body, encoding))
                self.kept_bytes += len(body)
            else:
                self.overflowed = True

    def stats(self) -> dict[str, Any]:
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
            ExportTraceServiceRequest,
        )

        with self.lock:
            kept, self.kept, self.kept_bytes = self.kept, [], 0
            figures: dict[str, Any] = {"requests": self.requests, "bytes": self.bytes}
        for body, encoding in kept:
            try:
                data = gzip.decompress(body) if encoding == "gzip" else body
                request = ExportTraceServiceRequest.FromString(data)
            except Exception:  # noqa: BLE001 - counted: the client sent something else
                self.undecodable += 1
                continue
            for resource_spans in request.resource_spans:
                service = next(
                    (
                        a.value.string_value
                        for a in resource_spans.resource.attributes
                        if a.key == "service.name"
                    ),
                    "?",
                )
                self.spans[service] += sum(len(s.spans) for s in resource_spans.scope_spans)
        figures["spans"] = None if self.overflowed else sum(self.spans.values())
        figures["spans_by_service"] = dict(sorted(self.spans.items()))
        figures["undecodable"] = self.undecodable
        return figures


SINK = Sink()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the exporter's session expects

    def do_POST(self) -> None:  # http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path != TRACES_PATH:
            self.answer(404, b"", "text/plain")
            return
        SINK.receive(body, (self.headers.get("Content-Encoding") or "").strip().lower())
        self.answer(200, b"", "application/x-protobuf")

    def do_GET(self) -> None:  # http.server's naming
        if self.path != "/stats":
            self.answer(404, b"", "text/plain")
            return
        self.answer(200, json.dumps(SINK.stats()).encode(), "application/json")

    def answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per export request would be most of its work


def main(argv: list[str]) -> int:
    port = int(argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True

    def stop(_signum: int, _frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
