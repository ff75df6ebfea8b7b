import os
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings


def test_check_deploy_passes_with_production_settings() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SASAEAI_TESTING", "DEBUG", "DATABASE_URL"}
        and not key.startswith(("SECURE_", "SASAEAI_"))
    }
    env.update(
        SECRET_KEY="p" * 20 + "-production-secret-key-of-fifty-chars",
        ALLOWED_HOSTS="x.jp",
        DATABASE_URL="sqlite:///:memory:",  # a fresh clone has no var/ yet
        SASAEAI_PERSONAL_DATA_KEYS=Fernet.generate_key().decode(),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SASAEAI_TESTING", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**env, "DEBUG": "0", "DATABASE_URL": "sqlite:///:memory:"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_personal_data_key() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SASAEAI_")}
    env.update(DEBUG="0", SECRET_KEY="p" * 50, DATABASE_URL="sqlite:///:memory:")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "SASAEAI_PERSONAL_DATA_KEYS is not set" in result.stderr
