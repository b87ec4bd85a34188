"""Middleware of the portal's own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from . import views


class NumberTooLargeMiddleware:
    """
    A page address with an id larger than the database can store (e.g. /organisations/9…9/)
    gets the 400 page instead of a server error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            return views.bad_request(request, exception)
        return None


class NulCharacterMiddleware:
    """
    A query string holding a NUL character (%00) is refused with 400, naming the parameters:
    the database cannot compare text with one (PostgreSQL raises), and no filter needs it.
    Bodies are checked where they are read: API bodies by `InputSchema`, forms by Django.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        named = sorted(
            {key for key, values in request.GET.lists() if "\x00" in key + "".join(values)}
        )
        if not named:
            return self.get_response(request)
        message = "Remove the NUL character (%00) from " + ", ".join(named) + "."
        if request.path.startswith("/api/"):
            detail = {key: ["Remove the NUL character (%00)."] for key in named}
            body = {"code": "bad_request", "message": message, "detail": detail}
            return JsonResponse(body, status=400)
        return views.bad_request(request)
