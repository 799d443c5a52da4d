"""The API as a client sees it: every answer a test receives is checked against the
API's own OpenAPI schema, for its path, status and content type."""

import json
import re
from functools import cache

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_URI = "urn:filmdb-api"


@cache
def _openapi() -> dict:
    from filmdb.api.urls import api

    # As /api/v1/openapi.json serves it (JSON: status codes are strings).
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def check_against_schema(method: str, path: str, response) -> None:
    """Fail unless the schema documents this answer, its required headers are there and
    its body matches."""
    spec = _openapi()
    path = path.partition("?")[0]
    template = next(
        (
            template
            for template in spec["paths"]
            if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), path)
        ),
        None,
    )
    assert template, f"{path} is not in the schema"
    documented = spec["paths"][template][method.lower()]["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method} {path}: {status} is not documented"
    for name, header in documented[status].get("headers", {}).items():
        assert not header.get("required") or name in response, f"{path} {status}: no {name}"
    content = documented[status].get("content")
    if not content:
        return
    media_type = response["Content-Type"].split(";")[0]
    assert media_type in content, f"{method} {path} {status}: {media_type} is not documented"
    registry = Registry().with_resource(SCHEMA_URI, Resource(spec, specification=DRAFT202012))
    pointer = _pointer("paths", template, method.lower(), "responses", status, "content")
    schema = {"$ref": f"{SCHEMA_URI}#/{pointer}/{_pointer(media_type)}/schema"}
    Draft202012Validator(schema, registry=registry).validate(json.loads(response.content))


@pytest.fixture
def api_get(client):
    """GET an API path as an anonymous client (from `REMOTE_ADDR`, 127.0.0.1 unless told
    otherwise); the answer is checked against the schema."""

    def get(path: str, data=None, headers=None, **extra):
        response = client.get(path, data, headers=headers, **extra)
        check_against_schema("GET", path, response)
        return response

    return get
