"""Bradley-Terry ratings from pairwise preference verdicts.

P(i beats j) = 1 / (1 + exp(-(theta_i - theta_j))). Ratings are the maximum-likelihood
fit (Newton-Raphson on the log-likelihood, ratings centred to mean 0); a tie counts as
half a win for each side. Bootstrap intervals resample verdicts; since a resample only
changes how often each (pair, outcome) occurs, resamples are multinomial counts and all
fits run at once as a batched Newton solve. Ratings are also shown on the Elo scale
(400 / ln 10 per unit, centred at 1000) that arena leaderboards use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

ELO_SCALE = 400 / np.log(10)


def _encode(left: Sequence[str], right: Sequence[str], winner: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Unique (i, j, outcome) atoms and their counts; outcome 1 = left won, 0.5 tie, 0 right won."""
    models = sorted(set(left) | set(right))
    pos = {m: k for k, m in enumerate(models)}
    score = {"left": 1.0, "right": 0.0, "tie": 0.5}
    rows = []
    for lft, rgt, w in zip(left, right, winner):
        if w not in score:
            raise ValueError(f"winner must be left, right or tie, got {w!r}")
        if lft == rgt:
            continue
        rows.append((pos[lft], pos[rgt], score[w]))
    if not rows:
        return models, np.zeros((0, 3)), np.zeros(0)
    atoms, counts = np.unique(np.array(rows, dtype=float), axis=0, return_counts=True)
    return models, atoms, counts.astype(float)


def _wins(atoms: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray:
    """Win matrices W[b, i, j] (ties as halves) for a batch of count vectors (B, A)."""
    counts = np.atleast_2d(counts)
    W = np.zeros((counts.shape[0], k, k))
    i, j, s = atoms[:, 0].astype(int), atoms[:, 1].astype(int), atoms[:, 2]
    np.add.at(W, (slice(None), i, j), counts * s)
    np.add.at(W, (slice(None), j, i), counts * (1 - s))
    return W


def fit_wins(W: np.ndarray, ridge: float = 0.0, iters: int = 100, tol: float = 1e-12) -> np.ndarray:
    """Batched MLE of BT ratings from win matrices ``W`` (B, K, K); returns (B, K), mean 0.

    ``ridge`` adds a Gaussian prior (variance 1/ridge); 0 is the plain MLE, which is
    finite only when the comparison graph is strongly connected.
    """
    W = np.atleast_3d(W) if W.ndim == 3 else W[None]
    B, K, _ = W.shape
    N = W + W.transpose(0, 2, 1)
    theta = np.zeros((B, K))
    eye = np.eye(K)
    for _ in range(iters):
        diff = theta[:, :, None] - theta[:, None, :]
        p = 1 / (1 + np.exp(-diff))
        grad = (W - N * p).sum(axis=2) - ridge * theta
        h = N * p * (1 - p)
        H = h.copy()
        H[:, np.arange(K), np.arange(K)] = -h.sum(axis=2)
        H = H - ridge * eye
        # Fix the location: add a constant row/col (sum-to-zero) so H is invertible.
        H = H - 1.0 / K
        step = np.linalg.solve(H, grad[:, :, None])[:, :, 0]
        theta = theta - step
        theta -= theta.mean(axis=1, keepdims=True)
        if np.max(np.abs(step)) < tol:
            break
    return theta


def strongly_connected(W: np.ndarray) -> bool:
    """True when every model both beat and lost to someone reachable (finite MLE)."""
    K = W.shape[0]
    adj = W > 0
    reach = adj | np.eye(K, dtype=bool)
    for _ in range(K):
        reach = reach | ((reach.astype(int) @ reach.astype(int)) > 0)
    return bool(reach.all())


@dataclass
class BTResult:
    """Ratings (log-odds, mean 0) with bootstrap intervals, win counts and fragility."""

    models: list[str]
    rating: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n_votes: int
    wins: np.ndarray
    ridge: float
    n_resamples: int

    @property
    def elo(self) -> np.ndarray:
        return 1000 + ELO_SCALE * self.rating

    def win_rate(self) -> np.ndarray:
        """Observed share of wins (ties as halves) of row model against column model."""
        tot = self.wins + self.wins.T
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, self.wins / np.where(tot > 0, tot, 1), np.nan)

    def to_json(self) -> dict[str, Any]:
        wr = self.win_rate()
        return {
            "n_votes": self.n_votes,
            "ridge": self.ridge,
            "n_resamples": self.n_resamples,
            "ratings": [
                {"model": m, "rating": float(r), "low": float(lo), "high": float(hi), "elo": float(1000 + ELO_SCALE * r),
                 "elo_low": float(1000 + ELO_SCALE * lo), "elo_high": float(1000 + ELO_SCALE * hi)}
                for m, r, lo, hi in zip(self.models, self.rating, self.low, self.high)
            ],
            "win_rate": {m: {o: (None if np.isnan(wr[i, j]) else float(wr[i, j])) for j, o in enumerate(self.models) if i != j}
                         for i, m in enumerate(self.models)},
        }


def bradley_terry(
    left: Sequence[str],
    right: Sequence[str],
    winner: Sequence[str],
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BTResult:
    """Fit BT ratings to pairwise verdicts, with percentile bootstrap intervals.

    ``winner[k]`` is ``"left"``, ``"right"`` or ``"tie"``. When the comparison graph is
    not strongly connected (some model never lost, say) the plain MLE does not exist
    and a weak ridge (prior sd 10 logits) is applied and reported in ``ridge``.
    """
    models, atoms, counts = _encode(left, right, winner)
    K = len(models)
    W = _wins(atoms, counts, K)[0] if len(atoms) else np.zeros((K, K))
    ridge = 0.0 if strongly_connected(W) else 0.01
    rating = fit_wins(W[None], ridge=ridge)[0] if K else np.zeros(0)
    low = high = rating
    if n_resamples and len(atoms):
        rng = np.random.default_rng(seed)
        n = int(counts.sum())
        draws = rng.multinomial(n, counts / n, size=n_resamples).astype(float)
        thetas = []
        for s in range(0, n_resamples, 250):
            Wb = _wins(atoms, draws[s : s + 250], K)
            # A resample can lose connectivity; those get the weak ridge too.
            ok = np.array([strongly_connected(w) for w in Wb])
            th = np.empty((len(Wb), K))
            if ok.any():
                th[ok] = fit_wins(Wb[ok], ridge=ridge)
            if (~ok).any():
                th[~ok] = fit_wins(Wb[~ok], ridge=max(ridge, 0.01))
            thetas.append(th)
        boot = np.concatenate(thetas)
        a = 1 - confidence
        low, high = np.quantile(boot, a / 2, axis=0), np.quantile(boot, 1 - a / 2, axis=0)
    return BTResult(models, rating, np.asarray(low), np.asarray(high), int(counts.sum()), W, ridge, n_resamples)


def fragility(result: BTResult, max_flips: int = 2_000) -> dict[str, Any]:
    """How many verdicts must flip to change the top-rated model (greedy search).

    Each step flips the one verdict (a win of the leader becoming a loss, or a tie
    becoming a loss, against some opponent; or a loss of a challenger becoming a win)
    that shrinks the leader's margin most. Greedy, so the count is an upper bound on
    the true minimum; it is exact when one opponent's head-to-head record decides it.
    """
    K = len(result.models)
    if K < 2:
        return {"leader": result.models[0] if K else None, "flips": None, "share": None, "new_leader": None}
    W = result.wins.copy()
    lead = int(np.argmax(result.rating))
    flips = 0.0
    ridge = result.ridge
    while flips < max_flips:
        moves = []
        for j in range(K):
            if j == lead:
                continue
            if W[lead, j] >= 1:  # leader's win (or two half-wins) against j becomes j's win
                m = W.copy()
                m[lead, j] -= 1
                m[j, lead] += 1
                moves.append(m)
            for k in range(K):
                if k not in (j, lead) and W[k, j] >= 1:  # challenger j's loss to k becomes a win
                    m = W.copy()
                    m[k, j] -= 1
                    m[j, k] += 1
                    moves.append(m)
        if not moves:
            return {"leader": result.models[lead], "flips": None, "share": None, "new_leader": None}
        Ms = np.stack(moves)
        th = fit_wins(Ms, ridge=max(ridge, 1e-6))
        others = th.copy()
        others[:, lead] = -np.inf
        margin = th[:, lead] - others.max(axis=1)
        best = int(np.argmin(margin))
        W = Ms[best]
        flips += 1
        if margin[best] < 0:
            new = int(np.argmax(th[best]))
            return {"leader": result.models[lead], "flips": int(flips), "share": flips / max(result.n_votes, 1),
                    "new_leader": result.models[new]}
    return {"leader": result.models[lead], "flips": None, "share": None, "new_leader": None, "more_than": max_flips}
