"""Every staff survey page: who may open it, who gets 404 (other region, other municipality),
who gets 403 (may see, may not change), and which methods are refused (405)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.surveys.models import Answer

from .builders import answer_survey, make_survey

pytestmark = pytest.mark.django_db
BASE = "/staff/needs/surveys/"


def make_objects() -> dict[str, Any]:
    survey = make_survey()
    draft = make_survey(status="draft")
    answer_survey(survey, "0", ["1"], "4", "買い物に困っています。")
    return {
        "survey": survey.pk,
        "draft": draft.pk,
        "question": draft.questions.last().pk,  # type: ignore[union-attr]
        "answer": Answer.objects.get(question__survey=survey, question__kind="text").pk,
    }


@pytest.fixture
def objects(users: dict) -> dict[str, Any]:
    return make_objects()


# (url, capability needed, methods allowed)
OBJECT_PAGES = [
    ("{survey}/", "view", {"get"}),
    ("{survey}/edit/", "edit", {"get", "post"}),
    ("{draft}/publish/", "edit", {"post"}),
    ("{survey}/close/", "edit", {"post"}),
    ("{draft}/questions/new/", "edit", {"get", "post"}),
    ("questions/{question}/edit/", "edit", {"get", "post"}),
    ("questions/{question}/up/", "edit", {"post"}),
    ("questions/{question}/down/", "edit", {"post"}),
    ("questions/{question}/delete/", "edit", {"post"}),
    ("{survey}/results/", "view", {"get"}),
    ("{survey}/export/", "view", {"get"}),
    ("{survey}/paper/", "edit", {"get", "post"}),
    ("answers/{answer}/need/", "edit", {"post"}),
]
PAGES = [("", "view", {"get"}), ("new/", "edit", {"get", "post"}), *OBJECT_PAGES]


def url(pattern: str, objects: dict[str, Any]) -> str:
    return BASE + pattern.format(**objects)


def first_method(methods: set[str]) -> str:
    return "get" if "get" in methods else "post"


@pytest.mark.parametrize(("pattern", "capability", "methods"), PAGES)
def test_region_sc_block_and_ward_may_open(
    client: Client, users: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    for who in ("sc", "block", "ward", "admin"):
        objects = make_objects()  # fresh: a step like delete must not hide the next person's
        client.force_login(users[who])
        response = getattr(client, first_method(methods))(url(pattern, objects))
        assert response.status_code in (200, 302), (who, pattern, response.status_code)


@pytest.mark.parametrize(("pattern", "capability", "methods"), OBJECT_PAGES)
def test_other_region_and_other_municipality_get_404(
    client: Client, users: dict, objects: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    for who in ("other_sc", "other_admin"):
        client.force_login(users[who])
        for method in methods:
            response = getattr(client, method)(url(pattern, objects))
            assert response.status_code == 404, (who, method, pattern, response.status_code)


def test_a_survey_of_another_municipality_is_not_found(client: Client, users: dict) -> None:
    foreign = make_survey("minami-jhs", title="みどり町のアンケート")
    client.force_login(users["admin"])
    assert client.get(f"{BASE}{foreign.pk}/").status_code == 404
    assert client.get(f"{BASE}{foreign.pk}/results/").status_code == 404
    assert "みどり町のアンケート" not in client.get(BASE).content.decode()
    client.force_login(users["other_admin"])
    assert "みどり町のアンケート" in client.get(BASE).content.decode()


@pytest.mark.parametrize(("pattern", "capability", "methods"), PAGES)
def test_council_member_reads_but_may_not_change(
    client: Client, users: dict, objects: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    client.force_login(users["member"])
    response = getattr(client, first_method(methods))(url(pattern, objects))
    assert response.status_code == (200 if capability == "view" else 403), pattern
    if "post" in methods:
        assert client.post(url(pattern, objects)).status_code == 403, pattern


@pytest.mark.parametrize(("pattern", "capability", "methods"), PAGES)
def test_wrong_method_is_refused(
    client: Client, users: dict, objects: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    client.force_login(users["sc"])
    for method in {"get", "post", "put", "delete"} - methods:
        assert getattr(client, method)(url(pattern, objects)).status_code == 405, (method, pattern)


@pytest.mark.parametrize(("pattern", "capability", "methods"), PAGES)
def test_anonymous_is_sent_to_sign_in(
    client: Client, objects: dict, pattern: str, capability: str, methods: set[str]
) -> None:
    response = getattr(client, first_method(methods))(url(pattern, objects))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_only_surveys_the_person_may_see(client: Client, users: dict) -> None:
    make_survey("takashimadaira", title="高島平のアンケート")
    make_survey("narimasu", title="成増のアンケート")
    make_survey("itabashi", title="板橋のアンケート")
    expected = {
        "sc": {"高島平"},
        "block": {"高島平", "成増"},
        "ward": {"高島平", "成増", "板橋"},
        "other_sc": {"板橋"},
        "other_admin": set(),
    }
    for who, visible in expected.items():
        client.force_login(users[who])
        text = client.get(BASE).content.decode()
        seen = {n for n in ("高島平", "成増", "板橋") if f"{n}のアンケート" in text}
        assert seen == visible, who


def test_another_region_cannot_be_chosen_for_a_survey(client: Client, users: dict) -> None:
    from sasaeai.surveys.models import Survey
    from sasaeai.test import area

    client.force_login(users["sc"])
    response = client.post(BASE + "new/", {"area": area("itabashi").pk, "title": "x"})
    assert response.status_code == 200 and not Survey.objects.exists()
