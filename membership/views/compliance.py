"""Composition checks on a date: one body's compliance page, and every body of a partnership."""

import datetime

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from partnerships.models import LIVE_STATUSES, Body, Partnership

from .. import compliance
from ..visibility import can_see_withheld_names

# The date input sends YYYY-MM-DD; browsers without one leave a text box people may type into.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class ComplianceDateForm(forms.Form):
    """The date to check composition on; today if left empty."""

    on = forms.DateField(
        label="Check composition on",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter a real date, like 2015-09-01"},
    )

    def date(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]
        return timezone.localdate()


def body_compliance(request, slug):
    form = ComplianceDateForm(request.GET)
    on = form.date()
    body = get_object_or_404(Body.objects.with_status(on).select_related("partnership"), slug=slug)
    context = {"body": body, "partnership": body.partnership, "form": form, "on": on}
    if form.is_valid():
        context["exists"] = body.status_on_date in LIVE_STATUSES
        if context["exists"]:
            assessment = compliance.assess(
                [body], on, names_visible=can_see_withheld_names(request.user)
            )[body]
            context |= {"assessment": assessment, "findings": assessment.findings}
    return render(request, "membership/body_compliance.html", context)


def partnership_compliance(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    form = ComplianceDateForm(request.GET)
    on = form.date()
    context = {"partnership": partnership, "form": form, "on": on}
    if form.is_valid():
        bodies = list(partnership.bodies.alive(on))
        for body in bodies:
            # Saves a query per body: the checks read the partnership's legal basis.
            body.partnership = partnership
        assessments = list(
            compliance.assess(
                bodies, on, names_visible=can_see_withheld_names(request.user)
            ).values()
        )
        totals = {str(severity): 0 for severity in compliance.Severity}
        for assessment in assessments:
            for severity, count in assessment.counts.items():
                totals[severity] += count
        context |= {"assessments": assessments, "totals": totals}
    return render(request, "membership/partnership_compliance.html", context)
