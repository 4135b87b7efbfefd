"""Following a body: one button for signed-in users, double opt-in by e-mail for the public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from partnerships.models import Body

from . import services
from .forms import FollowByEmailForm, UnfollowForm
from .links import CONFIRM_WITHIN, LinkError, subscription_to_confirm
from .models import Subscription


def _refusal(request, body):
    """None if the visitor may follow the body; otherwise what its private meetings answer."""
    if services.may_follow(request.user, body):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404("No body found")


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request, slug):
    body = get_object_or_404(Body, slug=slug)
    if refusal := _refusal(request, body):
        return refusal
    if request.user.is_authenticated:
        return _follow_signed_in(request, body)
    form = FollowByEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_subscription(body=body, email=form.cleaned_data["email"])
        return redirect("subscriptions:check-email", slug=body.slug)
    return render(request, "subscriptions/follow.html", {"body": body, "form": form})


def _follow_signed_in(request, body):
    subscription = Subscription.objects.filter(body=body, user=request.user).first()
    address = Subscription(body=body, user=request.user).address
    if request.method == "POST" and address:
        if request.POST.get("action") == "unfollow":
            services.unfollow(body=body, user=request.user)
            messages.success(request, f"You will no longer get e-mails about {body.name}")
        else:
            services.follow(body=body, user=request.user)
            messages.success(request, f"You will get e-mails about {body.name} at {address}")
        return redirect("subscriptions:follow", slug=body.slug)
    return render(
        request,
        "subscriptions/follow_signed_in.html",
        {"body": body, "subscription": subscription, "address": address},
    )


@login_not_required
@require_safe
def check_email(request, slug):
    """The same answer whether or not anything was sent, so no one learns who follows what."""
    body = get_object_or_404(Body, slug=slug)
    if refusal := _refusal(request, body):
        return refusal
    return render(
        request,
        "subscriptions/check_email.html",
        {
            "body": body,
            "days": CONFIRM_WITHIN.days,
            "per_hour": services.MAX_CONFIRMATIONS_PER_WINDOW,
        },
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET asks, POST confirms: link checkers that open every link in an e-mail only GET."""
    try:
        subscription = subscription_to_confirm(token)
    except LinkError as error:
        return render(
            request, "subscriptions/link_problem.html", {"problem": str(error)}, status=404
        )
    already = subscription.is_confirmed
    if request.method == "POST" and not already:
        services.confirm(subscription=subscription)
        return render(
            request,
            "subscriptions/confirmed.html",
            {"subscription": subscription, "already": False},
        )
    if already:
        return render(
            request,
            "subscriptions/confirmed.html",
            {"subscription": subscription, "already": True},
        )
    return render(request, "subscriptions/confirm.html", {"subscription": subscription})


# Mail programs' one-click unsubscribe (RFC 8058) POSTs without our CSRF cookie; the token in the
# address is the proof of who is asking, as it is for the GET.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscription = (
        Subscription.objects.filter(token=token).select_related("body", "user__person").first()
    )
    if subscription is None:
        problem = (
            "This link is not valid. You may have unsubscribed already, or the link was not "
            "copied in full."
        )
        return render(request, "subscriptions/link_problem.html", {"problem": problem}, status=404)
    if request.method == "POST":
        body = subscription.body
        services.unsubscribe(subscription=subscription)
        return render(request, "subscriptions/unsubscribed.html", {"body": body})
    return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})


@require_http_methods(["GET", "HEAD", "POST"])
def my_subscriptions(request):
    form = UnfollowForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            subscription = form.cleaned_data["subscription"]
            services.unsubscribe(subscription=subscription)
            messages.success(
                request, f"You will no longer get e-mails about {subscription.body.name}"
            )
            return redirect("subscriptions:my-subscriptions")
        messages.error(request, form.errors["subscription"][0])
    subscriptions = request.user.subscriptions.select_related("body").order_by("body__name")
    return render(
        request,
        "subscriptions/my_subscriptions.html",
        {"subscriptions": subscriptions, "address": Subscription(user=request.user).address},
    )
