"""Server CPU per WebSocket message, by uvicorn WebSocket implementation and compression.

    .venv/bin/python bench/ws_send_cpu.py                  # 2,000 sockets, 10 rounds each
    .venv/bin/python bench/ws_send_cpu.py --sockets 500 --impl websockets

For each (implementation, per-message deflate on/off): a bare uvicorn app in a process of its
own, a client process opening N WebSockets that offer permessage-deflate as browsers do, then
one request that makes the app send a 150-byte live-sale message to every socket R times and
answers the app's CPU per message (`time.process_time`). No FlashMart code runs in those rows:
this is the cost of the ASGI send itself, a task woken per socket to await it. The last row,
`direct`, writes each message from the fan-out loop with the live-sale lane's
`graphql/wsdirect.py` (`Direct.write`: one whole frame with `transport.write`, no task woken),
what a sale's watcher does for each parked subscriber (docs/hotpath.md, "The live-sale lane").
Not part of `make bench`; about 10 s per row.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

MESSAGE = (
    '{"id":"1","type":"next","payload":{"data":{"seckillEventUpdated":{"id":'
    '"U2Vja2lsbEV2ZW50OjE=","remainingStock":123,"status":"ACTIVE","__typename":"SeckillEvent"}}}}'
)


def serve(port: int, impl: str, deflate: bool) -> None:
    import uvicorn

    queues: set[asyncio.Queue[str]] = set()
    direct = impl == "direct"
    writers: list[Any] = []  # Direct, in the `direct` row

    async def app(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        if scope["type"] == "lifespan":
            while True:
                message = await receive()  # type: ignore[operator]
                done = "startup" if message["type"] == "lifespan.startup" else "shutdown"
                await send({"type": f"lifespan.{done}.complete"})  # type: ignore[operator]
                if done == "shutdown":
                    return
        if scope["type"] == "http":
            rounds = int(scope["query_string"].decode().split("=")[1])
            cpu = time.process_time()
            for _ in range(rounds if direct else 0):
                sent = sum(writer.write(MESSAGE) for writer in writers)
                assert sent == len(writers), "a socket refused a direct write"
            for _ in range(0 if direct else rounds):
                for queue in queues:
                    queue.put_nowait(MESSAGE)
                while any(q.qsize() for q in queues):  # noqa: ASYNC110 - the measurement
                    await asyncio.sleep(0.001)
            count = len(writers) if direct else len(queues)
            body = f"{(time.process_time() - cpu) / (rounds * count) * 1e6:.1f}".encode()
            await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
            await send({"type": "http.response.body", "body": body})  # type: ignore[operator]
            return
        await receive()  # type: ignore[operator]
        await send({"type": "websocket.accept"})  # type: ignore[operator]
        if direct:
            from flashmart.graphql.wsdirect import Direct

            writers.append(Direct(send.__self__))  # type: ignore[attr-defined]
            while (await receive())["type"] != "websocket.disconnect":  # type: ignore[operator]
                pass
            return
        queue: asyncio.Queue[str] = asyncio.Queue()
        queues.add(queue)

        async def pump() -> None:
            while True:
                await send({"type": "websocket.send", "text": await queue.get()})  # type: ignore[operator]

        task = asyncio.create_task(pump())
        try:
            while (await receive())["type"] != "websocket.disconnect":  # type: ignore[operator]
                pass
        finally:
            task.cancel()
            queues.discard(queue)

    ws = "websockets-sansio" if direct else impl
    uvicorn.run(app, host="127.0.0.1", port=port, ws=ws, loop="uvloop", http="httptools",
                log_level="warning", ws_per_message_deflate=deflate)  # fmt: skip


async def hold(port: int, sockets: int) -> None:
    loop = asyncio.get_running_loop()

    async def one() -> asyncio.Transport:
        transport, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            f"GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n".encode()
        )
        return transport  # type: ignore[return-value]

    for start in range(0, sockets, 200):
        await asyncio.gather(*(one() for _ in range(min(200, sockets - start))))
    print("held", flush=True)
    await asyncio.sleep(3600)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--impl", nargs="+", default=["websockets", "websockets-sansio", "wsproto", "direct"]
    )
    parser.add_argument("--role", choices=["serve", "hold"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--deflate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "serve":
        serve(args.port, args.impl[0], bool(args.deflate))
        return
    if args.role == "hold":
        asyncio.run(hold(args.port, args.sockets))
        return
    print(f"$ {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    print(f"{'implementation':<18} {'deflate':>7} {'µs CPU/message':>15}")
    for impl in args.impl:
        for deflate in (0,) if impl == "direct" else (0, 1):
            port = free_port()
            me = [sys.executable, __file__, "--port", str(port), "--sockets", str(args.sockets)]
            server = subprocess.Popen(
                [*me, "--role", "serve", "--impl", impl, "--deflate", str(deflate)]
            )
            client = None
            try:
                time.sleep(1.5)
                client = subprocess.Popen([*me, "--role", "hold"], stdout=subprocess.PIPE)
                assert client.stdout is not None and client.stdout.readline().strip() == b"held"
                time.sleep(1.0)  # the last handshakes reach the app
                url = f"http://127.0.0.1:{port}/fan?rounds={args.rounds}"
                with urllib.request.urlopen(url, timeout=120) as answer:
                    figure = answer.read().decode()
                print(f"{impl:<18} {'on' if deflate else 'off':>7} {figure:>15}", flush=True)
            finally:
                for process in (client, server):
                    if process is not None:
                        process.kill()
                        process.wait()


if __name__ == "__main__":
    main()
