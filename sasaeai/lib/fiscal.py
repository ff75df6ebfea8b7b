"""Fiscal years (年度): April to March, named by the year they start, and their names in the
Japanese era (令和). Reports, budgets, plans and figures are all kept per 年度."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

REIWA_START = 2019  # 令和元年 = 2019
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the 年度 a page may be asked for


def fiscal_year_start(day: dt.date) -> dt.date:
    """The first day (1 April) of the fiscal year (年度) that `day` falls in."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def fiscal_year_of(moment: dt.datetime | dt.date) -> int:
    """The fiscal year a day (or a moment, in local time) falls in: 2026 for 2027-03-31."""
    day = timezone.localtime(moment).date() if isinstance(moment, dt.datetime) else moment
    return fiscal_year_start(day).year


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year `year` (1 April – 31 March)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def fiscal_year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 April of `year` 00:00 to 1 April of the next year, in the local time zone."""
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 4, 1, tzinfo=tz), dt.datetime(year + 1, 4, 1, tzinfo=tz)


def year_label(year: int) -> str:
    """2026 → "2026年度（令和8年度）"."""
    if year >= REIWA_START:
        era = year - REIWA_START + 1
        return gettext("%(year)s年度（令和%(era)s年度）") % {
            "year": year,
            "era": "元" if era == 1 else era,
        }
    return gettext("%(year)s年度") % {"year": year}


def year_asked(request: HttpRequest) -> int:
    """The 年度 a page is asked for (?year=), else the current one; 404 for one that is not a
    number or lies outside FIRST_YEAR–LAST_YEAR."""
    try:
        year = int(request.GET.get("year", fiscal_year_of(timezone.localdate())))
    except ValueError:
        raise Http404 from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year
