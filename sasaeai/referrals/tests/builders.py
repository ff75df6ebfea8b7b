"""Small builders for referral tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sasaeai.areas.models import Area
from sasaeai.referrals import services
from sasaeai.referrals.models import (
    ConsentBy,
    ConsentMethod,
    Institution,
    InstitutionKind,
    InstitutionStaff,
    Referral,
    Status,
)
from sasaeai.test import area

PERSON = "板橋 花子"


def make_institution(
    name: str = "おとしより相談センター高島平",
    covers: tuple[str, ...] = ("takashimadaira",),
    kind: str = "houkatsu",
    municipality_code: str = "131199",
    **fields: Any,
) -> Institution:
    municipality = Area.objects.get(code=municipality_code)
    institution = Institution.objects.create(
        municipality=municipality,
        kind=InstitutionKind.objects.get(municipality=municipality, code=kind),
        name=name,
        **fields,
    )
    institution.areas.set([area(code) for code in covers])
    return institution


def link_staff(user: Any, institution: Institution) -> InstitutionStaff:
    return InstitutionStaff.objects.create(user=user, institution=institution)


def consent() -> dict[str, Any]:
    return {
        "consent_by": ConsentBy.PERSON,
        "consent_method": ConsentMethod.WRITTEN,
        "consent_on": dt.date(2026, 4, 1),
        "consent_purpose": "介護の相談をつなぐため",
    }


def make_referral(
    institution: Institution,
    area_code: str = "takashimadaira",
    by: Any = None,
    status: str = Status.DRAFT,
    **fields: Any,
) -> Referral:
    """A referral opened by `by`; sent (with consent) and answered up to `status`."""
    fields.setdefault("person_name", PERSON)
    fields.setdefault("person_contact", "03-0000-1234")
    fields.setdefault("problem", "物忘れが増え、一人暮らしが心配。")
    if status != Status.DRAFT:
        fields = {**consent(), **fields}
    referral = Referral(area=area(area_code), institution=institution, **fields)
    services.open_referral(referral, by=by)
    steps: dict[str, list[str]] = {
        Status.SENT: [],
        Status.RECEIVED: [Status.RECEIVED],
        Status.IN_PROGRESS: [Status.RECEIVED, Status.IN_PROGRESS],
        Status.CLOSED: [Status.RECEIVED, Status.CLOSED],
        Status.RETURNED: [Status.RETURNED],
    }
    if status != Status.DRAFT:
        services.send(referral, by=by)
        for step in steps[status]:
            services.answer(referral, step, by=None, note="理由", outcome="advice")
    return referral
