from assay.project import ScorerSettings
from assay.records import Case, Message
from assay.scorers import get_scorer


def _case(reference):
    return Case(id="c1", set_name="v1", split="dev", record_ids=["r"], slice_id="t00", weight=0.1,
                messages=[Message(role="user", content="hi")], reference=reference)


def test_exact_match_normalises_case_space_punctuation_and_accents():
    s = get_scorer("exact_match")
    cfg = ScorerSettings(name="intent", type="exact_match", field="intent")
    assert s(" Order_Status.\n", _case({"intent": "order_status"}), cfg).value == 1.0
    assert s("order_status", _case({"intent": "cancel_order"}), cfg).value == 0.0
    assert s("Café", _case({"intent": "cafe"}), cfg).value == 1.0
    assert s("x", _case({"other": 1}), cfg).value is None  # not applicable


def test_json_fields_partial_credit_and_prose_wrapped_json():
    s = get_scorer("json_fields")
    cfg = ScorerSettings(name="x", type="json_fields", field="extraction")
    ref = {"extraction": {"order_id": "A-1", "product": "Blender", "amount": 49.99}}
    assert s('{"order_id": "A-1", "product": "blender", "amount": "49.99"}', _case(ref), cfg).value == 1.0
    v = s('Sure! Here it is: {"order_id": "A-1", "product": "Toaster", "amount": 49.99} hope that helps', _case(ref), cfg)
    assert abs(v.value - 2 / 3) < 1e-9 and "product" in v.detail
    assert s("no json here", _case(ref), cfg).value == 0.0
    null_ref = {"extraction": {"order_id": None, "product": "Blender", "amount": None}}
    assert s('{"order_id": null, "product": "Blender", "amount": null}', _case(null_ref), cfg).value == 1.0


def test_json_valid_strict_and_lenient():
    s = get_scorer("json_valid")
    strict = ScorerSettings(name="j", type="json_valid")
    lenient = ScorerSettings(name="j", type="json_valid", params={"strict": False})
    assert s('{"a": 1}', _case({}), strict).value == 1.0
    assert s('Here: {"a": 1}', _case({}), strict).value == 0.0
    assert s('Here: {"a": 1}', _case({}), lenient).value == 1.0
    assert s("[1, 2]", _case({}), strict).value == 0.0
