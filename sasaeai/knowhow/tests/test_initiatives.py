"""The guidebook's initiatives (支え合い会議の“3つの取組み”) as a tag on cases, chosen when a
case is written, shown on its page, and a filter of the search."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.progress.models import Initiative

from .. import services
from ..models import Case, CaseStatus
from .builders import make_case
from .test_case_edit import form

pytestmark = pytest.mark.django_db


def test_a_case_is_tagged_with_initiatives_and_found_by_them(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["sc"])
    response = client.post("/staff/knowhow/cases/new/",
                           form(initiatives=["nakama", "tsunageru"]), follow=True)  # fmt: skip
    page = response.content.decode()
    assert "仲間探し（活動の仲間づくりの支援）" in page
    case = Case.objects.get()
    assert sorted(i.initiative for i in case.initiatives.all()) == ["nakama", "tsunageru"]
    services.send_for_review(case, by=users["sc"])
    services.publish(case, by=users["block"])
    make_case(by=users["sc"], title="ほかの事例", status=CaseStatus.PUBLISHED)
    client.force_login(users["other_sc"])
    found = client.get("/staff/knowhow/cases/", {"initiative": Initiative.NAKAMA}).content.decode()
    assert "団地の見守り" in found and "ほかの事例" not in found
    none = client.get("/staff/knowhow/cases/", {"initiative": Initiative.KIKAN}).content.decode()
    assert "団地の見守り" not in none
    # An odd value is dropped, never a 500.
    assert client.get("/staff/knowhow/cases/", {"initiative": "<x>"}).status_code == 200
