from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

os.environ.setdefault("SASAEAI_TESTING", "1")

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if shutil.which(CHROMIUM) or not any(i.get_closest_marker("browser") for i in items):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> None:
    from sasaeai.lib import memo

    memo.forget()  # nothing remembered from another test's (rolled back) data
    settings.ALLOWED_HOSTS = [
        "testserver",
        "itabashi.test",
        "midori.example.jp",
        "localhost",
        "127.0.0.1",
    ]
    settings.SASAEAI_DEFAULT_MUNICIPALITY = "131199"
    settings.SECURE_SSL_REDIRECT = False
    settings.SASAEAI_REQUIRE_MFA = True


@pytest.fixture
def itabashi(db: Any) -> Any:
    from sasaeai.test import load_itabashi, load_other_town

    load_other_town()
    return load_itabashi()


@pytest.fixture
def users(itabashi: Any) -> dict[str, Any]:
    from sasaeai.test import make_role_users

    return make_role_users()
