from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from sasaeai.lib.ratelimit import HourlyLimit


@pytest.mark.django_db
def test_each_form_and_address_has_its_own_count(settings: Any) -> None:
    cache.clear()
    limit = HourlyLimit("test-form", per_hour=2)
    one = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    other = RequestFactory().post("/", REMOTE_ADDR="192.0.2.2")
    assert not limit.reached(one)
    limit.count(one)
    limit.count(one)
    assert limit.reached(one)
    assert not limit.reached(other)
    assert not HourlyLimit("another-form", per_hour=2).reached(one)
