"""Encryption at rest of personal fields (要配慮個人情報).

Keys come from the environment, never from the database: `SASAEAI_PERSONAL_DATA_KEYS` holds
Fernet keys separated by commas, newest first. The newest encrypts; every key decrypts, so
a key is rotated by putting a new one in front and running `manage.py
rotate_personal_data_keys`, which re-encrypts every value with it. Tests and DEBUG use a
fixed development key derived here; production without a key refuses to start (checks.py).
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

ENV = "SASAEAI_PERSONAL_DATA_KEYS"
# Stored values start with this marker, so a value is never taken for plain text or vice versa.
PREFIX = "enc1:"


def dev_mode() -> bool:
    return bool(getattr(settings, "DEBUG", False) or getattr(settings, "TESTING", False))


def dev_key() -> bytes:
    """A fixed key for tests and the local demo only: anyone can derive it."""
    return base64.urlsafe_b64encode(hashlib.sha256(b"sasaeai-dev-personal-data").digest())


def configured_keys() -> list[bytes]:
    return [k.strip().encode() for k in os.environ.get(ENV, "").split(",") if k.strip()]


def key_problem() -> str:
    """Why the keys cannot be used, or "" when they can."""
    keys = configured_keys()
    if not keys:
        return "" if dev_mode() else f"{ENV} is not set"
    for number, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            return f"key {number} in {ENV} is not a Fernet key (32 url-safe base64 bytes)"
    return ""


@cache
def _fernet() -> MultiFernet:
    problem = key_problem()
    if problem:
        raise ImproperlyConfigured(problem)
    keys = configured_keys() or [dev_key()]
    return MultiFernet([Fernet(k) for k in keys])


def forget_keys() -> None:
    """Read the environment again (tests that change the keys)."""
    _fernet.cache_clear()


def encrypt(text: str) -> str:
    if not text:
        return ""
    return PREFIX + _fernet().encrypt(text.encode()).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ValueError("a personal field holds a value that is not encrypted")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except InvalidToken:
        raise ImproperlyConfigured(f"no key in {ENV} decrypts a stored value") from None


def encrypt_bytes(content: bytes) -> bytes:
    """A file's bytes encrypted with the newest key (a returned paper referral form)."""
    return _fernet().encrypt(content)


def decrypt_bytes(stored: bytes) -> bytes:
    try:
        return _fernet().decrypt(stored)
    except InvalidToken:
        raise ImproperlyConfigured(f"no key in {ENV} decrypts a stored file") from None


def rotate_bytes(stored: bytes) -> bytes:
    """A stored file's bytes encrypted with the newest key (for key rotation)."""
    try:
        return _fernet().rotate(stored)
    except InvalidToken:
        raise ImproperlyConfigured(f"no key in {ENV} decrypts a stored file") from None


def rotate(stored: str) -> str:
    """The value encrypted with the newest key (for key rotation)."""
    if not stored:
        return ""
    token = _fernet().rotate(stored[len(PREFIX) :].encode("ascii"))
    return PREFIX + token.decode("ascii")


class EncryptedTextField(models.TextField):
    """Text in Python, ciphertext in the database.

    Ciphertext is randomised, so the column means nothing to SQL: every lookup is refused
    (filter, exclude, search); only `isnull` would make sense and the column is never null.
    Never order by it either.
    """

    description = "Text encrypted at rest"

    def get_lookup(self, lookup_name: str) -> Any:
        return None

    def get_transform(self, name: str) -> Any:
        return None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value if value is None else decrypt(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(PREFIX):
            return decrypt(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value if value is None else encrypt(str(value))

    def value_to_string(self, obj: Any) -> str:
        # Serialisers (dumpdata, fixtures) get ciphertext: nothing leaves the app in clear.
        return self.get_prep_value(self.value_from_object(obj)) or ""
