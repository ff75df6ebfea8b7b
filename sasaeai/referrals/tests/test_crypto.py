"""Personal fields are ciphertext at rest, cannot be queried, and rotate to a new key."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import connection

from sasaeai.referrals import crypto
from sasaeai.referrals.models import Referral, ReferralEvent, Status

from .builders import PERSON, make_institution, make_referral

pytestmark = pytest.mark.django_db


def test_database_file_does_not_hold_the_name(
    transactional_db: Any, users: dict, tmp_path: Path
) -> None:
    referral = make_referral(make_institution(), by=users["sc"], status=Status.RETURNED,
                             person_address="板橋区高島平九丁目")  # fmt: skip
    assert Referral.objects.get(pk=referral.pk).person_name == PERSON
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_name, person_address, problem FROM referrals_referral")
        stored = cursor.fetchone()
    assert all(value.startswith(crypto.PREFIX) for value in stored)
    assert PERSON not in "".join(stored)
    if connection.vendor != "sqlite":
        return
    # Copy the whole test database to a file, as it would lie on disk, and read its bytes
    # (outside any transaction: a backup waits for open ones).
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "copy.sqlite3")
    connection.connection.backup(target)
    target.close()
    data = (tmp_path / "copy.sqlite3").read_bytes()
    assert b"referrals_referral" in data
    for secret in (PERSON, "高島平九丁目", "物忘れ", "理由"):
        assert secret.encode() not in data, secret


def test_personal_fields_cannot_be_queried(users: dict) -> None:
    make_referral(make_institution(), by=users["sc"])
    with pytest.raises(FieldError):
        list(Referral.objects.filter(person_name=PERSON))
    with pytest.raises(FieldError):
        list(Referral.objects.filter(problem__contains="物忘れ"))
    with pytest.raises(FieldError):
        list(ReferralEvent.objects.filter(note__icontains="x"))


def test_old_key_still_reads_and_rotation_moves_to_the_new(users: dict, monkeypatch: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.ENV, old)
    crypto.forget_keys()
    try:
        referral = make_referral(make_institution(), by=users["sc"])
        monkeypatch.setenv(crypto.ENV, f"{new},{old}")
        crypto.forget_keys()
        assert Referral.objects.get(pk=referral.pk).person_name == PERSON
        from django.core.management import call_command

        call_command("rotate_personal_data_keys", stdout=io.StringIO())
        monkeypatch.setenv(crypto.ENV, new)
        crypto.forget_keys()
        assert Referral.objects.get(pk=referral.pk).person_name == PERSON
    finally:
        monkeypatch.delenv(crypto.ENV)
        crypto.forget_keys()


def manage_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_keys() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SASAEAI_TESTING", crypto.ENV}}
    env.update(DEBUG="0", SECRET_KEY="s" * 60, DATABASE_URL="sqlite:///:memory:")
    result = manage_check(env)
    assert result.returncode != 0 and "referrals.E001" in result.stderr
    result = manage_check({**env, crypto.ENV: "not-a-key"})
    assert result.returncode != 0 and "not a Fernet key" in result.stderr
    result = manage_check({**env, crypto.ENV: Fernet.generate_key().decode()})
    assert result.returncode == 0, result.stderr
