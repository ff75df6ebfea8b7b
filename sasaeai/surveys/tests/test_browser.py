"""In Chromium: a resident answers a survey from a 390 px phone (after being told what was
missing); the region's SC reads the results as bar charts and records a free-text answer as a
need. Every page is photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.needs.models import Need, Source
from sasaeai.surveys.models import Response
from sasaeai.test import load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

from .builders import answer_survey, make_survey

pytestmark = pytest.mark.browser


def test_resident_answers_and_the_sc_reads_the_results(
    transactional_db: Any, live_server: Any
) -> None:
    load_itabashi()
    user = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    survey = make_survey()
    for values in [("0", ["0"], "5", ""), ("1", ["0", "2"], "3", "電球を替えてほしい。"),
                   ("1", ["3"], "4", None)]:  # fmt: skip
        answer_survey(survey, *values)
    link = f"{live_server.url}/needs/surveys/{survey.token}/"
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        page.goto(link)
        page.get_by_role("button", name="送る").click()  # nothing chosen: told why
        page.wait_for_load_state()
        assert "1つ選んでください。" in page.get_by_role("alert").inner_text()
        check_page(page, "survey-answer-errors", problems)
        page.get_by_label("70代").check()
        page.get_by_label("買い物").check()
        page.get_by_label("家事").check()
        page.get_by_label("4", exact=True).check()
        page.get_by_label("自由にお書きください。").fill("近くで気軽に集まれる場所がほしい。")
        check_page(page, "survey-answer", problems)
        page.set_viewport_size({"width": 390, "height": 844})
        page.get_by_role("button", name="送る").click()
        page.wait_for_url("**/needs/surveys/thanks/")
        assert "ありがとうございました" in page.get_by_role("heading", level=1).inner_text()
        check_page(page, "survey-thanks", problems)

        page.set_viewport_size({"width": 1280, "height": 800})
        sign_in(page, live_server.url, user)
        page.goto(live_server.url + "/staff/needs/surveys/")
        check_page(page, "survey-list", problems)
        page.get_by_role("link", name="暮らしのアンケート").click()
        page.wait_for_url("**/staff/needs/surveys/*/")
        check_page(page, "survey-detail", problems)
        page.get_by_role("link", name="集計を見る").first.click()
        page.wait_for_url("**/results/")
        main = page.get_by_role("main").inner_text()
        assert "回答 4 件" in main and "2人（50%）" in main
        page.set_viewport_size({"width": 1280, "height": 800})
        check_page(page, "survey-results", problems)
        form = page.locator("form.to-need").filter(has_text="困りごとの種類").first
        form.get_by_label("困りごとの種類").select_option(label="ちょっとした家事（電球交換など）")
        form.get_by_role("button", name="困りごととして記録する").click()
        page.wait_for_url("**/staff/needs/*/")
        assert "もとのアンケート" in page.get_by_role("main").inner_text()
        check_page(page, "survey-need", problems)
        page.goto(f"{live_server.url}/staff/needs/surveys/{survey.pk}/paper/")
        check_page(page, "survey-paper", problems)
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    assert Response.objects.count() == 4
    need = Need.objects.get()
    assert need.source == Source.SURVEY and need.what == "電球を替えてほしい。"
