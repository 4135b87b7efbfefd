"""Recording each partner's ratification of a decision."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from partnerships.forms import date_field

from .. import minutes as services
from ..models import AgendaItem, Ratification
from .minutes import minutes_url


class RatificationForm(forms.Form):
    status = forms.ChoiceField(
        label="Partner's answer", choices=Ratification.Status.choices, widget=forms.RadioSelect
    )
    decided_on = date_field("Date the partner decided", required=False)


def record_ratification(request, pk):
    if not request.user.has_perm("meetings.change_ratification"):
        raise PermissionDenied
    ratification = get_object_or_404(
        Ratification.objects.select_related("decision__item__meeting__body", "organisation"), pk=pk
    )
    decision = ratification.decision
    # Staff see every item; the check keeps this page inside the one visibility layer anyway.
    get_object_or_404(AgendaItem.objects.visible_to(request.user), pk=decision.item_id)
    form = RatificationForm(
        request.POST or None,
        initial={"status": ratification.status, "decided_on": ratification.decided_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_ratification(
                ratification=ratification,
                status=form.cleaned_data["status"],
                decided_on=form.cleaned_data["decided_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("decided_on", error.messages[0])
        else:
            messages.success(request, f"{ratification.organisation}'s ratification recorded")
            return redirect(minutes_url(decision.item.meeting_id, decision.item_id))
    return render(
        request,
        "meetings/ratification_form.html",
        {"form": form, "ratification": ratification, "decision": decision},
    )
