"""How many cases each slice gets: proportional to traffic, with a tail quota."""

from __future__ import annotations

import math


def allocate(
    weights: dict[str, float],
    available: dict[str, int],
    size: int,
    *,
    min_per_slice: int = 1,
    min_share: float = 0.0,
) -> dict[str, int]:
    """Split ``size`` cases across slices.

    Every slice whose traffic share is at least ``min_share`` first gets
    ``min_per_slice`` cases (the tail quota); the rest is divided in proportion to
    traffic weight by largest remainder. No slice gets more than it has available, and
    what a full slice cannot take goes to the others.
    """
    alloc = {s: 0 for s in weights}
    budget = min(size, sum(available.values()))
    for s, w in sorted(weights.items(), key=lambda kv: -kv[1]):
        if w >= min_share and budget > 0:
            take = min(min_per_slice, available.get(s, 0), budget)
            alloc[s] += take
            budget -= take
    while budget > 0:
        open_slices = [s for s, w in weights.items() if alloc[s] < available.get(s, 0) and w > 0]
        if not open_slices:
            break
        # Water-filling: slices the quota already lifted above their proportional share
        # of the final total take no more; the rest share the budget by weight.
        receivers = set(open_slices)
        while True:
            pool = budget + sum(alloc[s] for s in receivers)
            w_sum = sum(weights[s] for s in receivers)
            over = {s for s in receivers if alloc[s] >= weights[s] / w_sum * pool}
            if not over or over == receivers:
                break
            receivers -= over
        quotas = {s: max(0.0, weights[s] / w_sum * pool - alloc[s]) for s in sorted(receivers)}
        given = 0
        for s, q in quotas.items():
            take = min(math.floor(q), available[s] - alloc[s], budget - given)
            alloc[s] += take
            given += take
        budget -= given
        order = sorted(receivers, key=lambda s: (-(quotas[s] - math.floor(quotas[s])), -weights[s], s))
        progressed = given > 0
        for s in order:
            if budget == 0:
                break
            if alloc[s] < available[s]:
                alloc[s] += 1
                budget -= 1
                progressed = True
        if not progressed:
            break
    return alloc
