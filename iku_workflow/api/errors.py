"""Errors of the JSON API: every refusal under ``/api/`` is a JSON object, never the HTML error page.

The app's error handlers (``iku_workflow/__init__.py``) ask :func:`is_api_request` and answer with
:func:`json_error` there, so a 404 of an unknown address, a 405, a 429 of the rate limit or a 500 under
``/api/`` have the same shape as the API's own 401 (``ErrorSchema``).
"""
from __future__ import annotations

import marshmallow as ma
from flask import has_request_context, jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.http import HTTP_STATUS_CODES

#: every address of the API starts with this
API_PREFIX = "/api/"

#: where the pages' message speaks of pages and forms, the API says it in its own terms
API_MESSAGES = {
    405: _l("Metode HTTP ini tidak diterima; API ini hanya dapat dibaca (GET)."),
}


class ErrorSchema(ma.Schema):
    """An error: the HTTP status, its name and what went wrong (in the request's language)."""

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status code", "example": 401})
    status = ma.fields.String(required=True, metadata={"description": "HTTP status name", "example": "Unauthorized"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong"})


def is_api_request() -> bool:
    return has_request_context() and (request.path + "/").startswith(API_PREFIX)


def json_error(code: int, message: str, headers: dict[str, str] | None = None):
    """The (response, status) of an API error."""
    message = API_MESSAGES.get(code, message)
    response = jsonify({"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"), "message": str(message)})
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response, code
