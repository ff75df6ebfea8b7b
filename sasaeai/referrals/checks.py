"""Production refuses to start without the keys that encrypt personal data."""

from __future__ import annotations

from typing import Any

from django.core import checks

from . import crypto


@checks.register(checks.Tags.security)
def personal_data_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = crypto.key_problem()
    if not problem:
        return []
    return [
        checks.Error(
            f"Personal data cannot be encrypted: {problem}.",
            hint=f"Set {crypto.ENV} to one or more Fernet keys, newest first; make one with "
            "python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'",
            id="referrals.E001",
        )
    ]
