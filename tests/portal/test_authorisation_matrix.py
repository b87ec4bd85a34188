"""
The authorisation matrix: for every page route (GET and POST) and every API operation, what
each role of the organisation the objects belong to ("own") and of another organisation
("other"), and someone not signed in, gets. The expected outcomes are a table a person reads,
tests/portal/authorisation_matrix.txt; the routes come from the URL configuration and the
operations from the OpenAPI description, so a route or operation added without a row fails
`test_every_route_and_operation_has_a_row`.

The world (tests/portal/budget_world.py at 1x: Wessex and its suppliers at every stage, with
its first supplier, `kestrel`, taking part throughout) is "own"; Mercia, an authority with procurements
of its own, and Plover, a supplier taking part in Mercia's, are "other". Each URL names
Wessex's and Kestrel's objects; an id of an organisation or of a person's own thing (a token,
a membership, a password link) is the asker's counterpart on the own side: Wessex for an
authority's role, Kestrel for a supplier's. Every API write is sent with a body the schema
accepts, so that the answer is the access decision, not the body's validation; a page's POST
sends only the ids its form may name. Each request runs in a savepoint rolled back after it:
no request changes what the next one finds.

After a deliberate change of access, rewrite the table from the real answers with
`SANELY_WRITE_MATRIX=1 pytest tests/portal/test_authorisation_matrix.py -k write` and
read the difference before committing it.
"""

import copy
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cast import AUTHORITY_ROLES, NOW, SUPPLIER_ROLES, Org, make_org
from competition import invite, procurement_at
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from portal.budget_world import World, build
from portal.routes import routes

from sanely.portal.accounts.models import ApiToken, Membership, Role
from sanely.portal.config.api import api as api_root
from sanely.portal.core.clock import now
from sanely.portal.negotiation.models import Consent
from sanely.portal.partnerships.models import Claim, Evidence
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_create
from sanely.portal.tenders.models import ChunkedUpload, SubmissionVersion

TABLE = Path(__file__).with_name("authorisation_matrix.txt")
# The mark makes pytest-django create the test database the module's world is built in.
pytestmark = pytest.mark.django_db

ROLES = [
    Role.PROCUREMENT_LEAD,
    Role.COMMISSIONER,
    Role.EVALUATOR,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
    Role.SUPPLIER_ADMIN,
    Role.SUPPLIER_MEMBER,
]
ANONYMOUS = "anonymous"
COLUMNS = [ANONYMOUS, *ROLES]
PAGE_METHODS = ("GET", "POST")
# What an answer means for access. An answer that refuses the content or the step (400, 409,
# 422) was given after access was decided, or before it if the page reads its form first: a
# page's POST sends only the ids its form names (below), so most are 400 for every role that
# gets that far.
OUTCOMES = {
    "ok": "allowed: done, shown or redirected on (2xx, 3xx)",
    "sign-in": "redirected to the sign-in page",
    "400": "the form or body was refused, naming the fields",
    "401": "the API asks for a token",
    "403": "refused: the role may see the object but not do this",
    "404": "hidden: answered as if the object did not exist",
    "405": "the route does not take this method",
    "409": "allowed, but the procurement's state or a rule refuses the step now",
    "422": "the API body was refused, naming the fields",
}


# The table ---------------------------------------------------------------------------------


def read_table(path: Path = TABLE) -> dict[tuple[str, str], dict[str, str]]:
    """{(route, method): {column: "own/other" or the anonymous outcome}} from the table file."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        route, method, *cells = line.split()
        assert len(cells) == len(COLUMNS), f"{route} {method}: {len(cells)} cells"
        rows[(route, method)] = dict(zip(COLUMNS, cells, strict=True))
    return rows


def write_table(rows: dict[tuple[str, str], dict[str, str]], path: Path = TABLE) -> None:
    header = [
        "# Authorisation matrix: who gets what, for every page route (GET and POST) and API",
        "# operation. Read and checked by tests/portal/test_authorisation_matrix.py; see there",
        "# what own and other mean and how to rewrite this file after a deliberate change.",
        "# A role's cell is own/other: what the role gets in the organisation the objects",
        "# belong to, and in another organisation.",
        *(f"#   {code:8} {meaning}" for code, meaning in OUTCOMES.items()),
        "",
    ]
    width = max(len(route) for route, _ in rows) + 2
    lines = [f"# {'route':{width - 2}}{'method':8}" + "".join(f"{c:18}" for c in COLUMNS)]
    for (route, method), cells in sorted(rows.items()):
        lines.append(
            f"{route:{width}}{method:8}" + "".join(f"{cells[c]:18}" for c in COLUMNS).rstrip()
        )
    path.write_text("\n".join(header + lines) + "\n")


ROWS = read_table() if TABLE.exists() else {}


# What the code has -------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    route: str
    method: str
    path: str  # with {placeholders}
    spec: dict[str, Any]  # the OpenAPI operation; empty for a page


@cache
def operations() -> dict[tuple[str, str], Operation]:
    """Every API operation of the OpenAPI description and every other route with GET and POST."""
    schema = api_root.get_openapi_schema()
    found: dict[tuple[str, str], Operation] = {}
    described = set()
    for path, methods in schema["paths"].items():
        described.add(path)
        for method, spec in methods.items():
            # The operation id ends with the view's name, which is also its route's name.
            route = "api:" + spec["operationId"].split("_apis_", 1)[1]
            found[(route, method.upper())] = Operation(route, method.upper(), path, spec)
    for route, path in routes():
        if path not in described:
            for method in PAGE_METHODS:
                found[(route, method)] = Operation(route, method, path, {})
    return found


def test_every_route_and_operation_has_a_row():
    assert sorted(set(operations()) - set(ROWS)) == [], "add a row to authorisation_matrix.txt"
    assert sorted(set(ROWS) - set(operations())) == [], "a row for a route that is gone"


def test_every_cell_is_a_known_outcome():
    for key, cells in ROWS.items():
        for column, cell in cells.items():
            parts = [cell] if column == ANONYMOUS else cell.split("/")
            assert len(parts) == (1 if column == ANONYMOUS else 2), (key, column, cell)
            assert set(parts) <= set(OUTCOMES), (key, column, cell)


# The world ---------------------------------------------------------------------------------


@dataclass
class Persona:
    """Who asks, in the browser and with a token: a role of the own or the other side."""

    role: str
    page: Client
    api: Client


@dataclass
class Matrix:
    world: World
    opportunity: Procurement
    personas: dict[tuple[str, bool], Persona]
    ids: dict[str, int]

    def own_org(self, role: str) -> Org:
        return self.world.kestrel if role in SUPPLIER_ROLES else self.world.wessex


def _other_side() -> tuple[Org, Org]:
    """Mercia with a draft and an opportunity, and Plover taking part in the opportunity."""
    mercia = make_org(
        "Mercia District Council", "authority", AUTHORITY_ROLES, slug="mercia", nation="england"
    )
    plover = make_org("Plover Data Ltd", "supplier", SUPPLIER_ROLES, slug="plover")
    procurement_create(
        actor=mercia.actor(Role.COMMISSIONER),
        organisation_id=mercia.organisation.pk,
        title="Mercia's draft",
        now=NOW,
    )
    invite(procurement_at(mercia, "tendering", reference="IP-MERCIA-1"), plover)
    return mercia, plover


def _kestrels(world: World) -> dict[str, int]:
    """Kestrel's things the world made along the way, and an upload Kestrel has begun."""
    kestrel = world.kestrel.organisation
    assert world.evaluation.round is not None
    upload = ChunkedUpload.objects.create(
        round=world.evaluation.round,
        organisation=kestrel,
        part="Tender",
        started_by=world.kestrel.user(Role.SUPPLIER_ADMIN),
        started_at=now(),
        token="matrix-upload",
        name="tender.pdf",
        total_size=10,
        sha256="0" * 64,
        expires_at=now() + timedelta(hours=1),
    )
    return {
        "upload_id": upload.pk,
        "version_id": SubmissionVersion.objects.filter(
            organisation=kestrel, round=world.evaluation.round
        )
        .first()
        .pk,
        "consent_id": Consent.objects.filter(organisation=kestrel).first().pk,
        "evidence_id": Evidence.objects.filter(contract=world.contract).first().pk,
        "claim_id": Claim.objects.filter(contract=world.contract).first().pk,
    }


def _persona(role: str, org: Org) -> Persona:
    return Persona(role, org.client(role), org.token_client(role))


@pytest.fixture(autouse=True)
def _fast_settings():
    """Replaces the portal's per-test settings: the module's world keeps its own throughout."""


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Matrix]:
    fast = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        world = build(1)
        mercia, plover = _other_side()
        personas = {(ANONYMOUS, True): Persona(ANONYMOUS, Client(), Client())}
        for role in ROLES:
            supplier = role in SUPPLIER_ROLES
            own, other = (world.kestrel, plover) if supplier else (world.wessex, mercia)
            personas[(role, True)] = _persona(role, own)
            personas[(role, False)] = _persona(role, other)
        opportunity = Procurement.objects.get(reference="IP-BUDGET-PUB0")
        yield Matrix(world, opportunity, personas, _kestrels(world))
        transaction.set_rollback(True)


# Filling in a request ----------------------------------------------------------------------

# The procurement a route's path is about, by the path's start: the first that matches.
PROCUREMENT_BY_PATH: list[tuple[str, Callable[[Matrix], Procurement]]] = [
    ("/selection/", lambda m: m.world.selection),
    ("/api/v1/procurements/{procurement_id}/selection", lambda m: m.world.selection),
    ("/negotiation/", lambda m: m.world.negotiation.procurement),
    ("/api/v1/negotiation/", lambda m: m.world.negotiation.procurement),
    ("/tenders/", lambda m: m.world.negotiation.procurement),
    ("/api/v1/procurements/{procurement_id}/rounds", lambda m: m.world.negotiation.procurement),
    ("/evaluation/", lambda m: m.world.evaluation.procurement),
    ("/api/v1/evaluation/", lambda m: m.world.evaluation.procurement),
    ("/award/", lambda m: m.world.award),
    ("/api/v1/award/", lambda m: m.world.award),
    ("/publication/", lambda m: m.world.award),
    ("/api/v1/publication/", lambda m: m.world.award),
    ("/api/v1/opportunities/{procurement_id}/letters", lambda m: m.world.award),
    ("/opportunities/", lambda m: m.opportunity),
    ("/api/v1/opportunities/", lambda m: m.opportunity),
    ("/partnerships/", lambda m: m.world.contract.procurement),
    ("/api/v1/partnerships/", lambda m: m.world.contract.procurement),
    ("/", lambda m: m.world.drafts[0]),
]


def _procurement_id(m: Matrix, path: str) -> int:
    return next(pick(m).pk for start, pick in PROCUREMENT_BY_PATH if path.startswith(start))


def _password_link(m: Matrix, role: str) -> tuple[str, str]:
    user = m.own_org(role).user(role)
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def value_of(name: str, m: Matrix, role: str, path: str, *, is_path: bool = False) -> Any:
    """The own side's value of a path, query or body parameter, as `role` would ask for it."""
    w = m.world
    assert w.evaluation.round is not None
    # Someone not signed in asks for what the own side's procurement lead would.
    role = role if role != ANONYMOUS else Role.PROCUREMENT_LEAD
    own = m.own_org(role)
    member = Role.SUPPLIER_MEMBER if own is w.kestrel else Role.EVALUATOR
    values: dict[str, Callable[[], Any]] = {
        "organisation_id": lambda: own.organisation.pk,
        "membership_id": lambda: (
            Membership.objects.get(user=own.user(member), organisation=own.organisation).pk
        ),
        "token_id": lambda: (
            ApiToken.objects.filter(
                membership__user=own.user(role), membership__organisation=own.organisation
            )
            .first()
            .pk
        ),
        "procurement_id": lambda: _procurement_id(m, path),
        "round_id": lambda: w.evaluation.round.pk,
        "assessment_id": lambda: w.assessment_id,
        "letter_id": lambda: w.letter.pk,
        "meeting_id": lambda: w.meeting.pk,
        "clarification_id": lambda: w.question.pk,
        "candidate_id": lambda: w.kestrel.organisation.pk,
        "tenderer_id": lambda: w.kestrel.organisation.pk,
        "contract_id": lambda: w.contract.pk,
        "review_id": lambda: w.gate.pk,
        "fact_id": lambda: w.review_fact_id,
        "ocid": lambda: w.ocid,
        "key": lambda: "award-1",
        "event": lambda: "abandon",
        "kind": lambda: "tendering",
        "section_name": lambda: "need",
        "uidb64": lambda: _password_link(m, role)[0],
        "token": lambda: _password_link(m, role)[1],
        **{name: (lambda name=name: m.ids[name]) for name in m.ids},
    }
    if name not in values:
        # A path needs every value: a made-up one would be answered 404 for everyone.
        assert not is_path, f"the matrix has no value for {{{name}}}: add one to value_of"
        return None
    return values[name]()


def url_of(op: Operation, m: Matrix, role: str) -> str:
    url = re.sub(
        r"\{(\w+)\}", lambda g: str(value_of(g[1], m, role, op.path, is_path=True)), op.path
    )
    query = {
        p["name"]: value_of(p["name"], m, role, op.path) or example(p.get("schema", {}), {})
        for p in op.spec.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A small value the schema accepts: only what is required, the first of any choice."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for choice in ("anyOf", "oneOf", "allOf"):
        if choice in schema:
            return example(schema[choice][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: example(schema["properties"][name], components)
            for name in schema.get("required", [])
        }
    if kind == "array":
        return [example(schema["items"], components)] * schema.get("minItems", 0)
    return {
        "integer": 1,
        "number": 1,
        "boolean": False,
        "null": None,
        "string": {"date": "2026-12-01", "date-time": "2026-12-01T10:00:00Z"}.get(
            schema.get("format", ""), "x"
        ),
    }.get(kind, "x")


# Fields whose schema takes any text the service reads further: an assessment's specification.
WELL_FORMED = {
    "spec": json.dumps(
        {
            "columns": {"value": "value"},
            "design": {"kind": "threshold"},
            "metric": {"statistic": "mean"},
        }
    )
}


PAGE_FORM_IDS = ("organisation_id", "contract_id")


def body_of(op: Operation, m: Matrix, role: str) -> dict[str, Any]:
    """The client's keyword arguments for the operation's body, filled in as `role` asks."""
    content = op.spec.get("requestBody", {}).get("content", {})
    components = api_root.get_openapi_schema()["components"]["schemas"]
    if not op.spec:
        # A page's form: only the ids it may name, the asker's own.
        return {"data": {name: value_of(name, m, role, op.path) for name in PAGE_FORM_IDS}}
    if "application/octet-stream" in content:
        return {"data": b"x", "content_type": "application/octet-stream"}
    for media in ("application/json", "multipart/form-data"):
        if media in content:
            body = example(content[media]["schema"], components)
            for name in body:
                if name.endswith("_id"):
                    body[name] = value_of(name, m, role, op.path) or body[name]
            body.update({k: v for k, v in WELL_FORMED.items() if k in body})
            if media == "application/json":
                return {"data": json.dumps(body), "content_type": media}
            files = {
                name: SimpleUploadedFile("data.csv", b"value\n1\n")
                for name, prop in content[media]["schema"]["properties"].items()
                if prop.get("format") == "binary"
            }
            return {"data": {**body, **files}}
    return {}


# Asking ------------------------------------------------------------------------------------


def outcome(response: HttpResponse) -> str:
    status = response.status_code
    if status in (301, 302, 303) and response["Location"].startswith("/sign-in"):
        return "sign-in"
    return "ok" if status < 400 else str(status)


def ask(op: Operation, m: Matrix, persona: Persona) -> str:
    client = persona.api if op.spec else persona.page
    request = getattr(client, op.method.lower())
    url = url_of(op, m, persona.role)
    # Signing in or out changes the client's cookies: each request starts from the same ones.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        kwargs = body_of(op, m, persona.role) if op.method != "GET" else {}
        response = request(url, **kwargs)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    client.cookies = cookies
    return outcome(response)


def observed(op: Operation, m: Matrix) -> dict[str, str]:
    cells = {ANONYMOUS: ask(op, m, m.personas[(ANONYMOUS, True)])}
    for role in ROLES:
        own, other = (ask(op, m, m.personas[(role, side)]) for side in (True, False))
        cells[role] = f"{own}/{other}"
    return cells


@pytest.mark.skipif(not os.environ.get("SANELY_WRITE_MATRIX"), reason="rewrites the table")
def test_write_the_table(matrix):
    write_table({key: observed(op, matrix) for key, op in operations().items()})


@pytest.mark.parametrize(("route", "method"), sorted(ROWS), ids=lambda v: str(v))
def test_rows_match_the_real_answers(route, method, matrix):
    op = operations()[(route, method)]
    assert ROWS[(route, method)] == observed(op, matrix)
