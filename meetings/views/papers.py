"""Papers (upload, download) and the agenda pack (page, build, download).

Every read goes through the visibility layer. A person who may not see something gets a 404 if
signed in, and the sign-in page if not, whether or not the thing exists.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from partnerships.audit import AccessEvent, record_access

from .. import pack as packs
from ..models import EXEMPT_PARAGRAPHS, AgendaItem, Meeting, Paper, PaperKind
from ..papers import save_paper, size_limit_message

PRIVATE = "private, no-store"
# Public files are checked again on each use: an item can become exempt after publication.


class PaperForm(forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": "Enter the paper's title"})
    kind = forms.ChoiceField(
        label="What kind of paper is it?",
        choices=PaperKind.choices,
        initial=PaperKind.REPORT,
        required=False,
        widget=forms.RadioSelect,
        help_text="Background papers are kept for four years after the meeting, the rest for six.",
    )
    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    is_exempt = forms.BooleanField(
        required=False,
        label="This paper is exempt (confidential)",
        help_text="Only members of the body will see it",
    )
    exempt_paragraph = forms.TypedChoiceField(
        label="Paragraph of Schedule 12A",
        choices=EXEMPT_PARAGRAPHS,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    public_interest_statement = forms.CharField(
        label="Why the public interest in keeping it exempt outweighs disclosing it",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "A PDF, Word, Excel or OpenDocument text file, "
            + size_limit_message().removeprefix("The file must be ")
        )


def _denied(request):
    record_access(request, None, AccessEvent.Kind.DENIED)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


@permission_required("meetings.add_paper", raise_exception=True)
def upload_paper(request, pk):
    item = get_object_or_404(
        AgendaItem.objects.visible_to(request.user).select_related("meeting__body", "parent"),
        pk=pk,
    )
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            paper = save_paper(
                item=item,
                upload=data["file"],
                title=data["title"],
                kind=data["kind"] or PaperKind.REPORT,
                by=request.user,
                is_exempt=data["is_exempt"],
                exempt_paragraph=data["exempt_paragraph"],
                public_interest_statement=data["public_interest_statement"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, f"Paper ‘{paper.title}’ added")
            return redirect("meetings:item-detail", pk=item.pk)
    response = render(request, "meetings/paper_form.html", {"form": form, "item": item})
    if item.is_exempt or (item.parent is not None and item.parent.is_exempt):
        response["Cache-Control"] = PRIVATE
    return response


@login_not_required
def download_paper(request, pk):
    paper = (
        Paper.objects.visible_to(request.user).select_related("item__meeting").filter(pk=pk).first()
    )
    if paper is None:
        return _denied(request)
    try:
        file = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        file, as_attachment=True, filename=paper.original_name, content_type=paper.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    public = Paper.objects.visible_to(AnonymousUser()).filter(pk=paper.pk).exists()
    response["Cache-Control"] = "no-cache" if public else PRIVATE
    if not public:
        record_access(request, paper, AccessEvent.Kind.EXEMPT_VIEWED)
    return response


def _meeting(request, pk):
    return Meeting.objects.visible_to(request.user).select_related("body").filter(pk=pk).first()


@login_not_required
def pack(request, pk):
    meeting = _meeting(request, pk)
    if meeting is None:
        return _denied(request)
    parts = [p for p in (packs.pack_for(meeting, request.user, part) for part in "ab") if p]
    if request.method == "POST":
        chosen = next((p for p in parts if p.part == request.POST.get("part")), None)
        if chosen is None:
            raise Http404
        if packs.request_build(chosen, request.user):
            messages.info(request, f"The agenda pack ({chosen.label}) is being prepared")
        return redirect("meetings:pack", pk=meeting.pk)

    rows = []
    for part in parts:
        progress = packs.read_progress(part) or {"status": "none", "done": 0}
        size = None
        if progress["status"] == "ready":
            size = default_storage.size(part.pdf_name)
        rows.append({"pack": part, "progress": progress, "size": size})
    response = render(
        request,
        "meetings/pack.html",
        {
            "meeting": meeting,
            "rows": rows,
            "building": any(row["progress"]["status"] in ("queued", "building") for row in rows),
            "download_url": reverse("meetings:pack-download", kwargs={"pk": meeting.pk}),
        },
    )
    if any(part.part == "b" for part in parts) or not meeting.is_public:
        response["Cache-Control"] = PRIVATE
    return response


@login_not_required
def download_pack(request, pk):
    meeting = _meeting(request, pk)
    if meeting is None:
        return _denied(request)
    chosen = packs.pack_for(meeting, request.user, request.GET.get("part", "a"))
    if chosen is None:
        return _denied(request)
    progress = packs.read_progress(chosen)
    if not progress or progress["status"] != "ready":
        messages.info(request, "The agenda pack is not ready yet: prepare it first")
        return redirect("meetings:pack", pk=meeting.pk)
    response = FileResponse(
        default_storage.open(chosen.pdf_name, "rb"),
        as_attachment=True,
        filename=chosen.filename,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    if packs.is_public(chosen):
        response["Cache-Control"] = "no-cache"
    else:
        response["Cache-Control"] = PRIVATE
        record_access(request, meeting, AccessEvent.Kind.EXEMPT_VIEWED)
    return response
