"""The municipal standard open data sets (自治体標準オープンデータセット, Digital Agency), as
../shared/standards/municipal-open-data/README.md lists them, with the current edition's header
names (全国地方公共団体コード, ID, 地方公共団体名 and the address split into 所在地_ columns):

- イベント一覧: the public trainings (`Event.objects.public()`) and the residents' local events
  (`LocalEvent`, published), neither called off, from a year ago on; as an option
  (events.csv?sessions=1) followed by the dated sessions of the public activities over the
  next three months (`session_rows`, streamed);
- 介護サービス事業所一覧 (every column of the standard; those our records fill, filled): the
  public institutions (`Institution.objects.public()`).

The names' readings (イベント名_カナ, 介護サービス事業所名称_カナ) are in katakana: a typed
reading where the record has one, else the name read by lib/readings.py.

CSV in UTF-8 with a BOM (what the standard asks, and what Excel opens without garbling), CRLF
line ends, the municipality's code and name on every row. The address is kept whole in
所在地_連結表記; the prefecture and city come from the municipality.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from sasaeai.areas.models import Area
from sasaeai.directory.models import Frequency, Schedule
from sasaeai.events.local_models import LocalEvent
from sasaeai.events.models import Event
from sasaeai.lib import links
from sasaeai.lib.readings import reading
from sasaeai.referrals.models import Institution

from . import hsds

BOM = "\ufeff"
KEPT = dt.timedelta(days=365)  # events that ended within a year stay in the list
SESSION_DAYS = 92  # the activities' sessions, as an option: the next three months
SESSION_CHUNK = 500

ADDRESS = [
    "所在地_全国地方公共団体コード", "所在地_連結表記", "所在地_都道府県", "所在地_市区町村",
    "所在地_町字", "所在地_番地以下", "建物名等(方書)",
]  # fmt: skip
EVENT_COLUMNS = [
    "全国地方公共団体コード", "ID", "地方公共団体名", "イベント名", "イベント名_カナ",
    "イベント名_英語", "開始日", "終了日", "開始時間", "終了時間", "開始日時特記事項", "説明",
    "料金(基本)", "料金(詳細)", "連絡先名称", "連絡先電話番号", "連絡先内線番号", "主催者",
    "場所名称", *ADDRESS, "緯度", "経度", "アクセス方法", "駐車場情報", "定員",
    "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考",
]  # fmt: skip
# The recommended edition's columns (都道府県コード又は市区町村コード, NO, 都道府県名,
# 市区町村名, 介護サービス事業所名称, 介護サービス事業所名称_カナ, 実施サービス, 住所, 方書,
# 緯度, 経度, 電話番号, 内線番号, FAX番号, 法人番号, 法人の名称, 事業所番号, 利用可能曜日,
# 利用可能曜日特記事項, 定員, URL, 備考) with the current edition's header and address
# columns, as the README says.
CARE_COLUMNS = [
    "全国地方公共団体コード", "ID", "地方公共団体名", "介護サービス事業所名称",
    "介護サービス事業所名称_カナ", "実施サービス", *ADDRESS, "緯度", "経度", "電話番号",
    "内線番号", "FAX番号", "法人番号", "法人の名称", "事業所番号", "利用可能曜日",
    "利用可能曜日特記事項", "定員", "URL", "備考",
]  # fmt: skip
# Hiragana to katakana (the standard's _カナ columns are written in katakana).
_KATAKANA = str.maketrans({chr(c): chr(c + 0x60) for c in range(ord("ぁ"), ord("ゖ") + 1)})


def katakana(text: str, kana: str = "") -> str:
    """How `text` reads, in katakana: its typed reading `kana` if there is one, else the text
    with each word in kanji replaced by its reading (lib/readings.py; a word the dictionary
    does not know stays as written)."""
    said = kana.strip() or reading(text) or text
    return said.translate(_KATAKANA)


def _events(municipality: Area) -> tuple[Any, Any]:
    since = timezone.now() - KEPT
    trainings = Event.objects.of(municipality).public().going_ahead().filter(ends_at__gte=since)
    local = (
        LocalEvent.objects.of(municipality)
        .published()
        .filter(cancelled_at__isnull=True, ends_at__gte=since)
    )
    return trainings.order_by("starts_at", "pk"), local.order_by("starts_at", "pk")


def _institutions(municipality: Area) -> Any:
    chosen = Institution.objects.of(municipality).public().select_related("kind")
    return chosen.order_by("kind__sort_order", "kana", "name", "id")


def _place(municipality: Area, address: str) -> dict[str, str]:
    """The address whole; the municipality's code, prefecture and name only when the address
    is in it (an event may be held in another town)."""
    if not address:
        return {}
    found = {"所在地_連結表記": address}
    prefecture = hsds.prefecture(municipality)
    if address.removeprefix(prefecture).startswith(municipality.name):
        found |= {
            "所在地_全国地方公共団体コード": municipality.code,
            "所在地_都道府県": prefecture,
            "所在地_市区町村": municipality.name,
        }
    return found


def _when(start: dt.datetime, end: dt.datetime) -> dict[str, str]:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return {"開始日": f"{start:%Y-%m-%d}", "終了日": f"{end:%Y-%m-%d}",
            "開始時間": f"{start:%H:%M}", "終了時間": f"{end:%H:%M}"}  # fmt: skip


def _number(value: float | None) -> str:
    return "" if value is None else str(value)


def event_rows(municipality: Area) -> Iterable[dict[str, str]]:
    trainings, local = _events(municipality)
    common = {"全国地方公共団体コード": municipality.code, "地方公共団体名": municipality.name}
    events_page = links.absolute(reverse("events:public_list"), municipality)
    for event in trainings:
        closes = timezone.localtime(event.closes_at)
        yield {
            **common, "ID": f"E{event.pk}", "イベント名": event.title,
            "イベント名_カナ": katakana(event.title), "説明": event.description,
            **_when(event.starts_at, event.ends_at), "主催者": event.organiser,
            "場所名称": event.venue, **_place(municipality, event.address),
            "緯度": _number(event.latitude), "経度": _number(event.longitude),
            "定員": "" if event.capacity is None else str(event.capacity),
            "参加申込終了日": f"{closes:%Y-%m-%d}", "参加申込終了時間": f"{closes:%H:%M}",
            "参加申込方法": event.how_to_apply, "URL": events_page,
            "備考": str(event.kind),
        }  # fmt: skip
    for found in local:
        closes = timezone.localtime(found.closes_at)
        yield {
            **common, "ID": f"L{found.pk}", "イベント名": found.title,
            "イベント名_カナ": katakana(found.title), "説明": found.description,
            **_when(found.starts_at, found.ends_at), "料金(基本)": found.fee,
            "主催者": found.organiser, "場所名称": found.venue,
            **_place(municipality, found.address),
            "定員": "" if found.capacity is None else str(found.capacity),
            "参加申込終了日": f"{closes:%Y-%m-%d}", "参加申込終了時間": f"{closes:%H:%M}",
            "URL": links.absolute(found.public_url(), municipality),
            "備考": f"持ち物: {found.bring}" if found.bring else "",
        }  # fmt: skip


def session_dates(schedule: Schedule, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days from `first` to `last` on which the schedule meets: each chosen weekday, the
    nth of those in a month (a month without a fifth has none), or that day of each month;
    an irregular schedule names no day."""
    days = set(schedule.weekday_list())
    span = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    if schedule.frequency == Frequency.WEEKLY:
        return [d for d in span if d.weekday() in days]
    if schedule.frequency == Frequency.MONTHLY_NTH:
        nth = schedule.nth or 1
        return [d for d in span if d.weekday() in days and (d.day - 1) // 7 + 1 == nth]
    if schedule.frequency == Frequency.MONTHLY_DATE:
        return [d for d in span if d.day == schedule.day_of_month]
    return []


def session_rows(municipality: Area, today: dt.date) -> Iterator[dict[str, str]]:
    """The dated sessions of the public activities over the next SESSION_DAYS days (from
    `today`), one row each, activity by activity in chunks (a city has 100,000 of them): the
    activity's first place, its group as organiser, its contact only with the organiser's
    consent."""
    mapper = hsds.Mapper(municipality)
    common = {"全国地方公共団体コード": municipality.code, "地方公共団体名": municipality.name}
    last = today + dt.timedelta(days=SESSION_DAYS - 1)
    activities = hsds.nested(hsds.services(municipality), kinds=False)
    for activity in activities.iterator(chunk_size=SESSION_CHUNK):
        rules = [(rule, session_dates(rule, today, last)) for rule in activity.schedules.all()]
        if not any(days for _rule, days in rules):
            continue
        place = next(iter(activity.places.all()), None)
        shared = {
            **common, "イベント名": activity.name,
            "イベント名_カナ": katakana(activity.name, activity.kana),
            "説明": activity.description, "料金(基本)": hsds.fee(activity) or "",
            "主催者": activity.organization.name if activity.organization else "",
            "URL": mapper.service_url(activity), "参加申込方法": activity.how_to_join,
        }  # fmt: skip
        if activity.contact_public:
            shared |= {
                "連絡先名称": activity.contact_name,
                "連絡先電話番号": activity.contact_phone,
            }
        if place is not None:
            shared |= {"場所名称": place.name, **_place(municipality, place.address)}
            shared |= {"緯度": _number(place.latitude), "経度": _number(place.longitude)}
        for rule, days in rules:
            hours = {
                "開始時間": f"{rule.opens_at:%H:%M}" if rule.opens_at else "",
                "終了時間": f"{rule.closes_at:%H:%M}" if rule.closes_at else "",
                "開始日時特記事項": rule.in_words(),
            }
            for day in days:
                yield {**shared, **hours, "ID": f"S{rule.pk}-{day:%Y%m%d}",
                       "開始日": f"{day:%Y-%m-%d}", "終了日": f"{day:%Y-%m-%d}"}  # fmt: skip


def institution_rows(municipality: Area) -> Iterable[dict[str, str]]:
    common = {"全国地方公共団体コード": municipality.code, "地方公共団体名": municipality.name}
    for found in _institutions(municipality):
        yield {
            **common, "ID": f"I{found.pk}", "介護サービス事業所名称": found.name,
            "介護サービス事業所名称_カナ": katakana(found.name, found.kana),
            "実施サービス": found.kind.name,
            **_place(municipality, found.address), "緯度": _number(found.latitude),
            "経度": _number(found.longitude), "電話番号": found.phone,
            "利用可能曜日特記事項": found.hours,
            "URL": links.absolute(found.get_absolute_url(), municipality),
            "備考": found.helps_with,
        }  # fmt: skip


def to_csv(columns: list[str], rows: Iterable[dict[str, str]]) -> bytes:
    text = io.StringIO()
    text.write(BOM)
    writer = csv.DictWriter(text, columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def events_csv(municipality: Area) -> bytes:
    return to_csv(EVENT_COLUMNS, event_rows(municipality))


def events_with_sessions_csv(municipality: Area, today: dt.date) -> Iterator[bytes]:
    """The event list, then the activities' sessions (`session_rows`): streamed, a piece for
    every SESSION_CHUNK rows, so memory stays flat however many sessions there are."""
    text = io.StringIO()
    text.write(BOM)
    writer = csv.DictWriter(text, EVENT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    rows = chain(event_rows(municipality), session_rows(municipality, today))
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % SESSION_CHUNK == 0:
            yield text.getvalue().encode("utf-8")
            text.seek(0)
            text.truncate()
    yield text.getvalue().encode("utf-8")


def institutions_csv(municipality: Area) -> bytes:
    return to_csv(CARE_COLUMNS, institution_rows(municipality))


def events_version(municipality: Area) -> tuple[Any, ...]:
    """What changes whenever the event list does: counts and latest changes (two queries)."""
    trainings, local = _events(municipality)
    a = trainings.aggregate(n=Count("pk"), at=Max("updated_at"))
    b = local.aggregate(n=Count("pk"), at=Max("updated_at"))
    return (a["n"], a["at"], b["n"], b["at"])


def institutions_version(municipality: Area) -> tuple[Any, ...]:
    found = Institution.objects.of(municipality).public()
    c = found.aggregate(n=Count("pk"), at=Max("updated_at"), top=Max("pk"))
    return (c["n"], c["at"], c["top"])
