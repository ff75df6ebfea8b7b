"""The HSDS 3.1 open data API: every answer validates against the HSDS schemas in
../shared/standards/hsds-3.1/ (jsonschema, the local files for each $ref); only public,
published activities go out, an organiser's contact only with their consent; schedules in
RRULE form; paging and filters as the HSDS API reference names them; ids read back; errors are
problem documents in Japanese; a page costs the same queries for 3 or 30 activities."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from sasaeai.api import ids
from sasaeai.directory.models import Activity, Kind, Organization, Status, Visibility
from sasaeai.directory.services import change_status
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib import links, memo
from sasaeai.test import area

pytestmark = pytest.mark.django_db
HSDS = Path(settings.BASE_DIR).parent / "shared" / "standards" / "hsds-3.1"
URL = "/api/hsds/"


def validator(name: str) -> Draft202012Validator:
    resources = [
        (path.name, Resource.opaque(json.loads(path.read_text())))
        for path in HSDS.glob("*.json")
        if path.name != "openapi.json"
    ]
    registry: Registry = Registry().with_resources(resources)
    schema = json.loads((HSDS / f"{name}.json").read_text())
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def valid(name: str, item: dict[str, Any]) -> None:
    errors = sorted(validator(name).iter_errors(item), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.fixture
def directory(itabashi: Any) -> dict[str, Any]:
    group = Organization.objects.create(
        municipality=area("131199"), area=area("takashimadaira"), name="高島平ふれあいの会"
    )
    weekly = make_activity("ふれあいサロン", contact_public=True,
                           contact_name="山田", contact_phone="03-1234-5678",
                           contact_email="salon@example.jp", fee="100円")  # fmt: skip
    weekly.organization = group
    weekly.save(update_fields=["organization"])
    monthly = make_activity(
        "体操の会",
        kinds=("exercise",),
        contact_name="非公開の人",
        contact_phone="090-0000-0000",
        schedules=[
            {"frequency": "monthly_nth", "weekdays": "2", "nth": 2, "opens_at": dt.time(10)},
            {"frequency": "monthly_date", "day_of_month": 15},
            {"frequency": "irregular", "note": "雨の日は休み"},
        ],
    )
    hidden = [
        make_activity("職員だけの見守り", visibility=Visibility.STAFF),
        make_activity("準備中のサロン", status=Status.DRAFT),
        make_activity("終わった会", status=Status.ENDED),
        make_activity("休んでいる会", status=Status.PAUSED),
    ]
    return {"weekly": weekly, "monthly": monthly, "hidden": hidden, "group": group}


def get(client: Any, path: str, **params: Any) -> Any:
    response = client.get(URL + path, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_services_are_the_public_activities_and_validate(client: Any, directory: dict) -> None:
    page = get(client, "services")
    assert [s["name"] for s in page["contents"]] == ["ふれあいサロン", "体操の会"]
    assert page["total_items"] == 2 and page["first_page"] and page["last_page"]
    for item in page["contents"]:
        valid("service", item)
    for hidden in directory["hidden"]:
        assert hidden.name not in json.dumps(page, ensure_ascii=False)


def test_a_service_nests_its_schedules_places_kinds_and_consented_contact(
    client: Any, directory: dict
) -> None:
    salon = get(client, "services/" + ids.make("131199", "service", directory["weekly"].pk))
    valid("service", salon)
    assert (
        salon["schedules"][0] | {"freq": "WEEKLY", "byday": "WE", "opens_at": "14:00"}
        == (salon["schedules"][0])
    )
    assert salon["phones"][0]["number"] == "03-1234-5678" and salon["contacts"][0]["name"] == "山田"
    assert salon["email"] == "salon@example.jp" and salon["fees_description"] == "100円"
    page = directory["weekly"].get_absolute_url()
    assert salon["url"] == links.absolute(page, area("131199")) and salon["url"].endswith(page)
    assert salon["organization"]["name"] == "高島平ふれあいの会"
    location = salon["service_at_locations"][0]["location"]
    assert location["addresses"][0]["state_province"] == "東京都"
    assert location["latitude"] == pytest.approx(35.789)
    assert [a["taxonomy_term"]["code"] for a in salon["attributes"]] == ["salon"]

    gym = get(client, "services/" + ids.make("131199", "service", directory["monthly"].pk))
    valid("service", gym)
    rules = [{k: s.get(k) for k in ("freq", "byday", "bymonthday")} for s in gym["schedules"]]
    assert rules == [
        {"freq": "MONTHLY", "byday": "2WE", "bymonthday": None},
        {"freq": "MONTHLY", "byday": None, "bymonthday": "15"},
        {"freq": None, "byday": None, "bymonthday": None},
    ]
    assert gym["schedules"][2]["description"] == "不定期（雨の日は休み）"
    text = json.dumps(gym, ensure_ascii=False)
    assert gym["phones"] == [] and gym["contacts"] == [] and "090-0000-0000" not in text


def test_hidden_and_foreign_ids_are_problems_in_japanese(client: Any, directory: dict) -> None:
    for activity in directory["hidden"]:
        response = client.get(URL + "services/" + ids.make("131199", "service", activity.pk))
        assert response.status_code == 404, activity.name
    pk = directory["weekly"].pk
    for wrong in (ids.make("999991", "service", pk), ids.make("131199", "location", pk),
                  "not-a-uuid", "00000000-0000-0000-0000-000000000000"):  # fmt: skip
        response = client.get(URL + "services/" + wrong)
        assert (
            response.status_code == 404 and response["Content-Type"] == "application/problem+json"
        )
        assert (
            response.json()["code"] == "not_found" and "見つかりません" in response.json()["detail"]
        )
    bad = client.get(URL + "services", {"page": "0", "per_page": "100000"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    assert "正しくない" in bad.json()["detail"]


def test_ids_are_uuids_read_back_to_their_keys() -> None:
    for pk in (0, 1, 95352, 2**40 + 7, 2**62 - 1):
        for table in ("service", "location", "attribute"):
            made = ids.make("131199", table, pk)
            upper = ids._upper("131199", table) << 64
            assert made == str(uuid.UUID(int=upper | ids.VARIANT | pk))
            assert uuid.UUID(made).version == 8 and ids.key("131199", table, made) == pk
            assert ids.key("999991", table, made) is None


def test_paging_and_filters(client: Any, directory: dict) -> None:
    first = get(client, "services", per_page=1)
    second = get(client, "services", per_page=1, page=2)
    assert first["total_pages"] == 2 and not first["last_page"] and second["last_page"]
    assert first["contents"][0]["id"] != second["contents"][0]["id"]
    assert get(client, "services", page=9)["empty"]
    terms = get(client, "taxonomy_terms")["contents"]
    for term in terms:
        valid("taxonomy_term", term)
    exercise = next(t for t in terms if t["code"] == "exercise")
    found = get(client, "services", taxonomy_term_id=exercise["id"])["contents"]
    assert [s["name"] for s in found] == ["体操の会"]
    group = ids.make("131199", "organization", directory["group"].pk)
    assert [s["name"] for s in get(client, "services", organization_id=group)["contents"]] == [
        "ふれあいサロン"
    ]
    assert get(client, "services", taxonomy_term_id="nonsense")["total_items"] == 0
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    assert get(client, "services", modified_after=later)["total_items"] == 0
    # Found by the fuzzing: PostgreSQL refuses an offset past ±15:59; pydantic read "0.5" as
    # seconds since 1970.
    assert get(client, "services", modified_after="1188-09-24T23:32:40-17:17")["total_items"] == 2
    assert client.get(URL + "services", {"modified_after": "0.5"}).status_code == 422
    minimal = get(client, "services", minimal="true")["contents"][0]
    assert set(minimal) == {"id", "last_modified"}


def test_every_page_read_from_either_end_holds_the_next_activities(
    client: Any, directory: dict
) -> None:
    """A page past the middle is read from the far end of the index: the same rows."""
    for n in range(5):
        make_activity(f"サロン{n}", kinds=("exercise",) if n % 2 else ("salon",))
    make_activity("職員だけの体操", visibility=Visibility.STAFF, kinds=("exercise",))
    public = Activity.objects.public().filter(municipality=area("131199")).order_by("pk")
    exercise = Kind.objects.get(code="exercise", municipality=area("131199"))
    term = ids.make("131199", "taxonomy_term", exercise.pk)
    for chosen, query in (
        (public, {}),
        (public.filter(kinds=exercise), {"taxonomy_term_id": term}),
    ):
        expected = [ids.make("131199", "service", pk) for pk in chosen.values_list("pk", flat=True)]
        for size in (1, 2, 3):
            pages = [get(client, "services", per_page=size, page=n, **query) for n in range(1, 9)]
            assert [s["id"] for p in pages for s in p["contents"]] == expected, size
            assert {p["total_items"] for p in pages} == {len(expected)}


def test_a_change_counts_at_once(client: Any, directory: dict) -> None:
    assert get(client, "services")["total_items"] == 2  # now remembered
    change_status(directory["weekly"], Status.PAUSED)
    assert get(client, "services")["total_items"] == 1
    assert get(client, "service_at_locations")["total_items"] == 1
    make_activity("新しいサロン")
    assert get(client, "services")["total_items"] == 2


def test_kinds_past_the_bits_are_read_from_the_links(client: Any, directory: dict) -> None:
    """A municipality past 63 kinds has kinds without a bit: the filter and a service's kinds
    come from the links then, the same answers."""
    exercise = Kind.objects.get(code="exercise", municipality=area("131199"))
    term = ids.make("131199", "taxonomy_term", exercise.pk)
    path = "services/" + ids.make("131199", "service", directory["monthly"].pk)
    taxonomy = ids.make("131199", "taxonomy-activity", 1)
    before = [get(client, path), get(client, "services", taxonomy_term_id=term),
              get(client, "services", taxonomy_id=taxonomy)]  # fmt: skip
    assert [a["taxonomy_term"]["code"] for a in before[0]["attributes"]] == ["exercise"]
    assert [s["name"] for s in before[1]["contents"]] == ["体操の会"]
    Kind.objects.filter(pk=exercise.pk).update(bit=None)
    memo.forget()
    after = [get(client, path), get(client, "services", taxonomy_term_id=term),
             get(client, "services", taxonomy_id=taxonomy)]  # fmt: skip
    assert after == before


def test_organizations_taxonomies_and_places_validate(client: Any, directory: dict) -> None:
    organizations = get(client, "organizations")["contents"]
    assert [o["name"] for o in organizations] == ["高島平ふれあいの会"]
    valid("organization", get(client, "organizations/" + organizations[0]["id"]))
    taxonomies = get(client, "taxonomies")["contents"]
    assert len(taxonomies) == 2
    for taxonomy in taxonomies:
        valid("taxonomy", get(client, "taxonomies/" + taxonomy["id"]))
    places = get(client, "service_at_locations")["contents"]
    assert len(places) == 2  # the hidden activities' places are not there
    for place in places:
        valid("service_at_location", get(client, "service_at_locations/" + place["id"]))


def test_a_page_costs_the_same_for_more_rows(client: Any, directory: dict) -> None:
    def cost() -> tuple[int, int]:
        """Queries of the lists with nothing remembered, then again (counts remembered)."""
        spent = []
        memo.forget()
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                get(client, "services", per_page=50)
                get(client, "service_at_locations", per_page=50)
                get(client, "services", per_page=1, page=2)
                get(client, "services", taxonomy_term_id=kind_id)
            spent.append(len(queries))
        return spent[0], spent[1]

    kind_id = ids.make(
        "131199", "taxonomy_term", Kind.objects.get(code="exercise", municipality=area("131199")).pk
    )
    few = cost()
    for n in range(60):
        make_activity(f"サロン{n}", kinds=("salon", "exercise"))
    assert cost() == few
    assert few[1] == 4  # the counts remembered: one query a page, the latest change with it


def test_the_schema_and_docs_are_served_without_a_cdn(client: Any, itabashi: Any) -> None:
    schema = client.get("/api/schema/").json()
    assert "/api/hsds/services/{id}" in schema["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def test_the_entrance_leads_to_each_part(client: Any, itabashi: Any) -> None:
    found = client.get("/api/").json()
    assert found["hsds"].endswith("/api/hsds/") and found["docs"].endswith("/api/docs/")
    assert client.get(found["hsds"]).json()["version"] == "3.1"
