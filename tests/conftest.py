"""Fixtures shared by every test: the personas, and static files without a manifest."""

import pytest
from django.contrib.auth.models import Group

from partnerships.roles import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_storage(settings, tmp_path):
    # Uploaded papers and built packs go to a throwaway folder, never the checkout's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Production hashes static file names at collectstatic; tests serve the built files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _user_in(role, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def partnership_manager(db):
    return _user_in(Role.PARTNERSHIP_MANAGER, username="manager", first_name="Priya")


@pytest.fixture
def officer(db):
    """A democratic services officer."""
    return _user_in(Role.DEMOCRATIC_SERVICES, username="officer", first_name="Dan")


@pytest.fixture
def board_member(db):
    return _user_in(Role.BOARD_MEMBER, username="member", first_name="Morgan")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)
