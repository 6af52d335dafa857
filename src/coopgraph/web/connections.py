"""Connections the server holds: a cap on how many, and a time limit on sending headers.

uvicorn closes idle keep-alive connections but waits forever for a request that never finishes
its headers; enough such connections use up the file descriptors, and then nobody is answered.
Here a connection must complete each request's headers within `header_timeout` seconds of
opening (or of its previous answer), and one that arrives when `max_connections` are open is
closed at once, as is one from a network that holds a quarter of them already (at least 4): one
client's flood of half-open sockets cannot take every place. A network is what the query turns
count as one client (`client_group`: an IPv4 /24, an IPv6 /64), since one party easily holds many
addresses of one: four addresses of a /24 took every place when each address had its quarter.
Proxy headers are believed only from the proxies the operator lists.
"""

from __future__ import annotations

import asyncio
import resource
from typing import TYPE_CHECKING, Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from coopgraph.sparql.fairness import client_group

if TYPE_CHECKING:
    from coopgraph.web.settings import ServeSettings

LIMITS = {"header_timeout": 10.0, "max_connections": 512, "response_timeout": 40.0}
# Past its query's time limit, an answer has this long to reach its reader: a reader that takes no
# more (a slow or stalled client holding a large answer in the server) is cut off.
SENDING_SECONDS = 30.0
OPEN_BY_NETWORK: dict[str, int] = {}  # connections open per peer network, in this server process


def per_network_cap() -> int:
    """How many connections one network may hold: a quarter of all, at least 4."""
    return max(4, int(LIMITS["max_connections"]) // 4)


def configure(header_timeout: float, max_connections: int, query_timeout: float = 10.0) -> None:
    """Set the limits for this server process (each of several processes sets its own)."""
    LIMITS["header_timeout"] = header_timeout
    LIMITS["max_connections"] = max_connections
    LIMITS["response_timeout"] = query_timeout + SENDING_SECONDS
    _raise_file_limit(max_connections)


def _raise_file_limit(max_connections: int) -> None:
    """Room for every allowed connection plus the store's files and the workers' pipes."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max_connections + 512
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol (httptools, the fast C parser) with a connection cap and a
    header timeout: each request's headers must be complete `header_timeout` seconds after the
    connection opens or the previous answer ends."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        peer = transport.get_extra_info("peername")
        self._network: str | None = client_group(str(peer[0])) if peer else "?"
        if (len(self.connections) >= LIMITS["max_connections"]
                or OPEN_BY_NETWORK.get(self._network, 0) >= per_network_cap()):
            self.transport = transport
            self._network = None  # not counted
            transport.abort()  # no answer: answering would cost the descriptor time we lack
            return
        OPEN_BY_NETWORK[self._network] = OPEN_BY_NETWORK.get(self._network, 0) + 1
        super().connection_made(transport)
        self._arm_header_timer()

    def _arm_header_timer(self) -> None:
        self._header_timer: asyncio.TimerHandle | None = self.loop.call_later(LIMITS["header_timeout"],
                                                                               self._headers_too_slow)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()  # in time: the request's answer, then the next request's headers, rearm it
        # the answer must be out within its query's time limit and the sending time: a reader that
        # never reads would otherwise hold the connection, and the answer in memory, for ever
        self._header_timer = self.loop.call_later(LIMITS["response_timeout"], self._answer_too_slow)
        super().on_headers_complete()

    def _answer_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.abort()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            self._cancel_header_timer()
            self._arm_header_timer()

    def _cancel_header_timer(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
            self._header_timer = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        network = getattr(self, "_network", None)
        if network is not None:
            self._network = None
            left = OPEN_BY_NETWORK.get(network, 1) - 1
            if left > 0:
                OPEN_BY_NETWORK[network] = left
            else:
                OPEN_BY_NETWORK.pop(network, None)
        if self.flow is None:  # refused at connection_made: nothing else was set up
            self.connections.discard(self)
            return
        super().connection_lost(exc)


def uvicorn_options(settings: ServeSettings) -> dict[str, Any]:
    """What uvicorn.run needs to serve with these limits."""
    configure(settings.header_timeout, settings.max_connections, settings.query_timeout)
    trusted = settings.forwarded_allow_ips.strip()
    return {"host": settings.host, "port": settings.port, "http": "coopgraph.web.connections:GuardedProtocol", "loop": "uvloop",
            "proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None, "timeout_keep_alive": 5,
            "backlog": 256, "server_header": False}  # no 'server: uvicorn': what runs here is nobody's business
