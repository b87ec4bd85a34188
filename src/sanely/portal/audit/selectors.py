"""Reading the audit trail, and who may (auditors and procurement leads of an authority)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from sanely.portal.accounts.models import Role
from sanely.portal.accounts.selectors import Actor
from sanely.portal.core.errors import PermissionDenied

from .models import AuditEvent

AUDIT_READER_ROLES = frozenset({Role.AUDITOR, Role.PROCUREMENT_LEAD})

# Given the authorities whose trail is read, a condition matching the events that must stay
# sealed from their readers for now (tenders: who submitted to a round, until it is opened).
SealedEvents = Callable[[set[int]], Q]
_sealed_sources: list[SealedEvents] = []


def audit_sealed_register(source: SealedEvents) -> None:
    """
    Let an app on a higher floor hold some events sealed: the trail shows them without the
    person, the organisation and the payload (so a reader can count them, not tell who or
    what), and a filter by person or organisation does not find them. Called from the app's
    `ready()`.
    """
    if source not in _sealed_sources:
        _sealed_sources.append(source)


def _still_sealed(authority_ids: set[int]) -> Q:
    sealed = Q(pk__in=[])
    for source in _sealed_sources:
        sealed |= source(authority_ids)
    return sealed


@dataclass(frozen=True)
class AuditFilter:
    organisation_id: int | None = None
    user_email: str = ""
    subject_type: str = ""
    subject_id: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def access_audit_trail(*, actor: Actor) -> set[int]:
    """The authorities whose trail the actor may read; refused when there are none."""
    authority_ids = {m.organisation_id for m in actor.memberships if m.role in AUDIT_READER_ROLES}
    if not authority_ids:
        raise PermissionDenied(
            "Only auditors and procurement leads of an authority can read the audit trail."
        )
    return authority_ids


def audit_trail_readable(*, actor: Actor) -> bool:
    try:
        access_audit_trail(actor=actor)
    except PermissionDenied:
        return False
    return True


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def audit_event_list(*, actor: Actor, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """
    Events of the actor's authorities, newest last, narrowed by the filters; each marked
    `sealed` when its person, organisation and payload must not be shown yet.
    """
    authority_ids = access_audit_trail(actor=actor)
    events = (
        AuditEvent.objects.filter(
            Q(authority_id__in=authority_ids) | Q(organisation_id__in=authority_ids)
        )
        .select_related("actor", "organisation")
        .annotate(
            sealed=Case(
                When(_still_sealed(authority_ids), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    if filters.organisation_id:
        events = events.filter(organisation_id=filters.organisation_id, sealed=False)
    if filters.user_email:
        events = events.filter(actor__email__iexact=filters.user_email.strip(), sealed=False)
    if filters.subject_type:
        events = events.filter(subject_type=filters.subject_type.strip())
    if filters.subject_id:
        events = events.filter(subject_id=filters.subject_id.strip())
    if filters.action:
        events = events.filter(action=filters.action.strip())
    # Dates are days in UK time, as people read them.
    if filters.date_from:
        events = events.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return events.order_by("pk")
