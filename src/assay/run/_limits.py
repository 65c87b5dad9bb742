"""Per-provider protection: request/token rate limits and a circuit breaker.

Both are plain objects on the event loop's clock (``time.monotonic``); the runner keeps
one of each per candidate.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from assay.errors import ProviderError


class RateLimiter:
    """A token bucket: ``per_minute`` units refill evenly; a burst of one second's worth.

    ``acquire(n)`` waits until the bucket holds ``n`` units (capped at the bucket size, so
    a request larger than the bucket still goes, leaving the bucket in debt); ``refund``
    gives back units that were estimated but not used (e.g. tokens).
    """

    def __init__(self, per_minute: float) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate)
        self.level = self.capacity
        self._t = time.monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = time.monotonic()
        self.level = min(self.capacity, self.level + (now - self._t) * self.rate)
        self._t = now

    async def acquire(self, n: float = 1.0) -> None:
        async with self._lock:  # first come, first served
            need = min(n, self.capacity)
            self._refill()
            while self.level < need:
                await asyncio.sleep((need - self.level) / self.rate)
                self._refill()
            self.level -= n

    def refund(self, n: float) -> None:
        self._refill()
        self.level = min(self.capacity, self.level + n)


class ProviderUnavailable(ProviderError):
    """The breaker tripped for good in this run: the provider kept failing after probes."""


@dataclass
class CircuitBreaker:
    """Stops sending to a provider that keeps failing, and probes before resuming.

    closed --(``failures`` consecutive retryable failures)--> open --(``cooldown_s``)-->
    half-open: one probe request goes; success closes the breaker, failure re-opens it.
    After ``max_opens`` failed probes in a row the provider is treated as down for the
    rest of the run: waiting requests end as recorded errors (``--resume`` retries them).
    """

    failures: int = 10
    cooldown_s: float = 10.0
    max_opens: int = 3
    state: str = "closed"
    consecutive: int = 0
    opens: int = 0
    opened_at: float = 0.0
    probe_in_flight: bool = False
    trips: int = field(default=0)  #: times the breaker opened during the run (reported)

    def admit(self) -> float:
        """0 when the caller may send now; else seconds to wait before asking again.

        Raises :class:`ProviderUnavailable` once the provider is considered down.
        """
        if self.state == "closed":
            return 0.0
        if self.state == "down":
            raise ProviderUnavailable(
                f"provider unavailable: {self.consecutive} consecutive failures, circuit breaker opened "
                f"{self.opens} times without a successful probe",
                hint="check the endpoint, then finish the run with `assay run --resume`",
            )
        now = time.monotonic()
        if self.state == "open":
            left = self.opened_at + self.cooldown_s - now
            if left > 0:
                return left
            self.state = "half-open"
        if self.probe_in_flight:
            return min(0.05, self.cooldown_s)
        self.probe_in_flight = True
        return 0.0

    def success(self) -> None:
        self.consecutive = 0
        self.opens = 0
        self.probe_in_flight = False
        self.state = "closed"

    def failure(self) -> None:
        self.consecutive += 1
        if self.state == "half-open":
            self.probe_in_flight = False
            self._open()
        elif self.state == "closed" and self.consecutive >= self.failures:
            self._open()

    def release(self) -> None:
        """The probe ended without telling anything about the provider (e.g. a 400)."""
        self.probe_in_flight = False

    def _open(self) -> None:
        self.opens += 1
        self.trips += 1
        if self.opens > self.max_opens:
            self.state = "down"
            return
        self.state = "open"
        self.opened_at = time.monotonic()
