"""Optimistic locking for the staff forms that edit shared records.

Two people open the same record, both change it, both press 保存する: without a guard the
second save silently undoes the first. Every such form carries, in a hidden field, the
version of the record it was filled from (its `updated_at`, to the microsecond: no column of
its own, no migration); the service that saves asks `claim` first, inside its transaction:

- one conditional UPDATE (`… WHERE pk = %s AND updated_at = <version read>`) moves the
  version on. Of two saves of the same version only the first matches; on PostgreSQL the
  second waits on the first's row lock and then finds the row changed, on SQLite writers
  take the database's lock in turn (`transaction_mode` IMMEDIATE);
- the loser gets `Stale` with the record as saved now, and the transaction rolls back:
  nothing of theirs is written;
- the winner's own `save()` follows as before, so its audit entry and history are unchanged
  (a queryset UPDATE sends no signal, and `updated_at` is outside every audit).

The form side (`Versioned`) gives the person their own input back with a Japanese message,
the version moved on to the one saved now (so a second press, after they have looked,
saves) and the fields where the saved record differs (`templates/includes/stale.html`,
drawn by `includes/form.html`). Views answer it with HTTP 409.

A form sent without a version (a script, an older page) is checked against the version the
request read: it still cannot overwrite a save that landed while it was being handled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIELD = "updated_at"
NEW = "new"  # the version of a record that did not exist yet when the form was opened
# A version read: the record's `updated_at`, NEW, or None for "nothing to check".
type Version = dt.datetime | str | None

STALE = _(
    "ほかの人が先に保存しました。あなたの入力はこのページに残っています。"
    "下の「いま保存されている内容」と見比べて、必要なところを直してから、"
    "もう一度「保存する」を押してください。"
)
GONE = _("ほかの人が先に削除しました。一覧に戻って確かめてください。")
BAD_VERSION = _("ページが古くなっています。ページを読み直してから、もう一度入力してください。")
FILES_AGAIN = _("選んだファイルは送られていません。もう一度選んでください。")


class Stale(Exception):
    """Someone saved (or deleted) the record after this person read it.

    `current` is the record as saved now, None if it is gone."""

    def __init__(self, current: models.Model | None) -> None:
        super().__init__("stale record")
        self.current = current


def token(value: dt.datetime | None) -> str:
    """A version as the hidden field carries it: the instant in UTC, to the microsecond."""
    if value is None:
        return NEW
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def parse(text: str) -> Version:
    """The version a form or request carried: an aware datetime, NEW, or None if none was
    sent; ValueError if it is not one of ours."""
    text = (text or "").strip()
    if not text:
        return None
    if text == NEW:
        return NEW
    value = dt.datetime.fromisoformat(text)
    if timezone.is_naive(value):
        raise ValueError("a version carries its time zone")
    return value


def claim(instance: models.Model, expected: Version, *, field: str = FIELD) -> None:
    """Take the record for this save if nobody saved it since `expected`; else `Stale`.

    Call it inside the transaction that then saves `instance` (the services' own
    `transaction.atomic`). `expected` None: nothing to check (a write that edits nothing a
    person read: an import, the demo). NEW: the form was opened before the record existed,
    so any row now is someone else's. A record not saved yet has nothing to claim.
    """
    if expected is None or instance.pk is None:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() belongs inside the transaction that saves")
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if expected == NEW:
        raise Stale(rows.first())
    version = expected
    if rows.filter(**{field: version}).update(**{field: timezone.now()}):
        return
    # Not matched: changed since, deleted, or only written in another text form (SQLite
    # keeps what the database wrote itself, e.g. STRFTIME's milliseconds, as text). The
    # transaction holds the write lock by now on both databases, so compare the instants.
    current = rows.select_for_update().first()
    if current is not None and getattr(current, field) == version:
        rows.update(**{field: timezone.now()})
        return
    raise Stale(current)


def unclaimed_new(model: type[models.Model], expected: Version, **lookup: Any) -> None:
    """For a form that creates a record unless it exists (a budget per year): `Stale` if it
    was opened as new (`expected` NEW) and someone made the record since."""
    if expected == NEW:
        current = model._default_manager.filter(**lookup).first()
        if current is not None:
            raise Stale(current)


# --- The form side -------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """What the page shows of the record as saved now: the fields where it differs from the
    person's input (label, saved value in words) and where to see all of it."""

    rows: list[tuple[str, str]]
    link: str
    gone: bool = False


def _words(record: models.Model, name: str, value: Any) -> str:
    if value is None or value == "":
        return str(_("（空）"))
    if isinstance(value, bool):
        return str(_("はい") if value else _("いいえ"))
    display = getattr(record, f"get_{name}_display", None)
    if callable(display):
        return str(display())
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def differences(form: forms.BaseForm, current: models.Model) -> list[tuple[str, str]]:
    """The form's fields (those that are the record's own columns) where what is saved now
    differs from what the person sent."""
    rows = []
    cleaned = getattr(form, "cleaned_data", {})
    for name, field in form.fields.items():
        if field.widget.is_hidden or name not in cleaned:
            continue
        try:
            column = current._meta.get_field(name)
        except FieldDoesNotExist:  # a field of the form only (kinds, organiser's name)
            continue
        if column.many_to_many or isinstance(column, models.FileField):
            continue
        saved = getattr(current, name)
        if saved != cleaned[name]:
            rows.append((str(field.label), _words(current, name, saved)))
    return rows


class Versioned(forms.Form):
    """A form of a shared record: mixed in before `forms.ModelForm` (or given `record=`), it
    carries the version read in the hidden field `version`."""

    version = forms.CharField(required=False, widget=forms.HiddenInput)
    stale: Saved | None = None
    version_field = FIELD

    def __init__(self, *args: Any, record: models.Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record = record if record is not None else getattr(self, "instance", None)
        self._read: Version = None
        self._sent: Version = None
        if record is not None:
            saved = getattr(record, self.version_field) if record.pk else None
            self._read = NEW if saved is None else saved
            self.initial["version"] = token(saved)

    def clean_version(self) -> Version:
        try:
            return parse(self.cleaned_data.get("version", ""))
        except ValueError:
            raise forms.ValidationError(BAD_VERSION) from None

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        # Kept apart: views hand `cleaned_data` to services and models as their fields.
        self._sent = data.pop("version", None)
        return data

    @property
    def version_read(self) -> Version:
        """The version to `claim`, once the form is valid: the one the person read (the
        hidden field), else — a form sent without it, by a script — the one this request
        read, so a save landing meanwhile is still not overwritten."""
        return self._sent if self._sent is not None else self._read

    def refuse(self, stale: Stale, *, link: str = "", files_sent: bool = False) -> None:
        """Turn this valid form into the page that tells the second saver: their input kept,
        the message, what is saved now, and the version moved on to it."""
        current = stale.current
        if current is None:
            self.add_error(None, GONE)
            self.stale = Saved([], link, gone=True)
            return
        data = cast(Any, self.data).copy()  # a QueryDict (or a dict): a mutable copy
        data[self.add_prefix("version")] = token(getattr(current, self.version_field))
        self.data = data
        self.add_error(None, STALE)
        if files_sent:
            self.add_error(None, FILES_AGAIN)
        self.stale = Saved(differences(self, current), link)


# --- A plain model form's save ---------------------------------------------------------------


@transaction.atomic
def save_form(form: Any) -> models.Model:
    """Save a valid `Versioned` model form, claiming its record first (`Stale` otherwise).
    For forms whose save is the whole write; a workflow claims in its own service."""
    claim(form.instance, form.version_read, field=form.version_field)
    return form.save()  # type: ignore[no-any-return]


def saved(form: Any, *, link: str = "", files_sent: bool = False) -> bool:
    """`save_form`, or — someone saved first — the form turned into the page that says so
    (`Versioned.refuse`). True when saved."""
    try:
        save_form(form)
    except Stale as stale:
        form.refuse(stale, link=link, files_sent=files_sent)
        return False
    return True


def status(*forms_: Any) -> int:
    """The HTTP status of a form page: 409 when it tells a second saver, else 200."""
    return 409 if any(getattr(form, "stale", None) for form in forms_) else 200
