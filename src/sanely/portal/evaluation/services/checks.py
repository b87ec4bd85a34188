"""What every evaluation write checks first: the tenderer, the place scored, the state."""

from sanely.portal.accounts.models import Organisation
from sanely.portal.competition.selectors import is_tendering
from sanely.portal.core.errors import Conflict, NotFound, validation_failed_from
from sanely.portal.procurements.models import Procurement

from ..selectors import Place, score_places, signed_off

LONGEST_TEXT = 10000


def required_text(raw: str, field: str, message: str) -> str:
    text = raw.strip()
    if not text:
        raise validation_failed_from({field: [message]})
    if len(text) > LONGEST_TEXT:
        raise validation_failed_from({field: [f"Keep it within {LONGEST_TEXT:,} characters."]})
    return text


def tenderer_of(procurement: Procurement, tenderer_id: int) -> Organisation:
    """A tenderer still in this competition; anything else is not found."""
    found = Organisation.objects.filter(pk=tenderer_id).first()
    if found is None or not is_tendering(procurement, found):
        raise NotFound("No such tenderer still in this competition.")
    return found


def place_of(procurement: Procurement, criterion: str, sub_criterion: str) -> Place:
    places = score_places(procurement)
    wanted = Place(criterion.strip(), sub_criterion.strip())
    found = next((p for p in places if p == wanted), None)
    if found is None:
        names = "; ".join(p.label for p in places)
        raise validation_failed_from(
            {"criterion": [f"Choose one of the published criteria scored on the scale: {names}."]}
        )
    return found


def require_not_signed_off(procurement: Procurement) -> None:
    if signed_off(procurement):
        raise Conflict("The evaluation is signed off: its results can no longer change.")


def locked_procurement(procurement: Procurement) -> Procurement:
    """Serialise the evaluation's writes on one procurement."""
    return Procurement.objects.select_for_update().get(pk=procurement.pk)
