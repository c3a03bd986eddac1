"""`flashmart serve --workers 2`: each process on its own socket, connections spread across
them, a crashed process replaced, and a clean stop on SIGTERM. A real process tree."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from flashmart import serving
from flashmart.core.settings import Settings
from flashmart.http_protocol import UVICORN_HTTP, OneWriteHttpToolsProtocol
from tests.backend.helpers import TEST_SECRET
from tests.backend.live_server import bind_free_port

pytestmark = pytest.mark.skipif(not serving.SUPPORTED, reason="needs SO_REUSEPORT")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _listening_sockets(pid: int, port: int) -> set[str]:
    """Inodes of the sockets `pid` holds that listen on `port` (state 0A in /proc/net/tcp)."""
    try:
        inodes = _socket_inodes(pid)
    except OSError:
        return set()
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A" and fields[9] in inodes:
            found.add(fields[9])
    return found


def _listens(pid: int, port: int) -> bool:
    return bool(_listening_sockets(pid, port))


def _owner_of_each_connection(port: int, pids: list[int]) -> Counter[int]:
    """How many established connections to `port` each of `pids` holds (from /proc/net/tcp)."""
    owners = {inode: pid for pid in pids for inode in _socket_inodes(pid)}
    held: Counter[int] = Counter()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01" and fields[9] in owners:  # 01: ESTABLISHED
            held[owners[fields[9]]] += 1
    return held


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    sock = bind_free_port()
    port = sock.getsockname()[1]
    sock.close()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url or "",
        "REDIS_PREFIX": settings.redis_prefix,
        "JWT_SECRET": TEST_SECRET,
        "PAYMENT_WEBHOOK_SECRET": TEST_SECRET,
        "DATA_DIR": str(tmp_path / "serve"),
        "FRONTEND_DIST": str(tmp_path / "no-frontend"),
        "LOG_LEVEL": "WARNING",
    }
    flashmart = Path(sys.executable).parent / "flashmart"
    process = subprocess.Popen(
        [str(flashmart), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_ready(port, process)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("flashmart serve did not become ready")


def _wait_for(predicate: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


def test_each_process_listens_itself_and_connections_spread(
    served: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = served
    _wait_for(lambda: len([p for p in _children(process.pid) if _listens(p, port)]) == 2, 30)
    workers = [p for p in _children(process.pid) if _listens(p, port)]
    # Two sockets, one each (uvicorn's own workers would share one listening socket).
    first, second = (_listening_sockets(w, port) for w in workers)
    assert len(first) == len(second) == 1 and first != second
    # 64 keep-alive connections, each used once and kept open.
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}") for _ in range(64)]
    try:
        for client in clients:
            assert client.get("/healthz").status_code == 200
        held = _owner_of_each_connection(port, workers)
        assert sum(held.values()) == 64
        # An even hash puts 32 ± 4 on each; a shared accept queue can give one of them all.
        assert min(held[w] for w in workers) >= 16, held
    finally:
        for client in clients:
            client.close()


def test_a_dead_process_is_replaced_and_sigterm_stops_all(
    served: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = served
    _wait_for(lambda: len([p for p in _children(process.pid) if _listens(p, port)]) == 2, 30)
    workers = [p for p in _children(process.pid) if _listens(p, port)]
    os.kill(workers[0], signal.SIGKILL)

    def replaced() -> list[int]:
        if Path(f"/proc/{workers[0]}").exists():  # not reaped yet
            return []
        return [p for p in _children(process.pid) if _listens(p, port)]

    _wait_for(lambda: len(replaced()) == 2, 30)
    now = replaced()
    assert workers[1] in now and workers[0] not in now
    assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    assert not [p for p in now if Path(f"/proc/{p}").exists()]
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)


def test_an_address_in_use_stops_serve_with_an_error(settings: Settings, tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    flashmart = Path(sys.executable).parent / "flashmart"
    try:
        result = subprocess.run(
            [str(flashmart), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env={**os.environ, "DATA_DIR": str(tmp_path), "REDIS_URL": settings.redis_url or ""},
            capture_output=True,
            timeout=60,
        )
    finally:
        taken.close()
    assert result.returncode != 0
    assert b"Address already in use" in result.stderr


def test_metrics_add_up_every_process_outside_the_shared_data_dir(
    served: tuple[subprocess.Popen[bytes], int], tmp_path: Path
) -> None:
    """/metrics sums both processes' figures, from a directory of this command's own: DATA_DIR
    is shared by replicas (docker-compose.yml), which would delete each other's files there."""
    process, port = served
    _wait_for(lambda: len([p for p in _children(process.pid) if _listens(p, port)]) == 2, 30)
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}") for _ in range(32)]
    try:
        for client in clients:
            assert client.get("/healthz").status_code == 200
        held = _owner_of_each_connection(port, _children(process.pid))
        assert len([w for w, n in held.items() if n]) == 2  # both processes served some
    finally:
        for client in clients:
            client.close()
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    (line,) = [
        line
        for line in text.splitlines()
        if line.startswith('flashmart_http_requests_total{route="/healthz",status="200"}')
    ]
    assert float(line.rsplit(" ", 1)[1]) == 32  # both processes counted
    assert not (tmp_path / "serve" / "prometheus").exists()


def test_websockets_decline_per_message_compression(
    served: tuple[subprocess.Popen[bytes], int],
) -> None:
    """Browsers offer permessage-deflate; live-sale messages are too small to gain from it,
    and compressing each for each subscriber costs CPU the buys need."""
    _, port = served
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(
            b"GET /graphql HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            b"Sec-WebSocket-Protocol: graphql-transport-ws\r\n"
            b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(4096)
            assert chunk, answer
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    assert head.startswith("http/1.1 101"), head
    assert "sec-websocket-protocol: graphql-transport-ws" in head
    assert "sec-websocket-extensions" not in head


def test_uvicorn_sends_no_websocket_pings_of_its_own(settings: Settings) -> None:
    """The subscriptions ping at the graphql-transport-ws level from one clock per process
    (graphql/ws_clock.py); uvicorn's own protocol pings would add two timers per socket."""
    import uvicorn

    from flashmart.cli import uvicorn_options

    config = uvicorn.Config(**uvicorn_options(settings, host="127.0.0.1", port=8000))
    assert config.ws_ping_interval is None
    assert config.ws_per_message_deflate is False
    assert (config.host, config.port, config.loop, config.http) == (
        "127.0.0.1", 8000, "uvloop", UVICORN_HTTP,
    )  # fmt: skip
    config.load()
    assert config.http_protocol_class is OneWriteHttpToolsProtocol
    assert config.server_header is False  # no `server: uvicorn` on any answer
