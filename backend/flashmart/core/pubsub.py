"""One Redis pub/sub connection per process, fanned out to every local subscriber.

Publishers (services, the worker, any API process) send small "this object changed" messages
on `Keys.channel(topic, id)`. Each API process keeps ONE pub/sub connection: the first local
listener of a channel subscribes it in Redis, the last one to leave unsubscribes it
(reference counts), and every message is copied to each listener's own bounded queue.

Messages are only hints: a listener re-reads the current state when woken, so a full queue
may drop a message (the listener already has one waiting) and, after Redis comes back from a
disconnect, every listener gets `RECONNECTED` to re-read what it may have missed.

On a Redis Cluster (`redis+cluster://` REDIS_URL) the connection goes to one node, the first
seed node that answers: classic PUBLISH is carried by the cluster bus to every node (replicas
too), so one subscribed node hears every message whichever node it was published on
(docs/scaling.md, "Pub/sub on a cluster"). Once connected, the broker reads the cluster's
nodes (CLUSTER NODES) and adds those not failed to the seeds: when its node dies it moves to
the next node of that list that answers, with the same back-off, even if the URL named that
node alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Final, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from flashmart.core.outages import Backoff
from flashmart.core.redis_urls import cluster_credentials, cluster_nodes, is_cluster_url

logger = logging.getLogger("flashmart.pubsub")
T = TypeVar("T")

RECONNECTED: Final = b"__reconnected__"
QUEUE_SIZE = 64
READ_TIMEOUT = 1.0
MAX_BACKOFF = 5.0
# A subscribed connection is silent while nothing is published, so no read timeout can tell a
# quiet channel from a dead or stalled Redis: after this long without hearing anything the
# broker sends PING and reconnects when no reply comes within the reply timeout.
PING_AFTER = 5.0


class Listener:
    """One local subscriber's view of a channel: await `get()` for the next message."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=QUEUE_SIZE)

    def deliver(self, message: bytes) -> None:
        with contextlib.suppress(asyncio.QueueFull):  # a wake-up is already waiting
            self._queue.put_nowait(message)

    async def get(self) -> bytes:
        return await self._queue.get()

    def drain(self) -> None:
        """Forget queued messages (the caller is about to read the current state anyway)."""
        while not self._queue.empty():
            self._queue.get_nowait()


class CallbackListener(Listener):
    """A listener that hands every message to a function at once: nothing is queued, so
    nothing is dropped (for caches that must see every invalidation)."""

    def __init__(self, channel: str, callback: Callable[[bytes], None]) -> None:
        super().__init__(channel)
        self._callback = callback

    def deliver(self, message: bytes) -> None:
        self._callback(message)


class Broker:
    """The process's pub/sub hub; `start()` with the app, `stop()` on shutdown."""

    def __init__(
        self,
        redis_url: str,
        *,
        control_channel: str,
        connect_timeout: float | None = 2.0,
        reply_timeout: float = 2.0,
        ping_after: float = PING_AFTER,
    ) -> None:
        instance = uuid.uuid4().hex
        self.client_name = f"flashmart-pubsub-{instance}"  # in CLIENT LIST, for operators
        # A client of its own: no health-check PINGs of the pool interleaved with the
        # subscription stream; liveness is the broker's own PING (`_check_alive`). No socket
        # timeout either: reads wait for messages by design.
        self._seeds = node_urls(redis_url)  # one; or a cluster's seed nodes, tried in turn
        self._cluster = is_cluster_url(redis_url)
        self._urls = list(self._seeds)  # a cluster: the seeds, then the nodes it knows
        self._turn = 0
        self._redis = self._client(self._urls[0], connect_timeout)
        self.reply_timeout = reply_timeout
        self.connect_timeout = connect_timeout
        self.ping_after = ping_after
        # How long one read waits before the liveness check runs again.
        self._read_timeout = min(READ_TIMEOUT, reply_timeout, ping_after)
        self._heard = 0.0  # loop time of the last reply or message on the connection
        self._pinged: float | None = None  # loop time of an unanswered PING
        self._control = f"{control_channel}:{instance}"
        self._listeners: dict[str, set[Listener]] = {}
        self._lock = asyncio.Lock()
        self._pubsub: PubSub | None = None
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    def _client(self, url: str, connect_timeout: float | None) -> Redis:
        client: Redis = Redis.from_url(
            url,
            decode_responses=False,
            client_name=self.client_name,
            socket_connect_timeout=connect_timeout,
            socket_keepalive=True,
        )
        return client

    @property
    def node(self) -> str:
        """`host:port` of the Redis (the cluster node) the broker uses or tries next."""
        return urlsplit(self._urls[self._turn]).netloc.rpartition("@")[2]

    async def _next_node(self) -> None:
        """A cluster: the next known node for the next attempt (any node hears everything)."""
        if len(self._urls) < 2:
            return
        self._turn = (self._turn + 1) % len(self._urls)
        old, self._redis = self._redis, self._client(self._urls[self._turn], self.connect_timeout)
        with contextlib.suppress(RedisError, OSError):
            await old.aclose()

    async def _learn_nodes(self) -> None:
        """A cluster: the nodes the connected node knows (CLUSTER NODES, failed ones left
        out), after the seeds, as the list to move along when this node fails. Best effort: an
        error keeps the list as it was."""
        if not self._cluster:
            return
        try:
            reply = await asyncio.wait_for(
                self._redis.execute_command("CLUSTER", "NODES"),  # type: ignore[no-untyped-call]
                self.reply_timeout,
            )
        except (RedisError, OSError, TimeoutError):
            logger.warning("pub/sub: could not read the cluster's nodes", exc_info=True)
            return
        finally:  # the connection it took is not kept (the subscription's is in use)
            with contextlib.suppress(RedisError, OSError):
                await self._redis.connection_pool.disconnect(inuse_connections=False)
        current = self._urls[self._turn]
        known = [self._node_url(address) for address in live_cluster_nodes(reply)]
        urls = list(dict.fromkeys([*self._seeds, *known, current]))
        self._urls, self._turn = urls, urls.index(current)

    def _node_url(self, address: str) -> str:
        """A seed's URL (scheme, credentials, database) with another node's `host:port`."""
        parts = urlsplit(self._seeds[0])
        auth = parts.netloc.rpartition("@")[0]
        host, _, port = address.rpartition(":")
        if ":" in host and not host.startswith("["):  # IPv6
            address = f"[{host}]:{port}"
        return urlunsplit(parts._replace(netloc=f"{auth}@{address}" if auth else address))

    # lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        for attempt in range(len(self._urls)):  # a cluster: the first seed node that answers
            try:
                await self._connect()
                break
            except (RedisError, OSError):
                if attempt == len(self._urls) - 1:
                    raise
                await self._next_node()
        await self._learn_nodes()
        self._task = asyncio.create_task(self._run(), name="flashmart-pubsub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._close_pubsub()
        await self._redis.aclose()

    # listening ---------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def listen(
        self, channel: str, callback: Callable[[bytes], None] | None = None
    ) -> AsyncIterator[Listener]:
        """A listener on `channel` for the duration of the block; with `callback`, every
        message (and `RECONNECTED`) is handed to it synchronously instead of queued."""
        listener = Listener(channel) if callback is None else CallbackListener(channel, callback)
        async with self._lock:
            members = self._listeners.setdefault(channel, set())
            members.add(listener)
            if len(members) == 1:
                await self._command("subscribe", channel)
        try:
            yield listener
        finally:
            async with self._lock:
                members = self._listeners.get(channel, set())
                members.discard(listener)
                if not members:
                    self._listeners.pop(channel, None)
                    await self._command("unsubscribe", channel)

    def channel_count(self) -> int:
        """Channels this process is subscribed to for its listeners (for tests and metrics)."""
        return len(self._listeners)

    # internals ---------------------------------------------------------------------------
    async def _command(self, name: str, channel: str) -> None:
        pubsub = self._pubsub
        if pubsub is None or not self.connected.is_set():
            return  # the reconnect loop subscribes every channel listened to
        try:
            await getattr(pubsub, name)(channel)
        except (RedisError, OSError):
            logger.warning("pub/sub %s failed; reconnecting", name, exc_info=True)
            self.connected.clear()

    async def _connect(self) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        try:  # connecting reads the reply to CLIENT SETNAME: bounded like any reply
            await asyncio.wait_for(
                pubsub.subscribe(self._control, *self._listeners),
                self.reply_timeout + (self.connect_timeout or 0.0),
            )
        except BaseException as exc:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]  # a failed attempt's
            if isinstance(exc, TimeoutError):
                raise RedisConnectionError("pub/sub: Redis did not answer the connection") from exc
            raise
        self._pubsub = pubsub
        self._heard, self._pinged = asyncio.get_running_loop().time(), None
        self.connected.set()

    async def _close_pubsub(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        self.connected.clear()
        if pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _run(self) -> None:
        """Read and dispatch for as long as the process lives: a lost connection (or any
        other failure: this task must not end while listeners wait) is retried with back-off."""
        backoff = Backoff(0.1, MAX_BACKOFF)
        while True:
            try:
                if not self.connected.is_set():
                    await self._close_pubsub()
                    async with self._lock:
                        await self._connect()
                    logger.info(
                        "pub/sub reconnected to %s (%d channels)", self.node, len(self._listeners)
                    )
                    self._broadcast(RECONNECTED)
                    backoff.reset()
                    await self._learn_nodes()  # after the listeners were told: may take a while
                assert self._pubsub is not None
                message = await self._pubsub.get_message(timeout=self._read_timeout)
                if message is not None:
                    self._heard, self._pinged = asyncio.get_running_loop().time(), None
                    if message.get("type") == "message":
                        self._dispatch(message["channel"], message["data"])
                await self._check_alive()
            except Exception as exc:
                delay = backoff.next()
                logger.warning(
                    "pub/sub connection lost; retrying in %.1fs", delay,
                    exc_info=not isinstance(exc, (RedisError, OSError)),
                )  # fmt: skip
                self.connected.clear()
                await self._close_pubsub()
                await self._next_node()
                await asyncio.sleep(delay)

    async def _check_alive(self) -> None:
        """PING a connection that has been quiet for `ping_after`; give it up when the reply
        does not come within the reply timeout (Redis stalled, or the peer vanished)."""
        now = asyncio.get_running_loop().time()
        if self._pinged is not None:
            if now - self._pinged > self.reply_timeout:
                raise RedisConnectionError("pub/sub: no reply to PING")
        elif now - self._heard > self.ping_after and self._pubsub is not None:
            self._pinged = now
            await self._pubsub.ping()  # answered as a "pong" message on this connection

    def _dispatch(self, channel: bytes | str, data: bytes | str) -> None:
        name = channel.decode() if isinstance(channel, bytes) else channel
        payload = data.encode() if isinstance(data, str) else data
        for listener in self._listeners.get(name, ()):
            listener.deliver(payload)

    def _broadcast(self, message: bytes) -> None:
        for members in self._listeners.values():
            for listener in members:
                listener.deliver(message)


def live_cluster_nodes(reply: bytes | str) -> list[str]:
    """`host:port` of every node in a CLUSTER NODES reply that is not failed, suspected,
    still being met or without an address."""
    text = reply.decode() if isinstance(reply, bytes) else reply
    found = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        address = fields[1].split("@", 1)[0]  # ip:port@cport[,hostname]
        flags = set(fields[2].split(","))
        host, _, port = address.rpartition(":")
        if not host or port in ("", "0") or flags & {"fail", "fail?", "handshake", "noaddr"}:
            continue
        found.append(address)
    return found


def node_urls(redis_url: str) -> list[str]:
    """`redis_url` itself, or for a cluster URL one plain URL per seed node (credentials kept)."""
    if not is_cluster_url(redis_url):
        return [redis_url]
    username, password = cluster_credentials(redis_url)
    auth = ""
    if password is not None:
        auth = f"{quote(username or '', safe='')}:{quote(password, safe='')}@"
    return [f"redis://{auth}{host}:{port}/0" for host, port in cluster_nodes(redis_url)]


async def watch(broker: Broker, channel: str, load: Callable[[], Awaitable[T]]) -> AsyncIterator[T]:
    """`load()` now, then again after every message on `channel` (or a Redis reconnect).

    The channel is subscribed before the first read, so no change can slip between them.
    """
    async with broker.listen(channel) as listener:
        yield await load()
        while True:
            await listener.get()
            listener.drain()  # one read covers every change announced so far
            yield await load()
