"""The rate limiter and circuit breaker on their own."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from assay.run import CircuitBreaker, RateLimiter
from assay.run import _limits
from assay.run._limits import ProviderUnavailable


async def test_rate_limiter_holds_the_long_run_rate():
    lim = RateLimiter(per_minute=6000)  # 100/s, bucket of 100
    t0 = time.monotonic()
    for _ in range(150):
        await lim.acquire()
    took = time.monotonic() - t0
    assert 0.45 <= took <= 1.5  # 100 at once, then 50 at 100/s


async def test_token_limiter_debt_and_refund():
    lim = RateLimiter(per_minute=60_000)  # 1000 tokens/s
    await lim.acquire(5000)  # larger than the bucket: goes, leaves debt
    assert lim.level < 0
    lim.refund(4500)  # the request used less than estimated
    t0 = time.monotonic()
    await lim.acquire(400)
    assert time.monotonic() - t0 < 0.3


def test_breaker_opens_probes_and_closes(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(_limits, "time", SimpleNamespace(monotonic=lambda: now[0]))
    b = CircuitBreaker(failures=3, cooldown_s=5, max_opens=2)
    for _ in range(2):
        assert b.admit() == 0
        b.failure()
    b.success()  # a success resets the count
    for _ in range(3):
        b.failure()
    assert b.state == "open" and b.admit() == pytest.approx(5)
    now[0] += 5
    assert b.admit() == 0 and b.state == "half-open"  # this caller is the probe
    assert b.admit() > 0  # others wait for the probe
    b.success()
    assert b.state == "closed" and b.admit() == 0 and b.trips == 1


def test_breaker_declares_provider_down_after_failed_probes(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(_limits, "time", SimpleNamespace(monotonic=lambda: now[0]))
    b = CircuitBreaker(failures=1, cooldown_s=1, max_opens=2)
    b.failure()
    for _ in range(2):
        now[0] += 1
        assert b.admit() == 0
        b.failure()
    with pytest.raises(ProviderUnavailable, match="resume"):
        b.admit()
