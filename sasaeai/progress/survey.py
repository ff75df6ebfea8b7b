"""The figures of MHLW's yearly survey (介護予防・日常生活支援総合事業等の実施状況に関する調査)
that sasaeai knows, for one municipality and 年度, as a workbook a person copies from: the
figures on the first sheet, each figure's definition on the second (see
../shared/standards/mhlw-survey.md for what the survey asks).

通いの場 are counted as the survey counts them: each venue (a place of an activity judged a
通いの場 by directory/kayoi.py) separately. Participants come from the figures entered for the
年度 (Participation), with "not known" kept as its own line, never folded into zero.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.db.models import Prefetch, Sum
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from sasaeai.areas.models import Area, AreaKind
from sasaeai.councils.models import Council, CouncilSC
from sasaeai.directory import survey_options
from sasaeai.directory.kayoi import is_kayoi
from sasaeai.directory.models import Activity, Frequency, Schedule, Status
from sasaeai.lib.fiscal import year_label
from sasaeai.lib.spreadsheets import set_text

from .models import Participation, Population

BOLD = Font(bold=True)
SESSION_BANDS = [(1, 20), (21, 40), (41, 60), (61, None)]


@dataclass(frozen=True)
class Figure:
    section: str
    name: str
    value: Any  # a number, a text, or None (not known)
    unit: str
    definition: str


def figures(municipality: Area, year: int) -> list[Figure]:
    """Every figure of the workbook, in the order of the survey's sheets."""
    venues = list(_kayoi_venues(municipality))
    counts = {
        p.activity_id: p
        for p in Participation.objects.filter(
            activity__municipality=municipality,
            fiscal_year=year,
            activity_id__in={a.pk for a, _n in venues},
        )
    }
    found = _kayoi(venues, counts)
    found += _rate(municipality, year, counts)
    found += _programme(municipality)
    return found


def _kayoi_venues(municipality: Area) -> Iterable[tuple[Activity, int]]:
    """Each 通いの場 activity (not ended) with its number of venues: two queries in all."""
    activities = (
        Activity.objects.of(municipality)
        .exclude(status=Status.ENDED)
        .prefetch_related(Prefetch("schedules", Schedule.objects.order_by("pk")), "places")
        .order_by("pk")
    )
    for activity in activities:
        schedules = [(s.frequency, s.note) for s in activity.schedules.all()]
        places = len(activity.places.all())
        if is_kayoi(schedules, places > 0):
            yield activity, places


def _kayoi(venues: list[tuple[Activity, int]], counts: dict[int, Participation]) -> list[Figure]:
    section = _("通いの場")
    total = sum(n for _a, n in venues)
    found = [
        Figure(
            section,
            _("箇所数"),
            total,
            _("か所"),
            _(
                "毎月1回以上集まる場所のある活動（週1回・第◯曜日・◯日の日程があり、隔月な"
                "どの補足がないもの）の、活動場所の数。1つの団体が2か所で開けば2か所と数え"
                "ます。終了した活動は含みません。"
            ),
        ),
    ]
    entered = [counts[a.pk] for a, _n in venues if a.pk in counts]
    people = sum(p.participants for p in entered)
    found.append(
        Figure(
            section,
            _("参加者実人数"),
            people,
            _("人"),
            _(
                "年度の基準の月に、通いの場に参加した人の実人数（活動ごとに入力した数の合計）"
                "。入力のない活動は数えていません。"
            ),
        )
    )
    found.append(
        Figure(
            section,
            _("参加者実人数を入力した活動"),
            len(entered),
            _("件"),
            _(
                "この年度の参加者数を入力した通いの場の活動の数（入力のない活動は参加者実人数"
                "に入っていません）。"
            ),
        )
    )
    men = sum(p.men or 0 for p in entered)
    women = sum(p.women or 0 for p in entered)
    young = sum(p.aged_65_74 or 0 for p in entered)
    old = sum(p.aged_75_up or 0 for p in entered)
    split = _(
        "性別・年齢がわかる人だけを数えます。"
        "わからない人は「不明」として別に数えます（0 ではありません）。"
    )
    for name, value in [
        (_("うち男性"), men),
        (_("うち女性"), women),
        (_("性別不明"), people - men - women),
        (_("うち65〜74歳"), young),
        (_("うち75歳以上"), old),
        (_("年齢不明・65歳未満"), people - young - old),
    ]:
        found.append(Figure(section, name, value, _("人"), split))
    found += _breakdown(section, _("主な活動内容"), "content", venues, lambda a: a.survey_content)
    found += _breakdown(section, _("運営主体"), "operator", venues, lambda a: a.operator)
    found += _breakdown(section, _("活動場所"), "venue", venues, lambda a: a.venue_type)
    found += _frequency(section, venues)
    found += _sessions(section, venues, counts)
    return found


def _breakdown(
    section: str, title: str, options: str, venues: list[tuple[Activity, int]], value: Any
) -> list[Figure]:
    counted: Counter[str] = Counter()
    for activity, places in venues:
        counted[value(activity) or ""] += places
    definition = _(
        "通いの場の箇所数を、活動に記録した「%(title)s」ごとに数えたもの。記"
        "録のないものは「未記入」。選択肢は data/mhlw/options.cs"
        "v（調査票に合わせて区が直せます）。"
    ) % {"title": title}
    found = [
        Figure(section, f"{title}: {label}", counted.pop(code, 0), _("か所"), definition)
        for code, label in survey_options.choices(options)
    ]
    for code, n in sorted(counted.items()):
        name = _("未記入") if not code else survey_options.label(options, code)
        found.append(Figure(section, f"{title}: {name}", n, _("か所"), definition))
    return found


def _per_month(activity: Activity) -> int:
    """How many times a month an activity meets, from its schedules (weekly: at least 4)."""
    times = 0
    for schedule in activity.schedules.all():
        if schedule.frequency == Frequency.WEEKLY:
            times += 4 * max(len(schedule.weekday_list()), 1)
        elif schedule.frequency in (Frequency.MONTHLY_NTH, Frequency.MONTHLY_DATE):
            times += max(len(schedule.weekday_list()), 1)
    return times


def _frequency(section: str, venues: list[tuple[Activity, int]]) -> list[Figure]:
    bands: Counter[str] = Counter()
    weekly, twice, once = _("週1回以上"), _("月2〜3回"), _("月1回")
    for activity, places in venues:
        per_month = _per_month(activity)
        bands[weekly if per_month >= 4 else twice if per_month >= 2 else once] += places
    definition = _(
        "日程から数えた、1か月に集まる回数（毎週は4回以上として）ごとの箇所数。公表"
        "資料の区分（週1回以上・月2〜4回・月1〜2回）は重なるため、重ならない区分"
        "にしています。"
    )
    return [
        Figure(section, f"{_('開催頻度')}: {band}", bands[band], _("か所"), definition)
        for band in (weekly, twice, once)
    ]


def _sessions(
    section: str, venues: list[tuple[Activity, int]], counts: dict[int, Participation]
) -> list[Figure]:
    bands: Counter[str] = Counter()
    for activity, _places in venues:
        count = counts.get(activity.pk)
        n = count.per_session if count else None
        if n is None:
            bands[_("未記入")] += 1
            continue
        for low, high in SESSION_BANDS:
            if n >= low and (high is None or n <= high):
                bands[_band(low, high)] += 1
    definition = _("1回あたりの参加者数（入力した数）ごとの、通いの場の活動の数。")
    names = [_band(low, high) for low, high in SESSION_BANDS] + [_("未記入")]
    return [
        Figure(section, f"{_('1回あたりの参加者数')}: {name}", bands[name], _("件"), definition)
        for name in names
    ]


def _band(low: int, high: int | None) -> str:
    return f"{low}〜{high}人" if high else f"{low}人以上"


def _rate(municipality: Area, year: int, counts: dict[int, Participation]) -> list[Figure]:
    section = _("参加率")
    people = sum(p.participants for p in counts.values())
    population = Population.objects.filter(
        area__municipality=municipality, fiscal_year=year
    ).aggregate(n=Sum("aged_65_up"))["n"]
    months = sorted({f"{p.month:%Y年%-m月}" for p in counts.values()})
    percent = round(100 * people / population, 2) if population and people else None
    return [
        Figure(
            section,
            _("分子: 参加者実人数"),
            people,
            _("人"),
            _("通いの場の参加者実人数（上と同じ）。"),
        ),
        Figure(
            section,
            _("分母: 65歳以上人口"),
            population,
            _("人"),
            _(
                "地域ごとに入力または取り込んだ、この年度の65歳以上人口の合計。入力のない年"
                "度は空欄。"
            ),
        ),
        Figure(
            section,
            _("基準の月"),
            "、".join(months) or None,
            "",
            _("参加者実人数を数えた月（活動ごとに入力。3月が望ましい）。"),
        ),
        Figure(
            section,
            _("参加率"),
            percent,
            "%",
            _(
                "分子 ÷ 分母 × 100。資料によって率が違うことがあるため、分子・分母・"
                "基準の月と一緒に見てください。"
            ),
        ),
    ]


def _programme(municipality: Area) -> list[Figure]:
    section = _("生活支援体制整備事業")
    layers = {
        AreaKind.MUNICIPALITY: _("第1層"),
        AreaKind.BLOCK: _("ブロック"),
        AreaKind.REGION: _("第2層"),
    }
    councils = Counter(Council.objects.of(municipality).values_list("area__kind", flat=True))
    scs: Counter[str] = Counter()
    for kind, count in CouncilSC.objects.filter(council__municipality=municipality).values_list(
        "council__area__kind", "count"
    ):
        scs[kind] += count
    found = []
    for kind, layer in layers.items():
        found.append(
            Figure(
                section,
                f"{_('協議体の数')}（{layer}）",
                councils[kind],
                _("か所"),
                _("支え合い会議として記録した会議体の数（その会議の地域の層ごと）。"),
            )
        )
        found.append(
            Figure(
                section,
                f"{_('SC 配置人数')}（{layer}）",
                scs[kind],
                _("人"),
                _("支え合い会議ごとに記録した生活支援コーディネーターの人数の合計（層ごと）。"),
            )
        )
    regions = Area.objects.of(municipality).filter(kind=AreaKind.REGION).exists()
    found.append(
        Figure(
            section,
            _("第1層と第2層の区域が同じか"),
            _("いいえ") if regions else _("はい"),
            "",
            _("第2層の地域を分けていれば「いいえ」。"),
        )
    )
    return found


def workbook(municipality: Area, year: int) -> bytes:
    """The workbook: the figures, then their definitions."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("調査の数字")
    sheet.append([])
    set_text(
        sheet.cell(1, 1),
        _(
            "%(name)s %(year)s 国の調査（介護予防・日常生活支援総合事業"
            "等の実施状況に関する調査）に写す数字"
        )
        % {"name": municipality.name, "year": year_label(year)},
        BOLD,
    )
    header = [_("区分"), _("項目"), _("数"), _("単位")]
    for column, text in enumerate(header, start=1):
        set_text(sheet.cell(3, column), text, BOLD)
    rows = figures(municipality, year)
    for row, figure in enumerate(rows, start=4):
        set_text(sheet.cell(row, 1), figure.section)
        set_text(sheet.cell(row, 2), figure.name)
        if isinstance(figure.value, str):
            set_text(sheet.cell(row, 3), figure.value)
        else:
            sheet.cell(row, 3).value = figure.value
        set_text(sheet.cell(row, 4), figure.unit)
    for letter, width in zip("ABCD", (22, 40, 12, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = book.create_sheet(_("定義"))
    for column, text in enumerate([_("区分"), _("項目"), _("数え方")], start=1):
        set_text(notes.cell(1, column), text, BOLD)
    for row, figure in enumerate(rows, start=2):
        set_text(notes.cell(row, 1), figure.section)
        set_text(notes.cell(row, 2), figure.name)
        set_text(notes.cell(row, 3), figure.definition)
    for letter, width in zip("ABC", (22, 40, 90), strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
