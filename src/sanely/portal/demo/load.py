"""
Demo data: a county council, a Scottish health board, nine suppliers and a person for
every role. Loading it twice changes nothing: everything is found by its identifier first.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction

from sanely.portal.accounts.models import Membership, Organisation, Role, User
from sanely.portal.accounts.services import membership_add, organisation_create, user_create
from sanely.portal.demo.pilots import demo_evidence
from sanely.portal.demo.procurements import demo_procurements
from sanely.portal.demo.publication import demo_payments_approval, demo_publication
from sanely.portal.demo.tenders import demo_tenders
from sanely.portal.procurements.engine import UK

from .competition import demo_competitions
from .engagement import demo_engagement
from .partnerships import demo_partnerships

DEMO_PASSWORD = "sanely-demo-2026"  # noqa: S105 - printed for the demo, which runs on 127.0.0.1 only


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    scheme: str
    identifier: str
    nation: str = ""
    postcode: str = ""
    is_sme: bool = False
    is_vcse: bool = False
    address: str = ""
    contact_email: str = ""


ORGANISATIONS = [
    DemoOrganisation(
        "Wessex County Council",
        "authority",
        "GB-GOR",
        "E10000099",
        "england",
        "SO23 8UJ",
        address="County Hall, High Street, Wintoncester",
        contact_email="procurement@wessex.example",
    ),
    DemoOrganisation(
        "NHS Lothian Health Board", "authority", "GB-SHPE", "SC-LOTHIAN", "scotland", "EH1 3EG"
    ),
    DemoOrganisation(
        "Kestrel Mobility Ltd", "supplier", "GB-COH", "14500001", postcode="BS1 4DJ", is_sme=True
    ),
    DemoOrganisation(
        "Fenland Community Transport CIC",
        "supplier",
        "GB-COH",
        "14500002",
        postcode="PE13 1AG",
        is_sme=True,
        is_vcse=True,
    ),
    DemoOrganisation(
        "Brightwater Analytics Ltd",
        "supplier",
        "GB-COH",
        "14500003",
        postcode="M1 3BE",
        is_sme=True,
    ),
    DemoOrganisation(
        "Northgate Digital Services plc", "supplier", "GB-COH", "14500004", postcode="LS1 4AP"
    ),
    DemoOrganisation(
        "CareLink Cooperative Ltd",
        "supplier",
        "GB-MPR",
        "RS008765",
        postcode="NE1 4ST",
        is_sme=True,
        is_vcse=True,
    ),
    DemoOrganisation(
        "Blackmoor Vale Transport Ltd",
        "supplier",
        "GB-COH",
        "14500005",
        postcode="DT10 1AR",
        is_sme=True,
    ),
    DemoOrganisation(
        "Egdon Route Optimisation Ltd",
        "supplier",
        "GB-COH",
        "14500006",
        postcode="BH15 1HS",
        is_sme=True,
    ),
    DemoOrganisation(
        "Melchester Environmental Services Ltd",
        "supplier",
        "GB-COH",
        "14500007",
        postcode="SP2 7TN",
    ),
    DemoOrganisation(
        "Wintoncester Fleet Services Ltd",
        "supplier",
        "GB-COH",
        "14500008",
        postcode="SO23 7RX",
        is_sme=True,
    ),
]

# (email, full name, organisation, role)
PEOPLE = [
    ("commissioner@wessex.example", "Priya Shah", "Wessex County Council", Role.COMMISSIONER),
    ("procurement@wessex.example", "Tom Okafor", "Wessex County Council", Role.PROCUREMENT_LEAD),
    ("evaluator@wessex.example", "Helen Marsh", "Wessex County Council", Role.EVALUATOR),
    ("finance@wessex.example", "David Lloyd", "Wessex County Council", Role.FINANCE_OFFICER),
    ("auditor@wessex.example", "Grace Adeyemi", "Wessex County Council", Role.AUDITOR),
    (
        "procurement@lothian.example",
        "Iain Robertson",
        "NHS Lothian Health Board",
        Role.PROCUREMENT_LEAD,
    ),
    ("admin@kestrel.example", "Sol Patel", "Kestrel Mobility Ltd", Role.SUPPLIER_ADMIN),
    ("member@kestrel.example", "Ana Costa", "Kestrel Mobility Ltd", Role.SUPPLIER_MEMBER),
    ("admin@fenland.example", "Mark Ellis", "Fenland Community Transport CIC", Role.SUPPLIER_ADMIN),
    ("admin@brightwater.example", "Chloe Wu", "Brightwater Analytics Ltd", Role.SUPPLIER_ADMIN),
    ("admin@northgate.example", "Raj Mehta", "Northgate Digital Services plc", Role.SUPPLIER_ADMIN),
    ("admin@carelink.example", "Bea Hughes", "CareLink Cooperative Ltd", Role.SUPPLIER_ADMIN),
    ("admin@blackmoor.example", "Owen Pike", "Blackmoor Vale Transport Ltd", Role.SUPPLIER_ADMIN),
    ("admin@egdon.example", "Nadia Karimi", "Egdon Route Optimisation Ltd", Role.SUPPLIER_ADMIN),
    (
        "admin@melchester.example",
        "Gareth Rowe",
        "Melchester Environmental Services Ltd",
        Role.SUPPLIER_ADMIN,
    ),
    (
        "admin@wintoncester.example",
        "Leah Brennan",
        "Wintoncester Fleet Services Ltd",
        Role.SUPPLIER_ADMIN,
    ),
]


def _organisation(spec: DemoOrganisation, now: datetime) -> Organisation:
    found = Organisation.objects.filter(
        identifier_scheme=spec.scheme, identifier=spec.identifier
    ).first()
    if found is not None:
        return found
    return organisation_create(
        name=spec.name,
        kind=spec.kind,
        now=now,
        nation=spec.nation,
        identifier_scheme=spec.scheme,
        identifier=spec.identifier,
        postcode=spec.postcode,
        address=spec.address,
        contact_email=spec.contact_email,
        is_sme=spec.is_sme,
        is_vcse=spec.is_vcse,
    )


# The demo's stories end at this time of day (UK), the meetings of their last day in the
# working hours before it, whatever time the demo is loaded.
STORIES_END_AT = time(16, 0)


def stories_end(now: datetime) -> datetime:
    """The latest 4pm (UK time) not after `now`: the moment the demo's stories are told up to."""
    local = now.astimezone(UK)
    day = local.date() if local.time() >= STORIES_END_AT else local.date() - timedelta(days=1)
    return datetime.combine(day, STORIES_END_AT, tzinfo=UK)


@transaction.atomic
def demo_load(*, now: datetime) -> list[tuple[str, str, str]]:
    """Create what is missing; return (email, organisation, role) for every demo login."""
    now = stories_end(now)
    organisations = {spec.name: _organisation(spec, now) for spec in ORGANISATIONS}
    logins = []
    for email, full_name, organisation_name, role in PEOPLE:
        organisation = organisations[organisation_name]
        user = User.objects.filter(email=email).first() or user_create(
            email=email, full_name=full_name, password=DEMO_PASSWORD, now=now
        )
        if not Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
            membership_add(organisation=organisation, user=user, role=role, now=now, actor=user)
        logins.append((email, organisation_name, Role(role).label))
    demo_evidence(now=now)
    demo_procurements(now=now)
    demo_engagement(now=now)
    demo_tenders(now=now)
    demo_competitions(now=now)
    demo_partnerships()
    demo_publication(now=now)
    demo_payments_approval(now=now)
    return logins
