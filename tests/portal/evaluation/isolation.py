"""
The evaluation routes' cases for tests/portal/test_organisation_isolation.py: Mercia (another
authority), a tenderer of the competition and an unrelated supplier never reach Wessex's
declarations, scores, moderation, prices or ranking, and change nothing.
"""

import json

from cast import SUPPLIER_ROLES, make_org
from portal.evaluation.world import Competition, close_tendering, competition, ready

from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import ConflictDeclaration
from sanely.portal.evaluation import models

# Routes that hold no organisation's private data, and why.
EVALUATION_PUBLIC: dict[str, str] = {}

MODELS = (
    ConflictDeclaration,
    models.Score,
    models.ScoreSubmission,
    models.Consensus,
    models.ConsensusRevision,
    models.TenderPrice,
    models.AbnormallyLowDecision,
    models.Strengths,
    models.TieChoice,
    models.EvaluationOutcome,
)


def _world(wessex) -> Competition:
    """Moderated and priced, in the evaluation state, ready to sign off."""
    c = competition(wessex, reference="IP-ISO-EVAL")
    ready(
        c,
        {t.pk: [8, 7, 6] for t in c.tenderers},
        {t.pk: p for t, p in zip(c.tenderers, ("400000", "360000", "390000"), strict=True)},
    )
    close_tendering(c)
    return c


def _outsiders(c: Competition, mercia) -> list:
    """(browser, API client) of another authority, a tenderer, and an unrelated supplier."""
    plover = make_org("Plover Mobility Ltd", "supplier", SUPPLIER_ROLES, slug="plover")
    tenderer = c.orgs[0]
    return [
        (mercia.client(role), mercia.token_client(role))
        for role in (Role.PROCUREMENT_LEAD, Role.EVALUATOR)
    ] + [
        (org.client(Role.SUPPLIER_ADMIN), org.token_client(Role.SUPPLIER_ADMIN))
        for org in (tenderer, plover)
    ]


def _counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def _paths(c: Competition) -> tuple[str, str, str, str]:
    pk, tenderer = c.procurement.pk, c.tenderers[0].pk
    page = f"/evaluation/procurements/{pk}/"
    api = f"/api/v1/evaluation/procurements/{pk}"
    return page, f"{page}tenderers/{tenderer}/", api, f"{api}/tenderers/{tenderer}"


def case_reads(wessex, mercia):
    c = _world(wessex)
    page, page_t, api, api_t = _paths(c)
    urls = [
        page,
        page + "declare",
        page_t + "scores",
        page_t + "moderation",
        page + "results",
    ]
    apis = [api, api + "/declarations", api_t + "/scores", api_t + "/moderation", api + "/ranking"]
    for browser, client in _outsiders(c, mercia):
        for url in urls:
            response = browser.get(url)
            assert (url, 404) == (url, response.status_code)
            assert "Osprey Robotics Ltd" not in response.text
        for url in apis:
            assert (url, 404) == (url, client.get(url).status_code)


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def case_writes(wessex, mercia):
    c = _world(wessex)
    page, page_t, api, api_t = _paths(c)
    before = _counts()
    forms = [
        (page + "declare", {"conflict": "no"}),
        (page_t + "scores", {"score_0": "9", "justification_0": "x", "action": "submit"}),
        (page_t + "moderation", {"form": "consensus", "place": "0", "score": "1", "reason": "x"}),
        (page_t + "moderation", {"form": "price", "price": "1", "version_id": "1"}),
        (page + "results", {"form": "sign_off"}),
    ]
    bodies = [
        (api + "/declarations", {"conflict": False}),
        (api_t + "/scores", {"criterion": "Social value", "score": 1, "justification": "x"}),
        (api_t + "/submission", {}),
        (api_t + "/consensus", {"criterion": "Social value", "score": 1, "reason": "x"}),
        (api_t + "/strengths", {"text": "x"}),
        (api_t + "/price", {"price": "1", "version_id": 1}),
        (api_t + "/abnormally-low", {"decision": "rejected", "explanation": "x"}),
        (api + "/tie", {"chosen": [], "reason": "x"}),
        (api + "/sign-off", {}),
    ]
    for browser, client in _outsiders(c, mercia):
        for url, form in forms:
            assert (url, 404) == (url, browser.post(url, form).status_code)
        for url, body in bodies:
            assert (url, 404) == (url, _post(client, url, body).status_code)
    assert before == _counts()


EVALUATION_CASES: dict[str, object] = {
    "evaluation:overview": case_reads,
    "evaluation:results": case_reads,
    "api:evaluation_detail": case_reads,
    "api:evaluation_declarations": case_reads,
    "api:evaluation_scores": case_reads,
    "api:evaluation_sheet": case_reads,
    "api:evaluation_ranking": case_reads,
    "evaluation:declare": case_writes,
    "evaluation:score": case_writes,
    "evaluation:moderate": case_writes,
    "api:evaluation_declare": case_writes,
    "api:evaluation_score": case_writes,
    "api:evaluation_submit": case_writes,
    "api:evaluation_consensus": case_writes,
    "api:evaluation_strengths": case_writes,
    "api:evaluation_price": case_writes,
    "api:evaluation_low_decision": case_writes,
    "api:evaluation_tie": case_writes,
    "api:evaluation_sign_off": case_writes,
}
