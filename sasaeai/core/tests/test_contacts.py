"""Every page leads to a person: each area's desk (AreaContact) on its public pages and in the
footer, kept by the municipality's staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.areas.models import AreaContact
from sasaeai.audit.models import AuditEntry
from sasaeai.directory.tests.builders import make_activity
from sasaeai.test import area

pytestmark = pytest.mark.django_db
DESK = {"post": "生活支援コーディネーター（高島平地域担当）", "phone": "03-0000-0117",
        "fax": "", "hours": "月〜金 9:00〜17:00", "place": "高島平地域センター"}  # fmt: skip


def desk(code: str, phone: str, post: str = "窓口") -> AreaContact:
    return AreaContact.objects.create(area=area(code), post=post, phone=phone, hours="平日")


def test_the_nearest_desk_is_the_area_s_own_else_the_one_above(itabashi: Any) -> None:
    assert AreaContact.objects.nearest(area("takashimadaira")) is None
    ward = desk("131199", "03-0000-0100")
    assert AreaContact.objects.nearest(area("takashimadaira")) == ward
    block = desk("blk-akatsuka", "03-0000-0200")
    assert AreaContact.objects.nearest(area("takashimadaira")) == block
    own = desk("takashimadaira", "03-0000-0117")
    assert AreaContact.objects.nearest(area("takashimadaira")) == own
    assert AreaContact.objects.nearest(area("itabashi")) == ward  # another block: the ward's
    assert AreaContact.objects.nearest(area("kita-jhs")) is None  # another municipality


def test_a_region_page_gives_its_sc_s_number_as_a_link_that_calls(
    client: Client, itabashi: Any
) -> None:
    desk("131199", "03-0000-0100", "区の窓口")
    desk("takashimadaira", "03-0000-0117", "高島平の窓口")
    text = client.get("/areas/takashimadaira/").content.decode()
    assert 'href="tel:0300000117"' in text and "高島平の窓口" in text
    assert "区の窓口" not in text  # the footer does not add a second number
    assert 'href="/institutions/"' in text and 'href="/contacts/"' in text
    # A region without its own desk shows the ward's.
    assert 'href="tel:0300000100"' in client.get("/areas/narimasu/").content.decode()


def test_the_footer_of_an_activity_gives_its_region_s_desk(client: Client, itabashi: Any) -> None:
    desk("131199", "03-0000-0100")
    desk("takashimadaira", "03-0000-0117")
    activity = make_activity("ふれあいサロン")
    text = client.get(f"/activities/{activity.pk}/").content.decode()
    assert 'href="tel:0300000117"' in text and 'href="tel:0300000100"' not in text
    home = client.get("/").content.decode()
    assert 'href="tel:0300000100"' in home  # no region known: the ward's desk


def test_every_desk_on_one_page_and_none_of_another_municipality(
    client: Client, itabashi: Any
) -> None:
    desk("takashimadaira", "03-0000-0117", "高島平の窓口")
    desk("kita-jhs", "0120-000-000", "よその窓口")
    text = client.get("/contacts/").content.decode()
    assert "高島平の窓口" in text and "よその窓口" not in text
    assert "よその窓口" in client.get("/contacts/", HTTP_HOST="midori.example.jp").content.decode()


def test_the_ward_keeps_the_desks_and_a_region_sc_may_not(client: Client, users: dict) -> None:
    url = "/staff/contacts/takashimadaira/"
    for who in ("sc", "block", "member"):
        client.force_login(users[who])
        assert client.post(url, DESK).status_code == 403, who
        assert client.get("/staff/contacts/").status_code == 403, who
    client.force_login(users["other_admin"])
    assert client.post(url, DESK).status_code == 404
    assert not AreaContact.objects.exists()
    client.force_login(users["ward"])
    assert "未登録" in client.get("/staff/contacts/").content.decode()
    response = client.post(url, DESK)
    assert response.status_code == 302 and response["Location"] == "/staff/contacts/"
    saved = AreaContact.objects.get(area__code="takashimadaira")
    assert saved.phone == "03-0000-0117" and saved.place == "高島平地域センター"
    assert AuditEntry.objects.filter(model="areas.AreaContact", action="create").exists()
    assert "03-0000-0117" in client.get("/staff/contacts/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "told"),
    [
        ("phone", "090 1234 5678", "ハイフンで区切って"),
        ("phone", "", "ここを入れてください"),
        ("post", "<b>窓口</b>", "タグ"),
        ("hours", "", "ここを入れてください"),
    ],
)
def test_a_bad_desk_is_told_in_japanese_and_nothing_saved(
    client: Client, users: dict, field: str, value: str, told: str
) -> None:
    client.force_login(users["ward"])
    response = client.post("/staff/contacts/takashimadaira/", {**DESK, field: value})
    assert response.status_code == 400 and told in response.content.decode()
    assert not AreaContact.objects.exists()


def test_the_staff_list_shows_the_ward_s_own_desk_once(client: Client, users: dict) -> None:
    desk("131199", "03-0000-0100", "区の窓口")
    client.force_login(users["ward"])
    text = client.get("/staff/contacts/").content.decode()
    assert text.count("区の窓口") == 1  # the table's row (a staff page's footer has none)
    assert text.count('href="/staff/contacts/131199/"') == 1


def test_the_home_page_leads_to_the_desks_the_institutions_and_the_ward_page(
    client: Client, itabashi: Any
) -> None:
    text = client.get("/").content.decode()
    main = text[text.index("<main") : text.index("</main>")]
    for address in ('href="/contacts/"', 'href="/institutions/"', 'href="/areas/131199/"'):
        assert address in main, address
    region = client.get("/areas/takashimadaira/").content.decode()
    assert "第2層" not in region  # the programme's own words stay with the staff
