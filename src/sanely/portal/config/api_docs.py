"""
The API documentation page, drawn by the portal's own templates from the cached OpenAPI
description: every operation with its method, path, summary, parameters, request and response
shapes and error answers. Swagger UI's page was not accessible (no language, low-contrast text,
controls inside controls) and needed script; this page needs none.
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .api import api

_REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool
    where: str = ""


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    shape: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field]
    body: str
    body_fields: list[Field]
    answers: list[Answer]
    errors: list[Answer]


@dataclass(frozen=True)
class Section:
    name: str
    operations: list[Operation] = field(default_factory=list)


def _kind(schema: dict[str, Any]) -> str:
    """A schema's type in a few words: a shape's name, a list of something, or a plain type."""
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).removeprefix(_REF_PREFIX)
    if schema.get("type") == "array":
        return f"list of {_kind(schema.get('items', {}))}"
    if "anyOf" in schema:
        return " or ".join(_kind(option) for option in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    kind = str(schema.get("type", "any value"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _json_schema(content: dict[str, Any]) -> dict[str, Any]:
    """The schema of an answer's or a body's first media type; empty when it has no body."""
    for media in content.values():
        return dict(media.get("schema", {}))
    return {}


def _fields(shape: str, components: dict[str, Any]) -> list[Field]:
    schema = components.get(shape, {})
    required = set(schema.get("required", []))
    return [
        Field(name, _kind(prop), name in required)
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(
    method: str, path: str, spec: dict[str, Any], components: dict[str, Any]
) -> Operation:
    body_schema = _json_schema(spec.get("requestBody", {}).get("content", {}))
    body = _kind(body_schema) if body_schema else ""
    answers = [
        Answer(
            str(status),
            answer.get("description", ""),
            _kind(_json_schema(answer.get("content", {}))),
        )
        for status, answer in spec.get("responses", {}).items()
    ]
    return Operation(
        method=method.upper(),
        path=path,
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        parameters=[
            Field(p["name"], _kind(p.get("schema", {})), bool(p.get("required")), p["in"])
            for p in spec.get("parameters", [])
        ],
        body=body,
        body_fields=_fields(body, components) if "$ref" in body_schema else [],
        answers=[answer for answer in answers if not answer.status.startswith("4")],
        errors=[answer for answer in answers if answer.status.startswith("4")],
    )


def sections(schema: dict[str, Any]) -> list[Section]:
    """The operations of an OpenAPI description, grouped by their first tag, in path order."""
    components = schema.get("components", {}).get("schemas", {})
    grouped: dict[str, Section] = {}
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            tag = (spec.get("tags") or ["other"])[0]
            section = grouped.setdefault(tag, Section(tag))
            section.operations.append(_operation(method, path, spec, components))
    return list(grouped.values())


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    return render(
        request,
        "web/api_docs.html",
        {
            "title": "API documentation",
            "info": schema["info"],
            "sections": sections(schema),
            "shapes": {name: _fields(name, components) for name in sorted(components)},
        },
    )
