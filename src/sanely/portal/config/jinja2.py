"""The Jinja2 environment: GOV.UK Frontend macros, Django's static and url helpers, UK time."""

from datetime import datetime
from typing import Any

import jinja2
from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from sanely.documents.wording import number
from sanely.documents.wording import uk_date as written_date
from sanely.portal.award.selectors import partner_contracts
from sanely.portal.partnerships.law import partnership_dues
from sanely.portal.partnerships.selectors import partnership_of
from sanely.portal.procurements.engine import rules_title, state_label
from sanely.portal.publication.fts import notices_waiting
from sanely.portal.tenders.selectors import round_needed

from .navigation import header_name, navigation


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """Reverse a named URL; the templates' equivalent of `{% url %}`."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def uk_time(value: Any, fmt: str = "%-d %B %Y, %-I:%M%p") -> str:
    """Show an aware datetime in Europe/London, as users read it."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return local.strftime(fmt).replace("AM", "am").replace("PM", "pm")


def uk_day(value: Any) -> str:
    """A date (or the UK day of an aware datetime) as people write it: 5 December 2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return written_date(value)


def choice_items(bound_field: Any) -> list[dict[str, Any]]:
    """A Django choice field as the items list GOV.UK's select macro takes."""
    current = str(bound_field.value() or "")
    return [
        {"value": value, "text": text, "selected": str(value) == current}
        for value, text in bound_field.field.choices
    ]


def environment(**options: Any) -> jinja2.Environment:
    """Build the environment Django's Jinja2 backend uses for every template."""
    app_loader = options.pop("loader", None)
    loaders: list[jinja2.BaseLoader] = [
        jinja2.PrefixLoader({"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")})
    ]
    if app_loader is not None:
        loaders.insert(0, app_loader)
    env = jinja2.Environment(  # noqa: S701 - autoescape is set below
        loader=jinja2.ChoiceLoader(loaders),
        # ChainableUndefined: the GOV.UK page template calls macros without arguments.
        **{**options, "autoescape": True, "undefined": jinja2.ChainableUndefined},
    )
    env.globals.update(
        static=static,
        url=url,
        service_name=settings.SERVICE_NAME,
        authority_name=settings.AUTHORITY_NAME,
        navigation=navigation,
        header_name=header_name,
        # The opportunity page (tenders) links a partner to its contracts (award, a floor up).
        partner_contracts=partner_contracts,
        # Award's pages link to the partnership (a floor up) only once it has begun.
        partnership_of=partnership_of,
        # "What happens next" on a procurement lists the partnership's dated duties.
        partnership_dues=lambda procurement: partnership_dues(procurement, timezone.now()),
        notices_waiting=notices_waiting,
        uk_today=timezone.localdate,
        # A procurement's rules by their name and where it stands, in plain words.
        rules_title=rules_title,
        state_label=state_label,
        # "What happens next" says when the state waits for a round (tenders, a floor up).
        round_needed=round_needed,
        get_messages=get_messages,
        choice_items=choice_items,
    )
    env.filters["uk_time"] = uk_time
    env.filters["number"] = number
    env.filters["uk_date"] = uk_day
    return env
