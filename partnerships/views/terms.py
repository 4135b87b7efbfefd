"""Terms of reference: versions, drafting, agreeing and comparing."""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from .. import services
from ..forms import AgreeTermsForm, TermsOfReferenceForm, ToRSectionFormSet
from ..models import Body, TermsOfReference

public = method_decorator(login_not_required, name="dispatch")


def hidden(request, message: str):
    """Refuse a version the user may not see: anonymous visitors are asked to sign in, as for
    every non-public page; signed-in people get a 404 that does not confirm it exists."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(message)


def visible_terms(user):
    """Agreed and superseded versions are public; drafts are for those who may edit them."""
    terms = TermsOfReference.objects.all()
    if not user.has_perm("partnerships.change_termsofreference"):
        terms = terms.exclude(status=TermsOfReference.Status.DRAFT)
    return terms


@public
class TermsListView(ListView):
    template_name = "partnerships/tor_list.html"
    context_object_name = "versions"

    def get_queryset(self):
        self.body = get_object_or_404(
            Body.objects.select_related("partnership"), slug=self.kwargs["slug"]
        )
        # Each version's link names the body: joined, or it is loaded once a row.
        return (
            visible_terms(self.request.user)
            .filter(body=self.body)
            .select_related("body")
            .order_by("-version")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            body=self.body,
            can_edit=self.request.user.has_perm("partnerships.change_termsofreference"),
            **kwargs,
        )


@public
class TermsDetailView(DetailView):
    template_name = "partnerships/tor_detail.html"
    context_object_name = "terms"

    def get_object(self, queryset=None):
        return get_object_or_404(
            visible_terms(self.request.user)
            .select_related("body__partnership")
            .prefetch_related("sections", "quorum_required_organisations"),
            body__slug=self.kwargs["slug"],
            version=self.kwargs["version"],
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return hidden(request, "No such version")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            body=self.object.body,
            can_edit=self.request.user.has_perm("partnerships.change_termsofreference"),
            **kwargs,
        )


@require_POST
@permission_required("partnerships.add_termsofreference", raise_exception=True)
def new_draft(request, slug):
    body = get_object_or_404(Body, slug=slug)
    existing = body.terms_of_reference.filter(status=TermsOfReference.Status.DRAFT).first()
    if existing:
        messages.info(request, f"Version {existing.version} is already a draft: edit it")
        return redirect("partnerships:tor-update", slug=slug, version=existing.version)
    terms = services.draft_terms_of_reference(body=body, by=request.user)
    messages.success(request, f"Draft version {terms.version} started")
    return redirect("partnerships:tor-update", slug=slug, version=terms.version)


def _draft(slug, version):
    terms = get_object_or_404(
        TermsOfReference.objects.select_related("body__partnership"),
        body__slug=slug,
        version=version,
    )
    if terms.status != TermsOfReference.Status.DRAFT:
        raise Http404("Only drafts can be edited")
    return terms


@permission_required("partnerships.change_termsofreference", raise_exception=True)
def edit_draft(request, slug, version):
    terms = _draft(slug, version)
    form = TermsOfReferenceForm(request.POST or None, instance=terms, prefix="terms")
    sections = ToRSectionFormSet(request.POST or None, instance=terms, prefix="sections")
    if request.method == "POST" and form.is_valid() and sections.is_valid():
        form.save()
        kept = [
            section.cleaned_data
            for section in sections.forms
            if section.cleaned_data and not section.cleaned_data.get("DELETE")
        ]
        services.save_draft_sections(terms=terms, sections=kept, by=request.user)
        messages.success(request, f"Draft version {terms.version} saved")
        if "add_section" in request.POST:
            return redirect("partnerships:tor-update", slug=slug, version=version)
        return redirect(terms)
    return render(
        request,
        "partnerships/tor_form.html",
        {"terms": terms, "body": terms.body, "form": form, "sections": sections},
    )


@permission_required("partnerships.change_termsofreference", raise_exception=True)
def agree(request, slug, version):
    terms = _draft(slug, version)
    form = AgreeTermsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agree_terms_of_reference(
                terms=terms,
                agreed_on=form.cleaned_data["agreed_on"],
                effective_on=form.cleaned_data["effective_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {terms.version} agreed")
            return redirect(terms)
    return render(
        request,
        "partnerships/form.html",
        {
            "form": form,
            "body": terms.body,
            "title": f"Agree version {terms.version} of the terms of reference",
            "button": "Agree",
            "lead": "The version agreed now will supersede the current one.",
        },
    )


def _section_map(terms):
    return {section.title: section.text for section in terms.sections.all()}


FIELDS_COMPARED = [
    ("Status", "get_status_display"),
    ("Agreed on", "agreed_on"),
    ("Takes effect", "effective_on"),
    ("Review due", "review_on"),
    ("Frequency", "frequency_display"),
    ("Quorum", "quorum_display"),
]


@login_not_required
def compare_versions(request, slug):
    body = get_object_or_404(Body.objects.select_related("partnership"), slug=slug)
    versions = list(
        visible_terms(request.user)
        .filter(body=body)
        .prefetch_related("sections")
        .order_by("version")
    )
    if len(versions) < 2:
        return hidden(request, "There is only one version")
    by_number = {terms.version: terms for terms in versions}
    try:
        old = by_number[int(request.GET.get("old", versions[-2].version))]
        new = by_number[int(request.GET.get("new", versions[-1].version))]
    except (KeyError, ValueError):
        return hidden(request, "No such version")
    fields = []
    for label, attribute in FIELDS_COMPARED:
        before, after = getattr(old, attribute), getattr(new, attribute)
        before, after = (value() if callable(value) else value for value in (before, after))
        fields.append(
            {"label": label, "old": before or "—", "new": after or "—", "changed": before != after}
        )
    old_sections, new_sections = _section_map(old), _section_map(new)
    sections = []
    for title in [*old_sections, *(t for t in new_sections if t not in old_sections)]:
        before, after = old_sections.get(title), new_sections.get(title)
        if before == after:
            state = "unchanged"
        elif before is None:
            state = "added"
        elif after is None:
            state = "removed"
        else:
            state = "changed"
        sections.append(
            {
                "title": title,
                "state": state,
                "words": _word_diff(before or "", after or "") if state == "changed" else [],
                "text": after if after is not None else before,
            }
        )
    return render(
        request,
        "partnerships/tor_diff.html",
        {
            "body": body,
            "old": old,
            "new": new,
            "versions": versions,
            "fields": fields,
            "sections": sections,
        },
    )


def _word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """[(state, words)] with state 'same', 'removed' or 'added', word by word."""
    a, b = before.split(), after.split()
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("added", " ".join(b[j1:j2])))
    return pieces
