"""Reports up the line: what is owed, the editor, submission, receiving and the roll-up."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.cache import never_cache

from meetings.visibility import member_body_ids, sees_everything
from partnerships.models import Body

from .. import services
from ..forms import (
    EscalationFormSet,
    IndicatorFormSet,
    ReceiveForm,
    ReportFilterForm,
    ReportForm,
    ReportLineFormSet,
    RollUpForm,
    StartReportForm,
    kept_rows,
)
from ..models import AnnualReport, ReportLine
from ..obligations import expected_reports, financial_year_start

# Financial years offered in the filters: back to the oldest partnerships in the seeds.
FIRST_YEAR = 2005

# Helpers ---------------------------------------------------------------------------------------


def _require(request, action: str) -> None:
    if not request.user.has_perm(f"reports.{action}_annualreport"):
        raise PermissionDenied


def _report_or_404(request, pk, *related) -> AnnualReport:
    """The report if the user may read it (the visibility layer), else 404."""
    reports = AnnualReport.objects.visible_to(request.user).select_related(
        "body__partnership", "receiving_body", *related
    )
    report = reports.filter(pk=pk).first()
    if report is None:
        raise Http404("No such report")
    return report


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _period(year: int | None, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The financial year asked for, or last year and this one."""
    this_year = financial_year_start(today).year
    first, last = (year, year) if year else (this_year - 1, this_year)
    return datetime.date(first, 4, 1), datetime.date(last + 1, 3, 31)


def _matches(obligation, body, status) -> bool:
    if body is not None and body.pk not in (obligation.body.pk, obligation.receiving_body.pk):
        return False
    if status == "overdue":
        return obligation.is_overdue
    return not status or obligation.status == status


def _facts_rows(facts: dict) -> list[tuple[str, str]]:
    """The snapshot as label and text, whatever shape each value has."""

    def text(value) -> str:
        if isinstance(value, dict):
            return "; ".join(f"{str(k).replace('_', ' ')}: {text(v)}" for k, v in value.items())
        if isinstance(value, list):
            return "; ".join(text(v) for v in value) or "None"
        if value is None or value == "":
            return "None"
        return str(value)

    return [(str(key).replace("_", " ").capitalize(), text(value)) for key, value in facts.items()]


# Lists -----------------------------------------------------------------------------------------


@never_cache
def report_list(request):
    user = request.user
    today = timezone.localdate()
    staff = sees_everything(user)
    member_of = member_body_ids(user)
    this_year = financial_year_start(today).year
    bodies = Body.objects.order_by("name")
    form = ReportFilterForm(
        request.GET or None,
        years=list(range(this_year, FIRST_YEAR - 1, -1)),
        bodies=bodies if staff else bodies.filter(pk__in=member_of),
    )
    year = body = status = None
    if form.is_valid():
        year, body, status = (form.cleaned_data[k] for k in ("year", "body", "status"))
    starts_on, ends_on = _period(year, today)

    obligations = expected_reports(
        period_starts_on=starts_on,
        period_ends_on=ends_on,
        bodies=None if staff else member_of,
        on=today,
    )
    reports = list(
        AnnualReport.objects.visible_to(user)
        .filter(period_starts_on__range=(starts_on, ends_on))
        .select_related("body", "receiving_body")
    )
    readable = {report.pk for report in reports}
    owed = [o for o in obligations if _matches(o, body, status)]
    listed = {o.report.pk for o in obligations if o.report}
    others = [
        r
        for r in reports
        if r.pk not in listed
        and (body is None or body.pk in (r.body_id, r.receiving_body_id))
        and (not status or r.status == status)
    ]
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "obligations": owed,
            "readable": readable,
            "reports": others,
            "can_start": user.has_perm("reports.add_annualreport"),
        },
    )


@never_cache
def body_reports(request, slug):
    body = get_object_or_404(Body.objects.select_related("partnership"), slug=slug)
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and FIRST_YEAR <= int(year) <= today.year else None
    starts_on, ends_on = _period(year, today)
    obligations = expected_reports(
        period_starts_on=starts_on, period_ends_on=ends_on, bodies=[body.pk], on=today
    )
    readable = set(
        AnnualReport.objects.visible_to(request.user)
        .filter(pk__in=[o.report.pk for o in obligations if o.report])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "reports/body_reports.html",
        {
            "body": body,
            "year": year,
            "as_reporter": [o for o in obligations if o.body.pk == body.pk],
            "as_receiver": [o for o in obligations if o.receiving_body.pk == body.pk],
            "overdue": [o for o in obligations if o.is_overdue],
            "readable": readable,
            "can_start": request.user.has_perm("reports.add_annualreport"),
        },
    )


# One report ------------------------------------------------------------------------------------


@never_cache
def create_report(request):
    _require(request, "add")
    initial = {
        key: request.GET[key] for key in ("body", "receiving_body", "kind") if key in request.GET
    }
    for key in ("period_starts_on", "period_ends_on"):
        if day := parse_date(request.GET.get(key, "")):
            initial[key] = day
    form = StartReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.start_report(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Report started with {report.lines.count()} lines")
            return redirect("reports:report-update", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form, "starting": True})


@never_cache
def report_detail(request, pk):
    report = _report_or_404(request, pk, "submitted_by", "considered_at__meeting")
    lines = list(report.lines.all())
    indicators = list(report.indicators.all())
    escalations = list(report.escalations.all())
    compiled = list(report.compiles.select_related("body").order_by("body__name"))
    can_change = request.user.has_perm("reports.change_annualreport")
    drafting = report.status == AnnualReport.Status.DRAFTING
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "body": report.body,
            "lines": lines,
            "indicators": indicators,
            "escalations": escalations,
            "compiled": compiled,
            "summary": services.roll_up_summary(report) if compiled else None,
            "facts": _facts_rows(report.facts),
            "can_edit": can_change and drafting,
            "can_receive": can_change and report.status in services.SUBMITTED_STATUSES,
        },
    )


@never_cache
def edit_report(request, pk):
    _require(request, "change")
    report = _report_or_404(request, pk)
    if report.status != AnnualReport.Status.DRAFTING:
        messages.error(request, "This report has been submitted and can no longer be changed")
        return redirect(report)
    data = request.POST or None
    form = ReportForm(data, instance=report, prefix="report")
    lines = ReportLineFormSet(
        data,
        instance=report,
        prefix="lines",
        queryset=ReportLine.objects.filter(report=report),
    )
    indicators = IndicatorFormSet(data, instance=report, prefix="indicators")
    escalations = EscalationFormSet(data, instance=report, prefix="escalations")
    formsets = [lines, indicators, escalations]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        services.save_report(
            report=report,
            fields=form.cleaned_data,
            lines=kept_rows(lines),
            indicators=kept_rows(indicators),
            escalations=kept_rows(escalations),
            by=request.user,
        )
        messages.success(request, "Report saved")
        if "add_rows" in request.POST:
            return redirect("reports:report-update", pk=report.pk)
        return redirect(report)
    return render(
        request,
        "reports/report_form.html",
        {
            "report": report,
            "body": report.body,
            "form": form,
            "lines": lines,
            "indicators": indicators,
            "escalations": escalations,
        },
    )


# Actions ---------------------------------------------------------------------------------------


@never_cache
def submit(request, pk):
    _require(request, "change")
    report = _report_or_404(request, pk)
    if report.status != AnnualReport.Status.DRAFTING:
        messages.error(request, "This report has already been submitted")
        return redirect(report)
    errors = []
    if request.method == "POST":
        try:
            services.submit_report(report=report, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"Report submitted to {report.receiving_body}")
            return redirect(report)
    else:
        errors = services.missing_for_submission(report)
    return render(
        request,
        "reports/submit.html",
        {"report": report, "body": report.body, "errors": errors},
    )


@never_cache
def receive(request, pk):
    _require(request, "change")
    report = _report_or_404(request, pk)
    if report.status not in services.SUBMITTED_STATUSES:
        raise Http404("The report has not been submitted")
    form = ReceiveForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        outcome = form.cleaned_data["outcome"]
        try:
            if outcome == AnnualReport.Status.RECEIVED:
                services.receive_report(report=report, by=request.user)
            else:
                services.mark_considered(
                    report=report, item=form.cleaned_data["item"], outcome=outcome, by=request.user
                )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Report {report.get_status_display().lower()}")
            return redirect(report)
    return render(
        request,
        "partnerships/form.html",
        {
            "form": form,
            "body": report.receiving_body,
            "title": f"Record what happened to {report}",
            "button": "Save",
        },
    )


@never_cache
def roll_up(request, pk):
    _require(request, "change")
    report = _report_or_404(request, pk)
    if report.status != AnnualReport.Status.DRAFTING:
        messages.error(request, "This report has been submitted and can no longer be changed")
        return redirect(report)
    form = RollUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            compiled = services.compile_roll_up(
                report=report,
                include_whole_tree=form.cleaned_data["scope"] == "tree",
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            count = len(compiled)
            messages.success(request, f"Compiled {count} report{'' if count == 1 else 's'}")
            return redirect(report)
    compiled = report.compiles.select_related("body").order_by("body__name")
    return render(
        request,
        "reports/roll_up.html",
        {"report": report, "body": report.body, "form": form, "compiled": compiled},
    )


__all__ = [
    "body_reports",
    "create_report",
    "edit_report",
    "receive",
    "report_detail",
    "report_list",
    "roll_up",
    "submit",
]
