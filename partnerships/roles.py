"""The three roles of the service, as Django groups, and what each may change.

The groups are created by a migration (partnerships/migrations/0001_roles.py). Their model
permissions are granted after every migrate from ROLE_PERMISSIONS, so a later app only adds
its models here. Which confidential items a person may read is not a group permission: it
follows their current membership of the body (the visibility layer in meetings/).
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models import TextChoices

from . import fragments


class Role(TextChoices):
    PARTNERSHIP_MANAGER = "Partnership managers"
    DEMOCRATIC_SERVICES = "Democratic services"
    BOARD_MEMBER = "Board members"


# role -> {"app_label.model": actions}. Models that do not exist yet are skipped.
EDIT = ("add", "change", "delete", "view")
VIEW = ("view",)
STRUCTURE_MODELS = [
    "partnerships.organisation",
    "partnerships.partnership",
    "partnerships.body",
    "partnerships.bodystatuschange",
    "partnerships.reportingline",
    "partnerships.termsofreference",
    "partnerships.torsection",
    "partnerships.priority",
    "partnerships.workarea",
]
MEMBERSHIP_MODELS = [
    "membership.constituency",
    "membership.person",
    "membership.seat",
    "membership.membership",
    "membership.substitute",
    "membership.interestdeclaration",
]

MEETING_MODELS = [
    "meetings.meeting",
    "meetings.agendaitem",
    "meetings.paper",
    "meetings.attendance",
    "meetings.declaration",
    "meetings.minutes",
    "meetings.minuteentry",
    "meetings.minutecorrection",
    "meetings.decision",
    "meetings.ratification",
    "meetings.action",
    "meetings.actionupdate",
]

REPORT_MODELS = [
    "reports.annualreport",
    "reports.reportline",
    "reports.indicator",
    "reports.escalation",
    "reports.fundingstream",
    "reports.fundingallocation",
    "reports.supportpost",
    "reports.pooledfundagreement",
    "reports.poolshare",
]

ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    # Partnership managers own the structure: bodies, lines, terms of reference, priorities.
    # Partnership managers also keep the rosters.
    Role.PARTNERSHIP_MANAGER: dict.fromkeys(
        STRUCTURE_MODELS + MEMBERSHIP_MODELS + MEETING_MODELS + REPORT_MODELS, EDIT
    ),
    # Democratic services read the structure, keep organisations' names right, and keep the
    # registers of interests and people's details they take at meetings.
    Role.DEMOCRATIC_SERVICES: {
        **dict.fromkeys(STRUCTURE_MODELS + MEMBERSHIP_MODELS + REPORT_MODELS, VIEW),
        "partnerships.organisation": EDIT,
        "membership.person": EDIT,
        "membership.interestdeclaration": EDIT,
        # Democratic services run the meetings.
        **dict.fromkeys(MEETING_MODELS, EDIT),
    },
    # Board members read; they update progress on their own actions through the action pages.
    Role.BOARD_MEMBER: dict.fromkeys(
        STRUCTURE_MODELS + MEMBERSHIP_MODELS + MEETING_MODELS + REPORT_MODELS, VIEW
    ),
}


def has_role(user, *roles: str) -> bool:
    """Whether the user is active and in at least one of the roles. Superusers have every role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_role_names"):
        # Kept until the groups change (partnerships/fragments.py): asked on every page.
        user._role_names = fragments.cached(
            "roles", (user.pk,), lambda: frozenset(user.groups.values_list("name", flat=True))
        )
    return any(role in user._role_names for role in roles)


def grant_role_permissions(*, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """Give each role group exactly the model permissions listed in ROLE_PERMISSIONS.

    Runs after every migrate (and after a test database is flushed, which empties the groups the
    migration made, hence the get_or_create).
    """
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:
        return
    for role, models in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.using(using).get_or_create(name=role)
        wanted = permission_model.objects.none()
        for label, actions in models.items():
            app_label, model = label.split(".")
            wanted = wanted | permission_model.objects.using(using).filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        group.permissions.set(wanted)
