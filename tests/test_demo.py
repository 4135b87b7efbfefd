import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from config.demo import DEMO_PASSWORD
from partnerships.roles import Role, has_role

pytestmark = pytest.mark.django_db


def test_load_demo_creates_one_login_per_role_and_prints_them(capsys):
    call_command("load_demo", allow_production=True)

    users = {user.username: user for user in get_user_model().objects.all()}
    assert has_role(users["manager"], Role.PARTNERSHIP_MANAGER)
    assert has_role(users["officer"], Role.DEMOCRATIC_SERVICES)
    assert has_role(users["member"], Role.BOARD_MEMBER)
    assert not has_role(users["member"], Role.DEMOCRATIC_SERVICES)
    assert users["admin"].is_superuser
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())
    printed = capsys.readouterr().out
    assert "manager    Partnership managers" in printed
    assert f"Every demo login has the password: {DEMO_PASSWORD}" in printed


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", allow_production=True)
    before = list(get_user_model().objects.order_by("pk").values())

    call_command("load_demo", allow_production=True)

    assert list(get_user_model().objects.order_by("pk").values()) == before


def test_load_demo_refuses_a_production_configuration(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()
