"""In Chromium: the region's SC enters the participants of the 年度 (told, row by row, what to
put right), the ward types and imports the population aged 65+, and the SC reads it. Every
page is photographed at 390 and 1280 px and checked with axe-core."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.directory.models import Status
from sasaeai.directory.tests.builders import make_activity
from sasaeai.progress.models import Participation, Population, PopulationSource, YearClosure
from sasaeai.test import area, load_itabashi, make_user
from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in, sign_out

pytestmark = pytest.mark.browser
YEAR = "?year=2026"


def test_the_sc_enters_participants_and_the_ward_the_population(
    transactional_db: Any, live_server: Any, tmp_path: Any
) -> None:
    load_itabashi()
    sc = make_user("sc@example.jp", Role.REGION_SC, "takashimadaira", display_name="高島 平子")
    ward = make_user("ward@example.jp", Role.WARD_STAFF, "131199", display_name="区 一郎")
    salon = make_activity("高島平いきいきサロン")
    exercise = make_activity("けやき体操の会")
    make_activity("見守り訪問", place=None)
    ended = make_activity("去年までの茶話会", status=Status.ENDED)
    Participation.objects.create(
        activity=ended, fiscal_year=2026, month=dt.date(2027, 3, 1), participants=9
    )
    for activity, people, men in ((salon, 21, 5), (exercise, 11, None)):
        Participation.objects.create(
            activity=activity, fiscal_year=2025, month=dt.date(2026, 3, 1), participants=people,
            men=men, women=people - men if men else None,
        )  # fmt: skip
    YearClosure.objects.create(municipality=area("131199"), fiscal_year=2025)
    table = tmp_path / "population.csv"
    table.write_text("町丁目,65歳以上人口,基準日\n高島平,\"3,210\",2027-01-01\n徳丸,2800,\n",
                     encoding="cp932")  # fmt: skip
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    console: list[str] = []
    with chromium_page(console, viewport={"width": 390, "height": 844}) as page:
        sign_in(page, base, sc)
        page.goto(f"{base}/staff/progress/takashimadaira/participants/{YEAR}")
        check_page(page, "entry-participants", problems)
        page.get_by_label("基準の月").select_option(label="2027年2月")
        rows = {
            salon.pk: ["24", "6", "20", "", "", "15"],  # 6 + 20 > 24
            exercise.pk: ["12", "", "", "5", "7", ""],
        }
        for pk, values in rows.items():
            group = page.locator(f"#activity-{pk}")
            for label, value in zip(
                [
                    "参加者実人数",
                    "うち男性",
                    "うち女性",
                    "うち65〜74歳",
                    "うち75歳以上",
                    "1回あたり人数",
                ],
                values,
                strict=True,
            ):
                group.get_by_label(label, exact=True).fill(value)
        page.get_by_role("button", name="すべての活動の数を保存する").click()
        page.wait_for_load_state()
        summary = page.get_by_role("alert").inner_text()
        assert "男性と女性の合計（26 人）が参加者実人数（24 人）を超えています。" in summary
        check_page(page, "entry-participants-errors", problems)
        page.locator(f"#activity-{salon.pk}").get_by_label("うち女性").fill("17")
        page.get_by_role("button", name="すべての活動の数を保存する").click()
        page.wait_for_url(f"**/participants/{YEAR}")
        assert "保存しました（新しく 2 件" in page.get_by_role("main").inner_text()
        check_page(page, "entry-participants-saved", problems)
        sign_out(page)

        sign_in(page, base, ward)
        page.goto(f"{base}/staff/progress/takashimadaira/participants/?year=2025")
        assert "締められています" in page.get_by_role("main").inner_text()
        assert page.get_by_role("textbox").count() == 0
        check_page(page, "entry-participants-closed", problems)
        page.goto(f"{base}/staff/progress/131199/population/{YEAR}")
        check_page(page, "entry-population-ward", problems)
        page.locator("#region-" + str(exercise.area_id)).get_by_label("65歳以上の人口").fill("3100")
        page.get_by_role("button", name="すべての地域の人口を保存する").click()
        page.wait_for_url(f"**/131199/population/{YEAR}")
        page.get_by_role("link", name="町丁目別の表から取り込む").click()
        check_page(page, "entry-population-import", problems)
        page.get_by_label("取り込むファイル（.xlsx または .csv）").set_input_files(str(table))
        page.get_by_role("button", name="内容を確認する").click()
        page.wait_for_load_state()
        assert "3,210 人" in page.get_by_role("main").inner_text()
        check_page(page, "entry-population-dry-run", problems)
        page.get_by_role("button", name="登録する").click()
        page.wait_for_load_state()
        assert "取り込みの結果" in page.get_by_role("heading", level=1).inner_text()
        check_page(page, "entry-population-imported", problems)
        sign_out(page)

        sign_in(page, base, sc)
        page.goto(f"{base}/staff/progress/takashimadaira/population/{YEAR}")
        assert "3,210 人" in page.get_by_role("main").inner_text()
        check_page(page, "entry-population-read", problems)
        page.goto(f"{base}/staff/progress/takashimadaira/participants/{YEAR}")
        assert "= 1.4 %" in page.get_by_role("main").inner_text()  # (24 + 12 + 9) / 3,210
    assert not problems, "\n".join(problems)
    assert not [m for m in console if "Content Security Policy" in m], console
    stored = {p.activity_id: p for p in Participation.objects.filter(fiscal_year=2026)}
    assert (stored[salon.pk].men, stored[salon.pk].women) == (6, 17)
    assert stored[exercise.pk].month == dt.date(2027, 2, 1)
    assert stored[ended.pk].month == dt.date(2027, 2, 1)  # one month for the page
    population = Population.objects.get(area__code="takashimadaira", fiscal_year=2026)
    assert (population.aged_65_up, population.source) == (3210, PopulationSource.IMPORTED)
