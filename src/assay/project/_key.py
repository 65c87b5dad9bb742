"""The project key: keys the PII pseudonyms and record ids. Never leaves the project folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_ENV = "ASSAY_PROJECT_KEY"


def project_key(state_dir: Path) -> bytes:
    """Read the project key (``ASSAY_PROJECT_KEY`` or ``.assay/key``), creating it once."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode()
    path = state_dir / "key"
    if not path.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
