import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sasaeai.areas.models import Area
from sasaeai.directory.models import Facet, Kind, Proposal, Status, Visibility

from .builders import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def names(response: Any) -> list[str]:
    return [result.name for result in response.context["results"]]


def test_search_by_word_in_any_script(client: Client, itabashi: Any) -> None:
    make_activity("いきいきサロン")
    make_activity("朝の体操", kinds=("exercise",))
    for words in ("さろん", "ｻﾛﾝ", "サロン"):
        assert names(client.get("/activities/", {"q": words})) == ["いきいきサロン"]
    assert names(client.get("/activities/", {"q": "体操"})) == ["朝の体操"]


def test_only_published_public_activities_appear(client: Client, itabashi: Any) -> None:
    make_activity("公開のサロン")
    make_activity("下書きのサロン", status=Status.DRAFT)
    make_activity("お茶飲み仲間", kinds=("tea",), visibility=Visibility.STAFF)
    assert names(client.get("/activities/")) == ["公開のサロン"]


def test_filters_live_in_the_url(client: Client, itabashi: Any) -> None:
    wed = {
        "frequency": "weekly",
        "weekdays": "2",
        "opens_at": dt.time(10),
        "closes_at": dt.time(12),
    }
    fri = {
        "frequency": "weekly",
        "weekdays": "4",
        "opens_at": dt.time(18),
        "closes_at": dt.time(20),
    }
    make_activity("水曜の朝", schedules=[wed], is_free=True, step_free=True)
    make_activity("金曜の夜", "narimasu", schedules=[fri], kinds=("exercise",))
    assert names(client.get("/activities/?weekday=2")) == ["水曜の朝"]
    assert names(client.get("/activities/?time=evening")) == ["金曜の夜"]
    assert names(client.get("/activities/?area=narimasu")) == ["金曜の夜"]
    assert names(client.get("/activities/?kind=exercise")) == ["金曜の夜"]
    assert names(client.get("/activities/?free=on&step_free=on")) == ["水曜の朝"]


def test_near_me_orders_by_distance_and_shows_it(client: Client, itabashi: Any) -> None:
    make_activity("遠いサロン", place=(35.7890, 139.6700))
    make_activity("近いサロン", place=(35.7890, 139.6592))
    make_activity("圏外のサロン", place=(35.7000, 139.7000))
    response = client.get("/activities/", {"near": "35.789,139.659", "radius": "2"})
    assert names(response) == ["近いサロン", "遠いサロン"]
    km = [result.km for result in response.context["results"]]
    assert km[0] < 0.1 and 0.9 < km[1] < 1.1
    html = response.content.decode()
    assert "約 1.0 km" in html
    assert "えらんだ場所から 2 km 以内の活動を、近い順にならべています。" in html
    assert 'data-near="35.789,139.659" data-radius="2.0"' in html


@pytest.mark.parametrize("params", [{}, {"q": "サロン"}, {"kind": "salon"}, {"area": "hasune"}])
def test_within_the_radius_means_within_it_not_in_the_corner_of_a_square(
    client: Client, itabashi: Any, params: dict[str, str]
) -> None:
    """ "2 km 以内" holds what is within 2 km: a place 1.6 km north and 1.6 km east (2.3 km
    away, inside the square around the circle) is listed at 3 km, not at 2 km."""
    make_activity("まっすぐ北のサロン", "hasune", place=(35.7890 + 1.9 / 111.32, 139.659))
    make_activity("北東のサロン", "hasune", place=(35.7890 + 1.6 / 111.32, 139.659 + 0.01772))
    near = {"near": "35.789,139.659", **params}
    within_2 = client.get("/activities/", {**near, "radius": "2"})
    assert names(within_2) == ["まっすぐ北のサロン"]
    assert "1 件見つかりました" in within_2.content.decode()
    within_3 = client.get("/activities/", {**near, "radius": "3"})
    assert names(within_3) == ["まっすぐ北のサロン", "北東のサロン"]
    assert "約 2.3 km" in within_3.content.decode()


def test_relevance_puts_name_hits_first(client: Client, itabashi: Any) -> None:
    make_activity("あおぞら会", description="サロンのような集まりです", kinds=("hobby",))
    make_activity("ひまわりサロン", kinds=("hobby",))
    assert names(client.get("/activities/", {"q": "サロン"})) == ["ひまわりサロン", "あおぞら会"]


def test_relevance_of_two_words_needs_both_in_the_name(client: Client, itabashi: Any) -> None:
    make_activity("あおぞらサロン", description="見守りもしています")
    make_activity("いきいきサロン見守り隊")
    make_activity("ひまわりサロン")
    found = names(client.get("/activities/", {"q": "ｻﾛﾝ　見守り"}))
    assert found == ["いきいきサロン見守り隊", "あおぞらサロン"]


def test_bad_filters_are_explained(client: Client, itabashi: Any) -> None:
    response = client.get("/activities/", {"near": "north", "weekday": "9"})
    text = response.content.decode()
    assert response.status_code == 200 and "場所の指定が正しくありません" in text
    assert names(response) == []


def test_other_municipality_sees_none_of_it(client: Client, itabashi: Any) -> None:
    activity = make_activity("板橋のサロン")
    assert names(client.get("/activities/", HTTP_HOST="midori.example.jp")) == []
    assert (
        client.get(f"/activities/{activity.pk}/", HTTP_HOST="midori.example.jp").status_code == 404
    )


def test_detail_says_the_schedule_in_words(client: Client, itabashi: Any) -> None:
    second_wed = {"frequency": "monthly_nth", "weekdays": "2", "nth": 2,
                  "opens_at": dt.time(14), "closes_at": dt.time(16)}  # fmt: skip
    activity = make_activity("いきいきサロン", schedules=[second_wed], contact_name="山田",
                             contact_phone="03-0000-0000")  # fmt: skip
    text = client.get(f"/activities/{activity.pk}/").content.decode()
    assert "毎月第2水曜 14:00〜16:00" in text
    assert "03-0000-0000" not in text and "生活支援コーディネーター" in text
    activity.contact_public = True
    activity.save()
    assert "03-0000-0000" in client.get(f"/activities/{activity.pk}/").content.decode()


def test_unpublished_detail_is_404(client: Client, itabashi: Any) -> None:
    for activity in (make_activity("下書き", status=Status.DRAFT),
                     make_activity("職員のみ", visibility=Visibility.STAFF)):  # fmt: skip
        assert client.get(f"/activities/{activity.pk}/").status_code == 404
        assert client.get(f"/activities/{activity.pk}/print/").status_code == 404


def test_print_view_has_a_qr_code_of_the_page(client: Client, itabashi: Any) -> None:
    activity = make_activity("いきいきサロン")
    text = client.get(f"/activities/{activity.pk}/print/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in text
    assert f"http://testserver/activities/{activity.pk}/" in text


def test_region_page_lists_its_activities_by_kind(client: Client, itabashi: Any) -> None:
    make_activity("いきいきサロン")
    make_activity("朝の体操", kinds=("exercise",))
    make_activity("成増のサロン", "narimasu")
    text = client.get("/areas/takashimadaira/").content.decode()
    assert "いきいきサロン" in text and "朝の体操" in text and "成増のサロン" not in text
    assert text.index("サロン</h3>") < text.index("体操・スポーツの集まり</h3>")


def test_an_area_page_names_ten_of_a_kind_and_leads_to_the_rest(
    client: Client, itabashi: Any
) -> None:
    for n in range(12):
        make_activity(f"サロン{n:02}", kinds=("salon",))
    make_activity("朝の体操", kinds=("exercise",))
    text = client.get("/areas/takashimadaira/").content.decode()
    assert "サロン09" in text and "サロン10" not in text and "朝の体操" in text
    assert "サロンをすべて見る（ほかに 2 件）" in text
    assert 'href="/activities/?area=takashimadaira&amp;kind=salon"' in text
    assert "体操・スポーツの集まりをすべて見る" not in text
    ward = client.get("/areas/131199/").content.decode()  # the whole ward, ten of each too
    assert "サロン09" in ward and "サロン10" not in ward


def test_an_area_page_costs_the_same_queries_however_many_activities_it_has(
    client: Client, itabashi: Any, django_assert_max_num_queries: Any
) -> None:
    """One query counts every kind; one more per kind shown fetches its first ten; one the
    next local events with how many there are."""
    make_activity("サロン", kinds=("salon",))
    make_activity("体操", kinds=("exercise",))
    client.get("/areas/takashimadaira/")  # the municipality, remembered
    with django_assert_max_num_queries(13) as few:
        client.get("/areas/takashimadaira/")
    for n in range(25):
        make_activity(f"サロン{n:02}", kinds=("salon", "exercise"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        text = client.get("/areas/takashimadaira/").content.decode()
    assert "サロンをすべて見る（ほかに 16 件）" in text


def test_proposal_is_kept_for_review_not_shown(client: Client, itabashi: Any) -> None:
    data = {"kind": "new", "area": "takashimadaira", "name": "新しい体操", "details": "毎週月曜"}
    response = client.post("/activities/propose/", data)
    assert response["Location"] == "/activities/propose/thanks/"
    proposal = Proposal.objects.get()
    assert proposal.status == "open" and proposal.area.code == "takashimadaira"
    assert names(client.get("/activities/", {"q": "新しい体操"})) == []


def test_proposal_honeypot_and_rate_limit(client: Client, itabashi: Any) -> None:
    data = {"kind": "new", "area": "takashimadaira", "name": "x", "details": "y"}
    client.post("/activities/propose/", {**data, "website": "http://spam"})
    assert not Proposal.objects.exists()
    for _ in range(5):
        client.post("/activities/propose/", data)
    response = client.post("/activities/propose/", data)
    assert response.status_code == 429 and "一時的に止めています" in response.content.decode()
    assert Proposal.objects.count() == 5


def test_the_proposal_form_offers_its_two_kinds_and_no_blank_one(
    client: Client, itabashi: Any
) -> None:
    text = client.get("/activities/propose/").content.decode()
    assert text.count('type="radio" name="kind"') == 2
    assert "新しい活動を知らせる" in text and "載っている内容の訂正" in text
    assert "Select an option" not in text


def test_proposal_with_bad_input_says_why(client: Client, itabashi: Any) -> None:
    response = client.post("/activities/propose/", {"kind": "new", "area": "kita-jhs"})
    text = response.content.decode()
    assert response.status_code == 200 and "このフィールドは必須です" in text
    assert not Proposal.objects.exists()


def test_an_empty_proposal_is_refused_with_reasons(client: Client, itabashi: Any) -> None:
    text = client.post("/activities/propose/", {}).content.decode()
    assert "さがす条件" not in text and "このフィールドは必須です" in text
    assert not Proposal.objects.exists()


def test_wrong_methods(client: Client, itabashi: Any) -> None:
    activity = make_activity("いきいきサロン")
    assert client.post("/activities/").status_code == 405
    assert client.post(f"/activities/{activity.pk}/").status_code == 405
    assert client.put("/activities/propose/").status_code == 405


def test_a_huge_result_is_counted_only_up_to_the_limit(
    client: Client, itabashi: Any, monkeypatch: Any
) -> None:
    from sasaeai.directory import search_plan, views

    for name in ("いきいきサロン", "ひまわりサロン", "あおぞらサロン"):
        make_activity(name)
    monkeypatch.setattr(search_plan, "COUNT_LIMIT", 2)
    monkeypatch.setattr(views, "COUNT_LIMIT", 2)
    text = client.get("/activities/", {"q": "サロン"}).content.decode()
    assert "2 件以上見つかりました" in text
    assert "ことばや条件を足すと、さがしている活動にしぼりこめます。" in text


def test_results_show_kinds_in_the_taxonomy_order(client: Client, itabashi: Any) -> None:
    make_activity("体操と見守り", kinds=("watch-over", "exercise", "salon"))
    html = client.get("/activities/").content.decode()
    # the seeded taxonomy lists サロン, then 体操・スポーツの集まり, then 見守り
    assert "高島平 ・サロン ・体操・スポーツの集まり ・見守り" in " ".join(html.split())


def test_results_name_kinds_past_the_bits_from_their_links(client: Client, itabashi: Any) -> None:
    make_activity("体操と見守り", kinds=("watch-over", "exercise"))
    # A municipality that used every bit: its newer kinds have none, only links.
    Kind.objects.filter(municipality=itabashi, code="watch-over").update(bit=None)
    html = client.get("/activities/").content.decode()
    assert "高島平 ・体操・スポーツの集まり ・見守り" in " ".join(html.split())


def test_a_new_kind_is_offered_at_once(client: Client, itabashi: Any) -> None:
    client.get("/activities/")  # the choices are remembered now
    Kind.objects.create(municipality=itabashi, facet=Facet.ACTIVITY, code="go", name="囲碁の会")
    assert '<option value="go">囲碁の会</option>' in client.get("/activities/").content.decode()


def test_a_page_of_results_costs_the_same_queries_as_one(
    client: Client, itabashi: Any, django_assert_max_num_queries: Any
) -> None:
    make_activity("ひとつめのサロン")
    client.get("/activities/", {"q": "茶"})  # what is remembered (PostgreSQL: index statistics)
    with django_assert_max_num_queries(8) as one:
        client.get("/activities/", {"q": "サロン"})
    for n in range(30):
        make_activity(f"サロン{n}", kinds=("salon", "exercise"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/activities/", {"q": "サロン"})
    assert len(response.context["results"]) == 20


def test_a_search_by_area_looks_the_area_up_once_until_the_tree_changes(
    client: Client, itabashi: Any
) -> None:
    make_activity("高島平のサロン", "takashimadaira")
    make_activity("成増のサロン", "narimasu")
    client.get("/activities/", {"area": "takashimadaira"})
    with CaptureQueriesContext(connection) as sent:
        response = client.get("/activities/", {"area": "takashimadaira"})
    assert names(response) == ["高島平のサロン"]
    assert not [query for query in sent.captured_queries if 'FROM "areas_area"' in query["sql"]]
    # A renamed area: the choices and the search see it at once.
    area = Area.objects.get(code="takashimadaira")
    area.name = "高島平（改）"
    area.save()
    response = client.get("/activities/", {"area": "takashimadaira"})
    assert names(response) == ["高島平のサロン"]
    renamed = '<option value="takashimadaira" selected>高島平（改）</option>'
    assert renamed in response.content.decode()


def test_what_a_result_shows_is_escaped(client: Client, itabashi: Any) -> None:
    make_activity("<b>サロン</b>", fee="<script>100円</script>")
    text = client.get("/activities/", {"q": "サロン"}).content.decode()
    assert "&lt;b&gt;サロン&lt;/b&gt;の会場" in text  # the place, one of the facts
    assert "<li>&lt;script&gt;100円&lt;/script&gt;</li>" in text  # the fee
    assert "<b>サロン" not in text and "<script>100円" not in text


def test_kind_filter_with_and_without_a_bit(client: Client, itabashi: Any) -> None:
    make_activity("朝の体操", kinds=("exercise",))
    make_activity("ひまわりサロン", kinds=("salon",))
    assert Kind.objects.get(municipality=itabashi, code="exercise").bit is not None
    assert names(client.get("/activities/", {"kind": "exercise"})) == ["朝の体操"]
    # A municipality that used every bit: its newer kinds are filtered by their links.
    Kind.objects.filter(municipality=itabashi, code="exercise").update(bit=None)
    assert names(client.get("/activities/", {"kind": "exercise"})) == ["朝の体操"]


def test_kinds_get_bits_until_they_run_out(itabashi: Any) -> None:
    from sasaeai.directory.models import KIND_BITS

    seeded = Kind.objects.filter(municipality=itabashi).count()
    for n in range(KIND_BITS + 2 - seeded):
        Kind.objects.create(municipality=itabashi, facet=Facet.ACTIVITY, code=f"k{n}", name=f"{n}")
    bits = list(Kind.objects.filter(municipality=itabashi).values_list("bit", flat=True))
    given = [bit for bit in bits if bit is not None]
    assert sorted(given) == list(range(KIND_BITS)) and bits.count(None) == 2


def test_a_page_of_results_costs_the_same_few_queries_however_many_it_shows(
    client: Client, itabashi: Any, django_assert_max_num_queries: Any
) -> None:
    """No query per result: kinds, places and schedules come one query each for the page."""
    weekly = {"frequency": "weekly", "weekdays": "2", "opens_at": dt.time(10)}
    make_activity("ひとつめのサロン", schedules=[weekly])
    # The municipality, the form's choices (and PostgreSQL's word index statistics) remembered.
    client.get("/activities/", {"q": "茶"})
    with django_assert_max_num_queries(8) as one:  # PostgreSQL asks its planner once more
        response = client.get("/activities/", {"q": "サロン"})
    assert names(response) == ["ひとつめのサロン"]
    for n in range(19):
        make_activity(f"サロン{n:02}", "narimasu", schedules=[weekly], kinds=("exercise",))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/activities/", {"q": "サロン"})
    assert len(names(response)) == 20
    assert response.context["results"][1].schedules == ["毎週水曜 10:00〜"]
