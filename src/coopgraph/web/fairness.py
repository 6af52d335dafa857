"""Fair shares of query time: a budget per client, and a worker kept free for light clients.

A client is its address and User-Agent, as public SPARQL services count them. Each client may
spend `budget` seconds of query time per `window` seconds (a bucket that refills steadily); a
client that has spent it gets 429 with the seconds until it may ask again. A client that has
spent more than a quarter of its budget is heavy, and a heavy client may not take the last idle
query worker, so one slow client never leaves the others queueing behind its queries. Answers
kept from earlier runs cost nothing. Memory is bounded: clients not seen for a window are forgotten.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from cachetools import TTLCache


@dataclass
class _Account:
    spent: float  # seconds of query time still counted against the client
    at: float  # when `spent` was last brought up to date


class OverBudget(Exception):
    """The client has spent its query time; `retry_after` seconds until it may ask again."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class QueryBudgets:
    def __init__(self, budget: float, window: float = 60.0, max_clients: int = 100_000):
        self.budget, self.window = budget, window
        self.enabled = budget > 0
        self._accounts: TTLCache[str, _Account] = TTLCache(maxsize=max_clients, ttl=window)
        self._lock = threading.Lock()
        self.refused = 0

    def _current(self, client: str, now: float) -> _Account:
        account = self._accounts.get(client) or _Account(0.0, now)
        account.spent = max(0.0, account.spent - (now - account.at) * self.budget / self.window)
        account.at = now
        return account

    def admit(self, client: str) -> None:
        """Raise OverBudget when the client has no query time left."""
        if not self.enabled:
            return
        with self._lock:
            account = self._current(client, time.monotonic())
            if account.spent < self.budget:
                return
            self.refused += 1
            wait = math.ceil((account.spent - self.budget * 0.9) * self.window / self.budget)
        raise OverBudget(f"this client has used its {self.budget:g} s of query time per {self.window:g} s; "
                         f"try again in {wait} s, or make the query cheaper (add a LIMIT, bind a subject, "
                         "avoid unbounded property paths)", max(1, wait))

    def charge(self, client: str, seconds: float) -> None:
        if not self.enabled:
            return
        with self._lock:
            now = time.monotonic()
            account = self._current(client, now)
            account.spent += seconds
            self._accounts[client] = account

    def heavy(self, client: str) -> bool:
        if not self.enabled:
            return False
        with self._lock:
            return self._current(client, time.monotonic()).spent > self.budget / 4
