"""The public pages: published cases meant for residents only, no names, nothing internal,
and whom to ask."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.areas.models import AreaContact
from sasaeai.test import OTHER_HOST, area

from ..models import Audience, CaseStatus
from ..services import VoiceText
from .builders import make_case

pytestmark = pytest.mark.django_db


def test_only_published_public_cases_without_names(client: Client, users: dict[str, User]) -> None:
    AreaContact.objects.create(
        area=area("takashimadaira"), post="高島平地域担当 SC", phone="03-1234-5678",
        hours="月〜金 9:00〜17:00",
    )  # fmt: skip
    voice = VoiceText(
        role="サロンの代表", words="笑顔が増えた", name="高島 花子", name_consent=True
    )
    public = make_case(
        by=users["sc"], title="住民にも見せる事例", status=CaseStatus.PUBLISHED,
        audience=Audience.PUBLIC, voices=(voice,), internal_note="予算の内部事情",
    )  # fmt: skip
    make_case(by=users["sc"], title="職員だけの事例", status=CaseStatus.PUBLISHED)
    make_case(by=users["sc"], title="下書きの事例", audience=Audience.PUBLIC)
    page = client.get("/knowhow/").content.decode()
    assert "住民にも見せる事例" in page
    assert "職員だけの事例" not in page and "下書きの事例" not in page
    page = client.get(f"/knowhow/{public.pk}/").content.decode()
    assert "住民にも見せる事例" in page and "笑顔が増えた" in page and "サロンの代表" in page
    for hidden in ("高島 花子", "予算の内部事情", "sc@example.jp", "内部メモ"):
        assert hidden not in page, hidden
    assert "高島平地域担当 SC" in page and 'href="tel:0312345678"' in page


def test_others_are_not_found(client: Client, users: dict[str, User]) -> None:
    staff_only = make_case(by=users["sc"], status=CaseStatus.PUBLISHED)
    draft = make_case(by=users["sc"], audience=Audience.PUBLIC)
    public = make_case(by=users["sc"], status=CaseStatus.PUBLISHED, audience=Audience.PUBLIC)
    for case in (staff_only, draft):
        assert client.get(f"/knowhow/{case.pk}/").status_code == 404
    # Another municipality's site does not show Itabashi's case.
    assert Client(HTTP_HOST=OTHER_HOST).get(f"/knowhow/{public.pk}/").status_code == 404
    assert client.get("/knowhow/?question=<script>&page=x").status_code == 200


def test_narrowed_by_question(client: Client, users: dict[str, User]) -> None:
    shown: dict[str, Any] = {"by": users["sc"], "status": "published", "audience": "public"}
    make_case(title="仲間を増やした事例", questions=("more_members",), **shown)
    make_case(title="広めた事例", questions=("spread",), **shown)
    page = client.get("/knowhow/?question=spread").content.decode()
    assert "広めた事例" in page and "仲間を増やした事例" not in page
