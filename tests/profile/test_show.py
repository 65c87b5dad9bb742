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
