from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.areas.models import Area
from sasaeai.lib import memo, widgets
from sasaeai.lib.honeypot import Honeypot
from sasaeai.lib.optimistic import Versioned

from . import survey_options
from .models import (
    WEEKDAYS,
    Activity,
    Facet,
    Frequency,
    Kind,
    Place,
    Proposal,
    ProposalKind,
    Schedule,
)
from .search_query import Point
from .services import ActivityParts, resized_photo

WEEKDAY_CHOICES = [(str(i), f"{name}曜") for i, name in enumerate(WEEKDAYS)]


class KindChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


@dataclass(frozen=True)
class CurrentPhoto:
    """The photo an activity has, as its field shows it: a link to the photo view (media
    files have no address of their own)."""

    url: str

    def __str__(self) -> str:
        return str(_("写真を見る"))


class PhotoInput(forms.ClearableFileInput):
    initial_text = _("今の写真")  # type: ignore[assignment]
    input_text = _("別の写真にする")  # type: ignore[assignment]
    clear_checkbox_label = _("写真を外す")  # type: ignore[assignment]
    photo_url = ""

    def format_value(self, value: Any) -> Any:
        return CurrentPhoto(self.photo_url) if self.is_initial(value) else None


class PhotoField(forms.ImageField):
    """An activity's photo: checked (bytes, then pixels from the header) and resized before
    anything is decoded or saved; the cleaned value is the JPEG to store."""

    widget = PhotoInput(attrs={"accept": "image/jpeg,image/png"})

    def to_python(self, data: Any) -> Any:
        upload = forms.FileField.to_python(self, data)  # not ImageField's: it opens it again
        return None if upload is None else resized_photo(upload)


SURVEY_HELP = {
    "survey_content": _("国の調査（通いの場）に使います。主な内容をひとつ選びます。"),
    "operator": _("国の調査に使います。活動を運営しているのはどこかを選びます。"),
    "venue_type": _("国の調査に使います。主に活動している場所の種類を選びます。"),
}


def survey_field(name: str, current: str) -> forms.ChoiceField:
    """A select of the option file's list for the survey field `name`. The value the activity
    has stays choosable (shown as its code) when the file no longer lists it, so editing
    something else does not drop it."""
    options = survey_options.choices(survey_options.FIELDS[name])
    if current and current not in dict(options):
        options.append((current, current))
    return forms.ChoiceField(
        label=Activity._meta.get_field(name).verbose_name,  # type: ignore[union-attr]
        choices=[("", _("（未記入）")), *options],
        required=False,
        help_text=SURVEY_HELP[name],
        error_messages={"invalid_choice": _("「%(value)s」は選べません。一覧から選んでください。")},
    )


class ActivityForm(Versioned, forms.ModelForm):
    """An activity's own fields; `Versioned`: a second saver of the same version is told."""

    area = AreaChoiceField(label=_("地域"), queryset=Area.objects.none())
    organization_name = forms.CharField(label=_("運営する団体"), max_length=120, required=False)
    activity_kinds = KindChoiceField(label=_("活動の内容"), queryset=Kind.objects.none())
    organiser_kinds = KindChoiceField(
        label=_("運営する団体の種類"), queryset=Kind.objects.none(), required=False
    )

    class Meta:
        model = Activity
        fields = [
            "area", "name", "kana", "description", "visibility", "fee", "is_free", "audience",
            "capacity", "welcomes_newcomers", "how_to_join", "step_free", "accessible_toilet",
            "pick_up", "contact_name", "contact_phone", "contact_email", "contact_public", "photo",
            "last_confirmed", "survey_content", "operator", "venue_type",
        ]  # fmt: skip
        field_classes = {"photo": PhotoField}
        help_texts = {
            "photo": _(
                "JPEG か PNG（10MB・4000万画素まで）。長い辺が1200pxより長い写真は縮めます。"
            )
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "how_to_join": forms.Textarea(attrs={"rows": 3}),
            "last_confirmed": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, areas: QuerySet[Area], municipality: Area, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]
        kinds = Kind.objects.of(municipality)
        self.fields["activity_kinds"].queryset = kinds.filter(facet=Facet.ACTIVITY)  # type: ignore[attr-defined]
        self.fields["organiser_kinds"].queryset = kinds.filter(facet=Facet.ORGANISER)  # type: ignore[attr-defined]
        if self.instance.pk:
            chosen = list(self.instance.kinds.all())
            self.initial["activity_kinds"] = [k for k in chosen if k.facet == Facet.ACTIVITY]
            self.initial["organiser_kinds"] = [k for k in chosen if k.facet == Facet.ORGANISER]
            if self.instance.organization:
                self.initial["organization_name"] = self.instance.organization.name
        self.fields["photo"].widget.photo_url = self.instance.photo_url  # type: ignore[attr-defined]
        # The survey's fields last, after the organiser's: they are for the ward, not the group.
        for name in survey_options.FIELDS:
            del self.fields[name]
            self.fields[name] = survey_field(name, getattr(self.instance, name))

    def parts(self, places: PartFormSet, schedules: PartFormSet) -> ActivityParts:
        data = self.cleaned_data
        return ActivityParts(
            kinds=[*data["activity_kinds"], *data["organiser_kinds"]],
            organization_name=data.get("organization_name", ""),
            places=places.rows(),
            schedules=schedules.rows(),
        )


class PartForm(forms.ModelForm):
    def rows_data(self) -> dict[str, Any] | None:
        """The part's values, or None for a blank extra row or one marked for deletion."""
        blank = not self.has_changed() and self.instance.pk is None
        if blank or self.cleaned_data.get("DELETE"):
            return None
        return {name: self.cleaned_data.get(name) for name in self._meta.fields or ()}


class PlaceForm(PartForm):
    class Meta:
        model = Place
        fields = ["name", "postal_code", "address", "latitude", "longitude"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError(_("緯度と経度は両方入れるか、両方空にしてください。"))
        return data


class ScheduleForm(PartForm):
    weekdays = forms.MultipleChoiceField(
        label=_("曜日"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Schedule
        fields = ["frequency", "weekdays", "nth", "day_of_month", "opens_at", "closes_at", "note"]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}),
            "closes_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if self.instance.pk:
            self.initial["weekdays"] = [str(d) for d in self.instance.weekday_list()]

    def clean_weekdays(self) -> str:
        return ",".join(self.cleaned_data.get("weekdays") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        frequency, days = data.get("frequency"), data.get("weekdays", "")
        if frequency == Frequency.WEEKLY and not days:
            self.add_error("weekdays", _("毎週の場合は曜日を選んでください。"))
        if frequency == Frequency.MONTHLY_NTH:
            if not data.get("nth") or not 1 <= data["nth"] <= 5:
                self.add_error("nth", _("第何週かを1〜5で入れてください。"))
            if len(days.split(",")) != 1 or not days:
                self.add_error("weekdays", _("毎月第◯◯曜日の場合は曜日を1つ選んでください。"))
        if frequency == Frequency.MONTHLY_DATE and not 1 <= (data.get("day_of_month") or 0) <= 31:
            self.add_error("day_of_month", _("日付を1〜31で入れてください。"))
        if frequency == Frequency.IRREGULAR and not data.get("note"):
            self.add_error("note", _("不定期の場合は、いつ開くかを補足に書いてください。"))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("終了時刻は開始時刻より後にしてください。"))
        return data


class PartFormSet(forms.BaseInlineFormSet):
    def rows(self) -> list[dict[str, Any]]:
        return [row for form in self.forms if (row := form.rows_data()) is not None]  # type: ignore[attr-defined]


PlaceFormSet = forms.inlineformset_factory(
    Activity, Place, form=PlaceForm, formset=PartFormSet, extra=1, max_num=3, can_delete=True
)
ScheduleFormSet = forms.inlineformset_factory(
    Activity, Schedule, form=ScheduleForm, formset=PartFormSet, extra=1, max_num=5, can_delete=True
)


class PointField(forms.Field):
    """A "lat,lng" pair, as the URL carries it (?near=35.789,139.659)."""

    def to_python(self, value: Any) -> Point | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            lat, lng = (float(part) for part in text.split(","))
        except ValueError:
            raise ValidationError(_("場所の指定が正しくありません。")) from None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValidationError(_("場所の指定が正しくありません。"))
        return Point(lat, lng)


DAYPART_CHOICES = [("", _("いつでも")), ("morning", _("午前")), ("afternoon", _("午後")),
                   ("evening", _("夕方・夜"))]  # fmt: skip


@dataclass(frozen=True)
class Taxon:
    """A kind as the search uses it: remembered with the form's choices, so a search by kind
    needs no query to find it."""

    pk: int
    code: str
    name: str
    bit: int | None

    @property
    def mask(self) -> int | None:
        """Its bit in Activity.kind_bits as a number, if it has one (as Kind.mask)."""
        return None if self.bit is None else 1 << self.bit


def search_choices(municipality: Area) -> tuple[list[tuple[str, str]], list[Taxon]]:
    """Regions (code, name) and kinds of a municipality, in their order."""
    regions = Area.objects.of(municipality).regions().order_by("sort_order", "path")
    kinds = Kind.objects.of(municipality).values_list("pk", "code", "name", "bit")
    return list(regions.values_list("code", "name")), [Taxon(*kind) for kind in kinds]


# C0 control characters and DEL: nothing a person types into a search, and nothing a page
# should send back (a link or a script may put them in the URL: /activities/?kind=%01abc).
CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def without_controls(data: Any) -> Any:
    """The query with control characters dropped (the same object when it has none: the
    usual case costs one scan, no copy)."""
    if not any(CONTROLS.search(value) for _name, values in data.lists() for value in values):
        return data
    clean = data.copy()
    for name, values in data.lists():
        clean.setlist(name, [CONTROLS.sub("", value) for value in values])
    return clean


class SearchForm(forms.Form):
    """The resident's search; every field lives in the URL so a search can be shared."""

    q = forms.CharField(label=_("ことばで探す"), required=False, max_length=100)
    # Choices from values (no model objects built on every search); cleaned to the Area / Kind.
    area = forms.ChoiceField(
        label=_("地域"),
        required=False,
        widget=widgets.Select,
        # Django's own message repeats the value sent: never shown back.
        error_messages={"invalid_choice": _("地域は一覧から選んでください。")},
    )
    kind = forms.ChoiceField(
        label=_("活動の種類"), required=False, widget=widgets.Select,
        error_messages={"invalid_choice": _("活動の種類は一覧から選んでください。")},
    )  # fmt: skip
    weekday = forms.ChoiceField(
        label=_("曜日"), required=False, choices=[("", _("何曜日でも")), *WEEKDAY_CHOICES],
        widget=widgets.Select,
        error_messages={"invalid_choice": _("曜日は一覧から選んでください。")},
    )  # fmt: skip
    time = forms.ChoiceField(
        label=_("時間帯"), required=False, choices=DAYPART_CHOICES, widget=widgets.Select,
        error_messages={"invalid_choice": _("時間帯は一覧から選んでください。")},
    )  # fmt: skip
    free = forms.BooleanField(label=_("無料のもの"), required=False, widget=widgets.CheckboxInput)
    newcomers = forms.BooleanField(
        label=_("初めての方歓迎"), required=False, widget=widgets.CheckboxInput
    )
    step_free = forms.BooleanField(
        label=_("段差なし・車いす可"), required=False, widget=widgets.CheckboxInput
    )
    near = PointField(label=_("この場所の近く"), required=False, widget=widgets.HiddenInput)
    radius = forms.FloatField(
        label=_("半径（km）"), required=False, min_value=0.2, max_value=10,
        widget=widgets.HiddenInput,
    )  # fmt: skip

    def __init__(self, data: Any = None, *args: Any, municipality: Area, **kw: Any) -> None:
        if isinstance(data, QueryDict):  # dropped before anything reads or shows them
            data = without_controls(data)
        super().__init__(data, *args, **kw)
        self.municipality = municipality
        key = ("search-choices", municipality.pk)
        regions, kinds = memo.remember(key, lambda: search_choices(municipality))
        self.fields["area"].choices = [("", _("すべての地域")), *regions]  # type: ignore[attr-defined]
        # Every kind, in the taxonomy's order: what a result's kinds are shown as, with its bit
        # in Activity.kind_bits (None past the bits: then its links tell).
        self.kinds: list[Taxon] = kinds
        kind_choices = [("", _("すべての種類")), *((kind.code, kind.name) for kind in kinds)]
        self.fields["kind"].choices = kind_choices  # type: ignore[attr-defined]

    def clean_area(self) -> Area | None:
        code = self.cleaned_data["area"]  # one of the choices, so one of the areas
        if not code:
            return None
        key = ("search-area", self.municipality.pk, code)
        return memo.remember(key, lambda: Area.objects.of(self.municipality).get(code=code))

    def clean_kind(self) -> Taxon | None:
        code = self.cleaned_data["kind"]  # one of the choices, so one of the kinds
        return next(kind for kind in self.kinds if kind.code == code) if code else None


class ProposalForm(Honeypot, forms.ModelForm):
    area = forms.ModelChoiceField(
        label=_("地域"), queryset=Area.objects.none(), to_field_name="code",
        empty_label=_("選んでください"),
    )  # fmt: skip

    class Meta:
        model = Proposal
        fields = ["kind", "area", "name", "details", "sender_name", "sender_contact"]
        widgets = {"kind": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, municipality: Area, **kw: Any) -> None:
        super().__init__(*args, **kw)
        regions = Area.objects.of(municipality).regions().order_by("sort_order", "path")
        self.fields["area"].queryset = regions  # type: ignore[attr-defined]
        # Two buttons to choose between: a blank third one would say nothing.
        self.fields["kind"].choices = ProposalKind.choices  # type: ignore[attr-defined]
