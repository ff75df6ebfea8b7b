from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.directory.models import Activity
from sasaeai.lib import photos
from sasaeai.lib.forms import FiscalYearField, plain_fields
from sasaeai.lib.optimistic import Versioned

from .models import (
    PHOTOS_A_MEETING,
    ActionItem,
    AgendaItem,
    ApprovedAs,
    Council,
    CouncilMember,
    CouncilSC,
    Decision,
    Initiative,
    Meeting,
    MeetingSeries,
    Minutes,
    Sector,
)
from .services import MinutesText

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CouncilForm(Versioned, forms.ModelForm):
    class Meta:
        model = Council
        fields = ["name", "started_on", "frequency", "venue", "hours", "vision", "first_number"]
        widgets = {"started_on": DATE, "vision": forms.Textarea(attrs={"rows": 3})}


class NewCouncilForm(CouncilForm):
    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none())

    class Meta(CouncilForm.Meta):
        fields = ["area", *CouncilForm.Meta.fields]

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.filter(council__isnull=True).exclude(kind="unit")  # type: ignore[attr-defined]


SCFormSet = forms.inlineformset_factory(
    Council,
    CouncilSC,
    fields=["count", "body", "since"],
    widgets={"since": DATE},
    extra=1,
    can_delete=True,
)


class MemberForm(Versioned, forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = ["name", "is_body", "sector", "role", "joined_on", "left_on",
                  "consent_to_publish_name"]  # fmt: skip
        widgets = {"joined_on": DATE, "left_on": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("退いた日は、加わった日より後にしてください。"))
        return data


class MeetingForm(Versioned, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "starts_at", "ends_at", "venue"]
        widgets = {"date": DATE, "starts_at": TIME, "ends_at": TIME}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("終了時刻は開始時刻より後にしてください。"))
        return data


class SeriesForm(forms.ModelForm):
    start = forms.DateField(label=_("この日から作る"), widget=DATE)
    months = forms.IntegerField(label=_("何か月分作るか"), min_value=1, max_value=24, initial=12)

    class Meta:
        model = MeetingSeries
        fields = ["nth", "weekday", "starts_at", "ends_at", "venue"]
        widgets = {"starts_at": TIME, "ends_at": TIME}

    def clean_nth(self) -> int:
        nth: int = self.cleaned_data["nth"]
        if not 1 <= nth <= 5:
            raise forms.ValidationError(_("第何週かを1〜5で入れてください。"))
        return nth


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.area.name}）"


class AgendaItemForm(Versioned, forms.ModelForm):
    initiative_codes = forms.MultipleChoiceField(
        label=_("取組み"),
        choices=Initiative.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activities = ActivityChoiceField(
        label=_("関係する活動"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "initiative_codes", "activities"]

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["activities"].queryset = activities.select_related("area").order_by("name")  # type: ignore[attr-defined]
        self.initial.setdefault("initiative_codes", self.instance.initiative_codes)

    def save(self, commit: bool = True) -> AgendaItem:
        self.instance.initiatives = ",".join(self.cleaned_data["initiative_codes"])
        return super().save(commit)  # type: ignore[no-any-return]


class ActionForm(Versioned, forms.ModelForm):
    activities = ActivityChoiceField(
        label=_("関係する活動"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = ActionItem
        fields = ["what", "who", "due_on", "agenda_item", "activities"]
        widgets = {"due_on": DATE}

    def __init__(
        self, *args: Any, meeting: Meeting, activities: QuerySet[Activity], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["agenda_item"].queryset = meeting.agenda.all()  # type: ignore[attr-defined]
        self.fields["activities"].queryset = activities.select_related("area").order_by("name")  # type: ignore[attr-defined]


class AttendanceForm(Versioned, forms.Form):
    """Who came to a meeting; given its attendance as `record=` (unsaved when none is recorded
    yet), it carries the version read (lib/optimistic.py)."""

    members = forms.ModelMultipleChoiceField(
        label=_("出席したメンバー"),
        queryset=CouncilMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: QuerySet[CouncilMember], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["members"].queryset = members  # type: ignore[attr-defined]
        for value, label in Sector.choices:
            self.fields[f"guests_{value}"] = forms.IntegerField(
                label=_("ゲスト（%(sector)s）") % {"sector": label},
                min_value=0,
                max_value=999,
                required=False,
            )

    def guests(self) -> dict[str, int]:
        return {v: self.cleaned_data.get(f"guests_{v}") or 0 for v in Sector.values}

    def saved_now(self, attendance: Any) -> list[tuple[str, str]]:
        """What is recorded now where it differs from this form's input (members and guests
        are not the record's own columns, so `optimistic.differences` cannot see them)."""
        rows = []
        members = list(attendance.members.all())
        if set(members) != set(self.cleaned_data["members"]):
            names = "、".join(str(m) for m in members) or str(_("（なし）"))
            rows.append((str(self.fields["members"].label), names))
        for value in Sector.values:
            saved = int(attendance.guests.get(value, 0))
            if saved != (self.cleaned_data.get(f"guests_{value}") or 0):
                rows.append((str(self.fields[f"guests_{value}"].label), f"{saved}"))
        return rows


class MinutesForm(forms.Form):
    """The text of a draft: a field per agenda item for the discussion and its decisions.

    `version` carries the version the person started from (optimistic locking).
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("全体のメモ・報告事項"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    general_decisions = forms.CharField(
        label=_("その他の決定事項（1行に1つ）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, agenda: list[AgendaItem], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.agenda = agenda
        for item in agenda:
            self.fields[f"discussion_{item.pk}"] = forms.CharField(
                label=_("「%(title)s」で話し合ったこと") % {"title": item.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"decisions_{item.pk}"] = forms.CharField(
                label=_("「%(title)s」で決まったこと（1行に1つ）") % {"title": item.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def initial_for(minutes: Minutes) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": minutes.version, "notes": minutes.notes}
        for item in minutes.items.all():
            initial[f"discussion_{item.agenda_item_id}"] = item.discussion
        lines: dict[str, list[str]] = {}
        for decision in minutes.decisions.all():
            key = (
                f"decisions_{decision.agenda_item_id}"
                if decision.agenda_item_id
                else "general_decisions"
            )
            lines.setdefault(key, []).append(decision.text)
        initial.update({key: "\n".join(texts) for key, texts in lines.items()})
        return initial

    def text(self) -> MinutesText:
        data = self.cleaned_data

        def lines(value: str) -> list[str]:
            return [line.strip()[:500] for line in value.splitlines() if line.strip()]

        decisions: dict[int | None, list[str]] = {
            item.pk: lines(data[f"decisions_{item.pk}"]) for item in self.agenda
        }
        decisions[None] = lines(data["general_decisions"])
        return MinutesText(
            notes=data["notes"],
            discussions={item.pk: data[f"discussion_{item.pk}"] for item in self.agenda},
            decisions=decisions,
        )


class ApproveForm(forms.Form):
    approved_as = forms.ChoiceField(
        label=_("承認した人"), choices=ApprovedAs.choices, widget=forms.RadioSelect
    )


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("訂正の理由"), max_length=300)


class SummaryForm(Versioned, forms.Form):
    """What residents see of a meeting; given the meeting as `record=`, it carries the version
    read (lib/optimistic.py)."""

    publish = forms.BooleanField(label=_("公開ページに概要を載せる"), required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("載せる議題"),
        queryset=AgendaItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decisions = forms.ModelMultipleChoiceField(
        label=_("載せる決定事項"),
        queryset=Decision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, minutes: Minutes, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["topics"].queryset = meeting.agenda.all()  # type: ignore[attr-defined]
        self.fields["decisions"].queryset = minutes.decisions.all()  # type: ignore[attr-defined]
        self.initial.setdefault("publish", meeting.summary_published)
        self.initial.setdefault("topics", [i for i in meeting.agenda.all() if i.public])
        self.initial.setdefault("decisions", [d for d in minutes.decisions.all() if d.public])

    def saved_now(self, meeting: Meeting, minutes: Minutes) -> list[tuple[str, str]]:
        """What is chosen now where it differs from this form's input (the choices are flags
        on the agenda and the decisions, not the meeting's own columns)."""
        data, rows = self.cleaned_data, []
        if meeting.summary_published != data["publish"]:
            rows.append((str(self.fields["publish"].label),
                         str(_("はい") if meeting.summary_published else _("いいえ"))))  # fmt: skip
        chosen = (
            ("topics", [i for i in meeting.agenda.all() if i.public], lambda i: i.title),
            ("decisions", [d for d in minutes.decisions.all() if d.public], lambda d: d.text),
        )
        for name, now, words in chosen:
            if {x.pk for x in now} != {x.pk for x in data[name]}:
                listed = "\n".join(words(x) for x in now) or str(_("（なし）"))
                rows.append((str(self.fields[name].label), listed))
        return rows


class YearListForm(forms.Form):
    """A list of a 年度 across the councils of an area (year_views.py)."""

    area = AreaChoiceField(
        label=_("地域"), queryset=Area.objects.none(), required=False, empty_label=_("すべて"),
        error_messages={"invalid_choice": _("地域は一覧から選んでください。")},
    )  # fmt: skip
    year = FiscalYearField(required=True)

    def __init__(self, *args: Any, areas: QuerySet[Area], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]


ACTION_CHOICES = [
    ("decided", _("年度中の会議で決めたもの")),
    ("done", _("年度中に完了したもの")),
    ("open", _("年度末（今年度は今日）に終わっていないもの")),
]


class ActionYearForm(YearListForm):
    which = forms.ChoiceField(
        label=_("どのやること"), required=False, choices=ACTION_CHOICES,
        error_messages={"invalid_choice": _("どのやることかは一覧から選んでください。")},
    )  # fmt: skip


class MeetingYearForm(YearListForm):
    """The year's meetings, with the people who came to each: all, or those of one sector."""

    sector = forms.ChoiceField(
        label=_("参加者の分野"), required=False, choices=[("", _("すべて")), *Sector.choices],
        error_messages={"invalid_choice": _("参加者の分野は一覧から選んでください。")},
    )  # fmt: skip


class MeetingPhotoForm(forms.Form):
    """A photo of the meeting for its minutes: checked and made into a JPEG upright, without
    EXIF, under a random name (lib/photos.py, as an activity's photo) before anything is kept."""

    image = forms.FileField(
        label=_("写真"),
        help_text=_("JPEG か PNG、10MBまで。会議の様子がわかる写真を選んでください。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = forms.CharField(
        label=_("写真の説明"), max_length=100, required=False,
        help_text=_("例: グループごとに意見を出し合いました"),
    )  # fmt: skip

    def __init__(self, *args: Any, meeting: Meeting, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.meeting = meeting

    def clean_image(self) -> Any:
        if self.meeting.photos.count() >= PHOTOS_A_MEETING:
            raise forms.ValidationError(
                _("写真は1回の会議に%(n)s枚までです。追加するには、先に1枚外してください。")
                % {"n": PHOTOS_A_MEETING}
            )
        return photos.resized_photo(self.cleaned_data["image"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plain_fields(self, data, "caption")
        return data
