"""The least any Python ASGI server can answer with: a fixed answer, no framework, served by the
same uvicorn, httptools and uvloop that serve coopgraph (bench/peers.py measures it as the floor)."""

ANSWER = b'{"head":{},"boolean":true}'


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/sparql-results+json"), (b"content-length", str(len(ANSWER)).encode())]})
    await send({"type": "http.response.body", "body": ANSWER})
