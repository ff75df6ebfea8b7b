"""The staff home's count of requests for help with news (support_tags.support_news_count):
each request with an unread notice for this person counts once; read ones and other
people's do not."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.support.models import RequestNotice

from .builders import make_request

pytestmark = pytest.mark.django_db


def news(client: Client) -> str:
    page = client.get("/staff/").content.decode()
    found = re.search(r"応援の依頼</a></p><p>[^<]*(?:<strong>(お知らせ \d+ 件)</strong>)?", page)
    assert found, "the support card"
    return found.group(1) or ""


def test_counts_requests_with_unread_news_for_this_person(client: Client, users: dict) -> None:
    twice, once, read = (make_request(title=f"依頼{n}", by=users["sc"]) for n in range(3))
    RequestNotice.objects.all().delete()
    client.force_login(users["sc"])
    assert news(client) == ""
    sc, other = users["sc"], users["ward"]
    RequestNotice.objects.create(user=sc, request=twice)
    RequestNotice.objects.create(user=sc, request=twice)
    RequestNotice.objects.create(user=sc, request=once)
    RequestNotice.objects.create(user=sc, request=read, read_at=timezone.now())
    RequestNotice.objects.create(user=other, request=read)
    assert news(client) == "お知らせ 2 件"
    client.get(f"/staff/support/{twice.pk}/")  # opening it reads its news
    assert news(client) == "お知らせ 1 件"
