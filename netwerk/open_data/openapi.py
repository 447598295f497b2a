"""The OpenAPI 3.1 description of the open data API (served at /api/v1/openapi.json).

The objects are described by reference to the HSDS 3.0 schemas (`externalDocs`) with their
required fields here, so that the description validates without fetching anything.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from netwerk.open_data.hsds import HSDS_VERSION, Context
from netwerk.open_data.parameters import MAX_PER_PAGE, MAX_SEARCH_LENGTH

API_VERSION = "1.0.0"
HSDS_SCHEMAS = "https://github.com/openreferral/specification/tree/3.0/schema"


def _parameter(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _parameters() -> dict:
    uuid = {"type": "string", "format": "uuid"}
    return {
        "search": _parameter(
            "search",
            _("Zoektekst: naam, omschrijving, expertise en plaats, zoals de zoekpagina zoekt."),
            {"type": "string", "maxLength": MAX_SEARCH_LENGTH},
        ),
        "taxonomy_term_id": _parameter(
            "taxonomy_term_id",
            _("Alleen wat bij deze term hoort (expertise, soort, zorgsetting, doel)."),
            uuid,
        ),
        "taxonomy_id": _parameter("taxonomy_id", _("Alleen de termen van deze taxonomie."), uuid),
        "organization_id": _parameter(
            "organization_id", _("Alleen de diensten van deze organisatie."), uuid
        ),
        "postcode": _parameter(
            "postcode",
            _(
                "Een Nederlandse postcode (3511 of 3511 AB): wat iemand daar kan helpen "
                "(organisaties die de gemeente bedienen, lijnen voor dat gebied)."
            ),
            {"type": "string"},
        ),
        "region": _parameter(
            "region",
            _(
                "De slug van een regio van het netwerk: wat daarin ligt (organisaties met een "
                "vestiging of werkgebied in de regio, lijnen voor de regio)."
            ),
            {"type": "string"},
        ),
        "modified_after": _parameter(
            "modified_after",
            _(
                "Alleen wat op of na dit moment (ISO 8601; zonder zone Nederlandse tijd) "
                "is gewijzigd."
            ),
            {"type": "string"},
        ),
        "page": _parameter("page", _("Paginanummer, vanaf 1."), {"type": "integer", "minimum": 1}),
        "per_page": _parameter(
            "per_page",
            _("Aantal per pagina (standaard 50)."),
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        ),
    }


def _object(name: str, required: list[str]) -> dict:
    return {
        "type": "object",
        "required": required,
        "description": f"HSDS {HSDS_VERSION} {name}",
        "externalDocs": {"url": f"{HSDS_SCHEMAS}/{name}.json"},
    }


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _page_of(name: str) -> dict:
    return {
        "allOf": [
            {"$ref": "#/components/schemas/Page"},
            {
                "type": "object",
                "properties": {
                    "contents": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}
                },
            },
        ]
    }


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "429": {"$ref": "#/components/responses/TooManyRequests"},
}


def _list(summary: str, name: str, parameters: list[str]) -> dict:
    return {
        "get": {
            "summary": summary,
            "operationId": f"list{name}",
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameters],
            "responses": {"200": _json(_page_of(name), summary), **ERRORS},
        }
    }


def _detail(summary: str, name: str) -> dict:
    return {
        "parameters": [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
            }
        ],
        "get": {
            "summary": summary,
            "operationId": f"get{name}",
            "responses": {
                "200": _json({"$ref": f"#/components/schemas/{name}"}, summary),
                "404": {"$ref": "#/components/responses/NotFound"},
                **ERRORS,
            },
        },
    }


def openapi_document(context: Context) -> dict:
    common = [
        "search",
        "taxonomy_term_id",
        "postcode",
        "region",
        "modified_after",
        "page",
        "per_page",
    ]
    error = {
        "type": "object",
        "required": ["error", "status"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("Open data van %(network)s") % {"network": settings.NETWORK_NAME},
            "version": API_VERSION,
            "summary": _("De sociale kaart als HSDS %(version)s") % {"version": HSDS_VERSION},
            "description": _(
                "Alleen-lezen API in de vorm van de Open Referral Human Services Data "
                "Specification (HSDS) %(version)s. Alleen wat openbaar is: gepubliceerde "
                "organisaties, hun plekken, lijnen voor iedereen en contactpersonen met "
                "toestemming. Uitleg: %(page)s"
            )
            % {"version": HSDS_VERSION, "page": context.url("/open-data/")},
            "contact": {"email": settings.NETWORK_CONTACT_EMAIL},
            "license": {
                "name": settings.OPEN_DATA_LICENCE_NAME,
                "url": settings.OPEN_DATA_LICENCE_URL,
            },
        },
        "servers": [{"url": context.url("/api/v1")}],
        "paths": {
            "/": {
                "get": {
                    "summary": _("Over deze API en de HSDS-versie"),
                    "operationId": "getAPIMetaInformation",
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Meta"}, _("Over deze API"))
                    },
                }
            },
            "/organizations": _list(
                _("Organisaties"),
                "Organization",
                common,
            ),
            "/organizations/{id}": _detail(_("Eén organisatie met haar diensten"), "Organization"),
            "/services": _list(
                _("Diensten: plekken en lijnen"), "Service", [*common, "organization_id"]
            ),
            "/services/{id}": _detail(_("Eén dienst"), "Service"),
            "/service_at_locations": _list(
                _("Plekken op hun vestiging"), "ServiceAtLocation", [*common, "organization_id"]
            ),
            "/taxonomies": _list(_("Taxonomieën"), "Taxonomy", ["search", "page", "per_page"]),
            "/taxonomies/{id}": _detail(_("Eén taxonomie"), "Taxonomy"),
            "/taxonomy_terms": _list(
                _("Termen"), "TaxonomyTerm", ["search", "taxonomy_id", "page", "per_page"]
            ),
            "/taxonomy_terms/{id}": _detail(_("Eén term"), "TaxonomyTerm"),
        },
        "components": {
            "parameters": _parameters(),
            "schemas": {
                "Meta": {
                    "type": "object",
                    "required": ["version"],
                    "properties": {
                        "version": {"type": "string"},
                        "profile": {"type": "string", "format": "uri"},
                        "openapi_url": {"type": "string", "format": "uri"},
                        "description": {"type": "string"},
                        "publisher": {"type": "object"},
                    },
                },
                "Page": {
                    "type": "object",
                    "required": [
                        "total_items",
                        "total_pages",
                        "page_number",
                        "size",
                        "first_page",
                        "last_page",
                        "empty",
                        "contents",
                    ],
                    "properties": {
                        "total_items": {"type": "integer"},
                        "total_pages": {"type": "integer"},
                        "page_number": {"type": "integer"},
                        "size": {"type": "integer"},
                        "first_page": {"type": "boolean"},
                        "last_page": {"type": "boolean"},
                        "empty": {"type": "boolean"},
                        "contents": {"type": "array"},
                    },
                },
                "Organization": _object("organization", ["id", "name", "description"]),
                "Service": _object("service", ["id", "name", "status"]),
                "ServiceAtLocation": _object("service_at_location", ["id"]),
                "Taxonomy": _object("taxonomy", ["id", "name", "description"]),
                "TaxonomyTerm": _object("taxonomy_term", ["id", "name", "description"]),
                "Error": error,
            },
            "responses": {
                "BadRequest": _json(
                    {"$ref": "#/components/schemas/Error"},
                    _("Een parameter met een onbruikbare waarde (de melding is Nederlands)."),
                ),
                "NotFound": _json({"$ref": "#/components/schemas/Error"}, _("Niet gevonden.")),
                "TooManyRequests": _json(
                    {"$ref": "#/components/schemas/Error"}, _("Te veel verzoeken van dit adres.")
                ),
            },
        },
    }
