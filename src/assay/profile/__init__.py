"""Profile production traffic into slices: embedders, clustering, traffic weights."""

from assay.profile._embed import Embedder, TfidfSvdEmbedder, embedder, embedder_names, make_embedder
from assay.profile._map import OTHER, UNMATCHED, TrafficMap
from assay.profile._pretrained import CachedEmbedder, MiniLMEmbedder, OpenAIEmbedder
from assay.profile._profile import load_profile, load_traffic_map, profile
from assay.profile._show import ProfileView, profile_show

__all__ = [
    "OTHER",
    "UNMATCHED",
    "CachedEmbedder",
    "Embedder",
    "MiniLMEmbedder",
    "OpenAIEmbedder",
    "ProfileView",
    "TfidfSvdEmbedder",
    "TrafficMap",
    "embedder",
    "embedder_names",
    "load_profile",
    "load_traffic_map",
    "make_embedder",
    "profile",
    "profile_show",
]
