"""The activity directory (支え合い活動), modelled to map onto HSDS 3.1.

HSDS           sasaeai
organization   Organization (the organising group)
service        Activity
location       Place (with its address; service_at_location is Place.activity)
schedule       Schedule
taxonomy_term  Kind (two taxonomies: what it does / what kind of group runs it)
contact/phone  Activity.contact_* (public only when the organiser agreed)
"""

# In the order of the single module these came from, so that Django registers the models (and
# numbers their content types) as it did.
# isort: off
from .kinds import KIND_BITS, Facet, Kind, KindQuerySet
from .activities import (
    STALE_AFTER,
    TRANSITIONS,
    Activity,
    ActivityQuerySet,
    Organization,
    Status,
    Visibility,
    delete_photo_later,
)
from .places import PLACE_COPIES, Place, copy_to_places
from .schedules import (
    DAYPARTS,
    SCHEDULE_WORDS,
    WEEKDAYS,
    Frequency,
    Schedule,
    schedule_in_words,
    weekday_numbers,
)
from .proposals import Proposal, ProposalKind, ProposalQuerySet, ProposalStatus
from .network import (
    LINK_LIFETIME,
    LeftHow,
    NetworkMember,
    NetworkMemberQuerySet,
    NetworkMessage,
    NetworkRecipient,
    region_of,
)
from .confirmations import (
    Answer,
    ConfirmationBatch,
    ConfirmationRequest,
    ConfirmationSeason,
    Paper,
    SentHow,
)

# isort: on

__all__ = [
    "DAYPARTS", "KIND_BITS", "LINK_LIFETIME", "PLACE_COPIES", "SCHEDULE_WORDS", "STALE_AFTER",
    "TRANSITIONS", "WEEKDAYS", "Activity", "ActivityQuerySet", "Answer", "ConfirmationBatch",
    "ConfirmationRequest", "ConfirmationSeason", "Facet", "Frequency", "Kind", "KindQuerySet",
    "LeftHow", "NetworkMember", "NetworkMemberQuerySet", "NetworkMessage", "NetworkRecipient",
    "Organization", "Paper", "Place", "Proposal", "ProposalKind", "ProposalQuerySet",
    "ProposalStatus", "Schedule", "SentHow", "Status", "Visibility", "copy_to_places",
    "delete_photo_later", "region_of", "schedule_in_words", "weekday_numbers",
]  # fmt: skip
