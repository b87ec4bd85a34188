"""Pages that belong to no business noun: home, health, and the error pages."""

from typing import Any
from urllib.parse import urlsplit

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError, RuleRefused
from sanely.portal.core.heartbeat import WORKER_STALE_SECONDS as WORKER_STALE_AFTER_SECONDS
from sanely.portal.core.models import WorkerHeartbeat


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def service_health() -> dict[str, Any]:
    """Database reachability and the age of the newest worker heartbeat."""
    database_ok = _database_ok()
    worker: dict[str, Any] = {"status": "unknown", "heartbeat_age_seconds": None}
    if database_ok:
        last = WorkerHeartbeat.objects.order_by("-seen_at").first()
        if last is not None:
            age = (now() - last.seen_at).total_seconds()
            stale = age > WORKER_STALE_AFTER_SECONDS
            worker = {"status": "stale" if stale else "ok", "heartbeat_age_seconds": round(age, 1)}
        else:
            worker["status"] = "never seen"
    return {
        "status": "ok" if database_ok else "unavailable",
        "database": "ok" if database_ok else "unreachable",
        "worker": worker,
    }


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The service's health as JSON, for load balancers and monitoring."""
    body = service_health()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


# What the status page tells people about the background worker (sending letters, publishing).
_WORKER_WORDS = {
    "ok": "Working: letters, emails and open data go out as usual.",
    "stale": "Delayed: letters, emails and open data may go out late. Nothing is lost.",
    "never seen": "Not started: letters, emails and open data wait until it starts.",
    "unknown": "Unknown while the service cannot reach its records.",
}


@require_safe
def service_status(request: HttpRequest) -> HttpResponse:
    """The service's health for people, in words; the same answer as /healthz."""
    health = service_health()
    up = health["status"] == "ok"
    return render(
        request,
        "web/status.html",
        {
            "title": "Service status",
            "up": up,
            "worker": _WORKER_WORDS[health["worker"]["status"]],
            "checked_at": now(),
        },
        status=200 if up else 503,
    )


def way_on(request: HttpRequest) -> list[tuple[str, str]]:
    """
    Where a person goes from a refusal, as (text, address): the page of the procurement it
    concerns, where "what happens next" says what would make it possible, and the page they
    came from. Never the refused address itself, so the page cannot offer what it refused.
    """
    links: list[tuple[str, str]] = []
    try:
        kwargs = resolve(request.path).kwargs
    except Resolver404:
        kwargs = {}
    if "procurement_id" in kwargs:
        supplier_side = request.path.startswith("/opportunities/") or "organisation_id" in kwargs
        page, text = (
            ("tenders:opportunity", "Back to the opportunity")
            if supplier_side
            else ("procurements:detail", "See what happens next in the procurement")
        )
        links.append((text, reverse(page, kwargs={"procurement_id": kwargs["procurement_id"]})))
    came_from = urlsplit(request.headers.get("referer", ""))
    same_site = url_has_allowed_host_and_scheme(
        came_from.geturl(), allowed_hosts={request.get_host()}
    )
    back = came_from.path + (f"?{came_from.query}" if came_from.query else "")
    known = {request.path, *(address for _, address in links)}
    if same_site and came_from.path and back not in known:
        links.append(("Go back to the page you came from", back))
    return links


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    title: str,
    message: str,
    links: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "detail": None}, status=status)
    context = {"title": title, "message": message, "links": links or []}
    return render(request, "web/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "bad_request", "Bad request", "The request could not be read.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "forbidden",
        "You cannot do that",
        "Your role does not allow this.",
        way_on(request),
    )


def refused(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """
    A refusal the page did not place in a form: its own message, rule and citation, and the
    way on to where it can be put right.
    """
    message = error.with_rule if isinstance(error, RuleRefused) else error.message
    title = "You cannot do that" if error.status == 403 else "This cannot be done yet"
    return _error(request, error.status, error.code, title, message, way_on(request))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "csrf_failed",
        "Your session has expired",
        "The form was out of date or did not come from this service."
        " Go back, reload the page and try again.",
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "not_found",
        "Page not found",
        "If you typed the web address, check it is correct."
        " If you pasted it, check you copied all of it.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "server_error",
        "Sorry, there is a problem with the service",
        "Try again later. The problem was logged.",
    )
