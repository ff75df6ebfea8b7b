from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.councils.demo import build_councils
from sasaeai.support.demo import build_support
from sasaeai.support.models import Booking, Kind, Status, SupportRequest, Venue, VenueKind
from sasaeai.test import make_user

pytestmark = pytest.mark.django_db
SEED = 20261126


def test_requests_of_every_kind_and_status_and_a_register(itabashi: Any) -> None:
    sc = make_user("sc@demo.sasaeai.jp", Role.REGION_SC, "takashimadaira")
    make_user("ward@demo.sasaeai.jp", Role.WARD_STAFF, "131199")
    build_councils(itabashi, SEED)
    made = build_support(itabashi, SEED)
    assert made > 30 and build_support(itabashi, SEED) == 0
    requests = SupportRequest.objects.of(itabashi)
    combos = set(requests.values_list("kind", "status"))
    assert combos == {(k, s) for k in Kind for s in Status}
    assert requests.filter(area__code="takashimadaira", opened_by=sc).exists()
    assert requests.filter(messages__isnull=False).exists()
    for req in requests.filter(status=Status.DECLINED):
        assert req.decline_reason and req.events.last().status == Status.DECLINED  # type: ignore[union-attr]
    assert set(Venue.objects.of(itabashi).values_list("kind", flat=True)) == set(VenueKind)
    bookings = list(Booking.objects.filter(venue__municipality=itabashi))
    assert len(bookings) > 20 and any(b.request_id for b in bookings)
    for b in bookings:  # never two bookings of one entry at one time
        assert (
            not Booking.objects.filter(venue=b.venue)
            .exclude(pk=b.pk)
            .overlapping(b.starts_at, b.ends_at)
            .exists()
        )
