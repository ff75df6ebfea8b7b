"""The server itself (sasaeai.wsgi, what granian loads) refuses to start without a usable
personal-data key: system checks run only for management commands, and without the key
every referral page would answer 500."""

import os
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings


def start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DEBUG"))}
    clean.update(
        SECRET_KEY="p" * 50, ALLOWED_HOSTS="x.jp", DATABASE_URL="sqlite:///:memory:", **env
    )
    return subprocess.run(
        [sys.executable, "-c", "import sasaeai.wsgi; print('started')"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_without_a_personal_data_key() -> None:
    result = start()
    assert result.returncode != 0 and "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert "SASAEAI_PERSONAL_DATA_KEYS is not set" in result.stderr


def test_refuses_to_start_with_a_key_that_is_not_a_fernet_key() -> None:
    result = start(SASAEAI_PERSONAL_DATA_KEYS="not-a-key")
    assert result.returncode != 0 and "is not a Fernet key" in result.stderr


def test_starts_with_a_key() -> None:
    result = start(SASAEAI_PERSONAL_DATA_KEYS=Fernet.generate_key().decode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_debug_starts_with_the_development_key() -> None:
    assert start(DEBUG="1").returncode == 0
