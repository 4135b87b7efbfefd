"""People, organisations, registers of interests, and who sits where (analytics)."""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from partnerships.models import Body, Organisation, Partnership, TermsOfReference

from ..forms import InterestForm, PersonForm
from ..models import InterestDeclaration, Membership, Person, Seat, Substitute
from ..roster import seats_on
from ..visibility import can_see_withheld_names

public = method_decorator(login_not_required, name="dispatch")


def agreed_terms_prefetch():
    return Prefetch(
        "seat__body__terms_of_reference",
        TermsOfReference.objects.filter(status=TermsOfReference.Status.AGREED),
        to_attr="agreed_terms",
    )


class PersonListView(ListView):
    template_name = "membership/person_list.html"
    context_object_name = "people"
    paginate_by = 100

    def get_queryset(self):
        today = datetime.date.today()
        people = Person.objects.annotate(
            seat_count=Count(
                "memberships",
                filter=Q(memberships__starts_on__lte=today)
                & (Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gt=today)),
            )
        ).order_by("sort_name")
        if query := self.request.GET.get("q", "").strip():
            people = people.filter(Q(name__icontains=query) | Q(aliases__icontains=query))
        return people

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.request.GET.get("q", ""),
            show_withheld=can_see_withheld_names(self.request.user),
            can_edit=self.request.user.has_perm("membership.add_person"),
            **kwargs,
        )


@public
class PersonDetailView(DetailView):
    template_name = "membership/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.prefetch_related(
            "organisations",
            Prefetch(
                "memberships",
                Membership.objects.select_related("seat__body__partnership", "organisation")
                .prefetch_related(agreed_terms_prefetch())
                .order_by("-starts_on"),
            ),
            Prefetch("substitute_for", Substitute.objects.select_related("seat__body")),
            Prefetch("interests", InterestDeclaration.objects.select_related("body")),
        )

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        if not person.publish_name and not can_see_withheld_names(self.request.user):
            raise Http404("No person found")
        return person

    def get(self, request, *args, **kwargs):
        # A page the visitor may not see asks anonymous visitors to sign in, as every non-public
        # page does; signed-in people get a 404 that does not confirm the person exists.
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = datetime.date.today()
        current, past = [], []
        for membership in self.object.memberships.all():
            is_current = membership.starts_on <= today and (
                membership.ends_on is None or membership.ends_on > today
            )
            (current if is_current else past).append(membership)
        bodies = {m.seat.body_id: m.seat.body for m in current}
        burden = [
            (body, body.agreed_terms[0].meetings_per_year if body.agreed_terms else None)
            for body in bodies.values()
        ]
        context.update(
            current=current,
            past=past,
            burden=burden,
            meetings_a_year=sum(n for _, n in burden if n),
            unknown_frequency=[body for body, n in burden if n is None],
            show_contact=can_see_withheld_names(self.request.user),
            show_interests=self.request.user.is_authenticated,
            can_edit=self.request.user.has_perm("membership.change_person"),
            can_add_interest=self.request.user.has_perm("membership.add_interestdeclaration"),
        )
        return context


class PersonCreateView(PermissionRequiredMixin, CreateView):
    permission_required = "membership.add_person"
    raise_exception = True
    model = Person
    form_class = PersonForm
    template_name = "membership/form.html"
    extra_context = {"title": "Add a person", "button": "Add person"}

    def form_valid(self, form):
        messages.success(self.request, f"{form.instance.name} added")
        return super().form_valid(form)


class PersonUpdateView(PermissionRequiredMixin, UpdateView):
    permission_required = "membership.change_person"
    raise_exception = True
    model = Person
    form_class = PersonForm
    template_name = "membership/form.html"
    extra_context = {"button": "Save changes"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"Edit {self.object.full_name}", **kwargs)

    def form_valid(self, form):
        messages.success(self.request, "Changes saved")
        return super().form_valid(form)


@permission_required("membership.add_interestdeclaration", raise_exception=True)
def add_interest(request, pk):
    person = get_object_or_404(Person, pk=pk)
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.person = person
        form.save()
        messages.success(request, "Interest registered")
        return redirect(person)
    return render(
        request,
        "membership/form.html",
        {
            "form": form,
            "title": f"Register an interest for {person.full_name}",
            "button": "Register interest",
        },
    )


@public
class OrganisationDetailView(DetailView):
    template_name = "membership/organisation_detail.html"
    context_object_name = "organisation"
    model = Organisation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = datetime.date.today()
        organisation = self.object
        holdings = (
            Membership.objects.current(today)
            .filter(organisation=organisation)
            .select_related("seat__body", "person")
            .order_by("seat__body__name", "seat__order")
        )
        nominated = seats_on(Seat.objects.filter(nominating_organisation=organisation), today)
        context.update(
            holdings=holdings,
            vacant_seats=[seat for seat in nominated if seat.is_vacant],
            show_withheld=can_see_withheld_names(self.request.user),
        )
        return context


def overlap(request, slug):
    """Who sits on which bodies of a partnership: a matrix of people by bodies."""
    partnership = get_object_or_404(Partnership, slug=slug)
    today = datetime.date.today()
    bodies = list(Body.objects.filter(partnership=partnership).alive(today).order_by("name"))
    holdings = (
        Membership.objects.current(today)
        .filter(seat__body__in=bodies, person__isnull=False)
        .select_related("person", "seat")
    )
    seats_by_person = defaultdict(dict)
    people = {}
    for holding in holdings:
        people[holding.person_id] = holding.person
        seats_by_person[holding.person_id][holding.seat.body_id] = holding.seat
    rows = sorted(
        ((people[pk], [seats_by_person[pk].get(body.pk) for body in bodies]) for pk in people),
        key=lambda row: (-sum(1 for seat in row[1] if seat), row[0].sort_name),
    )
    return render(
        request,
        "membership/overlap.html",
        {
            "partnership": partnership,
            "bodies": bodies,
            "rows": rows,
            "today": today,
            "show_withheld": can_see_withheld_names(request.user),
        },
    )
