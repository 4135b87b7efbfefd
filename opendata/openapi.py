"""The OpenAPI 3.1 description of the API, served at /api/v1/schema/.

The objects are Popolo's: the schemas here name the fields we fill and point at the Popolo
specification for the rest, since Popolo's own schemas are JSON Schema draft-03, which OpenAPI
cannot embed.
"""

POPOLO = "http://www.popoloproject.com/specs/"

_text = {"type": ["string", "null"]}
_date = {"type": ["string", "null"], "description": "YYYY, YYYY-MM or YYYY-MM-DD"}
_date_time = {"type": ["string", "null"], "format": "date-time"}
_ref_id = {"type": ["string", "null"], "description": 'An id such as "body/12"'}
_link = {
    "type": "object",
    "required": ["url"],
    "properties": {"url": {"type": "string", "format": "uri"}, "note": _text},
}
_links = {"type": "array", "items": _link}
_names = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "note": _text},
    },
}
_identifiers = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["identifier"],
        "properties": {"identifier": {"type": "string"}, "scheme": _text},
    },
}
_stamps = {"created_at": _date_time, "updated_at": _date_time}


def _schema(title: str, spec: str, properties: dict, description: str) -> dict:
    return {
        "type": "object",
        "title": title,
        "description": description,
        "externalDocs": {"url": f"{POPOLO}{spec}.html"},
        "required": ["id"],
        "properties": {"id": {"type": "string"}, **properties, **_stamps},
    }


SCHEMAS = {
    "Organization": _schema(
        "Organization",
        "organization",
        {
            "name": _text,
            "other_names": _names,
            "identifiers": _identifiers,
            "classification": {
                **_text,
                "description": '"partnership", a body kind such as "trust_board", '
                'or an organisation kind such as "local_authority"',
            },
            "parent_id": _ref_id,
            "description": _text,
            "founding_date": _date,
            "dissolution_date": _date,
            "links": _links,
        },
        "A partnership, a body of a partnership, or a partner organisation",
    ),
    "Person": _schema(
        "Person",
        "person",
        {
            "name": _text,
            "honorific_prefix": _text,
            "sort_name": _text,
            "other_names": _names,
            "email": {**_text, "description": "Only for the staff who keep the rosters"},
            "summary": {**_text, "description": "Job title"},
            "links": _links,
        },
        "Someone who sits on, advises or attends a body. People whose names are withheld "
        "(children and young people) are left out for the public.",
    ),
    "Post": _schema(
        "Post",
        "post",
        {
            "label": _text,
            "role": _text,
            "organization_id": _ref_id,
            "start_date": _date,
            "end_date": {**_date, "description": "The last day the seat existed"},
        },
        "A seat on a body, held or vacant",
    ),
    "Membership": _schema(
        "Membership",
        "membership",
        {
            "label": _text,
            "role": _text,
            "person_id": {
                **_ref_id,
                "description": "Empty for a rotation seat, and for the public when the "
                "holder's name is withheld",
            },
            "organization_id": _ref_id,
            "post_id": _ref_id,
            "on_behalf_of_id": _ref_id,
            "start_date": _date,
            "end_date": {**_date, "description": "The last day of the holding"},
        },
        "Someone holding a seat for a time",
    ),
    "Event": _schema(
        "Event",
        "event",
        {
            "name": _text,
            "description": _text,
            "identifiers": _identifiers,
            "classification": {
                **_text,
                "description": 'A meeting kind, or "agenda_item:<kind>" for an item',
            },
            "status": _text,
            "start_date": _date_time,
            "end_date": _date_time,
            "location": _text,
            "organization_id": _ref_id,
            "parent_id": _ref_id,
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
            "exempt": {
                "type": "boolean",
                "description": "Agenda items only: exempt from publication; only members "
                "and staff ever receive these",
            },
            "sources": _links,
        },
        "A meeting, with its agenda items (and their sub-items) as child events",
    ),
}


def _page(schema: str) -> dict:
    return {
        "type": "object",
        "required": ["count", "page", "pages", "per_page", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "per_page": {"type": "integer"},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}},
        },
    }


LISTS = {
    "organizations": ("Organization", "Partnerships, their bodies, and partner organisations"),
    "people": ("Person", "People"),
    "posts": ("Post", "Seats on bodies"),
    "memberships": ("Membership", "Holdings of seats, past and present"),
    "events": ("Event", "Meetings with their agenda items"),
}

PARAMETERS = {
    "page": {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    "per_page": {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100},
    },
    "updated_since": {
        "name": "updated_since",
        "in": "query",
        "description": "Only objects changed at or after this ISO 8601 date or date and time",
        "schema": {"type": "string"},
    },
}


def _operation(name: str, schema: str, summary: str) -> dict:
    return {
        "get": {
            "operationId": f"list_{name}",
            "summary": summary,
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in PARAMETERS],
            "responses": {
                "200": {
                    "description": f"A page of {name}",
                    "headers": {
                        "ETag": {"schema": {"type": "string"}},
                        "Last-Modified": {"schema": {"type": "string"}},
                    },
                    "content": {"application/json": {"schema": _page(schema)}},
                },
                "304": {"description": "Not modified since the ETag or date you sent"},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "404": {"$ref": "#/components/responses/NoSuchPage"},
            },
        }
    }


ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}},
}


def document(*, server: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Partnership governance open data API",
            "version": "1",
            "description": "Read-only. The public record of partnerships, bodies, seats, "
            "memberships and meetings in Popolo form; signed-in users see more, as on the "
            "pages. Popolo is © the Popolo Project, CC BY 4.0.",
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": {
            f"/{name}/": _operation(name, schema, summary)
            for name, (schema, summary) in LISTS.items()
        },
        "components": {
            "schemas": {**SCHEMAS, "Error": ERROR},
            "parameters": PARAMETERS,
            "responses": {
                "BadRequest": {
                    "description": "A parameter was not understood",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "NoSuchPage": {
                    "description": "The page is past the last one",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        },
    }
