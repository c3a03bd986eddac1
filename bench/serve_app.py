"""Serve one of the bench's own apps with the uvicorn options of `flashmart serve`.

`python bench/serve_app.py MODULE:FACTORY --port P --workers N` (MODULE lives in bench/).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from flashmart.http_protocol import UVICORN_HTTP


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    uvicorn.run(
        args.app,
        factory=True,
        app_dir=str(Path(__file__).resolve().parent),
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop",
        http=UVICORN_HTTP,  # httptools, head and body in one write, as flashmart serve
        access_log=False,
        server_header=False,  # as flashmart serve
        log_config=None,
        log_level="warning",
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()
