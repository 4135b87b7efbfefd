"""Funding streams, their allocations, support posts and pooled funds, with endings flagged."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from partnerships.forms import date_field
from partnerships.models import Body, Organisation

from .. import funding
from ..models import FundingAllocation, FundingStream, PooledFundAgreement, PoolShare, SupportPost

MONTHS_CHOICES = [(3, "3 months"), (6, "6 months"), (12, "12 months")]


class _ShowsErrors:
    """crispy-forms-gds prints its error summary only for a form with a helper."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class MonthsForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Show what ends within", choices=MONTHS_CHOICES, coerce=int, required=False
    )

    def value(self) -> int:
        if self.is_valid() and self.cleaned_data["months"]:
            return self.cleaned_data["months"]
        return 6


class StreamForm(_ShowsErrors, forms.ModelForm):
    starts_on = date_field("Date it starts", required=False)
    ends_on = date_field(
        "Date it ends", required=False, help_text="The first day it is no longer paid"
    )

    class Meta:
        model = FundingStream
        fields = ["name", "funder", "amount_per_year", "starts_on", "ends_on", "recipient_body"]
        labels = {
            "name": "Name",
            "amount_per_year": "Amount a year, in pounds",
            "recipient_body": "Body it is paid to (optional)",
        }
        error_messages = {
            "name": {"required": "Enter the name of the funding stream"},
            "funder": {"required": "Choose the organisation that pays it"},
            "amount_per_year": {"required": "Enter the amount a year"},
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The date it ends must be after the date it starts")
        return cleaned


class AllocationForm(_ShowsErrors, forms.Form):
    body = forms.ModelChoiceField(
        label="Body (optional)", queryset=Body.objects.order_by("name"), required=False
    )
    post = forms.ModelChoiceField(
        label="Post (optional)", queryset=SupportPost.objects.order_by("title"), required=False
    )
    purpose = forms.CharField(
        label="What it is for",
        max_length=300,
        required=False,
        help_text="For example, annual funding support to the area partnership",
    )
    amount_per_year = forms.DecimalField(
        label="Amount a year, in pounds",
        max_digits=12,
        decimal_places=2,
        error_messages={"required": "Enter the amount a year"},
    )


class PostForm(_ShowsErrors, forms.ModelForm):
    ends_on = date_field("Date the post ends", required=False)

    class Meta:
        model = SupportPost
        fields = ["title", "employer", "fte", "funded_by", "ends_on", "supports"]
        labels = {
            "title": "Title",
            "fte": "Full-time equivalent",
            "funded_by": "Funding stream that pays for it (optional)",
            "supports": "Bodies it supports",
        }
        help_texts = {"fte": "For example, 0.65"}
        widgets = {"supports": forms.CheckboxSelectMultiple}
        error_messages = {
            "title": {"required": "Enter the title of the post"},
            "employer": {"required": "Choose the organisation that employs the post holder"},
            "fte": {"required": "Enter the full-time equivalent, for example 0.65"},
        }


class PoolForm(_ShowsErrors, forms.ModelForm):
    starts_on = date_field("Date it starts", required=False)
    review_on = date_field("Date it is next reviewed", required=False)

    class Meta:
        model = PooledFundAgreement
        fields = [
            "name",
            "legal_basis",
            "host",
            "body",
            "amount_per_year",
            "starts_on",
            "review_on",
        ]
        labels = {
            "name": "Name",
            "legal_basis": "Legal basis",
            "host": "Host partner",
            "body": "Body that oversees it (optional)",
            "amount_per_year": "Amount a year, in pounds (optional)",
        }
        widgets = {"legal_basis": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Enter the name of the agreement"},
            "legal_basis": {"required": "Choose the legal basis"},
            "host": {"required": "Choose the host partner"},
        }


class ShareForm(_ShowsErrors, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Partner", queryset=Organisation.objects.order_by("name"), required=False
    )
    percentage = forms.DecimalField(
        label="Share, as a percentage", max_digits=5, decimal_places=2, required=False
    )

    def clean(self):
        cleaned = super().clean()
        organisation, percentage = cleaned.get("organisation"), cleaned.get("percentage")
        if organisation and percentage is None:
            self.add_error("percentage", f"Enter {organisation.name}'s share")
        if percentage is not None and not organisation:
            self.add_error("organisation", "Choose the partner for this share")
        return cleaned


ShareFormSet = forms.formset_factory(ShareForm, extra=5, max_num=20)


def funding_list(request):
    months_form = MonthsForm(request.GET)
    months = months_form.value()
    streams = FundingStream.objects.select_related("funder", "recipient_body").annotate(
        allocated=Sum("allocations__amount_per_year")
    )
    posts = SupportPost.objects.select_related("employer", "funded_by").prefetch_related(
        Prefetch("supports", Body.objects.order_by("name"))
    )
    pools = PooledFundAgreement.objects.select_related("host", "body").annotate(
        share_total=Sum("shares__percentage"), partners=Count("shares")
    )
    user = request.user
    return render(
        request,
        "reports/funding_list.html",
        {
            "streams": streams,
            "posts": posts,
            "pools": pools,
            "endings": funding.ending_soon(months),
            "months": months,
            "months_form": months_form,
            "can_add_stream": user.has_perm("reports.add_fundingstream"),
            "can_add_post": user.has_perm("reports.add_supportpost"),
            "can_add_pool": user.has_perm("reports.add_pooledfundagreement"),
        },
    )


def stream_detail(request, pk):
    stream = get_object_or_404(
        FundingStream.objects.select_related("funder", "recipient_body"), pk=pk
    )
    allocations = list(
        FundingAllocation.objects.filter(stream=stream).select_related("body", "post")
    )
    allocated = sum((allocation.amount_per_year for allocation in allocations), 0)
    return render(
        request,
        "reports/stream_detail.html",
        {
            "stream": stream,
            "allocations": allocations,
            "allocated": funding.money(allocated) if allocations else "£0",
            "remaining": funding.money(stream.amount_per_year - allocated),
            "amount": funding.money(stream.amount_per_year),
            "over": allocated > stream.amount_per_year,
            "posts": stream.posts.select_related("employer").order_by("title"),
            "can_allocate": request.user.has_perm("reports.add_fundingallocation"),
        },
    )


def pool_detail(request, pk):
    agreement = get_object_or_404(
        PooledFundAgreement.objects.select_related("host", "body").prefetch_related(
            Prefetch("shares", PoolShare.objects.select_related("organisation"))
        ),
        pk=pk,
    )
    shares = list(agreement.shares.all())
    return render(
        request,
        "reports/pool_detail.html",
        {
            "agreement": agreement,
            "shares": shares,
            "share_total": sum((share.percentage for share in shares), 0),
        },
    )


def _form_page(request, form, *, title, button, lead="", shares=None):
    return render(
        request,
        "reports/funding_form.html",
        {
            "form": form,
            "shares": shares,
            "title": title,
            "button": button,
            "lead": lead,
        },
    )


@permission_required("reports.add_fundingstream", raise_exception=True)
def create_stream(request):
    form = StreamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        stream = form.save()
        messages.success(request, f"{stream.name} added")
        return redirect("reports:stream-detail", pk=stream.pk)
    return _form_page(request, form, title="Add a funding stream", button="Add funding stream")


@permission_required("reports.add_fundingallocation", raise_exception=True)
def allocate(request, pk):
    stream = get_object_or_404(FundingStream, pk=pk)
    form = AllocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            funding.add_allocation(stream=stream, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Allocation added")
            return redirect("reports:stream-detail", pk=stream.pk)
    return _form_page(
        request,
        form,
        title=f"Allocate part of {stream.name}",
        button="Add allocation",
        lead=f"The stream provides {funding.money(stream.amount_per_year)} a year. "
        "Allocations together cannot come to more.",
    )


@permission_required("reports.add_supportpost", raise_exception=True)
def create_post(request):
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = form.save()
        messages.success(request, f"{post.title} added")
        return redirect(reverse("reports:funding-list") + "#posts")
    return _form_page(request, form, title="Add a support post", button="Add post")


@permission_required("reports.add_pooledfundagreement", raise_exception=True)
def create_pool(request):
    form = PoolForm(request.POST or None)
    shares = ShareFormSet(request.POST or None, prefix="shares")
    if request.method == "POST" and form.is_valid() and shares.is_valid():
        rows = [
            (row.cleaned_data["organisation"], row.cleaned_data["percentage"])
            for row in shares.forms
            if row.cleaned_data.get("organisation")
        ]
        try:
            with transaction.atomic():
                agreement = form.save()
                funding.set_pool_shares(agreement=agreement, shares=rows, by=request.user)
        except ValidationError as error:
            form.instance.pk = None
            form.add_error(None, error)
        else:
            messages.success(request, f"{agreement.name} added")
            return redirect("reports:pool-detail", pk=agreement.pk)
    return _form_page(
        request,
        form,
        title="Add a pooled fund agreement",
        button="Add agreement",
        lead="Enter each partner's share on its own row. The shares must add up to 100%.",
        shares=shares,
    )
