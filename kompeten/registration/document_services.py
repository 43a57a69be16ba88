"""Required documents of a participant and the agency's nomination letter (Surat Usulan).

A replaced file is never deleted: the old row loses is_current and stays as history,
so a reviewer can still open what was submitted.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import Role, User
from kompeten.programs.models import Agency, Program
from kompeten.registration.models import (
    Document,
    DocumentKind,
    NominationLetter,
    Registration,
    Status,
)
from kompeten.registration.uploads import (
    ANY_DOCUMENT,
    IMAGES,
    PDF_ONLY,
    Detected,
    discard,
    inspect_upload,
    save_checked,
)

# The content types accepted per document kind.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    DocumentKind.ASSIGNMENT_LETTER: ANY_DOCUMENT,
    DocumentKind.HEALTH_CARD: ANY_DOCUMENT,
    DocumentKind.PHOTO: IMAGES,
    DocumentKind.PORTFOLIO: ANY_DOCUMENT,
}
LETTER_TYPES = PDF_ONLY

# Documents may be replaced until the review is done: after submission too (a blurred
# scan can be fixed while waiting), and when the reviewer asks for a revision.
DOCUMENT_EDITABLE_STATUSES = (Status.REGISTERED, Status.SUBMITTED, Status.REVISION)

LETTER_NUMBER_MAX = 100


def can_replace_documents(registration: Registration) -> bool:
    return registration.status in DOCUMENT_EDITABLE_STATUSES


def _check_photo(*, width: int | None, height: int | None) -> None:
    """A 3x4 passport photo is upright: taller than wide."""
    if width and height and height <= width:
        raise ValidationError(
            _("Pas foto harus tegak (potret, perbandingan 3x4); gambar ini %(w)s×%(h)s piksel "
              "(mendatar). Potong fotonya menjadi tegak lalu unggah lagi.")
            % {"w": width, "h": height}, code="photo_not_portrait")


def _check_may_replace(registration: Registration, by: User) -> None:
    if by.role != Role.PARTICIPANT or registration.user_id != by.pk:
        raise PermissionDenied
    if not can_replace_documents(registration):
        raise ValidationError(
            _("Dokumen tidak dapat diubah lagi (status: %(status)s).")
            % {"status": registration.get_status_display()}, code="locked")


def replace_document(*, registration: Registration, kind: str, upload: UploadedFile,
                     by: User) -> Document:
    """The participant uploads (or replaces) one required document.

    The file is checked (images decoded and re-encoded) before the transaction, so
    a slow file never holds the database's write lock; rights are checked again
    under the lock.
    """
    if kind not in DocumentKind.values:
        raise ValidationError(_("Jenis dokumen tidak dikenal."), code="unknown_kind")
    _check_may_replace(registration, by)
    data, detected = inspect_upload(upload=upload, allowed=ALLOWED_TYPES[kind],
                                    max_bytes=settings.UPLOAD_MAX_BYTES)
    if kind == DocumentKind.PHOTO:
        _check_photo(width=detected.width, height=detected.height)
    return _save_document(registration=registration, kind=kind, data=data, detected=detected,
                          original_name=upload.name or "", by=by)


@transaction.atomic
def _save_document(*, registration: Registration, kind: str, data: bytes, detected: Detected,
                   original_name: str, by: User) -> Document:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_may_replace(registration, by)
    stored = save_checked(data=data, detected=detected, original_name=original_name, by=by)
    try:
        with transaction.atomic():
            registration.documents.filter(kind=kind, is_current=True).update(is_current=False)
            return Document.objects.create(registration=registration, kind=kind,
                                           stored=stored, is_current=True)
    except Exception:
        discard(stored)
        raise


def check_letter_fields(*, number: str, date: dt.date | None,
                        today: dt.date | None = None) -> dict[str, list[str]]:
    """Errors of the letter's number and date, keyed by field (empty when fine)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not number.strip():
        errors["number"] = [_("Nomor surat wajib diisi.")]
    elif len(number.strip()) > LETTER_NUMBER_MAX:
        errors["number"] = [_("Nomor surat paling banyak %(n)s karakter.")
                            % {"n": LETTER_NUMBER_MAX}]
    if date is None:
        errors["date"] = [_("Tanggal surat wajib diisi.")]
    elif date > today:
        errors["date"] = [_("Tanggal surat tidak boleh di masa depan.")]
    return errors


def upload_nomination_letter(*, program: Program, agency: Agency, number: str,
                             date: dt.date | None, upload: UploadedFile, by: User,
                             today: dt.date | None = None) -> NominationLetter:
    """An operator uploads the agency's signed nomination letter (PDF); the old one is kept.

    The PDF is parsed before the transaction starts.
    """
    if by.role != Role.OPERATOR or by.agency_id != agency.pk:
        raise PermissionDenied
    errors = check_letter_fields(number=number, date=date, today=today)
    try:
        data, detected = inspect_upload(upload=upload, allowed=LETTER_TYPES,
                                        max_bytes=settings.UPLOAD_MAX_BYTES)
    except ValidationError as exc:
        errors["document"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return _save_letter(program=program, agency=agency, number=number, date=date, data=data,
                        detected=detected, original_name=upload.name or "", by=by)


@transaction.atomic
def _save_letter(*, program: Program, agency: Agency, number: str, date: dt.date,
                 data: bytes, detected: Detected, original_name: str,
                 by: User) -> NominationLetter:
    # Two operators of one agency queue up here; the partial unique constraint backs it up.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    stored = save_checked(data=data, detected=detected, original_name=original_name, by=by)
    try:
        with transaction.atomic():
            NominationLetter.objects.filter(program=program, agency=agency,
                                            is_current=True).update(is_current=False)
            return NominationLetter.objects.create(
                program=program, agency=agency, number=" ".join(number.split()), date=date,
                document=stored, uploaded_by=by, is_current=True)
    except Exception:
        discard(stored)
        raise
