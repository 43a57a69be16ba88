"""Safe uploads: the type is decided by the content, never by the name.

A file is read up to the size limit (one byte more tells it is too big), recognised
by its magic bytes (PDF, JPEG, PNG), and checked by kompeten.common.filechecks: a PDF
must end with %%EOF, open with pypdf, have a page and no JavaScript or launch action;
an image must have a plausible size in its header and decode, and is stored
re-encoded (without EXIF or GPS position). The content is stored under a random
private path. The extension the user gave is ignored: the stored name gets the
extension of the detected type, so "foto.png" that is really a JPEG is kept as
"foto.jpg", and an .exe renamed .pdf is refused because its content is no PDF.
Nothing is written when a check fails.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from kompeten.common import filechecks
from kompeten.common.models import StoredFile
from kompeten.common.storage import private_storage, unique_name

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = filechecks.DOCX
PPTX = filechecks.PPTX
ANY_DOCUMENT = frozenset({PDF, JPEG, PNG})
IMAGES = frozenset({JPEG, PNG})
PDF_ONLY = frozenset({PDF})

LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "DOCX", PPTX: "PPTX"}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", PPTX: "pptx"}
# Order of the types in messages ("PDF/JPEG/PNG").
ORDER = [PDF, DOCX, PPTX, JPEG, PNG]

MAX_NAME_LENGTH = 100
# Where the PDF trailer must be: %%EOF within the last KiB (ignoring trailing whitespace).
PDF_TRAILER_WINDOW = 1024


def type_list(allowed: set[str] | frozenset[str]) -> str:
    """'PDF/JPEG/PNG' for the allowed content types, in a fixed order."""
    return "/".join(LABELS[t] for t in ORDER if t in allowed)


def megabytes(size: int) -> str:
    """A size in MB for messages: '5' for 5 MB, '50,3' for 50.3 MB (locale-aware)."""
    value = size / (1024 * 1024)
    if value == int(value):
        return number_format(int(value))
    return number_format(round(value, 1), decimal_pos=1)


@dataclass(frozen=True)
class Detected:
    content_type: str
    width: int | None = None
    height: int | None = None


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return filechecks.ooxml_kind(data)
    return None


def detect(data: bytes, *, allowed: set[str] | frozenset[str]) -> Detected:
    """Recognise and check the content; raises ValidationError with an Indonesian message."""
    return check_content(data, allowed=allowed)[1]


def check_content(data: bytes, *, allowed: set[str] | frozenset[str]
                  ) -> tuple[bytes, Detected]:
    """Recognise and check the content: (the bytes to store, what they are).

    Images come back re-encoded; PDFs unchanged. Decoding is CPU- and memory-heavy:
    call this outside any transaction.
    """
    types = type_list(allowed)
    content_type = _sniff(data)
    if content_type is None:
        raise ValidationError(
            _("Berkas bukan %(types)s yang valid: isinya tidak dikenali. Jenis berkas "
              "diperiksa dari isinya, bukan dari nama atau ekstensinya.") % {"types": types},
            code="unknown_type")
    if content_type not in allowed:
        raise ValidationError(
            _("Berkas ini %(found)s, sedangkan yang diterima hanya %(types)s.")
            % {"found": LABELS[content_type], "types": types}, code="type_not_allowed")
    if content_type == PDF:
        if b"%%EOF" not in data[-PDF_TRAILER_WINDOW:].rstrip():
            raise ValidationError(
                _("Berkas PDF tidak utuh (bagian akhirnya hilang); mungkin unggahan atau "
                  "penyimpanannya terputus. Simpan ulang PDF-nya lalu unggah lagi."),
                code="truncated_pdf")
        filechecks.check_pdf(data)
        return data, Detected(PDF)
    if content_type in (DOCX, PPTX):
        return data, Detected(content_type)
    image = filechecks.check_image(data, image_format=LABELS[content_type])
    return image.data, Detected(content_type, image.width, image.height)


def clean_name(original: str, *, content_type: str) -> str:
    """A safe display name: no path, only safe characters, the detected type's extension."""
    base = PureWindowsPath(PurePosixPath(original or "").name).name
    stem = base.rsplit(".", 1)[0] if "." in base else base
    try:
        stem = get_valid_filename(stem.replace(".", "_"))
    except SuspiciousFileOperation:
        stem = ""
    stem = stem.strip("._-")[:MAX_NAME_LENGTH] or "berkas"
    return f"{stem}.{EXTENSIONS[content_type]}"


def read_limited(upload: UploadedFile, *, max_bytes: int) -> bytes:
    """The content, refused when larger than max_bytes (never reads more than one byte over)."""
    too_big = _("Berkas %(name)s berukuran %(size)s MB, melebihi batas %(max)s MB. Perkecil "
                "berkasnya (mis. pindai ulang dengan resolusi lebih rendah) lalu unggah lagi.")
    name = PurePosixPath(upload.name or "").name
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(too_big % {"name": name, "size": megabytes(upload.size),
                                         "max": megabytes(max_bytes)}, code="too_big")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("Berkas %(name)s melebihi batas %(max)s MB. Perkecil berkasnya lalu unggah lagi.")
            % {"name": name, "max": megabytes(max_bytes)}, code="too_big")
    if not data:
        raise ValidationError(_("Berkas %(name)s kosong (0 byte). Pilih berkas yang benar.")
                              % {"name": name}, code="empty")
    return data


def inspect_upload(*, upload: UploadedFile, allowed: set[str] | frozenset[str],
                   max_bytes: int) -> tuple[bytes, Detected]:
    """Read and check an upload without storing anything: (the bytes to store, their type)."""
    return check_content(read_limited(upload, max_bytes=max_bytes), allowed=allowed)


def save_checked(*, data: bytes, detected: Detected, original_name: str,
                 by: AbstractBaseUser | None) -> StoredFile:
    """Store checked content under a random private path and record it."""
    now = timezone.now()
    path = unique_name(f"uploads/{now:%Y}/{now:%m}", suffix=EXTENSIONS[detected.content_type])
    saved = private_storage().save(path, ContentFile(data))
    try:
        return StoredFile.objects.create(
            file=saved, original_name=clean_name(original_name,
                                                 content_type=detected.content_type),
            content_type=detected.content_type, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), uploaded_by=by)
    except Exception:
        private_storage().delete(saved)
        raise


def store_upload(*, upload: UploadedFile, allowed: set[str] | frozenset[str], max_bytes: int,
                 by: AbstractBaseUser | None) -> StoredFile:
    """Check an upload by its content and store it privately; ValidationError stores nothing."""
    data, detected = inspect_upload(upload=upload, allowed=allowed, max_bytes=max_bytes)
    return save_checked(data=data, detected=detected, original_name=upload.name or "",
                        by=by)


def discard(stored: StoredFile) -> None:
    """Remove a file whose database row is being rolled back."""
    private_storage().delete(stored.file.name)
