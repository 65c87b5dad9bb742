"""The llama.cpp provider with the real packaged model (Gemma 3 270M, offline)."""

import pytest

from assay.providers import Prompt, ProviderContext, make_provider
from assay.records import Candidate, Case, Message

pytest.importorskip("llama_cpp", reason="needs the [local] extra: pip install 'assay[local]'")
pytestmark = pytest.mark.slow


def _case():
    return Case(id="c1", set_name="v", split="dev", record_ids=["r"], slice_id="t00", weight=1.0,
                messages=[Message(role="user", content="x")])


async def test_base_model_completes_a_few_shot_prompt(tmp_path):
    cand = Candidate(name="g", provider="llamacpp", model="gemma3-270m")
    prov = make_provider(cand, ProviderContext(project_root=tmp_path))
    assert prov.identity()["model"].endswith(".gguf")
    shots = "".join(f"Message: {m}\nIntent: {i}\n\n" for m, i in [
        ("where is my parcel", "order_status"), ("reset my password", "password_reset"),
        ("where is my order?", "order_status"), ("I forgot my password", "password_reset"),
    ] * 3)
    params = {"max_tokens": 8, "temperature": 0.0, "stop": ["\n"]}
    a = await prov.complete(Prompt(text=shots + "Message: my password does not work\nIntent:"), params, _case())
    b = await prov.complete(Prompt(text=shots + "Message: my password does not work\nIntent:"), params, _case())
    assert a.output == b.output  # greedy decoding is deterministic
    assert a.output.strip() in {"password_reset", "order_status"}
    assert a.tokens_in > 50 and 0 < a.tokens_out <= 8


async def test_overlong_prompt_keeps_its_end(tmp_path):
    cand = Candidate(name="g", provider="llamacpp", model="gemma3-270m", options={"n_ctx": 256})
    prov = make_provider(cand, ProviderContext(project_root=tmp_path))
    text = "filler words " * 400 + "\nMessage: hello\nIntent:"
    out = await prov.complete(Prompt(text=text), {"max_tokens": 4, "stop": ["\n"]}, _case())
    assert out.tokens_in <= 256


def test_missing_model_file_is_a_config_error(tmp_path):
    from assay.errors import ConfigError

    with pytest.raises(ConfigError, match="GGUF model not found"):
        make_provider(Candidate(name="g", provider="llamacpp", model="nope.gguf"), ProviderContext(project_root=tmp_path))
