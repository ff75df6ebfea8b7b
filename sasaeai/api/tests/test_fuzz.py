"""The whole OpenAPI schema of the API, fuzzed in-process (Schemathesis on the WSGI app, no
network): every generated request, valid or not, gets an answer that is no 5xx and conforms
to the schema. A bounded run here; the long one is bench/api_fuzz.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from sasaeai.api.urls import api

pytestmark = pytest.mark.django_db
CASES: list[str] = []  # each case run, by operation (printed by the last test)
# Per operation: about 1,500 cases in all here (20 s); bench/api_fuzz.py sets more.
EXAMPLES = int(os.environ.get("SASAEAI_FUZZ_EXAMPLES", "120"))
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def one_connection() -> Iterator[None]:
    """The WSGI app closes the database connection after each request; the test's
    transaction lives on it (django.test.Client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def directory(itabashi: Any) -> None:
    from sasaeai.directory.tests.builders import make_activity

    make_activity("ふれあいサロン")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_no_error_and_follows_the_schema(case: Any) -> None:
    # The WSGI client hands back the bytes as sent: no gzip, which the site adds for browsers.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
    CASES.append(case.operation.label)


def test_the_run_was_large_enough() -> None:
    """Runs after the cases above (file order): at least 1,000 of them, over every operation."""
    if not CASES:
        pytest.skip("run together with the fuzzing test above, which counts its cases")
    print(f"API fuzzing: {len(CASES)} cases over {len(set(CASES))} operations")
    operations = list(schema.get_all_operations())
    assert len(CASES) >= min(1000, 8 * EXAMPLES) and len(set(CASES)) == len(operations)
