"""HEAD on every GET route (RFC 9110, 9.3.2): the same status and headers as GET, no body.

FastAPI routes declare GET only, so HEAD got 405. This ASGI layer runs HEAD as GET and drops the
body on the way out, keeping Content-Length: what a client checking a resource (or a link
checker) expects, without a second set of routes to keep in step.
"""

from __future__ import annotations

from typing import Any


class HeadAsGet:
    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return  # a streamed body: nothing of it is sent
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
