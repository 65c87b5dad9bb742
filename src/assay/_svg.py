"""Matplotlib figures as inline SVG, so every report is one self-contained, offline file."""

from __future__ import annotations

import io
from typing import Any


def figure_to_svg(fig: Any) -> str:
    """The ``<svg>`` element of ``fig`` (no timestamp, so output is stable); closes ``fig``."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.find("<svg") :]
