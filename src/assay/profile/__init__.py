"""Profile production traffic into slices: embedders, clustering, traffic weights."""

from assay.profile._embed import TfidfSvdEmbedder
from assay.profile._profile import OTHER, load_profile, profile

__all__ = ["OTHER", "TfidfSvdEmbedder", "load_profile", "profile"]
