"""Two staff edit the same activity at once: the second to save is told, nothing of theirs
is written, and the first's values stay (lib/optimistic.py)."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.directory import services
from sasaeai.directory.models import Activity
from sasaeai.lib import optimistic
from sasaeai.test import at_once, make_role_users

from .builders import make_activity
from .test_staff_views import form_data

pytestmark = pytest.mark.django_db
BASE = "/staff/activities/"
TOLD = "ほかの人が先に保存しました"


def version_on(page: str) -> str:
    found = re.search(r'name="version" value="([^"]+)"', page)
    assert found, "the edit form carries the version it was read with"
    return found.group(1)


def opened(client: Client, user: Any, activity: Activity) -> dict[str, Any]:
    """The edit page as `user` opens it: its form's data, to change and send."""
    client.force_login(user)
    page = client.get(f"{BASE}{activity.pk}/edit/").content.decode()
    place, schedule = activity.places.get(), activity.schedules.get()
    return form_data(
        version=version_on(page), name=activity.name,
        **{"places-INITIAL_FORMS": "1", "places-0-id": str(place.pk),
           "places-0-name": place.name, "places-0-address": place.address,
           "schedules-INITIAL_FORMS": "1", "schedules-0-id": str(schedule.pk)},
    )  # fmt: skip


def updates(activity: Activity) -> int:
    return AuditEntry.objects.filter(
        model="directory.Activity", object_id=str(activity.pk), action="update"
    ).count()


def test_the_second_saver_is_told_and_the_first_save_stays(users: dict) -> None:
    activity = make_activity("いきいきサロン", fee="100円")
    sc, block = Client(), Client()
    first, second = opened(sc, users["sc"], activity), opened(block, users["block"], activity)
    before = updates(activity)

    assert sc.post(f"{BASE}{activity.pk}/edit/", {**first, "fee": "200円"}).status_code == 302
    response = block.post(f"{BASE}{activity.pk}/edit/", {**second, "fee": "無料です"})

    page = response.content.decode()
    assert response.status_code == 409
    assert TOLD in page and "もう一度「保存する」を押してください" in page
    assert 'value="無料です"' in page  # their input is still in the form
    assert "いま保存されている内容" in page and "200円" in page  # what the first saved
    assert f'href="{BASE}{activity.pk}/"' in page
    activity.refresh_from_db()
    assert activity.fee == "200円"
    assert updates(activity) == before + 1  # the first save's entry, none for the refusal


def test_after_looking_a_second_press_saves(users: dict) -> None:
    activity = make_activity("いきいきサロン", fee="100円")
    sc, block = Client(), Client()
    first, second = opened(sc, users["sc"], activity), opened(block, users["block"], activity)
    sc.post(f"{BASE}{activity.pk}/edit/", {**first, "fee": "200円"})
    refused = block.post(f"{BASE}{activity.pk}/edit/", {**second, "fee": "無料です"})

    again = {**second, "fee": "無料です", "version": version_on(refused.content.decode())}
    assert block.post(f"{BASE}{activity.pk}/edit/", again).status_code == 302
    activity.refresh_from_db()
    assert activity.fee == "無料です"


def test_a_save_after_one_own_save_is_not_a_conflict(client: Client, users: dict) -> None:
    activity = make_activity("いきいきサロン")
    data = opened(client, users["sc"], activity)
    assert client.post(f"{BASE}{activity.pk}/edit/", {**data, "fee": "200円"}).status_code == 302
    data = opened(client, users["sc"], activity)  # the page opened again after saving
    assert client.post(f"{BASE}{activity.pk}/edit/", {**data, "fee": "300円"}).status_code == 302
    activity.refresh_from_db()
    assert activity.fee == "300円"


def test_a_broken_version_is_refused_and_nothing_changes(client: Client, users: dict) -> None:
    activity = make_activity("いきいきサロン", fee="100円")
    data = opened(client, users["sc"], activity)
    response = client.post(
        f"{BASE}{activity.pk}/edit/", {**data, "fee": "200円", "version": "yesterday"}
    )
    assert response.status_code == 200
    assert "ページを読み直してから" in response.content.decode()
    activity.refresh_from_db()
    assert activity.fee == "100円"


def test_a_save_by_the_service_since_the_page_was_read_is_not_overwritten(users: dict) -> None:
    activity = make_activity("いきいきサロン", fee="100円")
    read = activity.updated_at
    services.save_activity(activity, services.ActivityParts())  # an import, say
    stale = Activity.objects.get(pk=activity.pk)
    stale.fee = "200円"
    with pytest.raises(optimistic.Stale) as refused:
        services.save_activity(stale, services.ActivityParts(), version=read)
    current = refused.value.current
    assert isinstance(current, Activity) and current.fee == "100円"
    assert Activity.objects.get(pk=activity.pk).fee == "100円"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)
def test_two_saves_at_the_same_moment_exactly_one_wins(itabashi: Any) -> None:
    make_role_users()
    activity = make_activity("いきいきサロン", fee="100円")
    read = activity.updated_at
    fees = itertools.count(200, 100)  # its next() is atomic: one fee per thread

    def save() -> str:
        mine = Activity.objects.get(pk=activity.pk)
        mine.fee = f"{next(fees)}円"
        try:
            services.save_activity(mine, services.ActivityParts(), version=read)
        except optimistic.Stale:
            return "told"
        return mine.fee

    results = at_once(4, save)
    assert sorted(results, key=lambda r: r == "told")[1:] == ["told"] * 3
    winner = next(r for r in results if r != "told")
    assert Activity.objects.get(pk=activity.pk).fee == winner


# --- The staff API edits the same activities ------------------------------------------------


def test_the_api_told_by_if_match_answers_409_and_changes_nothing(users: dict) -> None:
    from sasaeai.api.tests.test_staff_directory import Script, problem, read

    activity = make_activity("いきいきサロン", fee="100円")
    script = Script(users["sc"])
    url = f"/api/staff/activities/{activity.pk}/"
    read_at = read(script.get(url))["updated_at"]
    page = Client()
    data = opened(page, users["block"], activity)
    assert page.post(f"{BASE}{activity.pk}/edit/", {**data, "fee": "200円"}).status_code == 302

    late = script.client.patch(
        url, '{"fee": "無料"}', content_type="application/json", HTTP_IF_MATCH=f'"{read_at}"'
    )
    assert problem(late, 409)["detail"].startswith("ほかの人が先に保存しました")
    assert Activity.objects.get(pk=activity.pk).fee == "200円"

    read_at = read(script.get(url))["updated_at"]
    fresh = script.client.patch(
        url, '{"fee": "無料"}', content_type="application/json", HTTP_IF_MATCH=f'"{read_at}"'
    )
    assert fresh.status_code == 200 and read(fresh)["fee"] == "無料"


def test_the_api_refuses_a_broken_if_match(users: dict) -> None:
    from sasaeai.api.tests.test_staff_directory import Script, problem

    activity = make_activity("いきいきサロン", fee="100円")
    script = Script(users["sc"])
    answer = script.client.patch(
        f"/api/staff/activities/{activity.pk}/", '{"fee": "無料"}',
        content_type="application/json", HTTP_IF_MATCH='"yesterday"',
    )  # fmt: skip
    problem(answer, 422)
    assert Activity.objects.get(pk=activity.pk).fee == "100円"


# --- In Chromium ---------------------------------------------------------------------------


@pytest.mark.browser
def test_in_the_browser_the_second_saver_sees_why_and_keeps_their_input(
    transactional_db: Any, live_server: Any
) -> None:
    from sasaeai.lib.tests.conflicts import second_saver_is_told_in_the_browser
    from sasaeai.test import load_itabashi, load_other_town

    load_other_town()
    load_itabashi()
    activity = make_activity("いきいきサロン", fee="100円")
    second_saver_is_told_in_the_browser(
        live_server.url, f"{BASE}{activity.pk}/edit/", f"{BASE}{activity.pk}/", "参加費",
        ("200円", "無料"), "directory-edit-conflict",
    )  # fmt: skip
    assert Activity.objects.get(pk=activity.pk).fee == "200円"
