"""Directory pages: partnerships and their bodies, and the forms partnership managers use."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from .. import services
from ..forms import BodyForm, NewBodyForm, PartnershipForm, ReportingLineForm, StatusChangeForm
from ..models import (
    Body,
    BodyStatus,
    Partnership,
    Priority,
    ReportingLine,
    TermsOfReference,
)

public = method_decorator(login_not_required, name="dispatch")


class CanEditMixin:
    """Tells templates whether to offer the edit buttons."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.request.user.has_perm("partnerships.change_body")
        return context


@public
class PartnershipListView(CanEditMixin, ListView):
    template_name = "partnerships/partnership_list.html"
    context_object_name = "partnerships"

    def get_queryset(self):
        return Partnership.objects.annotate(body_count=Count("bodies")).order_by("name")


@public
class PartnershipDetailView(CanEditMixin, DetailView):
    template_name = "partnerships/partnership_detail.html"
    context_object_name = "partnership"
    queryset = Partnership.objects.select_related("lead_organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bodies = Body.objects.filter(partnership=self.object)
        context["bodies"] = directory_rows(bodies).order_by("name")
        context["priorities"] = (
            Priority.objects.filter(body__partnership=self.object)
            .select_related("body")
            .prefetch_related("work_areas__delivered_by")
        )
        return context


def primary_target_name(on: datetime.date):
    lines = (
        ReportingLine.objects.current(on)
        .primary()
        .filter(from_body=OuterRef("pk"))
        .annotate(target_name=Coalesce("to_body__name", "to_organisation__name"))
        .values("target_name")[:1]
    )
    return Subquery(lines)


def directory_rows(bodies, on: datetime.date | None = None):
    """Bodies with their status and primary reporting line on the date, in one query."""
    on = on or datetime.date.today()
    return (
        bodies.with_status(on)
        .select_related("partnership")
        .annotate(reports_to_name=primary_target_name(on))
    )


@public
class BodyListView(ListView):
    template_name = "partnerships/body_list.html"
    context_object_name = "bodies"
    paginate_by = 100

    def get_queryset(self):
        bodies = directory_rows(Body.objects.all()).order_by("name")
        params = self.request.GET
        if kind := params.get("type"):
            bodies = bodies.filter(kind=kind)
        if partnership := params.get("partnership"):
            bodies = bodies.filter(partnership__slug=partnership)
        if status := params.get("status"):
            bodies = bodies.filter(status_on_date=status)
        return bodies

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            kinds=Body.Kind.choices,
            statuses=BodyStatus.choices,
            partnerships=Partnership.objects.order_by("name").values_list("slug", "name"),
            selected=self.request.GET,
            filtered=any(self.request.GET.get(k) for k in ("type", "partnership", "status")),
        )
        return context


@public
class BodyDetailView(CanEditMixin, DetailView):
    template_name = "partnerships/body_detail.html"
    context_object_name = "body"

    def get_queryset(self):
        today = datetime.date.today()
        lines = ReportingLine.objects.order_by("-is_primary", "starts_on", "pk")
        return directory_rows(Body.objects.all(), today).prefetch_related(
            "status_changes",
            Prefetch("lines_up", lines.select_related("to_body", "to_organisation")),
            Prefetch("lines_down", lines.select_related("from_body")),
            Prefetch(
                "terms_of_reference",
                TermsOfReference.objects.filter(
                    Q(status=TermsOfReference.Status.AGREED)
                ).prefetch_related("sections"),
                to_attr="agreed_terms",
            ),
            "predecessors",
            "successors",
            "work_areas__priority",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body, today = self.object, datetime.date.today()

        def in_force(line):
            return (line.starts_on is None or line.starts_on <= today) and (
                line.ends_on is None or line.ends_on > today
            )

        context.update(
            today=today,
            terms=body.agreed_terms[0] if body.agreed_terms else None,
            lines_up_now=[line for line in body.lines_up.all() if in_force(line)],
            lines_up_past=[line for line in body.lines_up.all() if not in_force(line)],
            lines_down_now=[line for line in body.lines_down.all() if in_force(line)],
        )
        return context


class PartnershipEditMixin(PermissionRequiredMixin):
    raise_exception = True


class PartnershipCreateView(PartnershipEditMixin, CreateView):
    permission_required = "partnerships.add_partnership"
    model = Partnership
    form_class = PartnershipForm
    template_name = "partnerships/form.html"
    extra_context = {"title": "Add a partnership", "button": "Add partnership"}

    def form_valid(self, form):
        messages.success(self.request, f"{form.instance.name} added")
        return super().form_valid(form)


class PartnershipUpdateView(PartnershipEditMixin, UpdateView):
    permission_required = "partnerships.change_partnership"
    model = Partnership
    form_class = PartnershipForm
    template_name = "partnerships/form.html"
    extra_context = {"button": "Save changes"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Edit {self.object.name}", **kwargs)


class BodyCreateView(PartnershipEditMixin, CreateView):
    permission_required = "partnerships.add_body"
    model = Body
    form_class = NewBodyForm
    template_name = "partnerships/form.html"
    extra_context = {"title": "Add a body", "button": "Add body"}

    def get_initial(self):
        partnership = Partnership.objects.filter(slug=self.request.GET.get("partnership")).first()
        return {"partnership": partnership}

    def form_valid(self, form):
        data = form.cleaned_data
        fields = {
            name: data[name]
            for name in ("short_name", "meets_in_public", "access_to_information", "notes")
        }
        body = services.create_body(
            partnership=data["partnership"],
            name=data["name"],
            kind=data["kind"],
            status=data["status"],
            status_on=data["status_on"],
            by=self.request.user,
            **fields,
        )
        body.predecessors.set(data["predecessors"])
        messages.success(self.request, f"{body.name} added")
        return redirect(body)


class BodyUpdateView(PartnershipEditMixin, UpdateView):
    permission_required = "partnerships.change_body"
    model = Body
    form_class = BodyForm
    template_name = "partnerships/form.html"
    extra_context = {"button": "Save changes"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Edit {self.object.name}", **kwargs)

    def form_valid(self, form):
        messages.success(self.request, "Changes saved")
        return super().form_valid(form)


@permission_required("partnerships.add_bodystatuschange", raise_exception=True)
def record_status(request, slug):
    body = get_object_or_404(Body, slug=slug)
    form = StatusChangeForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        change = services.record_status_change(
            body=body,
            status=form.cleaned_data["status"],
            effective_on=form.cleaned_data["effective_on"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(
            request,
            f"{body.name} is {change.get_status_display().lower()} from {change.effective_display}",
        )
        return redirect(body)
    return render(
        request,
        "partnerships/form.html",
        {
            "form": form,
            "title": f"Record a change of status for {body.name}",
            "button": "Record change",
            "body": body,
        },
    )


@permission_required("partnerships.add_reportingline", raise_exception=True)
def add_line(request, slug):
    body = get_object_or_404(Body, slug=slug)
    return _line_form(
        request, body, ReportingLine(from_body=body), f"Add a reporting line from {body.name}"
    )


@permission_required("partnerships.change_reportingline", raise_exception=True)
def edit_line(request, pk):
    line = get_object_or_404(ReportingLine.objects.select_related("from_body"), pk=pk)
    return _line_form(
        request, line.from_body, line, f"Edit a reporting line from {line.from_body.name}"
    )


def _line_form(request, body, line, title):
    form = ReportingLineForm(request.POST or None, instance=line, from_body=body)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Reporting line to {line.target} saved")
        return redirect(body)
    return render(
        request,
        "partnerships/form.html",
        {"form": form, "title": title, "button": "Save reporting line", "body": body},
    )
