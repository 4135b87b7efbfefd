"""Importing bodies from a CSV file: check it with a dry run, then import it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import importer

MAX_FILE_BYTES = 1024 * 1024
TOO_BIG = "The selected file must be smaller than 1 MB"


class StructureImportForm(forms.Form):
    """A CSV file to check, or the text of a file already checked, to import."""

    file = forms.FileField(
        label="Upload a CSV file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text="Saved from a spreadsheet as CSV UTF-8, no bigger than 1 MB",
        error_messages={"empty": "The selected file is empty"},
    )
    content = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned_data = super().clean()
        content, upload = cleaned_data.get("content"), cleaned_data.get("file")
        if upload and upload.size > MAX_FILE_BYTES:
            self.add_error("file", TOO_BIG)
        elif content or upload:
            data = content.encode() if content else upload.read()
            if len(data) > MAX_FILE_BYTES:
                self.add_error("file", TOO_BIG)
            cleaned_data["data"] = data
        elif not self.has_error("file"):
            self.add_error("file", "Select a CSV file")
        return cleaned_data


@require_http_methods(["GET", "POST"])
def import_structure(request):
    """Check an uploaded file without saving; import the checked file when asked."""
    if not request.user.has_perm("partnerships.add_body"):
        raise PermissionDenied
    bound = request.method == "POST"
    form = StructureImportForm(request.POST if bound else None, request.FILES if bound else None)
    result = checked_content = None
    if form.is_valid():
        data = form.cleaned_data["data"]
        confirmed = bool(form.cleaned_data["content"])
        result = importer.import_structure(data, dry_run=not confirmed, by=request.user)
        if result.ok and confirmed:
            messages.success(request, result.describe())
            return redirect("partnerships:partnership-list")
        if result.ok:
            # A clean dry run means the bytes are UTF-8, so the text survives the round trip.
            checked_content = data.decode("utf-8-sig")
    return render(
        request,
        "partnerships/import.html",
        {
            "form": form,
            "result": result,
            "checked_content": checked_content,
            "columns": importer.COLUMNS,
        },
    )
