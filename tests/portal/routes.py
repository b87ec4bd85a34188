"""The portal's named routes, for the tests that must have a case for each."""

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def routes(patterns=None, namespace="", prefix="") -> Iterator[tuple[str, str]]:
    """(name, path) of every named route; the path as the OpenAPI writes it: /api/v1/x/{id}."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            yield from routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", prefix + str(pattern.pattern))
            yield name, "/" + path


def route_names() -> Iterator[str]:
    return (name for name, _ in routes())
