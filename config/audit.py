"""Who and why for the audit trail: the request context attached to every recorded change.

`AuditContextMiddleware` opens one django-pghistory context per request (user, path, method);
the database triggers on governance records store it with each change. Services add why with
`reason("…")`.
"""

import pghistory
from django.db import connection
from django.utils.functional import empty
from pghistory.middleware import HistoryMiddleware

# Methods that change things: for these the user is always resolved before the view runs.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _user_id(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user._meta.pk.get_db_prep_value(user.pk, connection)


def _resolved(request):
    """The user if the authentication middleware has already loaded it, without loading it."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if getattr(user, "_wrapped", None) is empty:
        return None
    return user


class AuditContextMiddleware(HistoryMiddleware):
    """Tag the request's database changes with who made them, from where.

    Loading the user costs the session and user queries, so a read is tagged only once something
    else (LoginRequiredMiddleware, the view) has loaded it; a write always is.
    """

    def get_context(self, request):
        return {
            "user": _user_id(_resolved(request)),
            "url": request.path,
            "method": request.method,
        }

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user if request.method in WRITE_METHODS else _resolved(request)
        if user is not None:
            pghistory.context(user=_user_id(user))


def reason(text: str) -> pghistory.context:
    """Record why the changes inside the block were made: `with reason("Chair resigned"): …`."""
    return pghistory.context(reason=text)
