"""Who may see and do what with a region's network of organisers, on top of
accounts/access.py.

Seeing: the list holds organisers' phone numbers and addresses, so only staff see it: whoever
holds VIEW on the region or above (its SC and council members, the block SC, ward staff,
administrators), as for the activities' own contact fields. Anyone else gets 404, audited.
Acting (recording an organiser's consent, taking one out, writing to them) needs EDIT there;
a person who may see but not act gets 403, audited.

The organisers themselves have no account: a message's secret link (`recipient`) shows them
that message and their region's list, on their municipality's site only.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaKind

from .models import NetworkMember, NetworkMessage, NetworkRecipient

VIEW, EDIT = Capability.VIEW, Capability.EDIT


def region(request: HttpRequest, code: str, capability: str = VIEW) -> Area:
    """A region whose network this person may see (404, audited, if not), and act on with
    `capability` (403, audited, if not). A network is a region's: other areas have none."""
    area = access.get_object(request, Area.objects.all(), capability, area_field="", code=code)
    if area.kind != AreaKind.REGION:
        raise Http404
    return area


def member(request: HttpRequest, pk: int, capability: str = EDIT) -> NetworkMember:
    queryset = NetworkMember.objects.select_related("activity__area")
    return access.get_object(request, queryset, capability, "activity__area", pk=pk)


def message(request: HttpRequest, pk: int) -> NetworkMessage:
    queryset = NetworkMessage.objects.select_related("area", "sent_by")
    return access.get_object(request, queryset, VIEW, "area", pk=pk)


def recipient(request: HttpRequest, token: str) -> NetworkRecipient | None:
    """The recipient whose secret this is, on their own municipality's site; else None."""
    municipality = access.public_municipality(request)
    found = NetworkRecipient.objects.by_token(token)
    if found is None or (found.message.area.municipality_id or 0) != municipality.pk:
        return None
    return found
