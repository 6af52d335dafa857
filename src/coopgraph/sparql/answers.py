"""SPARQL answers kept per build of the graph, with ETags.

The graph only changes when a build loads a new version, and every key names the version that
answered, so a cached answer is right until a rebuild: then the keys change and the old answers
age out of the cache. Clients that send the ETag back in If-None-Match get a 304 without a body. An answer is kept
the second time its key is asked for: a stream of one-off queries (a crawler's, or ad-hoc ones)
never pushes out the answers people ask for again, and never fills the memory. A large answer
(one spooled to a file on its way from the worker) is not kept: it is sent once, from its file.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

from cachetools import LRUCache

from coopgraph.sparql.pool import Answer


class AnswerCache:
    """Successful answers by (graph version, query, parameters, accepted types), bounded in bytes."""

    def __init__(self, max_bytes: int = 64 << 20):
        self._answers: LRUCache[str, Answer] = LRUCache(maxsize=max_bytes, getsizeof=lambda a: len(a.body) + 256)
        self._asked: LRUCache[str, bool] = LRUCache(maxsize=50_000)  # keys asked for once (bytes each)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(version: str, text: str, bindings: dict[str, Any] | None, wanted: Any) -> str:
        parts = [version, text, *(f"{k}={v.n3()}" for k, v in sorted((bindings or {}).items())), wanted.key()]
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:32]

    def get(self, key: str) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
            else:
                self.hits += 1
            return answer

    def put(self, key: str, answer: Answer) -> None:
        if answer.status != 200 or answer.spool is not None or len(answer.body) + 256 > self._answers.maxsize:
            return
        with self._lock:
            if self._asked.pop(key, None) is None:
                self._asked[key] = True  # the first time: remember the key, not the answer
                return
            self._answers[key] = answer
