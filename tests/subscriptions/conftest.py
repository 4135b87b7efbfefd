"""Bodies, followers and the mail settings the subscription tests share."""

import re

import pytest

from tests.factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory, UserFactory

SITE = "https://partnerships.example.org"


@pytest.fixture(autouse=True)
def _mail_and_tasks(settings, mailoutbox):
    # Tasks run at once, so an e-mail queued after commit is in the outbox when the test looks.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = SITE


@pytest.fixture
def board(db):
    """A board that meets in public."""
    return BodyFactory(name="Children's Trust Board", meets_in_public=True)


@pytest.fixture
def private_group(db):
    """A group whose meetings are closed to the public."""
    return BodyFactory(name="Safeguarding Case Review Group", meets_in_public=False)


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run a call and then its on-commit work, as a real request's commit would."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def member_of(body, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(seat=SeatFactory(body=body), person=PersonFactory(user=user))
    return user


def link(message, path_start: str) -> str:
    """The path of the first link in an e-mail that starts with the given path."""
    found = re.search(re.escape(SITE) + r"(" + re.escape(path_start) + r"\S+)", message.body)
    assert found, f"no {path_start} link in:\n{message.body}"
    return found.group(1)
