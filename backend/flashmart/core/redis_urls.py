"""What a Redis URL names: one server (redis://, rediss://, unix://) or a Redis Cluster by its
seed nodes (`redis+cluster://host:port[,host:port...]`, docs/scaling.md)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

CLUSTER_SCHEME = "redis+cluster"


def is_cluster_url(url: str) -> bool:
    return url.split("://", 1)[0].lower() == CLUSTER_SCHEME


def cluster_nodes(url: str) -> list[tuple[str, int]]:
    """The seed nodes of a cluster URL, in order. A password (and user) before `@` applies to
    every node; no path, query or database number (a cluster has database 0 only)."""
    parts = urlsplit(url)
    hosts = parts.netloc.rsplit("@", 1)[-1]
    nodes: list[tuple[str, int]] = []
    for item in hosts.split(","):
        host, _, port = item.strip().rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"REDIS_URL: {item!r} is not a cluster seed node like host:6379")
        nodes.append((host.strip("[]"), int(port)))
    if parts.path.strip("/") or parts.query:
        raise ValueError("REDIS_URL: a cluster URL has no database number or options")
    return nodes


def cluster_credentials(url: str) -> tuple[str | None, str | None]:
    """(username, password) of a cluster URL, if it carries them."""
    netloc = urlsplit(url).netloc
    if "@" not in netloc:
        return None, None
    user, _, password = netloc.rsplit("@", 1)[0].partition(":")
    if not password:  # redis://secret@host: the password alone
        return None, unquote(user) or None
    return unquote(user) or None, unquote(password)
