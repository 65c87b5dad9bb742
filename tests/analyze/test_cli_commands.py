"""The CLI commands of this package, end to end on a real project (synthetic logs from
tests/conftest.py) and a synthetic store."""

import json



def test_plan_json_and_bad_input(cli):
    code, out, _ = cli(["plan", "--baseline", "0.82", "--mde", "0.03", "--json"])
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "assay.plan/v1" and doc["n_paired"] < doc["n_unpaired_per_group"]
    code, _, err = cli(["plan", "--baseline", "82", "--mde", "3"])
    assert code == 1 and "baseline" in err and "hint" in err and "Traceback" not in err


def test_claims_compare_mirage_report(project_factory, cli):
    project = project_factory(
        "  - {name: incumbent, provider: recorded, incumbent: true}\n"
        "  - {name: second, provider: recorded}"
    )
    p = str(project.root)
    assert cli(["run", "--set", "v1", "-p", p, "--json"])[0] == 0
    code, out, err = cli(["claims", "add", "second", "mmlu", "80", "--source", "vendor card", "-p", p, "--json"])
    assert code == 0 and json.loads(out)["claims"][0]["candidate"] == "second"
    cli(["claims", "add", "incumbent", "mmlu", "60", "--source", "lab", "--independent", "-p", p])
    code, out, _ = cli(["claims", "list", "-p", p, "--json"])
    assert [c["candidate"] for c in json.loads(out)["claims"]] == ["incumbent", "second"]
    code, _, err = cli(["claims", "add", "nobody", "mmlu", "1", "--source", "x", "-p", p])
    assert code == 1 and "nobody" in err and "incumbent" in err
    code, out, err = cli(["compare", "--set", "v1", "-p", p, "--json"])
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema"] == "assay.compare/v1" and doc["comparisons"][0]["candidate"] == "second"
    assert "you can detect differences" in doc["mde"]["sentence"]
    code, out, _ = cli(["mirage", "--set", "v1", "-p", p, "--json"])
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "assay.mirage/v1" and doc["benchmark"] == "mmlu" and doc["headline"]
    code, out, _ = cli(["report", "--set", "v1", "-p", p, "--json"])
    doc = json.loads(out)
    assert doc["schema"] == "assay.report/v1" and doc["comparison"]["reference"] == "incumbent"
    html = open(doc["files"]["html"]).read()
    assert "Paired comparison" in html and "Benchmark mirage" in html and "<script src" not in html
