"""The search page: anyone may search; each person finds only what they may open."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from partnerships.forms import date_field
from partnerships.models import Body

from .models import Kind
from .query import search


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=200, required=False)
    kind = forms.MultipleChoiceField(
        label="Type", choices=Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    body = forms.ModelChoiceField(
        label="Body", queryset=Body.objects.order_by("name"), required=False, empty_label="Any body"
    )
    date_from = date_field("From", required=False)
    date_to = date_field("To", required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned


@login_not_required
def search_page(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        results = search(
            request.user,
            data["q"].strip(),
            kinds=data["kind"],
            body=data["body"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            page=request.GET.get("page", 1),
        )
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "query_string": query.urlencode(),
        },
    )
    if request.user.is_authenticated:
        # Members' results can include exempt material: keep them out of shared caches.
        patch_cache_control(response, private=True, no_store=True)
    return response
