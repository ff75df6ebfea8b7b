"""The guard in front of every operation of the staff API, read from the OpenAPI schema (so an
operation added later is covered without a word here): no token, a bad, an expired, a revoked
or another municipality's token -> 401; a token without the operation's scope -> 403 with
nothing written; a body over 1 MB -> 413; a body that is not JSON -> 400; past the rate ->
429 with Retry-After. Each answer a problem document (RFC 9457) in Japanese."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pydantic
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.api import tokens
from sasaeai.api.models import Scope, Token
from sasaeai.api.problems import CONTENT_TYPE
from sasaeai.api.staff import MAX_BODY
from sasaeai.api.urls import api
from sasaeai.audit.models import AuditEntry, Result
from sasaeai.tests import sweep

SCHEMA = api.get_openapi_schema(path_prefix="/api")
WRITES = {"post", "put", "patch", "delete"}
# Operations any token may call, whatever its scopes (a script's first call: who am I).
NO_SCOPE = {"/api/staff/me/"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
MISSING_ID = 2**31 - 7


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def writes(self) -> bool:
        return self.method in WRITES

    @property
    def body_schema(self) -> dict[str, Any] | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        found = content.get("application/json", {}).get("schema")
        return found if found is not None else None

    def url(self, values: dict[str, str] | None = None) -> str:
        """The path with each parameter filled from `values`, else with an id that names
        nothing (an integer) or a word."""
        values = values or {}
        params = {p["name"]: p for p in self.spec.get("parameters", []) if p["in"] == "path"}

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in values:
                return values[name]
            kind = resolved(params.get(name, {}).get("schema", {})).get("type")
            return str(MISSING_ID) if kind == "integer" else "no-such-thing"

        return re.sub(r"\{(\w+)\}", fill, self.path)


def operations() -> list[Operation]:
    return [
        Operation(method, path, spec)
        for path, methods in SCHEMA["paths"].items()
        if path.startswith("/api/staff/")
        for method, spec in methods.items()
    ]


OPERATIONS = operations()
REFERENCED = json.dumps(SCHEMA["paths"]) + json.dumps(SCHEMA["components"])


def resolved(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def example(schema: dict[str, Any]) -> Any:
    """A value the schema accepts: its example, its default, or the simplest of its type; an
    object with its required fields only."""
    schema = resolved(schema)
    if "examples" in schema:
        return schema["examples"][0]
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    for choice in ("anyOf", "oneOf", "allOf"):
        if choice in schema:
            options = [o for o in schema[choice] if resolved(o).get("type") != "null"]
            return example(options[0]) if options else None
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: example(properties[name]) for name in schema.get("required", [])}
    formats = {"date": timezone.localdate().isoformat(), "date-time": timezone.now().isoformat(),
               "time": "10:00"}  # fmt: skip
    simple = {"string": formats.get(schema.get("format", ""), "x"), "integer": 1, "number": 1,
              "boolean": False, "array": []}  # fmt: skip
    return simple.get(kind or "string")


def send(operation: Operation, secret: str | None = None, *, body: Any = None,
         raw: bytes | None = None, host: str = "testserver",
         path: str | None = None) -> Any:  # fmt: skip
    headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    if raw is None and body is None and operation.body_schema is not None:
        body = example(operation.body_schema)
    data: Any = raw if raw is not None else ("" if body is None else body)
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    sweep.SENT["request"] += 1
    return client.generic(
        operation.method.upper(),
        path or operation.url(),
        data=data if isinstance(data, bytes | str) else _json(data),
        content_type="application/json",
        headers=headers,
    )


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def problem(response: Any, status: int, code: str | None = None) -> list[str]:
    """What is wrong with `response` as the problem document it should be ([] when right)."""
    found = []
    if response.status_code != status:
        found.append(f"{response.status_code}, not {status}: {response.content[:300]!r}")
        return found
    if response["Content-Type"] != CONTENT_TYPE:
        found.append(f"content type {response['Content-Type']}")
        return found
    body = response.json()
    if code is not None and body.get("code") != code:
        found.append(f"code {body.get('code')!r}, not {code!r}")
    if not JAPANESE.search(str(body.get("detail", ""))):
        found.append(f"detail not in Japanese: {body.get('detail')!r}")
    if body.get("status") != status or not body.get("title"):
        found.append(f"not a problem document: {body}")
    if status == 401 and not response.get("WWW-Authenticate", "").startswith("Bearer"):
        found.append("no WWW-Authenticate: Bearer")
    return found


def written() -> dict[str, Any]:
    """The row counts of every table (sweep.fingerprint) and the audit entries of writes:
    what a refused request must leave as it was (a refusal itself is audited as denied)."""
    counts = sweep.fingerprint([])
    counts["audited writes"] = AuditEntry.objects.exclude(result=Result.DENIED).count()
    return counts


@pytest.fixture
def secrets(users: dict[str, User]) -> dict[str, str]:
    """Tokens of every kind the guard must tell apart, by name: their secrets."""
    later = timezone.localdate() + dt.timedelta(days=30)
    every = list(Scope.values)
    found = {
        "all": tokens.make(users["sc"], "all", later, every).secret,
        "reads": tokens.make(
            users["sc"], "reads", later, [s for s in every if s.endswith(":read")]
        ).secret,
        "other town": tokens.make(users["other_admin"], "other", later, every).secret,
    }
    expired = tokens.make(users["sc"], "expired", later, every)
    Token.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now())
    revoked = tokens.make(users["sc"], "revoked", later, every)
    tokens.revoke(revoked.token)
    # No scope at all cannot be asked for on the page; made directly, it reaches no operation.
    bare = tokens.PREFIX + "no-scope-at-all-0123456789"
    Token.objects.create(user=users["sc"], municipality=revoked.token.municipality, name="bare",
                         prefix=bare[:14], digest=tokens.digest(bare), scopes=[],
                         expires_at=timezone.now() + dt.timedelta(days=3))  # fmt: skip
    return {**found, "expired": expired.secret, "revoked": revoked.secret, "none": bare}


@pytest.fixture(autouse=True)
def fresh_cache(db: Any) -> Iterator[None]:
    """The rate limit counts in the default cache (a database table): empty for each test."""
    cache.clear()
    yield
    cache.clear()


def test_the_schema_names_every_staff_operation_and_its_guard() -> None:
    assert len(OPERATIONS) > 20, "the staff API's operations were not found in the schema"
    for operation in OPERATIONS:
        assert operation.spec.get("security"), f"{operation}: no security requirement"
        for status in ("400", "401", "403", "413", "429"):
            assert status in operation.spec["responses"], f"{operation}: {status} not documented"


def test_no_two_schemas_of_the_api_share_a_name() -> None:
    """django-ninja names a schema's OpenAPI component after its class: two classes of one
    name become one component, and the schema then describes one operation's body wrongly
    (a component no operation refers to, as query parameters are, does no harm). Every
    pydantic model: some answers' schemas are plain pydantic (staff_directory_schemas.Answer)."""
    seen: dict[str, dict[str, str]] = {}
    stack: list[type[pydantic.BaseModel]] = [pydantic.BaseModel]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("sasaeai.api."):
            shape = json.dumps(cls.model_json_schema(), sort_keys=True)
            seen.setdefault(cls.__name__, {})[f"{cls.__module__}.{cls.__name__}"] = shape
    shared = {
        name: sorted(classes)
        for name, classes in seen.items()
        if f'"#/components/schemas/{name}"' in REFERENCED and len(set(classes.values())) > 1
    }
    assert shared == {}, f"different schemas under one name (one component): {shared}"


REFUSED_TOKENS = [
    (None, "unauthorized"),
    ("sasaeai_this-is-not-a-token", "invalid_token"),
    ("expired", "token_expired"),
    ("revoked", "token_revoked"),
    ("other town", "other_municipality"),
]


def test_no_usable_token_no_answer(secrets: dict[str, str]) -> None:
    problems: list[str] = []
    before = written()
    for operation in OPERATIONS:
        for which, code in REFUSED_TOKENS:
            secret = secrets.get(which, which) if which else None
            response = send(operation, secret)
            problems += [f"{operation} with {which or 'no'} token: {p}"
                         for p in problem(response, 401, code)]  # fmt: skip
    assert not problems, "\n".join(problems)
    assert sweep.changes(before, written()) == []


def test_a_token_without_the_scope_is_refused_and_nothing_is_written(
    secrets: dict[str, str],
) -> None:
    problems: list[str] = []
    for operation in OPERATIONS:
        if operation.path in NO_SCOPE:
            continue
        tried = [("no scope", secrets["none"])]
        if operation.writes:
            tried.append(("read-only", secrets["reads"]))
        for which, secret in tried:
            before = written()
            response = send(operation, secret)
            problems += [f"{operation} with a {which} token: {p}"
                         for p in problem(response, 403, "scope")]  # fmt: skip
            problems += [f"{operation} with a {which} token changed {c}"
                         for c in sweep.changes(before, written())]  # fmt: skip
    assert not problems, "\n".join(problems)


def test_a_body_over_one_megabyte_is_refused(secrets: dict[str, str]) -> None:
    problems: list[str] = []
    before = written()
    huge = b'{"name": "' + b"x" * MAX_BODY + b'"}'
    for operation in OPERATIONS:
        response = send(operation, secrets["all"], raw=huge)
        problems += [f"{operation}: {p}" for p in problem(response, 413, "too_large")]
    assert not problems, "\n".join(problems)
    assert sweep.changes(before, written()) == []


def test_a_body_that_is_not_json_is_refused(secrets: dict[str, str]) -> None:
    problems: list[str] = []
    before = written()
    with_body = [o for o in OPERATIONS if o.body_schema is not None]
    assert with_body, "no operation takes a body"
    for operation in with_body:
        for raw in (b'{"name": "', b"\xff\xfe", b"name=x"):
            response = send(operation, secrets["all"], raw=raw)
            problems += [f"{operation} with {raw!r}: {p}"
                         for p in problem(response, 400, "malformed")]  # fmt: skip
    assert not problems, "\n".join(problems)
    assert sweep.changes(before, written()) == []


@pytest.fixture
def three_a_minute(settings: Any) -> Iterator[None]:
    previous, settings.SASAEAI_API_RATE = settings.SASAEAI_API_RATE, "3/m"
    yield
    settings.SASAEAI_API_RATE = previous


@pytest.mark.usefixtures("three_a_minute")
def test_past_the_rate_the_answer_is_429_with_retry_after(secrets: dict[str, str]) -> None:
    problems: list[str] = []
    for operation in OPERATIONS:
        cache.clear()
        # A token without scopes writes nothing, and each of its requests counts.
        secret = secrets["all"] if operation.path in NO_SCOPE else secrets["none"]
        answers = [send(operation, secret).status_code for _ in range(3)]
        if 429 in answers:
            problems.append(f"{operation}: 429 before the 4th request ({answers})")
        response = send(operation, secret)
        found = problem(response, 429, "too_many_requests")
        if not found and not response.get("Retry-After", "").isdigit():
            found.append(f"Retry-After {response.get('Retry-After')!r}")
        problems += [f"{operation}, 4th request: {p}" for p in found]
    assert not problems, "\n".join(problems)
    # Another token has its own count.
    assert send(OPERATIONS[0], secrets["reads"]).status_code != 429
