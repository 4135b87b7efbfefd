import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_home_is_public_and_describes_the_service(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["service_name"] == "Partnership governance"
    assert b"Health and Wellbeing Board" in response.content
    assert b'href="/sign-in/"' in response.content


def test_home_names_the_signed_in_user_and_their_role(client, partnership_manager):
    client.force_login(partnership_manager)

    response = client.get(reverse("home"))

    assert response.context["roles"] == ["Partnership managers"]
    assert b"<strong>Priya" in response.content
    assert b"Sign out" in response.content


def test_accessibility_statement_is_public(client):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    assert b"Accessibility statement for Partnership governance" in response.content
    assert b"WCAG" in response.content


def test_every_page_carries_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert b"<script>" not in response.content


def test_unknown_page_is_a_404_in_the_service_look(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"<title>Page not found \xe2\x80\x93 Partnership governance</title>" in response.content
    assert b"govuk-footer" in response.content


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (defaults.permission_denied, 403, b"You cannot do that"),
        (defaults.server_error, 500, b"Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_render_in_the_service_look(view, status, heading):
    request = RequestFactory().get("/")
    kwargs = {"exception": PermissionError()} if status == 403 else {}

    response = view(request, **kwargs)

    assert response.status_code == status
    assert heading in response.content
    assert b"govuk-header" in response.content or b"govuk-generic-header" in response.content


def test_sign_in_with_the_right_password_goes_home(client, board_member):
    response = client.post(reverse("login"), {"username": "member", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("home")


def test_sign_in_with_a_wrong_password_shows_an_error_summary(client, board_member):
    response = client.post(reverse("login"), {"username": "member", "password": "wrong"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Error: Sign in – Partnership governance</title>" in content
    assert 'class="govuk-error-summary"' in content
    assert "Please enter a correct username and password" in content


def test_sign_out_ends_the_session(client, board_member):
    client.force_login(board_member)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, board_member):
    client.force_login(board_member)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-new-passphrase",
            "new_password2": "a-much-longer-new-passphrase",
        },
    )

    assert response.headers["Location"] == reverse("password_change_done")
    board_member.refresh_from_db()
    assert board_member.check_password("a-much-longer-new-passphrase")


def test_admin_works_for_a_superuser_under_the_service_name(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert b"Partnership governance" in response.content
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200


def test_admin_refuses_a_signed_in_non_staff_user(client, partnership_manager):
    client.force_login(partnership_manager)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))
