from django import template

from ..services import may_follow

register = template.Library()


@register.filter
def followable_by(body, user) -> bool:
    """Whether to offer the user e-mails about the body (no query for a body meeting in public)."""
    return may_follow(user, body)
