import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sanely.portal.accounts.models import Organisation, Role
from sanely.portal.accounts.services import membership_add, organisation_create, user_create
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create a person with a role in an organisation (made if it does not exist yet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="the person's full name")
        parser.add_argument("--organisation", required=True, help="organisation name")
        parser.add_argument(
            "--kind",
            choices=["authority", "supplier"],
            default="authority",
            help="kind, when the organisation is new",
        )
        parser.add_argument("--nation", default="england", help="nation, when a new authority")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="omit to be asked (never echoed)")

    @transaction.atomic
    def handle(self, *args: Any, **o: Any) -> None:
        at = now()
        password = o["password"] or getpass.getpass("Password: ")
        try:
            organisation = Organisation.objects.filter(name=o["organisation"]).first()
            if organisation is None:
                nation = o["nation"] if o["kind"] == "authority" else ""
                organisation = organisation_create(
                    name=o["organisation"], kind=o["kind"], nation=nation, now=at
                )
            user = user_create(email=o["email"], full_name=o["name"], password=password, now=at)
            membership_add(organisation=organisation, user=user, role=o["role"], now=at, actor=user)
        except ApplicationError as error:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in (error.detail or {}).items())
            raise CommandError(f"{error.message} {problems}".strip(), returncode=2) from error
        self.stdout.write(f"Created {user.email} as {o['role']} of {organisation.name}.")
