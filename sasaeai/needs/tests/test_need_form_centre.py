"""The public need form names the region's おとしより相談センター with its phone number, once
the region is known (from ?area=, from the form sent back, on the thanks page); before that, a
line leads to the list of institutions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.referrals.tests.builders import make_institution

pytestmark = pytest.mark.django_db
URL = "/needs/new/"
LIST_LINE = '<a href="/institutions/">相談できる専門機関の一覧</a>'


@pytest.fixture
def centre(itabashi: Any) -> Any:
    return make_institution(phone="03-5000-0018", hours="月〜金 8:30〜17:15")


def test_before_a_region_is_chosen_the_form_links_to_the_institutions(
    client: Client, centre: Any
) -> None:
    text = client.get(URL).content.decode()
    assert LIST_LINE in text and "03-5000-0018" not in text
    assert text.count('href="/institutions/"') >= 2  # the line, and every page's footer


def test_a_region_page_link_names_its_centre_and_number(client: Client, centre: Any) -> None:
    text = client.get(URL, {"area": "takashimadaira"}).content.decode()
    assert "高島平地域のおとしより相談センター" in text
    assert f'href="/institutions/{centre.pk}/">おとしより相談センター高島平</a>' in text
    assert 'href="tel:03-5000-0018"' in text and "月〜金 8:30〜17:15" in text
    assert '<option value="takashimadaira" selected>' in text
    assert LIST_LINE not in text and 'href="/institutions/"' in text  # in the footer


def test_a_form_sent_back_names_the_chosen_regions_centre(client: Client, centre: Any) -> None:
    response = client.post(URL, {"area": "takashimadaira", "kind": "shopping", "what": ""})
    assert "困っていることを教えてください" in response.content.decode()  # shown again
    assert 'href="tel:03-5000-0018"' in response.content.decode()


def test_the_thanks_page_names_the_centre(client: Client, centre: Any) -> None:
    data = {"area": "takashimadaira", "kind": "shopping", "what": "買い物に困っています。"}
    assert client.post(URL, data).status_code == 302
    thanks = client.get("/needs/new/thanks/").content.decode()
    assert "高島平地域のおとしより相談センター" in thanks and 'href="tel:03-5000-0018"' in thanks


def test_a_region_without_a_public_centre_gets_the_list_line(client: Client, centre: Any) -> None:
    make_institution("非公開の相談センター", covers=("hasune",), is_public=False)
    for code in ("hasune", "nowhere", "kita-jhs"):  # no public centre; unknown; another town's
        text = client.get(URL, {"area": code}).content.decode()
        assert LIST_LINE in text and "相談センター蓮根" not in text, code
        assert "非公開の相談センター" not in text


def test_a_centre_covering_the_block_serves_its_regions(client: Client, itabashi: Any) -> None:
    make_institution("赤塚ブロック相談センター", covers=("blk-akatsuka",), phone="03-5000-0100")
    text = client.get(URL, {"area": "narimasu"}).content.decode()
    assert "成増地域のおとしより相談センター" in text and "赤塚ブロック相談センター" in text
    assert 'href="tel:03-5000-0100"' in text


def test_choosing_a_region_with_javascript_shows_its_centre_at_once(
    client: Client, centre: Any
) -> None:
    form = client.get(URL).content.decode()
    assert 'hx-get="/needs/new/"' in form and 'id="need-centre"' in form
    response = client.get(URL, {"area": "takashimadaira"}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert 'href="tel:03-5000-0018"' in fragment and "<form" not in fragment
    assert "HX-Request" in response["Vary"]
    assert LIST_LINE in client.get(URL, {"area": ""}, HTTP_HX_REQUEST="true").content.decode()
