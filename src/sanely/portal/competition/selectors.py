"""
Reads of the competition register, and the one place that decides who may read a letter:
the people of the supplier it was sent to and of the authority that sent it.
"""

from django.db.models import QuerySet

from sanely.portal.accounts.models import Organisation, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.core.errors import Conflict, NotFound
from sanely.portal.procurements.models import Procurement

from .models import ConflictDeclaration, Letter, Participant, Standing

# Everyone who tendered at some point: the people declaring name them all.
TENDERED = (
    Standing.INVITED,
    Standing.REDUCED,
    Standing.REJECTED,
    Standing.PARTNER,
    Standing.UNSUCCESSFUL,
)


def participants(procurement: Procurement) -> QuerySet[Participant]:
    """Every supplier in the competition, with its standing."""
    return Participant.objects.filter(procurement=procurement).select_related("organisation")


def tenderers(procurement: Procurement) -> list[Organisation]:
    """The tenderers still in the competition (invited, not reduced, rejected or decided)."""
    return [p.organisation for p in participants(procurement).filter(standing=Standing.INVITED)]


def is_tendering(procurement: Procurement, organisation: Organisation) -> bool:
    return Participant.objects.filter(
        procurement=procurement, organisation=organisation, standing=Standing.INVITED
    ).exists()


def letter_list(*, procurement: Procurement, organisation: Organisation) -> QuerySet[Letter]:
    """The letters one supplier was sent about one procurement, oldest first."""
    return Letter.objects.filter(procurement=procurement, recipient=organisation)


def access_letter(*, actor: Actor, letter_id: int) -> Letter:
    """A letter, for the people of the supplier it was sent to and of the authority that sent it."""
    letter = Letter.objects.select_related("procurement", "recipient").filter(pk=letter_id).first()
    if letter is None or not (
        actor.in_organisation(letter.recipient_id)
        or actor.in_organisation(letter.procurement.organisation_id)
    ):
        raise NotFound("No such letter.")
    return letter


# Declarations


def declarations_of(procurement: Procurement, user: User) -> QuerySet[ConflictDeclaration]:
    """One person's declarations in one procurement, oldest first."""
    return ConflictDeclaration.objects.filter(procurement=procurement, evaluator=user)


def declaration_of(procurement: Procurement, user: User) -> ConflictDeclaration | None:
    """The declaration that counts: the latest."""
    return declarations_of(procurement, user).last()


def conflict_declared(procurement: Procurement, user: User) -> bool:
    """Once declared, a conflict stands: a later declaration cannot take it back."""
    return declarations_of(procurement, user).filter(conflict=True).exists()


def may_read_tenders(user: User, procurement: Procurement) -> bool:
    """True only for a person who declared no conflict with the tenderers (and never one)."""
    return declaration_of(procurement, user) is not None and not conflict_declared(
        procurement, user
    )


def declaration_list(procurement: Procurement) -> QuerySet[ConflictDeclaration]:
    """Every declaration made in the procurement, as made (none is ever removed)."""
    return ConflictDeclaration.objects.filter(procurement=procurement).select_related("evaluator")


def tenderers_to_declare(procurement: Procurement) -> list[Organisation]:
    """Everyone who tendered: those still in, and those reduced or rejected."""
    return [
        p.organisation
        for p in Participant.objects.filter(procurement=procurement, standing__in=TENDERED)
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def declaration_refusal(procurement: Procurement, user: User, what: str) -> str | None:
    """Why `what` is refused to this person for want of a declaration of no conflict, or None."""
    if conflict_declared(procurement, user):
        return f"You declared a conflict of interest in this procurement, so you cannot {what}."
    if declaration_of(procurement, user) is None:
        return (
            f"Declare your interests in the tenderers first: you cannot {what} before you have"
            " declared that you have no conflict of interest."
        )
    return None


def require_clean_declaration(procurement: Procurement, user: User, what: str) -> None:
    """Refuse `what` to a person without a declaration of no conflict."""
    why = declaration_refusal(procurement, user, what)
    if why is not None:
        raise Conflict(why)
