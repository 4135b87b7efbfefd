"""Papers: checking and storing uploads. The type is read from the file's content, never trusted
from its name or the browser, and the file is stored under a random name."""

import errno
import re
import zipfile

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from .models import Paper, PaperKind

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

KIND_NAMES = {
    PDF: "PDF",
    DOCX: "Word document",
    XLSX: "Excel spreadsheet",
    ODT: "OpenDocument text",
}

# What libmagic may call a zip-based office file before we look inside it.
ZIP_TYPES = {
    "application/zip",
    "application/x-zip-compressed",
    "application/octet-stream",
    DOCX,
    XLSX,
    ODT,
}

WRONG_TYPE = "The file must be a PDF, Word, Excel or OpenDocument text file"
NOT_STORED = "The file could not be saved. Try again later"
# A real office file has tens of parts; a zip bomb has many, or expands far past its size.
MOST_ZIP_MEMBERS = 1000
# PDF actions that run script or programs when the file is opened (names may be #xx-escaped).
PDF_ACTIONS = re.compile(rb"/(?:JavaScript|JS|OpenAction|Launch)(?![A-Za-z0-9])")


def kind_name(content_type: str) -> str:
    return KIND_NAMES.get(content_type, "document")


def size_limit_message() -> str:
    megabytes = settings.MAX_PAPER_SIZE / (1024 * 1024)
    return f"The file must be smaller than {megabytes:g} MB"


def sniff(upload) -> str | None:
    """The content type of an upload read from its bytes, or None if it is not one we accept."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    sniffed = magic.from_buffer(head, mime=True)
    if sniffed == PDF and head.startswith(b"%PDF-"):
        content = b"".join(upload.chunks())
        upload.seek(0)
        names = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes.fromhex(m[1].decode()), content)
        if b"%%EOF" not in content[-1024:] or PDF_ACTIONS.search(names):
            return None
        return PDF
    if sniffed not in ZIP_TYPES or not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MOST_ZIP_MEMBERS or (
                sum(member.file_size for member in members) > 5 * settings.MAX_PAPER_SIZE
            ):
                return None
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return DOCX
                if any(name.startswith("xl/") for name in names):
                    return XLSX
                return None
            if (
                "mimetype" in names
                and archive.getinfo("mimetype").file_size < 100
                and archive.read("mimetype").strip() == ODT.encode()
            ):
                return ODT
            return None
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    finally:
        upload.seek(0)


def check_upload(upload) -> str:
    """The sniffed content type of an acceptable upload; ValidationError otherwise."""
    if upload.size == 0:
        raise ValidationError({"file": "The selected file is empty"})
    if upload.size > settings.MAX_PAPER_SIZE:
        raise ValidationError({"file": size_limit_message()})
    content_type = sniff(upload)
    if content_type is None:
        raise ValidationError({"file": WRONG_TYPE})
    return content_type


def save_paper(
    *,
    item,
    upload,
    title: str,
    by,
    kind: str = PaperKind.REPORT,
    is_exempt: bool = False,
    exempt_paragraph: int | None = None,
    public_interest_statement: str = "",
) -> Paper:
    """Check and store a paper for an agenda item; the meeting's cached packs are dropped."""
    from .pack import invalidate_packs

    errors = {}
    if not title.strip():
        errors["title"] = "Enter the paper's title"
    if is_exempt and not exempt_paragraph:
        errors["exempt_paragraph"] = "Select the paragraph of Schedule 12A the paper falls under"
    if is_exempt and not public_interest_statement.strip():
        errors["public_interest_statement"] = (
            "Enter why the public interest in keeping the paper exempt outweighs disclosing it"
        )
    try:
        content_type = check_upload(upload)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    paper = Paper(
        item=item,
        title=title.strip(),
        kind=kind,
        original_name=_safe_name(upload.name),
        content_type=content_type,
        size=upload.size,
        is_exempt=is_exempt,
        exempt_paragraph=exempt_paragraph if is_exempt else None,
        public_interest_statement=public_interest_statement.strip() if is_exempt else "",
        uploaded_by=by,
    )
    try:
        paper.file.save(upload.name, upload, save=False)
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
            raise
        raise ValidationError({"file": NOT_STORED}) from error
    try:
        with transaction.atomic():
            last = Paper.objects.filter(item=item).aggregate(last=Max("order"))["last"]
            paper.order = 0 if last is None else last + 1
            paper.save()
            meeting_id = item.meeting_id
            transaction.on_commit(lambda: invalidate_packs(meeting_id))
    except Exception:
        paper.file.delete(save=False)
        raise
    return paper


def _safe_name(name: str) -> str:
    """The uploaded file's own name, without any path, for the download's filename."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:255] or "paper"
