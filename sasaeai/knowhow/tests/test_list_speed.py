"""The case and question lists drawn faster (issue 27) and the same to the eye: the filter
form's fields, written in Python, give exactly the HTML Django's form templates gave (a fresh
form, chosen values, wrong values with their aria attributes); a case row shows what it
showed; and the page reads only what its rows show, not a case's texts and words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.forms import BoundField
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sasaeai.accounts.models import User
from sasaeai.directory.models import Kind
from sasaeai.progress.models import Stage
from sasaeai.test import area

from ..filters import CaseFilterForm, QuestionFilterForm
from ..models import Case, CaseStatus, Question, Theme
from ..services import ensure_themes
from .builders import make_case
from .test_list_queries import listed

pytestmark = pytest.mark.django_db

CHOSEN = {"q": " 体操　& <b>", "question": "keep_going", "star": "spread", "initiative": "nakama",
          "stage": "2", "region": "takashimadaira", "year": "2024", "sort": "useful"}  # fmt: skip
# Every field's value refused (`question` is the case list's ★, `star` the question list's).
WRONG = {"q": "あ" * 101, "question": "nope", "star": "nope", "initiative": "nope",
         "stage": "9", "region": "nowhere", "year": "1900", "theme": "abc", "kind": "999999",
         "sort": "x"}  # fmt: skip


def as_django_draws_it(field: BoundField) -> str:
    """The field drawn by Django's own widget and templates, with the same choices."""
    widget = field.field.widget
    if isinstance(widget, forms.Select):
        plain: forms.Widget = forms.Select(attrs=widget.attrs, choices=field.field.choices)  # type: ignore[attr-defined]
    else:
        plain = forms.TextInput(attrs=widget.attrs)
    return field.as_widget(widget=plain)


@pytest.mark.parametrize("form_class", [CaseFilterForm, QuestionFilterForm])
@pytest.mark.parametrize("state", ["unbound", "chosen", "wrong"])
def test_the_filter_form_is_drawn_as_django_draws_it(
    itabashi: Any, form_class: type[CaseFilterForm], state: str
) -> None:
    town = area("131199")
    themes = list(ensure_themes(town))
    Theme.objects.create(municipality=town, name="見守り & <声かけ>", sort_order=99)
    kind = Kind.objects.create(
        municipality=town, code="h1-salon", name="サロン「集い」& <茶話会>", facet="activity"
    )
    chosen = {**CHOSEN, "theme": str(themes[1].pk), "kind": str(kind.pk)}
    data = {"unbound": None, "chosen": chosen, "wrong": WRONG}[state]
    form = form_class(data, municipality=town)
    assert form.is_valid() == (state == "chosen")
    for field in form:
        assert str(field) == as_django_draws_it(field), field.name
    html = "".join(str(field) for field in form)
    if state == "chosen":
        assert (
            f'<option value="{kind.pk}" selected>サロン「集い」&amp; &lt;茶話会&gt;</option>'
            in html
        )
        assert 'value=" 体操　&amp; &lt;b&gt;"' in html
    if state == "wrong":  # every field refused: each is marked for assistive technology
        assert set(form.errors) == set(form.fields)
        assert html.count('aria-invalid="true"') == len(form.fields)


def test_the_list_shows_the_chosen_values_and_refuses_wrong_ones(
    client: Client, users: dict[str, User]
) -> None:
    make_case(title="朝の体操", by=users["ward"], status=CaseStatus.PUBLISHED)
    client.force_login(users["sc"])
    page = client.get("/staff/knowhow/cases/", {"q": "体操", "region": "takashimadaira",
                                                 "stage": "3"}).content.decode()  # fmt: skip
    assert '<input type="text" name="q" value="体操" maxlength="100" id="id_q">' in page
    assert '<option value="takashimadaira" selected>高島平</option>' in page
    assert '<option value="3" selected>③ 助け合い創出</option>' in page
    assert "1 件見つかりました" in page and "正しくないため" not in page
    page = client.get("/staff/knowhow/cases/", {"region": "nowhere"}).content.decode()
    assert "条件の一部が正しくないため、すべての事例を表示しています。" in page
    assert '<select name="region" aria-invalid="true" aria-describedby="id_region_error" ' \
        'id="id_region">' in page  # fmt: skip
    assert "1 件見つかりました" in page


def rows(page: str) -> dict[str, str]:
    """Each row of a page by its title."""
    found = page.split('<h3 class="result__title">')[1:]
    return {row.split('/">', 1)[1].split("</a>", 1)[0]: row.split("</li>", 1)[0] for row in found}


def test_a_row_shows_its_area_month_stage_status_useful_stars_and_themes(
    client: Client, users: dict[str, User]
) -> None:
    themes = list(ensure_themes(area("131199")))
    case = make_case(
        "takashimadaira", "朝の体操 <b>", by=users["ward"], status=CaseStatus.PUBLISHED,
        questions=(Question.SPREAD, Question.IDEAS), stage=Stage.DIG,
        links_to={"themes": [themes[2], themes[0]]}, happened_on=dt.date(2025, 7, 3),
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(useful_count=3)
    make_case("takashimadaira", "下書きの事例", by=users["sc"])
    client.force_login(users["sc"])
    for path in ("/staff/knowhow/cases/", "/staff/knowhow/"):
        row = rows(client.get(path).content.decode())["朝の体操 &lt;b&gt;"]
        assert f'<a href="/staff/knowhow/cases/{case.pk}/">' in row
        assert "高島平 ／ 2025年7月 ／ ② ニーズと担い手の掘り起こし ／ 役に立った 3</p>" in row
        assert (
            '<span class="tag">★ みんなはどういう工夫をしているの？</span> '
            '<span class="tag">★ まだ知らない人にどうやって広める？</span> '
            f'<span class="tag">{themes[0].name}</span> <span class="tag">{themes[2].name}</span>'
        ) in row, path
    draft = rows(client.get("/staff/knowhow/cases/").content.decode())["下書きの事例"]
    assert '／ <span class="status status--draft">下書き</span></p>' in draft
    assert '<span class="tag">★ もっと参加者（仲間）を増やすにはどうする？</span> </p>' in draft


def test_the_rows_read_only_what_they_show(client: Client, users: dict[str, User]) -> None:
    for n in range(3):
        make_case(title=f"事例{n}", by=users["ward"], status=CaseStatus.PUBLISHED,
                  background="きっかけ", tips="工夫")  # fmt: skip
    client.force_login(users["ward"])
    client.get("/staff/knowhow/cases/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/staff/knowhow/cases/", {"q": "事例"}).content.decode()
    assert "3 件見つかりました" in page and "事例2" in page
    read = " ".join(query["sql"] for query in queries.captured_queries)
    for column in ("search_tokens", "background", "tips", "internal_note"):
        assert f'"knowhow_case"."{column}"' not in read, column


def test_a_word_search_counts_and_pages_as_the_list_does(
    client: Client, users: dict[str, User]
) -> None:
    """On PostgreSQL a word's page and count come from one query: the same pages, the same
    count, and a page past the end or not a number answered as the paginator does."""
    day = dt.date(2026, 1, 1)
    for n in range(33):
        make_case(title=f"体操{n:02}", by=users["ward"], status=CaseStatus.PUBLISHED,
                  happened_on=day + dt.timedelta(n))  # fmt: skip
    make_case(title="お茶会", by=users["ward"], status=CaseStatus.PUBLISHED)
    client.force_login(users["member"])
    last = (33, ["体操02", "体操01", "体操00"])
    assert listed(client, "q=体操") == (33, [f"体操{n:02}" for n in range(32, 2, -1)])
    assert listed(client, "q=体操&page=2") == last
    assert listed(client, "q=体操&page=99") == last
    assert listed(client, "q=体操&page=0") == last
    assert listed(client, "q=体操&page=x")[1][0] == "体操32"
    assert listed(client, "q=体操&sort=useful&page=2") == last
    assert listed(client, "q=ぱんだ") == (0, [])
