"""The project folder: ``assay.yaml``, its validation, and the state directory."""

from assay.project._config import (
    CONFIG_FILE,
    STATE_DIR,
    GateSettings,
    ProfileSettings,
    Project,
    ProjectConfig,
    RunSettings,
    SamplingSettings,
    ScorerSettings,
    SourceSettings,
    as_project,
    load_project,
    parse_config,
)
from assay.project._init import init_project
from assay.project._key import project_key

__all__ = [
    "CONFIG_FILE",
    "STATE_DIR",
    "GateSettings",
    "ProfileSettings",
    "Project",
    "ProjectConfig",
    "RunSettings",
    "SamplingSettings",
    "ScorerSettings",
    "SourceSettings",
    "as_project",
    "init_project",
    "load_project",
    "parse_config",
    "project_key",
]
