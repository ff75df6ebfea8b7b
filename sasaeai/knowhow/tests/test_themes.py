"""The ward edits its themes: adds, renames, reorders and hides; a theme in use is never
deleted, only hidden (a Japanese message, nothing changed); a region SC may not edit them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.test import area

from .. import services
from ..models import Theme
from .builders import make_case

pytestmark = pytest.mark.django_db
URL = "/staff/knowhow/themes/"


def sent(themes: list[Theme], **changes: Any) -> dict[str, Any]:
    """The page's form as it would be sent, with `changes` (e.g. theme-0-name) applied."""
    data: dict[str, Any] = {
        "theme-TOTAL_FORMS": str(len(themes) + 1), "theme-INITIAL_FORMS": str(len(themes)),
        "theme-MIN_NUM_FORMS": "0", "theme-MAX_NUM_FORMS": "200",
    }  # fmt: skip
    for i, t in enumerate(themes):
        data |= {f"theme-{i}-id": str(t.pk), f"theme-{i}-name": t.name,
                 f"theme-{i}-sort_order": str(t.sort_order)}  # fmt: skip
    return data | changes


def test_the_ward_adds_renames_reorders_and_hides(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["ward"])
    page = client.get(URL).content.decode()
    assert "担い手" in page and "新しいテーマを足す" in page
    themes = list(Theme.objects.of(area("131199")).order_by("sort_order", "pk"))
    n = len(themes)
    data = sent(themes, **{"theme-0-name": "担い手づくり", "theme-1-sort_order": "50",
                           "theme-2-hidden": "on", f"theme-{n}-name": "子育て",
                           f"theme-{n}-sort_order": "5"})  # fmt: skip
    response = client.post(URL, data, follow=True)
    assert "テーマを保存しました。" in response.content.decode()
    names = list(Theme.objects.of(area("131199")).values_list("name", flat=True))
    assert names[0] == "担い手づくり" and "子育て" in names and names[-1] == themes[1].name
    hidden = Theme.objects.get(pk=themes[2].pk)
    assert hidden.hidden
    # A hidden theme is no longer offered when a case is written.
    client.force_login(users["sc"])
    form = client.get("/staff/knowhow/cases/new/").content.decode()
    assert f" {hidden.name}</label>" not in form and " 子育て</label>" in form


def test_a_theme_in_use_cannot_be_deleted_only_hidden(users: dict[str, User]) -> None:
    town = area("131199")
    themes = list(services.ensure_themes(town).order_by("sort_order", "pk"))
    make_case(by=users["sc"], links_to={"themes": [themes[0]]})
    client = Client()
    client.force_login(users["ward"])
    page = client.get(URL).content.decode()
    assert "使われているので、消せません" in page
    data = sent(themes, **{"theme-0-DELETE": "on", "theme-1-DELETE": "on",
                           "theme-2-name": "見守り活動"})  # fmt: skip
    response = client.post(URL, data)
    assert response.status_code == 400
    assert (
        f"「{themes[0].name}」は事例や質問に使われているので消せません。"
        in response.content.decode()
    )
    # Nothing changed: not the unused one's deletion, not the rename.
    assert Theme.objects.of(town).count() == len(themes)
    assert Theme.objects.get(pk=themes[2].pk).name == themes[2].name
    # An unused one is deleted.
    response = client.post(URL, sent(themes, **{"theme-1-DELETE": "on"}), follow=True)
    assert "テーマを保存しました。" in response.content.decode()
    assert not Theme.objects.filter(pk=themes[1].pk).exists()


def test_a_region_sc_cannot_edit_themes(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["sc"])
    assert client.get(URL).status_code == 403
    themes = list(services.ensure_themes(area("131199")))
    assert client.post(URL, sent(themes, **{"theme-0-name": "x"})).status_code == 403
    assert Theme.objects.get(pk=themes[0].pk).name != "x"
