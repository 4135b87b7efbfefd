"""The roster of a body (as at any date), vacancies, and the forms that change seats."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from partnerships import fragments
from partnerships.models import Body

from .. import compliance, services
from ..forms import AppointForm, EndMembershipForm, SeatForm, SubstituteForm, apply_service_errors
from ..models import Membership, Seat
from ..roster import seats_on
from ..visibility import can_see_withheld_names

public = method_decorator(login_not_required, name="dispatch")


def parse_on(request) -> tuple[datetime.date, str | None]:
    """The `on` date of the query string, today if absent, with an error message if unreadable."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return datetime.date.today(), None
    try:
        return datetime.date.fromisoformat(raw), None
    except ValueError:
        return datetime.date.today(), "Enter a real date, like 2009-08-01"


@public
class RosterView(TemplateView):
    template_name = "membership/roster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = fragments.read_version()
        body = get_object_or_404(
            Body.objects.with_status().select_related("partnership"), slug=self.kwargs["slug"]
        )
        on, date_error = parse_on(self.request)
        user = self.request.user
        # Everything about the reader that the content depends on, and nothing else, keys it.
        reader = (
            user.is_authenticated,
            can_see_withheld_names(user),
            user.has_perm("membership.change_seat"),
        )
        context.update(
            body=body,
            date_error=date_error,
            content=fragments.cached(
                "roster",
                (body.pk, on, datetime.date.today(), date_error, *reader),
                lambda: _roster_content(body, on, date_error, *reader),
                version=version,
            ),
        )
        return context


def _roster_content(body, on, date_error, signed_in: bool, show_withheld: bool, can_edit: bool):
    seats = seats_on(body.seats.all(), on)
    past = (
        Membership.objects.filter(seat__body=body, ends_on__lte=on)
        .select_related("seat", "person", "organisation")
        .order_by("-ends_on")
    )
    return render_to_string(
        "membership/_roster_content.html",
        {
            "body": body,
            "on": on,
            "is_today": on == datetime.date.today(),
            "date_error": date_error,
            "seats": seats,
            "people_count": len({h.person_id for s in seats for h in s.holders if h.person_id}),
            "vacancy_count": sum(seat.is_vacant for seat in seats),
            "past": past,
            "show_withheld": show_withheld,
            "can_edit": can_edit,
            "findings": (
                compliance.check_body(body, on=on, names_visible=show_withheld)
                if signed_in
                else None
            ),
        },
    )


@public
class VacancyListView(TemplateView):
    template_name = "membership/vacancy_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = datetime.date.today()
        alive = Body.objects.alive(today).values("pk")
        seats = [
            seat
            for seat in seats_on(
                Seat.objects.filter(body__in=alive).exclude(kind="rotation"), today
            )
            if seat.is_vacant
        ]
        seats.sort(key=lambda seat: (seat.vacant_since or datetime.date.min, seat.body.name))
        context.update(seats=seats, today=today)
        return context


def _form_page(request, form, *, title, button, body, caption=None):
    return render(
        request,
        "membership/form.html",
        {
            "form": form,
            "title": title,
            "button": button,
            "body": body,
            "caption": caption or body.name,
        },
    )


@permission_required("membership.add_seat", raise_exception=True)
def create_seat(request, slug):
    body = get_object_or_404(Body.objects.select_related("partnership"), slug=slug)
    form = SeatForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            seat = form.save()
        except ValidationError as error:
            apply_service_errors(form, error, "role")
        else:
            messages.success(request, f"Seat “{seat.label}” added")
            return redirect("membership:roster", slug=body.slug)
    return _form_page(request, form, title="Add a seat", button="Add seat", body=body)


@permission_required("membership.change_seat", raise_exception=True)
def edit_seat(request, pk):
    seat = get_object_or_404(Seat.objects.select_related("body__partnership"), pk=pk)
    form = SeatForm(request.POST or None, instance=seat, body=seat.body)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            apply_service_errors(form, error, "role")
        else:
            messages.success(request, "Seat saved")
            return redirect("membership:roster", slug=seat.body.slug)
    return _form_page(
        request, form, title=f"Edit “{seat.label}”", button="Save seat", body=seat.body
    )


@permission_required("membership.add_membership", raise_exception=True)
def appoint(request, pk):
    seat = get_object_or_404(
        Seat.objects.select_related("body__partnership", "ex_officio_of"), pk=pk
    )
    form = AppointForm(request.POST or None, seat=seat)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.appoint(
                seat=seat,
                person=data["person"],
                organisation=data["organisation"],
                arrangement=data["arrangement"],
                starts_on=data["starts_on"],
                term_ends_on=data["term_ends_on"],
                job_title=data["job_title"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error, "person")
        else:
            holder = membership.person or membership.organisation
            messages.success(request, f"{holder} appointed to “{seat.label}”")
            return redirect("membership:roster", slug=seat.body.slug)
    return _form_page(
        request, form, title=f"Appoint to “{seat.label}”", button="Appoint", body=seat.body
    )


@permission_required("membership.change_membership", raise_exception=True)
def end_membership(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("seat__body__partnership", "person", "organisation"),
        pk=pk,
    )
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(
                membership=membership,
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error, "ends_on")
        else:
            messages.success(
                request, f"{membership.person or membership.organisation} has left the seat"
            )
            return redirect("membership:roster", slug=membership.seat.body.slug)
    holder = membership.person or membership.organisation
    return _form_page(
        request,
        form,
        title=f"End {holder}'s holding of “{membership.seat.label}”",
        button="End holding",
        body=membership.seat.body,
    )


@permission_required("membership.add_substitute", raise_exception=True)
def add_substitute(request, pk):
    seat = get_object_or_404(Seat.objects.select_related("body__partnership"), pk=pk)
    form = SubstituteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_substitute(seat=seat, person=form.cleaned_data["person"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error, "person")
        else:
            messages.success(request, f"Substitute added to “{seat.label}”")
            return redirect("membership:roster", slug=seat.body.slug)
    return _form_page(
        request,
        form,
        title=f"Add a substitute for “{seat.label}”",
        button="Add substitute",
        body=seat.body,
    )
