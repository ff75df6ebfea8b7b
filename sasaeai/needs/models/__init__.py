"""Models of the needs app: needs with their timeline, helpers (担い手), introductions and
仲間募集."""

from .helpers import (
    ConsentHow,
    Helper,
    HelperQuerySet,
    Introduction,
    LookingFor,
    Outcome,
    PeerCall,
    PeerCallQuerySet,
    when_in_words,
)
from .needs import (
    CLOSED_STATUSES,
    MET_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    EventAction,
    Need,
    NeedEvent,
    NeedKind,
    NeedKindQuerySet,
    NeedQuerySet,
    Source,
    Status,
    Urgency,
)

__all__ = [
    "CLOSED_STATUSES",
    "MET_STATUSES",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "ConsentHow",
    "EventAction",
    "Helper",
    "HelperQuerySet",
    "Introduction",
    "LookingFor",
    "Need",
    "NeedEvent",
    "NeedKind",
    "NeedKindQuerySet",
    "NeedQuerySet",
    "Outcome",
    "PeerCall",
    "PeerCallQuerySet",
    "Source",
    "Status",
    "Urgency",
    "when_in_words",
]

# The need form on paper lives in its own module; imported here so that Django finds it.
from ..paper_models import NeedSheet, NeedSheetQuerySet

__all__ += ["NeedSheet", "NeedSheetQuerySet"]
