"""The agency's signed nomination letter (Surat Usulan); a replaced letter stays as history."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import Role, User
from kompeten.common.uploads import (
    PDF_ONLY,
    Detected,
    discard,
    inspect_upload,
    save_checked,
)
from kompeten.nominations.models import NominationLetter
from kompeten.programs.models import Agency, Program

LETTER_TYPES = PDF_ONLY
LETTER_NUMBER_MAX = 100


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
