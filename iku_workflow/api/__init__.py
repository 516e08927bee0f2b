"""The read-only JSON API (``/api/v1``), authenticated by personal API tokens, described by OpenAPI 3.

flask-smorest generates ``/api/v1/openapi.json`` from the views' marshmallow schemas. The capability
installs one plain blueprint (``api``, no routes); registering it on an app creates that app's
flask-smorest ``Api`` and registers every blueprint of :data:`BLUEPRINTS` through it, so each app has its
own OpenAPI document. A new group of endpoints (e.g. the kabupaten's) is one more flask-smorest
blueprint in :data:`BLUEPRINTS`; what a user may see is decided in ``scope.visible_offices``.
"""
from __future__ import annotations

from flask import Blueprint, Flask
from flask_smorest import Api

from ..capability import Capability
from .errors import ErrorSchema
from .v1 import bp as v1_bp

#: the flask-smorest blueprints of the API, in the order of the document
BLUEPRINTS = (v1_bp,)

#: settings the app may override (flask-smorest reads them from app.config)
DEFAULTS = {
    "API_TITLE": "IKU Workflow API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "IKU_API_RATE_LIMIT": "300 per minute",
}

BEARER = {"type": "http", "scheme": "bearer",
          "description": "A personal API token, created on the account page (/akun)."}


class IkuApi(Api):
    """flask-smorest's Api without its app-wide HTTPException handler: the app's own handlers answer
    API addresses in JSON (``errors.is_api_request``), pages keep their HTML error page."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


def init_api(app: Flask) -> IkuApi:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    api = IkuApi(app, spec_kwargs={
        "info": {"description": "Read-only data of IKU Workflow. Send `Authorization: Bearer <token>`."},
        "security": [{"bearerAuth": []}],
    })
    api.spec.components.security_scheme("bearerAuth", BEARER)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.extensions["iku_api"] = api
    return api


setup_bp = Blueprint("api", __name__)
setup_bp.record_once(lambda state: init_api(state.app))

CAPABILITY = Capability(name="api", blueprints=(setup_bp,))
