"""
The cast every portal test can use: two authorities and a supplier, each with people in
every role, built through the services so that the audit trail is real.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.test import Client

from sanely.portal.accounts.models import Membership, Organisation, Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.accounts.services import (
    membership_add,
    organisation_create,
    token_create,
    user_create,
)

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
PASSWORD = "correct-horse-battery-9"


@dataclass
class Org:
    organisation: Organisation
    people: dict[str, User]

    def user(self, role: str) -> User:
        return self.people[role]

    def actor(self, role: str) -> Actor:
        return Actor.for_session(self.people[role])

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.people[role])
        return client

    def token_client(self, role: str) -> Client:
        _, secret = token_create(
            actor=self.actor(role), organisation_id=self.organisation.pk, name="test", now=NOW
        )
        return Client(headers={"authorization": f"Bearer {secret}"})


def make_org(name: str, kind: str, roles: list[str], *, slug: str, nation: str = "") -> Org:
    organisation = organisation_create(name=name, kind=kind, nation=nation, now=NOW)
    people = {}
    for role in roles:
        user = user_create(
            email=f"{role}@{slug}.example",
            full_name=f"{role.title()} of {name}",
            password=PASSWORD,
            now=NOW,
        )
        membership_add(organisation=organisation, user=user, role=role, now=NOW, actor=user)
        people[role] = user
    return Org(organisation, people)


AUTHORITY_ROLES = [
    Role.COMMISSIONER,
    Role.PROCUREMENT_LEAD,
    Role.EVALUATOR,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
]
SUPPLIER_ROLES = [Role.SUPPLIER_ADMIN, Role.SUPPLIER_MEMBER]


def membership_of(user: User, organisation: Organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)
