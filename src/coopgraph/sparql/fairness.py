"""Fair shares of query time: a budget per client, and workers handed out in turn.

A client is its network, nothing it says about itself: a User-Agent or a forwarded-for header costs
nothing to change (proxy headers count only from proxies the operator lists), and neither does an
address within one network, so addresses are grouped (`client_group`): an IPv4 /24, an IPv6 /64.
Loopback addresses are no exception: 127.0.0.1 to 127.0.0.255 are one client, as any /24 is. Each
client may spend `budget` seconds of query time per `window` seconds (a bucket that refills
steadily); a client that has spent it gets 429 with the seconds until it may ask again, checked
again when its turn for a worker comes, so queries queued in parallel do not slip past it.
Answers kept from earlier runs cost nothing. Memory is bounded: clients not charged for a window
are forgotten, and past `max_clients` the least recently charged.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import threading
import time
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def client_group(address: str) -> str:
    """The network a client's address stands for: what one party can easily hold many addresses
    of (an IPv4 /24, an IPv6 /64, loopback included). Anything unreadable stands for itself."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


@dataclass
class _Account:
    spent: float  # seconds of query time still counted against the client
    at: float  # when `spent` was last brought up to date
    charged: float = 0.0  # when it was last charged: a client not charged for a window is forgotten


class OverBudget(Exception):
    """The client has spent its query time; `retry_after` seconds until it may ask again."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class QueryBudgets:
    def __init__(self, budget: float, window: float = 60.0, max_clients: int = 100_000):
        self.budget, self.window, self.max_clients = budget, window, max_clients
        self.enabled = budget > 0
        self._accounts: OrderedDict[str, _Account] = OrderedDict()  # the last charged last
        self._lock = threading.Lock()
        self.refused = 0

    def _current(self, client: str, now: float) -> _Account:
        accounts = self._accounts
        while accounts and now - next(iter(accounts.values())).charged >= self.window:
            accounts.popitem(last=False)  # not charged for a window: forgotten
        account = accounts.get(client) or _Account(0.0, now)
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
            account.charged = now
            self._accounts[client] = account
            self._accounts.move_to_end(client)
            if len(self._accounts) > self.max_clients:
                self._accounts.popitem(last=False)  # the least recently charged


class QueueWaitExceeded(Exception):
    """No turn came within the time a request may wait."""


@dataclass(eq=False)
class _Waiter:
    """A request waiting on the event loop for its turn; the worker is set when its turn comes."""

    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[None]
    item: Any = None


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class FairTurns(Generic[T]):
    """Idle query workers handed to waiting clients in turn, not first come, first served.

    Each client waits in its own line; the lines are served round-robin, and a client may hold at
    most `per_client` workers at once. A client with nothing waiting or running joins at the head
    of the round, not its tail: with eight networks keeping the queue full, a newcomer waits for the
    next worker to come free, not for a query of each of them. So a client with nine queries waiting
    never stands between another client and a free worker. A client whose query held a worker for
    more than `light` seconds is no newcomer for the next `recent` seconds: an attacker whose query
    has just ended has nothing waiting or running either, and asking again at once (before the
    worker is back) it went ahead of a newcomer every time. A light client stays a newcomer however
    often it asks. Newcomers are served in the order they came.

    A request waits on the event loop (`take_async`), holding no thread; `take` waits on a thread,
    for callers outside the loop. Both stand in the same lines.
    """

    def __init__(self, per_client: int, max_waiting: int = 48, max_waiting_per_client: int = 16, light: float = 0.5,
                 recent: float = 10.0):
        self.per_client = max(1, per_client)
        # waiting queries are bounded: a flood is refused at once, not queued without end
        self.max_waiting, self.max_waiting_per_client = max_waiting, max_waiting_per_client
        self._cond = threading.Condition()
        self._idle: deque[T] = deque()
        self._lines: OrderedDict[str, deque[object]] = OrderedDict()
        self._holding: Counter[str] = Counter()
        self._new: dict[str, None] = {}  # newcomers not yet served, in the order they came (at the head of `_lines`)
        self.light, self.recent = light, recent
        self._taken: dict[str, list[float]] = {}  # when each worker a client holds was handed to it
        self._heavy: OrderedDict[str, float] = OrderedDict()  # until when a client is no newcomer, the latest last

    def put(self, item: T) -> None:
        """An idle worker, new or back from a query. The last one back is the next one out: its
        caches are warm and the scheduler still has it near (a fifth of a millisecond a query
        against handing the workers out in a ring)."""
        with self._cond:
            self._idle.append(item)
            self._hand_out()
            self._cond.notify_all()

    def _hand_out(self) -> None:
        """Idle workers to the waiters on the event loop whose turn it is (the lock is held). A thread
        whose turn it is takes its own, woken by `notify_all`."""
        while self._idle:
            first = self._first_in_turn()
            if first is None:
                return
            client, waiter = first
            if not isinstance(waiter, _Waiter):  # a thread's ticket: it takes its own worker
                return
            line = self._lines[client]
            line.popleft()
            if line:
                self._lines.move_to_end(client)  # the others' turn next
            else:
                del self._lines[client]
            self._serve(client)
            waiter.item = self._idle.pop()
            waiter.loop.call_soon_threadsafe(_wake, waiter.future)  # a worker may come back on another thread

    def _first_in_turn(self) -> tuple[str, object] | None:
        for client, line in self._lines.items():
            if self._holding[client] < self.per_client:
                return client, line[0]
        return None

    def take_now(self, client: str) -> T | None:
        """An idle worker for `client` at once, if one is free and nobody waits ahead of it; else None
        (the caller then waits with `take`). Never blocks: called from the event loop."""
        with self._cond:
            if not self._idle or self._holding[client] >= self.per_client:
                return None
            if any(self._holding[other] < self.per_client for other in self._lines):
                return None  # others are waiting for their turn: join the line
            self._serve(client)
            return self._idle.pop()

    def _serve(self, client: str) -> None:
        """The client has its turn (the lock is held)."""
        self._holding[client] += 1
        self._new.pop(client, None)
        self._taken.setdefault(client, []).append(time.monotonic())

    def _count(self, client: str, worked: float | None) -> None:
        """A query of the client's ended: one that kept its worker working long makes it no newcomer
        for a while (the lock is held). `worked` is what the worker measured; without it (the query
        was stopped, or refused before it ran), the time since the worker was handed over."""
        taken = self._taken.get(client)
        if not taken:
            return
        now = time.monotonic()
        started = taken.pop()
        if not taken:
            del self._taken[client]
        while self._heavy and next(iter(self._heavy.values())) <= now:
            self._heavy.popitem(last=False)  # bounded: the clients of the last `recent` seconds only
        if (now - started if worked is None else worked) > self.light:
            self._heavy[client] = now + self.recent
            self._heavy.move_to_end(client)

    async def take_async(self, client: str, timeout: float) -> T:
        """As `take`, waiting on the event loop: no thread is held while a request waits its turn."""
        item = self.take_now(client)
        if item is not None:
            return item
        loop = asyncio.get_running_loop()
        waiter = _Waiter(loop, loop.create_future())
        with self._cond:
            self._refuse_when_full(client)
            self._join(client, waiter)
            self._hand_out()
        taken = False
        try:
            async with asyncio.timeout(timeout):
                await waiter.future
            taken = True
            return waiter.item  # type: ignore[no-any-return]
        except TimeoutError:
            raise QueueWaitExceeded(f"no query worker became free for this client within {timeout:g} s") from None
        finally:
            if not taken:  # timed out or given up: out of the line, and a worker handed meanwhile goes back
                with self._cond:  # reentrant: done and put take it again
                    line = self._lines.get(client)
                    if line is not None and waiter in line:
                        line.remove(waiter)
                        if not line:
                            del self._lines[client]
                    if waiter.item is not None:
                        self.done(client, 0.0)
                        self.put(waiter.item)
                    self._hand_out()
                    self._cond.notify_all()

    def _join(self, client: str, waiter: object) -> None:
        """The waiter at the end of its client's line; a client with nothing waiting or running
        comes first in the round (the lock is held)."""
        newcomer = (client not in self._lines and self._holding[client] == 0
                    and self._heavy.get(client, 0.0) <= time.monotonic())
        self._lines.setdefault(client, deque()).append(waiter)
        if newcomer:  # at the head of the round, behind the newcomers already waiting
            self._new = {c: None for c in self._new if c in self._lines}
            self._new[client] = None
            for earlier in reversed(self._new):
                self._lines.move_to_end(earlier, last=False)

    def _refuse_when_full(self, client: str) -> None:
        """A quarter of the waiting places is kept for clients not yet waiting or running: several
        networks that fill the queue together still leave a newcomer a place."""
        waiting = sum(len(line) for line in self._lines.values())
        known = client in self._lines or self._holding[client] > 0
        limit = self.max_waiting - max(1, self.max_waiting // 4) if known else self.max_waiting
        if waiting >= limit or len(self._lines.get(client, ())) >= self.max_waiting_per_client:
            raise QueueWaitExceeded(f"too many queries are waiting ({waiting} in all; at most "
                                    f"{self.max_waiting_per_client} of one client)")

    def take(self, client: str, timeout: float) -> T:
        """The next idle worker for `client` when its turn comes; QueueWaitExceeded after `timeout`."""
        ticket = object()
        deadline = time.monotonic() + timeout
        with self._cond:
            self._refuse_when_full(client)
            self._join(client, ticket)
            try:
                while True:
                    if self._idle and self._first_in_turn() == (client, ticket):
                        self._serve(client)
                        self._lines.move_to_end(client)  # the others' turn next
                        return self._idle.pop()
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise QueueWaitExceeded(f"no query worker became free for this client within {timeout:g} s")
                    self._cond.wait(remaining)
            finally:
                line = self._lines.get(client)
                if line is not None:
                    if ticket in line:
                        line.remove(ticket)
                    if not line:
                        del self._lines[client]
                self._hand_out()
                self._cond.notify_all()

    def done(self, client: str, worked: float | None = None) -> None:
        """The client's query ended (its worker goes back with `put`, or is replaced). `worked`: the
        seconds the worker spent on it, as the worker measured them. The time the server held the
        worker is no measure of a query: under load it adds the server's own delays (a light client
        once held a worker for over half a second, was taken for an attacker, and waited a round
        behind eight networks)."""
        with self._cond:
            self._holding[client] -= 1
            self._count(client, worked)
            if self._holding[client] <= 0:
                del self._holding[client]
            if client in self._lines:  # it just had a turn: the others' lines come first
                self._lines.move_to_end(client)
            self._hand_out()
            self._cond.notify_all()
