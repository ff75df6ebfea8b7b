"""Requests for help from a council (学び合う・支え合う・つなぎ合う・出し合う) and the register of
venues and professionals the ward side lends, with their bookings.

A request belongs to its council's area; it moves new → accepted → done, or to declined
(with a reason), and every step is a dated RequestEvent. A booking takes one register entry
for a time; services.book refuses a time that overlaps another booking of the same entry.
"""

from .requests import (
    KIND_OF_TOPIC,
    OPEN_STATUSES,
    Kind,
    RequestEvent,
    RequestMessage,
    RequestNotice,
    RequestQuerySet,
    Side,
    Status,
    SupportRequest,
    Topic,
    grouped_topics,
)
from .venues import Booking, BookingQuerySet, Venue, VenueKind, VenueQuerySet

__all__ = [
    "KIND_OF_TOPIC", "OPEN_STATUSES", "Booking", "BookingQuerySet", "Kind", "RequestEvent",
    "RequestMessage", "RequestNotice", "RequestQuerySet", "Side", "Status", "SupportRequest",
    "Topic", "Venue", "VenueKind", "VenueQuerySet", "grouped_topics",
]  # fmt: skip
