"""Required documents of a participant and the agency's nomination letter (Surat Usulan).

A replaced file is never deleted: the old row loses is_current and stays as history,
so a reviewer can still open what was submitted.
"""


from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kompeten.access.rules import can
from kompeten.accounts.models import User
from kompeten.common.uploads import (
    ANY_DOCUMENT,
    IMAGES,
    Detected,
    discard,
    inspect_upload,
    save_checked,
)
from kompeten.participants.models import Document, DocumentKind
from kompeten.registration.models import Registration, Status

# The content types accepted per document kind.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    DocumentKind.ASSIGNMENT_LETTER: ANY_DOCUMENT,
    DocumentKind.HEALTH_CARD: ANY_DOCUMENT,
    DocumentKind.PHOTO: IMAGES,
    DocumentKind.PORTFOLIO: ANY_DOCUMENT,
}

# Documents may be replaced until the review is done: after submission too (a blurred
# scan can be fixed while waiting), and when the reviewer asks for a revision.
DOCUMENT_EDITABLE_STATUSES = (Status.REGISTERED, Status.SUBMITTED, Status.REVISION)


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
    if not can(by, "registration.edit", registration):
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


