"""Pages that belong to no business noun: home, health, and the error pages."""

from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

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


def _error(request: HttpRequest, status: int, code: str, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "detail": None}, status=status)
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "bad_request", "Bad request", "The request could not be read.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "forbidden",
        "You cannot do that",
        "Your role does not allow this."
        " Ask your organisation's procurement lead or supplier admin.",
    )


def refused(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """A refusal the page did not place in a form: its own message, rule and citation."""
    message = error.with_rule if isinstance(error, RuleRefused) else error.message
    return _error(request, error.status, error.code, "This cannot be done yet", message)


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
