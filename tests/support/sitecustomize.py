"""A socket guard for every Python process of a test server (the server and its query workers):
with COOPGRAPH_SOCKET_GUARD_LOG set, any connection that is not to loopback or a local socket is
written to that file and refused. Put this folder on PYTHONPATH to install it."""

import os
import socket

_LOG = os.environ.get("COOPGRAPH_SOCKET_GUARD_LOG")
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}

if _LOG:
    def _guarded(original):  # type: ignore[no-untyped-def]
        def connect(self, address):  # type: ignore[no-untyped-def]
            host = address[0] if isinstance(address, tuple) else address
            if isinstance(host, str) and not host.startswith("/") and host not in _LOOPBACK:
                with open(_LOG, "a", encoding="utf-8") as handle:
                    handle.write(f"{os.getpid()} {address!r}\n")
                raise PermissionError(f"socket guard: no connection to {address!r}")
            return original(self, address)
        return connect

    socket.socket.connect = _guarded(socket.socket.connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded(socket.socket.connect_ex)  # type: ignore[method-assign]
