import pytest

from assay.errors import ConfigError
from assay.project import init_project, load_project, parse_config


def _err(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_config(text, file="assay.yaml")
    return info.value


def test_unknown_provider_names_line_field_and_choices():
    e = _err("project: x\ncandidates:\n  - name: a\n    provider: olama\n")
    assert e.line == 4 and e.field == "candidates.0.provider"
    assert "assay.yaml:4" in str(e) and "openai" in str(e) and "llamacpp" in str(e)


def test_typo_in_field_name_points_at_its_line():
    e = _err("project: x\nrun:\n  concurrency: 2\n  epoch: 3\n")
    assert e.line == 4 and e.field == "run.epoch" and "unknown field" in str(e)


def test_wrong_type_says_what_was_given():
    e = _err("project: x\nsampling:\n  size: lots\n")
    assert e.line == 3 and e.field == "sampling.size" and "'lots'" in str(e)


def test_yaml_syntax_error_has_a_line():
    e = _err("project: x\ncandidates: [\n")
    assert e.line is not None and "YAML" in str(e)


def test_duplicate_candidates_rejected():
    e = _err("project: x\ncandidates:\n  - {name: a, provider: recorded}\n  - {name: a, provider: recorded}\n")
    assert "unique" in str(e)


def test_unknown_scorer_type():
    e = _err("project: x\nscorers:\n  - name: s\n    type: bleu9000\n")
    assert e.line == 4 and "exact_match" in str(e)


def test_init_writes_a_valid_commented_starter(tmp_path):
    path = init_project(tmp_path / "proj")
    text = path.read_text()
    assert "# " in text and "candidates:" in text
    project = load_project(tmp_path / "proj")
    assert project.config.project == "proj"
    assert project.database_url.endswith(".assay/assay.db")
    with pytest.raises(Exception, match="already exists"):
        init_project(tmp_path / "proj")


def test_database_url_is_a_setting(tmp_path, monkeypatch):
    (tmp_path / "assay.yaml").write_text("project: p\nstore:\n  url: sqlite:////tmp/elsewhere.db\n")
    assert load_project(tmp_path).database_url == "sqlite:////tmp/elsewhere.db"
    monkeypatch.setenv("ASSAY_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert load_project(tmp_path).database_url == "postgresql+psycopg://u@h/db"


def test_missing_project_file_hints_init(tmp_path):
    with pytest.raises(ConfigError, match="assay init"):
        load_project(tmp_path)
