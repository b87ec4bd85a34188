"""Middleware of the portal's own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
