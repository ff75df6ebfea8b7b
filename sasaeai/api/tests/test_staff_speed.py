"""What keeps the staff API's lists fast (issue 26, bench/staff_api_bench.py) without
changing what they answer: the rate limit's count written in one statement, in the cache
(which a clear empties); and common words found along the list's order, row by row, listing
exactly what the word index lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sasaeai.accounts.models import User
from sasaeai.api import staff_directory
from sasaeai.api.models import Token
from sasaeai.directory.models import Status
from sasaeai.directory.tests.builders import make_activity

from .test_staff_directory import API, Script, problem, read

pytestmark = pytest.mark.django_db
ME = "/api/staff/me/"


def counted(script: Script) -> list[float]:
    token = Token.objects.order_by("-pk").first()
    assert token is not None
    return list(caches["default"].get(f"throttle_token_{token.pk}", []))


def test_the_rate_is_counted_in_the_cache_in_two_statements(
    users: dict[str, User], settings: Any
) -> None:
    settings.SASAEAI_API_RATE = "2/m"
    caches["default"].clear()
    script = Script(users["sc"])
    with CaptureQueriesContext(connection) as queries:
        assert script.get(ME).status_code == 200
    cache = [q["sql"] for q in queries if "sasaeai_cache" in q["sql"]]
    assert len(cache) == 2, cache  # read, and written back in one upsert
    assert len(counted(script)) == 1
    assert script.get(ME).status_code == 200
    assert len(counted(script)) == 2
    refused = script.get(ME)
    problem(refused, 429)
    assert refused["Retry-After"].isdigit()
    assert len(counted(script)) == 2  # a refused request is not counted
    caches["default"].clear()  # the count lives in the cache, as the guard's tests expect
    assert script.get(ME).status_code == 200


def test_the_rate_holds_with_another_cache(users: dict[str, User], settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SASAEAI_API_RATE = "2/m"
    script = Script(users["sc"])
    assert [script.get(ME).status_code for _ in range(2)] == [200, 200]
    problem(script.get(ME), 429)
    assert len(counted(script)) == 2


@pytest.mark.parametrize("who", ["ward", "sc"])
def test_common_words_list_what_rare_ones_would(
    users: dict[str, User], who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words the word index counts often are tested on each row along the list's order; the
    same list, counts and pages as from the word index."""
    for n in range(4):
        make_activity(f"体操の会{n}", kana=f"たいそうのかい{n}")
        make_activity(f"成増のラジオ体操{n}", "narimasu", kinds=("exercise",))
    make_activity("いきいきサロン", kana="いきいきさろん", status=Status.DRAFT)
    make_activity("マージャンの集い", "narimasu")
    script = Script(users[who])
    queries: list[dict[str, Any]] = [
        {"q": "体操"}, {"q": "たいそう"}, {"q": "たいそう", "per_page": 3, "page": 2},
        {"q": "サロン"}, {"q": "麻雀"}, {"q": "体操", "area": "narimasu"},
        {"q": "体操", "status": "draft"}, {"q": "ない言葉"},
    ]  # fmt: skip

    def answers(common_at: int) -> tuple[list[Any], list[str]]:
        monkeypatch.setattr(staff_directory, "COMMON_WORDS_POSTGRES", common_at)
        found: list[Any] = []
        sql: list[str] = []
        for query in queries:
            with CaptureQueriesContext(connection) as captured:
                response = script.get(API, **query)
            found.append(read(response) if response.status_code == 200 else response.status_code)
            sql += [q["sql"] for q in captured]
        return found, sql

    (walked, walked_sql), (indexed, indexed_sql) = answers(1), answers(10**9)
    assert walked == indexed
    names = [[item["name"] for item in answer["items"]] for answer in indexed[:2]]
    if who == "ward":
        assert names[0] == [*(f"成増のラジオ体操{n}" for n in range(4)),
                            *(f"体操の会{n}" for n in range(4))]  # fmt: skip
    else:
        assert names[0] == [f"体操の会{n}" for n in range(4)]
    assert names[1] == names[0]
    tested = "strpos(" if connection.vendor == "postgresql" else "instr("
    assert any(tested in sql for sql in walked_sql)
    assert not any(tested in sql for sql in indexed_sql)
