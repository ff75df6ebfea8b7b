"""The staff home's count of referrals with news (referrals_tags.referral_news_count): each
referral with an unread notice for this person counts once; read ones and other people's
do not."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.referrals.models import Notice

from .builders import link_staff, make_institution, make_referral

pytestmark = pytest.mark.django_db


def news(client: Client) -> str:
    page = client.get("/staff/").content.decode()
    found = re.search(r"つなぎ</a></p><p>[^<]*(?:<strong>(お知らせ \d+ 件)</strong>)?", page)
    assert found, "the referrals card"
    return found.group(1) or ""


def test_counts_referrals_with_unread_news_for_this_person(client: Client, users: dict) -> None:
    institution = make_institution()
    link_staff(users["institution"], institution)
    twice, once, read = (make_referral(institution, by=users["sc"]) for _ in range(3))
    Notice.objects.all().delete()
    client.force_login(users["sc"])
    assert news(client) == ""
    sc, other = users["sc"], users["institution"]
    Notice.objects.create(user=sc, referral=twice)
    Notice.objects.create(user=sc, referral=twice)
    Notice.objects.create(user=sc, referral=once)
    Notice.objects.create(user=sc, referral=read, read_at=timezone.now())
    Notice.objects.create(user=other, referral=read)
    assert news(client) == "お知らせ 2 件"
    client.get(f"/staff/referrals/{twice.pk}/")  # opening it reads its news
    assert news(client) == "お知らせ 1 件"
