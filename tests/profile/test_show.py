import json

from assay.cli import main


def test_profile_show_writes_a_self_contained_map(recorded_project, capsys):
    try:
        main(["profile", "show", "-p", str(recorded_project.root), "--json"])
    except SystemExit as exc:
        assert not exc.code
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "assay.profile.show/v1"
    html = open(doc["paths"]["html"]).read()
    assert "<svg" in html and "<script src" not in html


def test_profile_says_when_k_hit_the_upper_bound(tmp_path, cli):
    from assay.ingest import ingest
    from assay.project import load_project

    topics = ["where is my parcel {i}", "refund for order {i} please", "cannot log in to account {i}"]
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.jsonl").write_text(
        "".join(json.dumps({"messages": [{"role": "user", "content": topics[i % 3].format(i=i)}], "output": "ok"}) + "\n" for i in range(60))
    )
    (tmp_path / "assay.yaml").write_text("project: t\nsources:\n  - {name: prod, path: logs/*.jsonl}\nprofile: {k_min: 2, k_max: 2}\n")
    ingest(load_project(tmp_path))
    code, out, _ = cli(["profile", "-p", str(tmp_path)])
    assert code == 0 and "upper bound profile.k_max" in out and "Raise profile.k_max" in out
