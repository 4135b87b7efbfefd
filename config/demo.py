"""The demo world: one login per role, and the partnerships of the seed papers.

Each app adds its part of the world here as its models arrive. Every step is idempotent:
running `load_demo` again changes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from partnerships.roles import Role

DEMO_PASSWORD = "demo-partnership-2026"  # noqa: S105  # nosec B105  # for demo logins only


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    role: str
    is_superuser: bool = False


DEMO_LOGINS = [
    DemoLogin("manager", "Priya", "Shah", Role.PARTNERSHIP_MANAGER),
    DemoLogin("officer", "Dan", "Okafor", Role.DEMOCRATIC_SERVICES),
    DemoLogin("member", "Morgan", "Ellis", Role.BOARD_MEMBER),
    DemoLogin("admin", "Alex", "Morgan", "Administrator (admin site)", is_superuser=True),
]


def load_logins() -> list[DemoLogin]:
    user_model = get_user_model()
    for login in DEMO_LOGINS:
        user, created = user_model.objects.get_or_create(
            username=login.username,
            defaults={
                "first_name": login.first_name,
                "last_name": login.last_name,
                "email": f"{login.username}@example.org",
                "is_staff": login.is_superuser,
                "is_superuser": login.is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if not login.is_superuser:
            user.groups.add(Group.objects.get(name=login.role))
    return DEMO_LOGINS


def load_world() -> list[DemoLogin]:
    from meetings import demo as meetings_demo
    from membership import demo as membership_demo
    from partnerships import demo as partnerships_demo
    from reports import demo as reports_demo

    logins = load_logins()
    partnerships_demo.load()
    membership_demo.load()
    meetings_demo.load()
    reports_demo.load()
    return logins
