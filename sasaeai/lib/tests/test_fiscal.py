import datetime as dt
import zoneinfo

from sasaeai.lib.fiscal import (
    fiscal_year_bounds,
    fiscal_year_of,
    fiscal_year_start,
    year_bounds,
    year_label,
)

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def test_a_fiscal_year_runs_from_april_to_march() -> None:
    assert fiscal_year_of(dt.date(2027, 3, 31)) == 2026
    assert fiscal_year_of(dt.date(2027, 4, 1)) == 2027
    assert fiscal_year_start(dt.date(2026, 12, 6)) == dt.date(2026, 4, 1)
    assert year_bounds(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


def test_a_moment_counts_in_local_time() -> None:
    # 31 March 15:30 UTC is already 1 April in Tokyo.
    assert fiscal_year_of(dt.datetime(2027, 3, 31, 15, 30, tzinfo=dt.UTC)) == 2027
    start, end = fiscal_year_bounds(2026)
    assert start == dt.datetime(2026, 4, 1, tzinfo=TOKYO)
    assert end == dt.datetime(2027, 4, 1, tzinfo=TOKYO)


def test_labels_name_the_reiwa_year() -> None:
    assert year_label(2026) == "2026年度（令和8年度）"
    assert year_label(2019) == "2019年度（令和元年度）"
    assert year_label(2018) == "2018年度"
