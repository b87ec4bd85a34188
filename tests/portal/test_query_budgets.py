"""
Query budgets: every page and every API list answers with as many database queries over ten
times the data as over the base data, so an N+1 read (one query per row) cannot come back.
A route added without a case here, or a reason it lists nothing, fails
`test_every_page_and_list_has_a_budget`.

Both worlds (tests/portal/budget_world.py at 1x and 10x) are built once for the module, each
in a transaction rolled back after its routes are measured.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from portal.budget_world import World, build
from portal.routes import route_names, routes

from sanely.portal.accounts.events import MEMBERSHIP_ADDED
from sanely.portal.accounts.models import Role
from sanely.portal.config.api import api as api_root

LEAD, COMMISSIONER, EVALUATOR, AUDITOR = (
    Role.PROCUREMENT_LEAD,
    Role.COMMISSIONER,
    Role.EVALUATOR,
    Role.AUDITOR,
)
SUPPLIER = Role.SUPPLIER_ADMIN
SCALES = (1, 10)
GROWN_BY = 500  # bytes
# The mark makes pytest-django create the test database the module's worlds are built in.
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    """Who asks (Wessex, the first supplier Kestrel, or nobody signed in) for which URL."""

    url: Callable[[World], str]
    who: str = "wessex"
    role: str = LEAD
    api: bool = False
    # The answer shows more at 10x: the case measures what it should. False where the route
    # shows one thing (a form, one letter) whose query count must still not grow.
    grows: bool = True

    def client(self, world: World) -> Client:
        if self.who == "nobody":
            return Client()
        org = world.wessex if self.who == "wessex" else world.kestrel
        return world.client(org, self.role, token=self.api)


def page(url: Callable[[World], str], role: str = LEAD, **kw: Any) -> Case:
    return Case(url, role=role, **kw)


def api(url: Callable[[World], str], role: str = LEAD, **kw: Any) -> Case:
    return Case(lambda w: "/api/v1" + url(w), role=role, api=True, **kw)


def supplier_page(url: Callable[[World], str], **kw: Any) -> Case:
    return Case(url, who="kestrel", role=SUPPLIER, **kw)


def supplier_api(url: Callable[[World], str], **kw: Any) -> Case:
    return Case(lambda w: "/api/v1" + url(w), who="kestrel", role=SUPPLIER, api=True, **kw)


def public(url: str) -> Case:
    return Case(lambda w: url, who="nobody", grows=False)


def _org(w: World) -> int:
    return w.wessex.organisation.pk


def _kestrel(w: World) -> int:
    return w.kestrel.organisation.pk


def _sel(w: World) -> int:
    return w.selection.pk


def _neg(w: World) -> int:
    return w.negotiation.procurement.pk


def _eval(w: World) -> int:
    return w.evaluation.procurement.pk


def _tender_round(w: World) -> int:
    assert w.evaluation.round is not None
    return w.evaluation.round.pk


def _award(w: World) -> int:
    return w.award.pk


def _password_set(w: World) -> str:
    user = w.wessex.user(EVALUATOR)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/password-set/{uid}/{default_token_generator.make_token(user)}"


# The audit trail is read a page of 50 at a time: its cases filter to the memberships added,
# fewer than a page at both scales, so that a query per event would show.
CASES: dict[str, Case] = {
    "home": page(lambda w: "/", COMMISSIONER),  # a membership in each shared service
    "accounts:login": public("/sign-in"),
    "accounts:register": public("/register"),
    "accounts:password_reset": public("/password-reset"),
    "accounts:password_set": Case(_password_set, who="nobody", grows=False),
    "deadlines": public("/deadlines"),
    "status": public("/status"),
    "accounts:logout_confirm": page(lambda w: "/sign-out", grows=False),
    "accounts:organisation": page(lambda w: f"/organisations/{_org(w)}/"),
    "accounts:organisation_edit": page(lambda w: f"/organisations/{_org(w)}/edit", grows=False),
    "accounts:member_add": page(lambda w: f"/organisations/{_org(w)}/members/add", grows=False),
    "accounts:tokens": page(lambda w: "/account/tokens", COMMISSIONER),
    "accounts:second_factor": page(lambda w: "/account/second-factor", grows=False),
    "audit:events": page(lambda w: f"/audit/?action={MEMBERSHIP_ADDED}", AUDITOR),
    "pilots:list": page(lambda w: "/evidence/", COMMISSIONER),
    "pilots:new": page(lambda w: "/evidence/new", COMMISSIONER, grows=False),
    "pilots:detail": page(lambda w: f"/evidence/{w.assessment_id}/", COMMISSIONER, grows=False),
    "procurements:list": page(lambda w: "/procurements/"),
    "procurements:new": page(lambda w: "/procurements/new", grows=False),
    "procurements:detail": page(lambda w: f"/procurements/{_neg(w)}/", grows=False),
    "procurements:section": page(
        lambda w: f"/procurements/{w.drafts[0].pk}/design/need", grows=False
    ),
    "procurements:check": page(lambda w: f"/procurements/{w.drafts[0].pk}/check", grows=False),
    "procurements:action": page(lambda w: f"/procurements/{_neg(w)}/actions/abandon", grows=False),
    "tenders:opportunities": supplier_page(lambda w: "/opportunities/"),
    "tenders:opportunity": supplier_page(lambda w: f"/opportunities/{_award(w)}/"),
    "tenders:submission": supplier_page(
        lambda w: f"/opportunities/rounds/{_tender_round(w)}/as/{_kestrel(w)}/"
    ),
    "tenders:letter": supplier_page(lambda w: f"/opportunities/letters/{w.letter.pk}", grows=False),
    "tenders:rounds": page(lambda w: f"/tenders/procurements/{_neg(w)}/rounds"),
    "tenders:round": page(lambda w: f"/tenders/rounds/{_tender_round(w)}/"),
    "selection:selection": page(lambda w: f"/selection/procurements/{_sel(w)}/"),
    "selection:decide": page(lambda w: f"/selection/procurements/{_sel(w)}/decide"),
    "negotiation:procurement": page(lambda w: f"/negotiation/procurements/{_neg(w)}/"),
    "negotiation:meeting_new": page(lambda w: f"/negotiation/procurements/{_neg(w)}/meetings/new"),
    "negotiation:meeting": page(lambda w: f"/negotiation/meetings/{w.meeting.pk}/", grows=False),
    "negotiation:answer": page(
        lambda w: f"/negotiation/clarifications/{w.question.pk}/answer", grows=False
    ),
    "negotiation:revision_new": page(
        lambda w: f"/negotiation/procurements/{_neg(w)}/revisions/new", grows=False
    ),
    "negotiation:equal_treatment": page(
        lambda w: f"/negotiation/procurements/{_neg(w)}/equal-treatment"
    ),
    "negotiation:reduction_new": page(lambda w: f"/negotiation/procurements/{_neg(w)}/reduction"),
    "negotiation:tenderer": supplier_page(
        lambda w: f"/negotiation/procurements/{_neg(w)}/as/{_kestrel(w)}/"
    ),
    "evaluation:overview": page(lambda w: f"/evaluation/procurements/{_eval(w)}/"),
    "evaluation:declare": page(
        lambda w: f"/evaluation/procurements/{_eval(w)}/declare", EVALUATOR, grows=False
    ),
    "evaluation:score": page(
        lambda w: f"/evaluation/procurements/{_eval(w)}/tenderers/{_kestrel(w)}/scores",
        EVALUATOR,
        grows=False,
    ),
    "evaluation:moderate": page(
        lambda w: f"/evaluation/procurements/{_eval(w)}/tenderers/{_kestrel(w)}/moderation"
    ),
    "evaluation:results": page(lambda w: f"/evaluation/procurements/{_eval(w)}/results"),
    "award:procurement": page(lambda w: f"/award/procurements/{_award(w)}/"),
    "award:report": page(lambda w: f"/award/procurements/{_award(w)}/report"),
    "award:report_download": page(lambda w: f"/award/procurements/{_award(w)}/report.md"),
    "award:contract": supplier_page(lambda w: f"/award/contracts/{w.contract.pk}", grows=False),
    # The world's awards conclude two partners at every scale: one list that cannot grow.
    "partnerships:partnership": page(
        lambda w: f"/partnerships/procurements/{w.contract.procurement_id}/", grows=False
    ),
    # Kestrel's plan shows one verdict per part delivered: `scale` parts.
    "partnerships:plan": supplier_page(lambda w: f"/partnerships/contracts/{w.contract.pk}/plan"),
    # Every award of the world concluded its contracts: one partnership each, `scale` of them.
    "partnerships:dashboard": page(lambda w: "/partnerships/", COMMISSIONER),
    "partnerships:gate": page(lambda w: f"/partnerships/gates/{w.gate.pk}", grows=False),
    "partnerships:claims": page(
        lambda w: f"/partnerships/procurements/{w.contract.procurement_id}/claims"
    ),
    "partnerships:claims_csv": page(
        lambda w: f"/partnerships/procurements/{w.contract.procurement_id}/claims.csv",
        Role.FINANCE_OFFICER,
    ),
    # Open data: the list grows with the procurements published, the feed with their releases.
    "publication:search": Case(lambda w: "/open/", who="nobody"),
    "publication:procurement": Case(lambda w: f"/open/{w.ocid}/", who="nobody", grows=False),
    "publication:notice": Case(
        lambda w: f"/open/{w.ocid}/notices/award-1", who="nobody", grows=False
    ),
    "ocds:releases": Case(lambda w: "/ocds/releases", who="nobody"),
    "ocds:record": Case(lambda w: f"/ocds/records/{w.ocid}", who="nobody", grows=False),
    "ocds:bulk": Case(lambda w: "/ocds/releases.jsonl.gz", who="nobody"),
    "publication:facts": page(lambda w: f"/publication/procurements/{_award(w)}/", grows=False),
    "publication:review": page(
        lambda w: f"/publication/facts/{w.review_fact_id}/review", grows=False
    ),
    # API lists
    # A token acts in one organisation: it lists that one membership.
    "api:me": api(lambda w: "/me", COMMISSIONER, grows=False),
    "api:partnership_detail": api(
        lambda w: f"/partnerships/{w.contract.procurement_id}", grows=False
    ),
    "api:plan_detail": supplier_api(lambda w: f"/contracts/{w.contract.pk}/plan", grows=False),
    "api:progress_detail": supplier_api(lambda w: f"/contracts/{w.contract.pk}/progress"),
    "api:gate_detail": api(lambda w: f"/gates/{w.gate.pk}", grows=False),
    "api:claim_list": supplier_api(lambda w: f"/contracts/{w.contract.pk}/claims"),
    "api:change_list": api(lambda w: f"/contracts/{w.contract.pk}/changes"),
    "api:due_list": api(lambda w: f"/contracts/{w.contract.pk}/dues"),
    "api:observation_list": api(lambda w: f"/contracts/{w.contract.pk}/observations"),
    "api:performance_assessment_list": api(lambda w: f"/contracts/{w.contract.pk}/assessments"),
    "api:organisation_list": api(lambda w: "/organisations", COMMISSIONER, grows=False),
    "api:member_list": api(lambda w: f"/organisations/{_org(w)}/members"),
    "api:token_list": api(lambda w: "/tokens", COMMISSIONER),
    "api:audit_events": api(lambda w: f"/audit/events?action={MEMBERSHIP_ADDED}", AUDITOR),
    "api:assessment_list": api(lambda w: "/assessments", COMMISSIONER),
    "api:procurement_list": api(lambda w: "/procurements"),
    "api:opportunity_list": supplier_api(lambda w: "/opportunities"),
    "api:letter_list": supplier_api(
        lambda w: f"/opportunities/{_award(w)}/letters?organisation_id={_kestrel(w)}"
    ),
    "api:round_list": api(lambda w: f"/procurements/{_neg(w)}/rounds"),
    "api:round_submission_list": api(lambda w: f"/rounds/{_tender_round(w)}/submissions"),
    "api:submission_status": supplier_api(
        lambda w: f"/rounds/{_tender_round(w)}/submissions/mine?organisation_id={_kestrel(w)}"
    ),
    "api:selection_marks": api(lambda w: f"/procurements/{_sel(w)}/selection/marks"),
    "api:selection_shortlist": api(lambda w: f"/procurements/{_sel(w)}/selection/shortlist"),
    **{
        f"api:negotiation_{name}": api(
            lambda w, path=path: f"/negotiation/procurements/{_neg(w)}/{path}"
        )
        for name, path in (
            ("meeting_list", "meetings"),
            ("clarification_list", "clarifications"),
            ("revision_list", "revisions"),
            ("consent_list", "consents"),
            ("equal_treatment", "equal-treatment"),
            ("reduction_list", "reductions"),
        )
    },
    "api:negotiation_tenderer": supplier_api(
        lambda w: f"/negotiation/procurements/{_neg(w)}/mine?organisation_id={_kestrel(w)}"
    ),
    "api:evaluation_detail": api(lambda w: f"/evaluation/procurements/{_eval(w)}"),
    "api:evaluation_declarations": api(
        lambda w: f"/evaluation/procurements/{_eval(w)}/declarations"
    ),
    "api:evaluation_scores": api(
        lambda w: f"/evaluation/procurements/{_eval(w)}/tenderers/{_kestrel(w)}/scores",
        grows=False,
    ),
    "api:evaluation_sheet": api(
        lambda w: f"/evaluation/procurements/{_eval(w)}/tenderers/{_kestrel(w)}/moderation",
        grows=False,
    ),
    "api:evaluation_ranking": api(lambda w: f"/evaluation/procurements/{_eval(w)}/ranking"),
    "api:award_detail": api(lambda w: f"/award/procurements/{_award(w)}"),
    "api:award_report": api(lambda w: f"/award/procurements/{_award(w)}/report"),
    "api:publication_facts": api(
        lambda w: f"/publication/procurements/{_award(w)}/facts", grows=False
    ),
    "engagement:record": page(lambda w: f"/engagement/procurements/{w.drafts[0].pk}/"),
    "engagement:event_new": page(
        lambda w: f"/engagement/procurements/{w.drafts[0].pk}/events/new", grows=False
    ),
    "engagement:shared_new": page(
        lambda w: f"/engagement/procurements/{w.drafts[0].pk}/shared/new"
    ),
    "engagement:change_new": page(
        lambda w: f"/engagement/procurements/{w.drafts[0].pk}/changes/new"
    ),
    "engagement:notice_new": page(
        lambda w: f"/engagement/procurements/{w.drafts[0].pk}/notice/new", grows=False
    ),
    "api:engagement_record": api(lambda w: f"/engagement/procurements/{w.drafts[0].pk}"),
    "publication:payments": page(
        lambda w: f"/publication/authorities/{_org(w)}/payments", grows=False
    ),
    "publication:payments_approve": page(
        lambda w: f"/publication/authorities/{_org(w)}/payments/approve?period=2026-04-01",
        grows=False,
    ),
    "api:publication_notice_list": api(
        lambda w: f"/publication/procurements/{_award(w)}/notices", grows=False
    ),
    "api:award_partner_contract_list": supplier_api(
        lambda w: f"/award/contracts?organisation_id={_kestrel(w)}"
    ),
}

_POST = "a form's or an API's write: answers no GET"
_ONE = "shows one object, not a list"
_FILE = "a download of one stored file or signed receipt"
# Routes that are neither a page nor an API list, and why.
NOT_A_PAGE_NOR_A_LIST = {
    "healthz": "service health only",
    "api:openapi-json": "the API description, built from code",
    "api_docs": "the API documentation page, built from code",
    "api:api-root": "the API index, built from code",
    "receipt_key": "the portal's public receipt-signing key",
    "accounts:sign_in_code": "the second step of signing in: one form, for one person",
    "accounts:member_remove": _POST,
    "api:engagement_event_record": _POST,
    "api:engagement_shared_record": _POST,
    "api:engagement_change_record": _POST,
    "api:engagement_notice_publish": _POST,
    "api:publication_notice_send": _POST,
    "partnerships:gate_open": _POST,
    "partnerships:evidence": _POST,
    "partnerships:acceptance": _POST,
    "partnerships:validate": _POST,
    "partnerships:gate_report": _POST,
    "partnerships:gate_decide": _POST,
    "api:evidence_create": _POST,
    "api:evidence_validation": _POST,
    "api:acceptance_create": _POST,
    "api:gate_create": _POST,
    "api:gate_report": _POST,
    "api:gate_decision": _POST,
    "partnerships:claim": _POST,
    "partnerships:change": _POST,
    "partnerships:claim_decide": _POST,
    "partnerships:claim_answer": _POST,
    "api:claim_create": _POST,
    "api:claim_query": _POST,
    "api:claim_answer": _POST,
    "api:claim_approval": _POST,
    "api:claim_rejection": _POST,
    "api:claim_payment": _POST,
    "api:change_create": _POST,
    "api:observation_create": _POST,
    "api:performance_assessment_create": _POST,
    "partnerships:observation": _POST,
    "partnerships:termination_notice": _POST,
    "partnerships:termination": _POST,
    "api:termination_notice_create": _POST,
    "api:contract_termination": _POST,
    "partnerships:assessment": _POST,
    "accounts:token_revoke": _POST,
    "tenders:interest": _POST,
    "tenders:extend": _POST,
    "tenders:opening_request": _POST,
    "tenders:opening_confirm": _POST,
    "tenders:receipt": _FILE,
    "tenders:content": _FILE,
    "negotiation:ask": _POST,
    "negotiation:consent": _POST,
    "negotiation:withdraw": _POST,
    "negotiation:question_receipt": _FILE,
    "award:notify": _POST,
    "award:conclude": _POST,
    "api:organisation_detail": _ONE,
    "api:organisation_update": _POST,
    "api:member_add": _POST,
    "api:member_remove": _POST,
    "api:token_create": _POST,
    "api:token_revoke": _POST,
    "api:assessment_create": _POST,
    "api:assessment_detail": _ONE,
    "api:procurement_create": _POST,
    "api:procurement_detail": _ONE,
    "api:procurement_update": _POST,
    "api:procurement_next": "the next steps of one procurement, from its rulebook",
    "api:procurement_action": _POST,
    "api:deadline": "the public statutory deadline calculator: no data",
    "api:opportunity_detail": _ONE,
    "api:letter_detail": _ONE,
    "api:interest_express": _POST,
    "api:round_open": _POST,
    "api:round_extend": _POST,
    "api:round_opening_request": _POST,
    "api:round_opening_confirm": _POST,
    "api:submission_create": _POST,
    "api:upload_begin": _POST,
    "api:upload_detail": _ONE,
    "api:upload_chunk": _POST,
    "api:upload_finish": _POST,
    "api:receipt_download": _FILE,
    "api:content_download": _FILE,
    "api:selection_marks_record": _POST,
    "api:selection_shortlist_decide": _POST,
    "api:negotiation_meeting_record": _POST,
    "api:negotiation_meeting_detail": _ONE,
    "api:negotiation_clarification_answer": _POST,
    "api:negotiation_question_ask": _POST,
    "api:negotiation_revision_record": _POST,
    "api:negotiation_consent_give": _POST,
    "api:negotiation_consent_withdraw": _POST,
    "api:negotiation_reduce": _POST,
    "api:evaluation_declare": _POST,
    "api:evaluation_score": _POST,
    "api:evaluation_submit": _POST,
    "api:evaluation_consensus": _POST,
    "api:evaluation_strengths": _POST,
    "api:evaluation_price": _POST,
    "api:evaluation_low_decision": _POST,
    "api:evaluation_tie": _POST,
    "api:evaluation_sign_off": _POST,
    "api:award_notify": _POST,
    "api:award_contracts_conclude": _POST,
    "api:award_contract_detail": _ONE,
    "api:publication_review": _POST,
}


@dataclass(frozen=True)
class Measured:
    """What one request answered: its status, its length and the queries it made."""

    status: int
    queries: int
    size: int
    sql: tuple[str, ...]


def _measure(case: Case, world: World) -> Measured:
    """The second of two identical requests, so that caches filled once are not counted."""
    client, url = case.client(world), case.url(world)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        # A streamed download reads its rows while it is sent: count those queries too.
        body = b"".join(response.streaming_content) if response.streaming else response.content
    sql = tuple(q["sql"] for q in captured.captured_queries)
    return Measured(response.status_code, len(sql), len(body), sql)


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker, tmp_path_factory):
    """{route: {scale: Measured}} over a world built at each scale."""
    fast = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={
            "default": {
                "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
                "QUEUES": ["default", "evidence"],
            }
        },
    )
    found: dict[str, dict[int, Measured]] = {route: {} for route in CASES}
    with django_db_blocker.unblock(), fast:
        for scale in SCALES:
            with transaction.atomic():
                world = build(scale)
                for route, case in CASES.items():
                    found[route][scale] = _measure(case, world)
                transaction.set_rollback(True)
    return found


def test_every_page_and_list_has_a_budget():
    routes = set(route_names())
    assert set() == routes - set(CASES) - set(NOT_A_PAGE_NOR_A_LIST)
    assert set() == (set(CASES) | set(NOT_A_PAGE_NOR_A_LIST)) - routes
    assert set() == set(CASES) & set(NOT_A_PAGE_NOR_A_LIST)


def _api_list_paths() -> set[str]:
    """The paths of the API's GET operations that answer a list, paged or not."""
    schema = api_root.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = set()
    for path, operations in schema["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get(200, {})  # ninja: int keys
        body = answer.get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in body:
            body = components[body["$ref"].rsplit("/", 1)[1]]
        if body.get("type") == "array" or "items" in body.get("properties", {}):
            found.add(path)
    return found


def test_no_api_list_is_exempted():
    """Every API route whose answer is a list is requested by a case, whatever its name says."""
    measured_paths = {path for name, path in routes() if name in CASES}
    assert set() == _api_list_paths() - measured_paths


@pytest.mark.parametrize("route", sorted(CASES))
def test_ten_times_the_data_costs_no_more_queries(route, measured):
    base, tenfold = (measured[route][scale] for scale in SCALES)
    assert (200, 200) == (base.status, tenfold.status)
    if CASES[route].grows:
        # More than longer ids: at least a few rows more.
        more = tenfold.size - base.size
        assert more >= GROWN_BY, f"the 10x answer is only {more} bytes longer: measure more data"
    assert base.queries == tenfold.queries, _difference(base, tenfold)


def _difference(base: Measured, tenfold: Measured) -> str:
    """The queries that repeat at 10x, each with how often it ran at each scale."""

    def shapes(sql: tuple[str, ...]) -> dict[str, int]:
        counted: dict[str, int] = {}
        for statement in sql:
            shape = re.sub(r"\b\d+\b", "?", statement)[:200]
            counted[shape] = counted.get(shape, 0) + 1
        return counted

    at_1, at_10 = shapes(base.sql), shapes(tenfold.sql)
    grown = [f"{at_1.get(s, 0)} -> {n}: {s}" for s, n in at_10.items() if n > at_1.get(s, 0)]
    return f"{base.queries} queries at 1x, {tenfold.queries} at 10x; grown:\n" + "\n".join(grown)
