from hypothesis import given, settings
from hypothesis import strategies as st

from assay.sample import allocate


def test_proportional_with_tail_quota():
    weights = {"big": 0.70, "mid": 0.25, "tail": 0.05}
    alloc = allocate(weights, {"big": 1000, "mid": 1000, "tail": 1000}, 100, min_per_slice=10)
    assert sum(alloc.values()) == 100
    assert alloc["tail"] >= 10
    assert alloc["big"] > alloc["mid"] > alloc["tail"]
    assert abs(alloc["big"] - 70) <= 7


def test_capacity_overflow_goes_to_other_slices():
    alloc = allocate({"a": 0.5, "b": 0.5}, {"a": 3, "b": 100}, 40, min_per_slice=1)
    assert alloc == {"a": 3, "b": 37}


def test_slices_below_min_share_get_no_quota():
    alloc = allocate({"a": 0.999, "b": 0.001}, {"a": 100, "b": 100}, 10, min_per_slice=2, min_share=0.01)
    assert alloc["b"] == 0 and alloc["a"] == 10


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0001, 1), st.integers(0, 50)), min_size=1, max_size=30),
    st.integers(0, 400),
    st.integers(0, 3),
)
def test_allocation_invariants(slices, size, quota):
    total = sum(w for w, _ in slices)
    weights = {f"s{i}": w / total for i, (w, _) in enumerate(slices)}
    avail = {f"s{i}": n for i, (_, n) in enumerate(slices)}
    alloc = allocate(weights, avail, size, min_per_slice=quota)
    assert sum(alloc.values()) == min(size, sum(avail.values()))
    assert all(0 <= alloc[s] <= avail[s] for s in alloc)
