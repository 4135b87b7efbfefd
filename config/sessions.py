"""Signed-in sessions: idle and absolute time limits, and the two-factor step after the password.

Every sign-in (the sign-in page, the admin, the test client) passes through `record_sign_in`,
which stamps the session with when it began and whether a code from an authenticator app is
still owed. The middleware enforces both on each request; the views take and check the code.
"""

import time
from base64 import b32encode
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.roles import Role, has_role

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
TWO_FACTOR = "two_factor"
VERIFY = "verify"
SET_UP = "set-up"

# Recording every request would write the session row on every page; a minute's precision is
# plenty for a 30-minute limit.
LAST_SEEN_RESOLUTION = 60


def is_officer_or_admin(user) -> bool:
    return user.is_staff or has_role(user, Role.DEMOCRATIC_SERVICES, Role.PARTNERSHIP_MANAGER)


def record_sign_in(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    if user_has_device(user):
        request.session[TWO_FACTOR] = VERIFY
    elif settings.REQUIRE_2FA_FOR_STAFF and is_officer_or_admin(user):
        request.session[TWO_FACTOR] = SET_UP


user_logged_in.connect(record_sign_in, dispatch_uid="config.sessions.record_sign_in")


def client_ip(request) -> str:
    """The address a sign-in came from, behind the TLS-terminating proxy (AXES_CLIENT_IP_CALLABLE).

    The proxy appends the address it saw to X-Forwarded-For, so the last entry is the one to trust;
    earlier entries come from the client and may be made up.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    return forwarded or request.META.get("REMOTE_ADDR", "")


def describe(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, seconds // 60)
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


class SessionTimeoutMiddleware:
    """Sign out a session idle for SESSION_IDLE_TIMEOUT, or older than SESSION_COOKIE_AGE.

    Checked in process_view, after the messages middleware has set up, so the notice survives the
    sign-out; LoginRequiredMiddleware, later in the list, then sends the person to sign in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        session = request.session
        now = int(time.time())
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen_at = session.get(LAST_SEEN_AT)
        if signed_in_at is None or last_seen_at is None:
            # A session from before these limits: start its clocks now.
            session[SIGNED_IN_AT] = signed_in_at = now
            session[LAST_SEEN_AT] = last_seen_at = now
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            reason = f"you signed in more than {describe(settings.SESSION_COOKIE_AGE)} ago"
        elif now - last_seen_at > settings.SESSION_IDLE_TIMEOUT:
            reason = f"you had not used the service for {describe(settings.SESSION_IDLE_TIMEOUT)}"
        else:
            if now - last_seen_at >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_AT] = now
            return None
        logout(request)
        messages.info(request, f"You were signed out because {reason}. Sign in again.")
        return None


class TwoFactorMiddleware:
    """Hold a signed-in person at the code page (or the set-up page) until the step is done."""

    allowed = {VERIFY: {"two-factor-verify", "logout"}, SET_UP: {"two-factor-set-up", "logout"}}
    destination = {VERIFY: "two-factor-verify", SET_UP: "two-factor-set-up"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = request.session.get(TWO_FACTOR)
        if step is None or not request.user.is_authenticated:
            return None
        if request.resolver_match.view_name in self.allowed[step]:
            return None
        url = reverse(self.destination[step])
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(url)


def next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def complete_two_factor(request, device):
    otp_login(request, device)
    request.session.pop(TWO_FACTOR, None)
    # A new key for the stronger session, as for any change of privilege.
    request.session.cycle_key()


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Code from your authenticator app",
            help_text="The 6-digit code your app shows now",
            max_length=10,
            error_messages={"required": "Enter the 6-digit code from your authenticator app"},
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "spellcheck": "false",
                }
            ),
            **kwargs,
        )

    def clean(self, value):
        return "".join(super().clean(value).split())


WRONG_CODE = "The code is wrong or has run out: enter the code your app shows now"


class VerifyCodeForm(forms.Form):
    code = CodeField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        # Each device slows down after a wrong code (django-otp's throttling).
        self.device = match_token(self.user, code)
        if self.device is None:
            raise forms.ValidationError(WRONG_CODE)
        return code


class SetUpForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = CodeField()

    def __init__(self, *args, request, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.device = device

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # Through authenticate(), so wrong passwords count towards the sign-in lockout.
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError("Your password is wrong")
        return password

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not self.device.verify_token(code):
            raise forms.ValidationError(WRONG_CODE)
        return code


@require_http_methods(["GET", "POST"])
def verify_two_factor(request):
    """The second step of signing in, for people with an authenticator app set up."""
    if request.session.get(TWO_FACTOR) != VERIFY:
        return redirect(next_url(request))
    form = VerifyCodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        complete_two_factor(request, form.device)
        return redirect(next_url(request))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": next_url(request)},
    )


@require_http_methods(["GET", "POST"])
def set_up_two_factor(request):
    """Officers and admins link an authenticator app to their account."""
    user = request.user
    if not is_officer_or_admin(user):
        # The page exists for everyone signed in; only staff may use it.
        raise PermissionDenied
    if user_has_device(user):
        return render(request, "registration/two_factor_set_up.html", {"already_set_up": True})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = SetUpForm(request.POST or None, request=request, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        complete_two_factor(request, device)
        messages.success(request, "Two-factor authentication is set up")
        return redirect(settings.LOGIN_REDIRECT_URL)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_set_up.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "config_url": device.config_url,
            "required": request.session.get(TWO_FACTOR) == SET_UP,
        },
    )


@login_not_required
@require_http_methods(["GET"])
def admin_sign_in(request):
    """One way in, with the rate limit and the two-factor step: the admin's own form is not used."""
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect("admin:index")
        # Signed in but not staff: the admin is not for them.
        raise Http404
    return redirect(f"{reverse('login')}?{request.GET.urlencode()}")
