"""Production refuses to start without the keys that encrypt personal data: `manage.py`
commands through this system check, the server itself (sasaeai/wsgi.py) through
`refuse_to_serve_without_keys`, since Django runs system checks for commands only."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import crypto

HINT = (
    f"Set {crypto.ENV} to one or more Fernet keys, newest first; make one with "
    "python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'"
)


@checks.register(checks.Tags.security)
def personal_data_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = crypto.key_problem()
    if not problem:
        return []
    return [
        checks.Error(
            f"Personal data cannot be encrypted: {problem}.", hint=HINT, id="referrals.E001"
        )
    ]


def refuse_to_serve_without_keys() -> None:
    """Raise ImproperlyConfigured unless the keys can be used: else the server would start
    and answer every referral page with an error."""
    problem = crypto.key_problem()
    if problem:
        raise ImproperlyConfigured(f"Personal data cannot be encrypted: {problem}. {HINT}")
