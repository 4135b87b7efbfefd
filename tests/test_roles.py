import pytest
from django.contrib.auth.models import AnonymousUser, Group

from partnerships.roles import Role, has_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_migration_creates_the_three_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Partnership managers",
        "Democratic services",
        "Board members",
    }


def test_has_role_is_true_only_for_the_users_own_roles(partnership_manager):
    assert has_role(partnership_manager, Role.PARTNERSHIP_MANAGER)
    assert has_role(partnership_manager, Role.BOARD_MEMBER, Role.PARTNERSHIP_MANAGER)
    assert not has_role(partnership_manager, Role.DEMOCRATIC_SERVICES)


def test_has_role_is_false_for_anonymous_and_deactivated_users(board_member):
    board_member.is_active = False

    assert not has_role(AnonymousUser(), Role.BOARD_MEMBER)
    assert not has_role(board_member, Role.BOARD_MEMBER)


def test_superusers_have_every_role(superuser):
    assert has_role(superuser, Role.DEMOCRATIC_SERVICES)


def test_has_role_reads_the_groups_once_per_request(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):  # the user's group names
        has_role(user, Role.BOARD_MEMBER)
        has_role(user, Role.DEMOCRATIC_SERVICES)
