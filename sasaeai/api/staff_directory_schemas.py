"""What the staff API's activities, places and schedules (staff_directory.py) take and give.

The bodies carry what the staff edit page's form carries (directory/forms.py), by the same
names; the form checks them. Areas and kinds are named by their codes, as in the page's
addresses, not by database ids. Every field of a body may be left out: a PATCH changes only
what it sends, and a POST of a new activity starts from the page's empty form."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from . import staff

TIME = r"^\d{1,2}:\d{2}(:\d{2})?$"  # 14:00 (Japan's time, as the page's time fields)
DATE = r"^\d{4}-\d{2}-\d{2}$"  # 2026-04-01

# The states an activity can be moved to (directory.models.TRANSITIONS), as the page's buttons.
Target = Literal["in_review", "published", "paused", "ended"]


class ActivityFilters(staff.Paging):
    """The staff list's filters (directory/list_filters.py), by code where the page has a select."""

    # Bounded: a page past 2**63 rows would overflow the database's OFFSET (a 500).
    page: int = Field(1, ge=1, le=10**9, description="ページ番号（1から）")

    q: str | None = Field(
        None, description="ことば（活動名・内容・場所などを、読みや言い換えも含めて探す）"
    )
    area: str | None = Field(None, description="地域のコード（その地域と下の地域の活動）")
    status: str | None = Field(None, description="状態: draft, in_review, published, paused, ended")
    kind: str | None = Field(None, description="活動の種類のコード")
    kayoi: bool = Field(False, description="通いの場だけ（場所があり、月1回以上の日程がある活動）")
    year: int | None = Field(None, description="年度（2025 は 2025年4月〜2026年3月）")
    in_year: str | None = Field(None, description="年度で見る活動: known（既定）, new, ended")
    visibility: str | None = Field(None, description="公開範囲: public, staff")
    needs_confirming: bool = Field(
        False, description="1年以上だれも続いていることを確かめていない、終了していない活動だけ"
    )


class Answer(BaseModel):
    """What an answer gives, checked by pydantic alone from the plain values the view hands
    it: django-ninja's Schema reads each field of each nested object through a getter of its
    own (made for models): 7,800 Python calls for a page of 50 activities, nearly a third of
    all the page made once its rows were plain values. The OpenAPI schema is the same."""


class ActivityKind(Answer):
    code: str
    name: str


class ActivityBrief(Answer):
    id: int
    name: str = Field(examples=["ふれあいサロン"])
    kana: str = Field(examples=["ふれあいさろん"])
    area: str = Field(description="地域のコード", examples=["takashimadaira"])
    area_name: str = Field(examples=["高島平"])
    status: str = Field(examples=["published"])
    status_label: str = Field(examples=["公開中"])
    visibility: str = Field(examples=["public"])
    kinds: list[ActivityKind]
    last_confirmed: dt.date | None
    updated_at: dt.datetime


class ActivityPage(Answer):
    count: int
    page: int
    per_page: int
    items: list[ActivityBrief]


class ActivityPlace(Schema):
    id: int
    name: str = Field(examples=["高島平地域センター"])
    postal_code: str = Field(examples=["175-0082"])
    address: str = Field(examples=["板橋区高島平3-12-28"])
    latitude: float | None = Field(examples=[35.789])
    longitude: float | None = Field(examples=[139.659])


class ActivitySchedule(Schema):
    id: int
    frequency: str = Field(examples=["monthly_nth"])
    weekdays: list[int] = Field(description="曜日（月=0 … 日=6）", examples=[[2]])
    nth: int | None = Field(examples=[2])
    day_of_month: int | None
    opens_at: str | None = Field(description="開始時刻（時:分）", examples=["14:00"])
    closes_at: str | None = Field(description="終了時刻（時:分）", examples=["16:00"])
    note: str
    in_words: str = Field(examples=["毎月第2水曜 14:00〜16:00"])


class ActivityTransition(Schema):
    to: str = Field(examples=["published"])
    label: str = Field(examples=["公開する"])


class ActivityDetail(ActivityBrief):
    municipality: str = Field(description="自治体のコード", examples=["131199"])
    description: str
    fee: str
    is_free: bool
    audience: str
    capacity: int | None
    welcomes_newcomers: bool
    how_to_join: str
    step_free: bool
    accessible_toilet: bool
    pick_up: bool
    contact_name: str
    contact_phone: str
    contact_email: str
    contact_public: bool
    survey_content: str
    operator: str
    venue_type: str
    organization_name: str = Field(examples=["高島平ふれあいの会"])
    activity_kinds: list[str] = Field(examples=[["salon"]])
    organiser_kinds: list[str]
    photo_url: str = Field(description="写真のページ（なければ空）")
    created_at: dt.datetime
    can_edit: bool = Field(description="このトークンの持ち主が編集できるか")
    transitions: list[ActivityTransition] = Field(description="今の状態から移れる状態")
    places: list[ActivityPlace]
    schedules: list[ActivitySchedule]


class Strict(staff.Body):
    """A body whose values must be of their own type: no 1 for true, no false for a number,
    no number for a date (pydantic would take each)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ActivityPlaceIn(Strict):
    name: str | None = Field(
        None, description="場所の名前（必須）", examples=["高島平地域センター"]
    )
    postal_code: str | None = Field(None, examples=["175-0082"])
    address: str | None = Field(None, description="住所（必須）", examples=["板橋区高島平3-12-28"])
    latitude: float | None = Field(
        None, description="緯度（経度と両方か、両方なし）", examples=[35.789]
    )
    longitude: float | None = Field(None, description="経度", examples=[139.659])


class ActivityScheduleIn(Strict):
    frequency: str | None = Field(
        None,
        description="くり返し（必須）: weekly, monthly_nth, monthly_date, irregular",
        examples=["monthly_nth"],
    )
    weekdays: list[int] | None = Field(None, description="曜日（月=0 … 日=6）", examples=[[2]])
    nth: int | None = Field(None, description="第◯（毎月 第◯◯曜日のとき、1〜5）", examples=[2])
    day_of_month: int | None = Field(None, description="日付（毎月 ◯日のとき）", examples=[15])
    opens_at: str | None = Field(
        None, description="開始時刻（時:分）", pattern=TIME, examples=["14:00"]
    )
    closes_at: str | None = Field(
        None, description="終了時刻（時:分）", pattern=TIME, examples=["16:00"]
    )
    note: str | None = Field(
        None, description="補足（不定期のときは必須）", examples=["祝日は休み"]
    )


class ActivityIn(Strict):
    """An activity's own fields, as the edit page's form has them."""

    area: str | None = Field(None, description="地域のコード（必須）", examples=["takashimadaira"])
    name: str | None = Field(None, description="活動名（必須）", examples=["ふれあいサロン"])
    kana: str | None = Field(None, examples=["ふれあいさろん"])
    description: str | None = Field(None, examples=["お茶を飲みながらおしゃべりする会です。"])
    visibility: str | None = Field(None, description="公開範囲: public, staff", examples=["public"])
    fee: str | None = Field(None, examples=["100円（お茶代）"])
    is_free: bool | None = Field(None, examples=[False])
    audience: str | None = Field(None, examples=["地域の高齢の方"])
    capacity: int | None = Field(None, examples=[20])
    welcomes_newcomers: bool | None = Field(None, examples=[True])
    how_to_join: str | None = Field(None, examples=["当日、直接会場へお越しください。"])
    step_free: bool | None = Field(None, examples=[True])
    accessible_toilet: bool | None = Field(None, examples=[False])
    pick_up: bool | None = Field(None, examples=[False])
    contact_name: str | None = Field(None, examples=["山田花子"])
    contact_phone: str | None = Field(None, examples=["03-1234-5678"])
    contact_email: str | None = Field(None, examples=["salon@example.jp"])
    contact_public: bool | None = Field(None, examples=[False])
    last_confirmed: str | None = Field(
        None, description="最後に活動を確認した日", pattern=DATE, examples=["2026-04-01"]
    )
    survey_content: str | None = Field(None, description="国の調査の主な活動内容のコード")
    operator: str | None = Field(None, description="国の調査の運営主体のコード")
    venue_type: str | None = Field(None, description="国の調査の活動場所の種類のコード")
    organization_name: str | None = Field(None, examples=["高島平ふれあいの会"])
    activity_kinds: list[str] | None = Field(
        None, description="活動の内容（種類のコード、1つ以上）", examples=[["salon"]]
    )
    organiser_kinds: list[str] | None = Field(
        None, description="運営する団体の種類（種類のコード）", examples=[["volunteer"]]
    )


class ActivityNew(ActivityIn):
    """A new activity with its places (3 at most) and schedules (5 at most), as the page's
    form makes one: a draft."""

    places: list[ActivityPlaceIn] = Field(default_factory=list, description="場所（3つまで）")
    schedules: list[ActivityScheduleIn] = Field(default_factory=list, description="日程（5つまで）")


class ActivityStatusIn(Strict):
    to: Target = Field(
        description="移る状態（公開には「公開」の権限が要る）", examples=["published"]
    )
