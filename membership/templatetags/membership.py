from django import template

from ..visibility import shown_name

register = template.Library()


@register.filter
def holder_name(membership, names_visible: bool) -> str:
    """The holder as this viewer may see them: children's names are withheld from the public."""
    if membership.person is None:
        return f"{membership.organisation} (in rotation)"
    return shown_name(membership.person, names_visible=names_visible)


@register.filter
def person_name(person, names_visible: bool) -> str:
    return shown_name(person, names_visible=names_visible)
