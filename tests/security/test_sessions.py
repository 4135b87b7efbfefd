"""Signing in and staying signed in: rate limit, time limits, two factors, headers and cookies."""

import json
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.factories import PASSWORD, UserFactory
from tests.test_settings import PRODUCTION, manage

SIGN_IN = "/sign-in/"
PRIVATE = "/account/password/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Each sign-in through the form hashes a password, and the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, user, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": user.username, "password": password}, **extra)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def age_session(client, **seconds_ago):
    session = client.session
    for key, seconds in seconds_ago.items():
        session[key] = int(time.time()) - seconds
    session.save()


def current_code(device):
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token())


# Headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", SIGN_IN, PRIVATE, "/no-such-page/"])
def test_every_page_enforces_a_content_security_policy_without_inline_code(client, officer, url):
    client.force_login(officer)

    response = client.get(url)

    assert "Content-Security-Policy-Report-Only" not in response.headers
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self'")
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", SIGN_IN])
def test_pages_forbid_framing_sniffing_and_cross_site_referrers(client, db, url):
    response = client.get(url)

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture(scope="module")
def production_settings():
    """The transport and cookie settings as a production process reads them from its environment."""
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_AGE",
        "SESSION_IDLE_TIMEOUT",
        "SESSION_SAVE_EVERY_REQUEST",
    ]
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = manage("shell", "--no-imports", "-c", script, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_sends_everything_over_https_for_a_year(production_settings):
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True


def test_production_limits_sessions_to_8_hours_and_30_idle_minutes(production_settings):
    assert production_settings["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert production_settings["SESSION_IDLE_TIMEOUT"] == 30 * 60
    assert production_settings["SESSION_SAVE_EVERY_REQUEST"] is False


def test_under_production_settings_plain_http_is_redirected_to_https(
    settings, production_settings, db
):
    for name, value in production_settings.items():
        setattr(settings, name, value)

    response = Client().get("/")

    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/"


def test_under_production_settings_https_pages_send_hsts(settings, production_settings, db):
    for name, value in production_settings.items():
        setattr(settings, name, value)

    response = Client().get("/", secure=True)

    assert (
        response.headers["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )


def test_under_production_settings_the_cookies_are_secure_host_only_and_same_site(
    settings, production_settings, db
):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    form = client.get(SIGN_IN, secure=True)
    csrf = form.cookies["__Host-csrftoken"]

    response = client.post(
        SIGN_IN,
        {
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf.value,
        },
        secure=True,
        headers={"referer": "https://testserver/sign-in/"},
    )

    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["path"] == "/"
    assert session["domain"] == ""
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert csrf["path"] == "/"


# Rate limit ------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_out_of_that_address(client, db):
    user = UserFactory()
    for _ in range(4):
        response = sign_in(client, user, password="wrong-password")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content

    fifth = sign_in(client, user, password="wrong-password")
    sixth = sign_in(client, user)

    for response in (fifth, sixth):
        assert response.status_code == 429
        assert "registration/locked_out.html" in [t.name for t in response.templates]
        assert b"Too many attempts to sign in: try again in 15 minutes" in response.content
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_for_that_username_from_that_address_only(client, db):
    user = UserFactory()
    other = UserFactory()
    for _ in range(5):
        sign_in(client, user, password="wrong-password")

    elsewhere = sign_in(Client(), user, REMOTE_ADDR="192.0.2.10")
    other_account = sign_in(Client(), other)

    assert elsewhere.status_code == 302
    assert other_account.status_code == 302


def test_a_lockout_ends_after_15_minutes(client, db):
    user = UserFactory()
    for _ in range(5):
        sign_in(client, user, password="wrong-password")
    assert sign_in(client, user).status_code == 429

    attempt = AccessAttempt.objects.get()
    attempt.attempt_time -= timedelta(minutes=15, seconds=1)
    attempt.save()
    response = sign_in(client, user)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signing_in_clears_earlier_failures(client, db):
    user = UserFactory()
    for _ in range(4):
        sign_in(client, user, password="wrong-password")
    sign_in(client, user)
    client.post("/sign-out/")

    for _ in range(4):
        response = sign_in(client, user, password="wrong-password")

    assert response.status_code == 200


def test_the_admin_has_no_sign_in_form_of_its_own(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in/?next=%2Fadmin%2F"


# Sessions ---------------------------------------------------------------------------------------


def test_signing_in_starts_a_new_session_with_its_clocks(client, db):
    user = UserFactory()
    client.get(SIGN_IN)
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None

    sign_in(client, user)

    assert client.session.session_key != before
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 5
    assert client.session[LAST_SEEN_AT] == client.session[SIGNED_IN_AT]


def test_after_30_idle_minutes_the_next_request_signs_out(client, db):
    user = UserFactory()
    sign_in(client, user)
    session_key = client.session.session_key
    age_session(client, **{LAST_SEEN_AT: 30 * 60 + 1})

    response = client.get(PRIVATE, follow=True)

    assert response.redirect_chain == [(f"{SIGN_IN}?next={PRIVATE}", 302)]
    assert messages_of(response) == [
        "You were signed out because you had not used the service for 30 minutes. Sign in again."
    ]
    assert not Session.objects.filter(session_key=session_key).exists()


def test_within_30_minutes_a_request_keeps_the_session_alive(client, db):
    user = UserFactory()
    sign_in(client, user)
    age_session(client, **{LAST_SEEN_AT: 29 * 60})

    response = client.get(PRIVATE)

    assert response.status_code == 200
    assert abs(client.session[LAST_SEEN_AT] - time.time()) < 5


def test_requests_within_a_minute_do_not_write_the_session(client, db, django_assert_num_queries):
    user = UserFactory()
    sign_in(client, user)

    # session, user, the user's roles (home page); no session write
    with django_assert_num_queries(3):
        response = client.get("/")

    assert "sessionid" not in response.cookies


def test_after_8_hours_the_session_ends_however_busy(client, db):
    user = UserFactory()
    sign_in(client, user)
    age_session(client, **{SIGNED_IN_AT: 8 * 60 * 60 + 1, LAST_SEEN_AT: 60})

    response = client.get(PRIVATE, follow=True)

    assert response.redirect_chain == [(f"{SIGN_IN}?next={PRIVATE}", 302)]
    assert messages_of(response) == [
        "You were signed out because you signed in more than 8 hours ago. Sign in again."
    ]


def test_activity_does_not_move_the_absolute_limit(client, db):
    user = UserFactory()
    sign_in(client, user)
    age_session(client, **{SIGNED_IN_AT: 4 * 60 * 60, LAST_SEEN_AT: 20 * 60})
    signed_in_at = client.session[SIGNED_IN_AT]

    client.get(PRIVATE)

    assert client.session[SIGNED_IN_AT] == signed_in_at


def test_signing_out_deletes_the_session(client, db):
    user = UserFactory()
    sign_in(client, user)
    session_key = client.session.session_key

    client.post("/sign-out/")

    assert not Session.objects.filter(session_key=session_key).exists()


def test_changing_the_password_signs_out_every_other_session(db):
    user = UserFactory()
    laptop, phone = Client(), Client()
    sign_in(laptop, user)
    sign_in(phone, user)
    old_key = laptop.session.session_key

    response = laptop.post(
        PRIVATE,
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )

    assert response.headers["Location"] == "/account/password/done/"
    assert laptop.session.session_key != old_key
    assert laptop.get(PRIVATE).status_code == 200
    assert phone.get(PRIVATE).headers["Location"] == f"{SIGN_IN}?next={PRIVATE}"


# Two-factor authentication ------------------------------------------------------------------------


@pytest.fixture
def officer_with_app(officer):
    return TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)


def test_with_an_app_set_up_the_password_alone_does_not_sign_in(client, officer_with_app):
    sign_in(client, officer_with_app.user)

    response = client.get(PRIVATE)

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in/two-factor/?next=%2Faccount%2Fpassword%2F"
    assert client.get("/admin/").headers["Location"].startswith("/sign-in/two-factor/")


def test_a_wrong_code_is_refused(client, officer_with_app):
    sign_in(client, officer_with_app.user)

    response = client.post("/sign-in/two-factor/", {"code": "000000", "next": PRIVATE})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": ["The code is wrong or has run out: enter the code your app shows now"]
    }
    assert client.get(PRIVATE).status_code == 302


def test_the_code_from_the_app_completes_signing_in(client, officer_with_app):
    sign_in(client, officer_with_app.user)
    key_after_password = client.session.session_key

    response = client.post(
        "/sign-in/two-factor/", {"code": current_code(officer_with_app), "next": PRIVATE}
    )

    assert response.headers["Location"] == PRIVATE
    assert client.session.session_key != key_after_password
    assert client.get(PRIVATE).status_code == 200


def test_the_code_page_refuses_to_send_people_to_another_site(client, officer_with_app):
    sign_in(client, officer_with_app.user)

    response = client.post(
        "/sign-in/two-factor/",
        {"code": current_code(officer_with_app), "next": "https://evil.example/"},
    )

    assert response.headers["Location"] == "/"


def test_an_officer_sets_up_an_app_with_a_key_and_a_link(client, officer):
    client.force_login(officer)

    response = client.get("/account/two-factor/")

    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert response.context["config_url"].startswith("otpauth://totp/Partnership%20governance%3A")
    assert response.context["secret"].replace(" ", "") in response.context["config_url"]
    assert "issuer=Partnership%20governance" in response.context["config_url"]
    assert device.name == "Authenticator app"

    response = client.post(
        "/account/two-factor/", {"password": PASSWORD, "code": current_code(device)}
    )

    assert response.headers["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed


def test_setting_up_an_app_asks_for_the_password(client, officer):
    client.force_login(officer)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=officer)

    response = client.post(
        "/account/two-factor/", {"password": "wrong-password", "code": current_code(device)}
    )

    assert response.context["form"].errors == {"password": ["Your password is wrong"]}
    device.refresh_from_db()
    assert not device.confirmed


def test_board_members_are_not_offered_an_app(client, board_member):
    client.force_login(board_member)

    # The page is for staff: others are refused with 403, as every staff-only page does.
    assert client.get("/account/two-factor/").status_code == 403


def test_a_second_app_cannot_be_added_before_the_code_for_the_first(client, officer_with_app):
    sign_in(client, officer_with_app.user)

    response = client.get("/account/two-factor/")

    assert response.headers["Location"].startswith("/sign-in/two-factor/")
    assert TOTPDevice.objects.count() == 1


def test_when_required_officers_must_set_up_an_app_before_anything_else(
    client, settings, officer, board_member
):
    settings.REQUIRE_2FA_FOR_STAFF = True
    sign_in(client, officer)

    response = client.get(PRIVATE)

    assert response.headers["Location"] == "/account/two-factor/?next=%2Faccount%2Fpassword%2F"
    assert client.get("/account/two-factor/").context["required"] is True
    member = Client()
    sign_in(member, board_member)
    assert member.get(PRIVATE).status_code == 200


def test_by_default_officers_need_not_set_up_an_app(client, officer):
    sign_in(client, officer)

    assert client.get(PRIVATE).status_code == 200


def test_behind_the_proxy_a_lockout_is_for_the_address_the_proxy_saw(client, settings, db):
    settings.AXES_CLIENT_IP_CALLABLE = "config.sessions.client_ip"
    user = UserFactory()
    for _ in range(5):
        # A made-up first entry does not help: the proxy appends the address it saw.
        sign_in(client, user, "wrong-password", HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7")

    same_client = sign_in(Client(), user, HTTP_X_FORWARDED_FOR="198.51.100.7")
    another_client = sign_in(Client(), user, HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert same_client.status_code == 429
    assert another_client.status_code == 302
