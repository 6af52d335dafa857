"""What every response carries and every request body is held to, whatever the route.

Every page's content is ours, but the graph may hold anyone's strings (a loaded archive, a
query's answer): a strict Content-Security-Policy makes script that slips into a page inert, and
no page may be framed. The data is public and read-only, so any origin may read it (CORS, no
credentials). A request body is counted while it arrives and refused at the limit, never read
whole first.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response

# script only from our own files (Swagger UI's styles are set inline by its script, so style is not as strict)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
EXPOSED = ["ETag", "Link", "Retry-After", "Warning", "X-Coopgraph-Truncated", "X-Query-Seconds"]


SECURITY_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"content-security-policy", CSP.encode()),
                    (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"))


def secured(send: Any) -> Any:
    """`send` with the security headers added to the response's start (no route sets them itself)."""

    async def send_with_headers(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), *SECURITY_HEADERS]
        await send(message)

    return send_with_headers


class SecurityHeaders:
    """nosniff, the CSP and frame-ancestors on every response (pure ASGI: bodies stream through)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, secured(send))


def add_security(app: Any) -> None:
    """The headers above, and CORS for GET and POST from any origin without credentials."""
    from starlette.middleware.cors import CORSMiddleware

    app.add_middleware(SecurityHeaders)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                       allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type", "If-None-Match", "Cache-Control"],
                       expose_headers=EXPOSED, max_age=86400)


async def read_body(request: Request, limit: int, timeout: float = 30.0) -> bytes | Response:
    """The request body, counted as it arrives: 413 as soon as it passes `limit` bytes (or says it
    will), 408 when it takes longer than `timeout` seconds to arrive."""
    too_large = PlainTextResponse(f"the request body is larger than {limit:,} bytes", status_code=413,
                                  headers={"Connection": "close"})
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return too_large
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    return too_large
                chunks.append(chunk)
    except TimeoutError:
        return PlainTextResponse(f"the request body did not arrive within {timeout:g} s", status_code=408,
                                 headers={"Connection": "close"})
    return b"".join(chunks)
