"""The whole OpenAPI schema of the API, fuzzed in-process (Schemathesis on the WSGI app, no
network): every generated request, valid or not, gets an answer that is no 5xx and conforms
to the schema. The public operations as anyone; the staff operations with a valid token of a
region SC that holds every scope (a fresh token per operation, the rate limit set high). A
bounded run here; the long one is bench/api_fuzz.py."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from sasaeai.api.urls import api

pytestmark = pytest.mark.django_db
CASES: list[str] = []  # each case run, by operation (printed by the last test)
# Per operation: about 800 public cases and 700 with a token here; bench/api_fuzz.py sets
# ten times more. The bounded run does not shrink a failure (the long one does).
EXAMPLES = int(os.environ.get("SASAEAI_FUZZ_EXAMPLES", "60"))
STAFF_EXAMPLES = int(os.environ.get("SASAEAI_FUZZ_STAFF_EXAMPLES", "12"))
LONG = bool(os.environ.get("SASAEAI_FUZZ_LONG"))
PHASES = [p for p in Phase if p != Phase.shrink or LONG]
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
schema.app = get_wsgi_application()
STAFF = r"^/api/staff/"
# The staff operations with a token: Schemathesis's coverage phase (its boundary values of
# every body field, several thousand cases here) only in the long run.
staff_schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
staff_schema.app = schema.app
staff_schema.config.phases.coverage.enabled = LONG
# With a token: what the schema cannot say (an area code that exists, a state a record may
# move to) is refused with a documented 4xx, so a schema-valid request may be refused; and a
# case made to lack the Authorization header gets it here, so it may be accepted. The checks
# that remain: no 5xx, only documented statuses, answers and headers as the schema says.
WITH_TOKEN_EXCLUDED = [
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.negative_data_rejection,
]


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


@pytest.fixture
def secret(itabashi: Any, settings: Any) -> Iterator[str]:
    """A token of a region SC with every scope, and a rate no run reaches."""
    from sasaeai.accounts.models import Role
    from sasaeai.api import tokens
    from sasaeai.api.models import Scope
    from sasaeai.test import make_user

    previous, settings.SASAEAI_API_RATE = settings.SASAEAI_API_RATE, "100000/m"
    sc = make_user("fuzz-sc@example.jp", Role.REGION_SC, "takashimadaira")
    later = dt.date.today() + dt.timedelta(days=30)
    yield tokens.make(sc, "fuzz", later, list(Scope.values)).secret
    settings.SASAEAI_API_RATE = previous


@schema.exclude(path_regex=STAFF).parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES
)
def test_every_answer_is_no_error_and_follows_the_schema(case: Any) -> None:
    # The WSGI client hands back the bytes as sent: no gzip, which the site adds for browsers.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
    CASES.append(case.operation.label)


@staff_schema.include(path_regex=STAFF).parametrize()
@settings(
    max_examples=STAFF_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=PHASES,
)
def test_with_a_token_every_answer_is_no_error_and_follows_the_schema(
    case: Any, secret: str
) -> None:
    headers = {"Accept-Encoding": "identity", "Authorization": f"Bearer {secret}"}
    case.call_and_validate(headers=headers, excluded_checks=WITH_TOKEN_EXCLUDED)
    CASES.append(case.operation.label)


def test_the_run_was_large_enough() -> None:
    """Runs after the cases above (file order): at least 1,000 of them, over every operation."""
    if not CASES:
        pytest.skip("run together with the fuzzing test above, which counts its cases")
    staff_cases = sum(" /api/staff/" in label for label in CASES)
    print(f"API fuzzing: {len(CASES)} cases over {len(set(CASES))} operations "
          f"({staff_cases} with a token)")  # fmt: skip
    operations = list(schema.get_all_operations())
    staff_operations = list(staff_schema.include(path_regex=STAFF).get_all_operations())
    assert len(CASES) >= min(1000, 20 * EXAMPLES) and len(set(CASES)) == len(operations)
    staff = [label for label in CASES if " /api/staff/" in label]
    assert len(staff) >= min(1000, len(staff_operations) * STAFF_EXAMPLES // 2)
