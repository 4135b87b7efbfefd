"""Whose names a roster shows: children and young people's only to the staff who keep rosters.

A person with `publish_name` off (a minor) appears as their seat with the name withheld on every
public channel: the roster page, its CSV and XLSX exports, and anything built on them.
"""

from partnerships.roles import Role, has_role

WITHHELD_NAME = "Name withheld"


def can_see_withheld_names(user) -> bool:
    """Partnership managers and democratic services (and superusers) see withheld names."""
    return has_role(user, Role.PARTNERSHIP_MANAGER, Role.DEMOCRATIC_SERVICES)


def shown_name(person, *, names_visible: bool) -> str:
    """The person's name as a roster shows it, or the withheld form."""
    if person.publish_name or names_visible:
        return person.full_name
    return WITHHELD_NAME
