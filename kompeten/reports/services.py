"""Writes of the reports app: the data-rights actions (UU PDP 27/2022) and the retention
policy. Every action is logged in DataRightsLog."""

import datetime as dt

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import User
from kompeten.certificates.models import Certificate
from kompeten.common.models import StoredFile
from kompeten.elearning.models import Resume
from kompeten.participants.models import Document, WorkHistoryEntry
from kompeten.programs.models import Program
from kompeten.registration.models import Registration
from kompeten.reports.models import (
    CORRECTION_TEXT_MAX,
    NOTE_MAX,
    CorrectionRequest,
    CorrectionStatus,
    DataAction,
    DataRightsLog,
    Erasure,
    ExportStatus,
    ReportExport,
    ReportSnapshot,
    RetentionPolicy,
    SnapshotStatus,
)
from kompeten.reports.selectors.retention import erasable_from
from kompeten.review.models import Submission

ERASE_SALT = "kompeten.reports.erase"
ERASE_TOKEN_MAX_AGE = 30 * 60
PLACEHOLDER_NAME = "Data dihapus"


def log(*, action: str, by: User | None, registration: Registration | None = None,
        subject_user: User | None = None, note: str = "") -> DataRightsLog:
    return DataRightsLog.objects.create(action=action, by=by, registration=registration,
                                        subject_user=subject_user, at=timezone.now(),
                                        note=note[:NOTE_MAX])


@transaction.atomic
def log_export(*, user: User, kind: str) -> DataRightsLog:
    action = DataAction.EXPORT_PDF if kind == "pdf" else DataAction.EXPORT_JSON
    return log(action=action, by=user, subject_user=user)


@transaction.atomic
def request_correction(*, registration: Registration, by: User, text: str) -> CorrectionRequest:
    text = text.strip()
    if registration.user_id != by.pk:
        raise ValidationError(_("Anda hanya dapat meminta koreksi data Anda sendiri."))
    if not text or len(text) > CORRECTION_TEXT_MAX:
        raise ValidationError(_("Tuliskan data yang perlu diperbaiki (paling banyak "
                                "%(max)d karakter).") % {"max": CORRECTION_TEXT_MAX})
    request = CorrectionRequest.objects.create(registration=registration, text=text,
                                               created_at=timezone.now())
    log(action=DataAction.CORRECTION, by=by, registration=registration, subject_user=by,
        note=f"#{request.pk}")
    return request


@transaction.atomic
def handle_correction(*, request: CorrectionRequest, by: User, status: str,
                      response: str = "") -> CorrectionRequest:
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CorrectionStatus.OPEN:
        raise ValidationError(_("Permintaan ini sudah ditangani."))
    if status not in (CorrectionStatus.DONE, CorrectionStatus.REJECTED):
        raise ValidationError(_("Pilih hasil penanganan."))
    response = response.strip()[:NOTE_MAX]
    if status == CorrectionStatus.REJECTED and not response:
        raise ValidationError(_("Penolakan wajib disertai alasan."))
    request.status, request.response = status, response
    request.handled_by, request.handled_at = by, timezone.now()
    request.save()
    log(action=DataAction.CORRECTION_HANDLED, by=by, registration=request.registration,
        note=f"#{request.pk} {status}")
    return request


@transaction.atomic
def set_retention(*, program: Program, retention_years: int) -> RetentionPolicy:
    if not 1 <= retention_years <= 30:
        raise ValidationError(_("Masa retensi antara 1 dan 30 tahun."))
    policy, _created = RetentionPolicy.objects.update_or_create(
        program=program, defaults={"retention_years": retention_years})
    return policy


def person_registrations(registration: Registration) -> list[Registration]:
    """Every registration of the same official (same account, or same NIP)."""
    condition = Q(nip=registration.nip)
    if registration.user_id:
        condition |= Q(user_id=registration.user_id)
    return list(Registration.objects.filter(condition).select_related("program", "user")
                .order_by("pk"))


def erase_token(*, registration: Registration, by: User) -> str:
    """The confirmation the erase page hands out: this organiser, this registration."""
    return signing.dumps({"r": registration.pk, "u": by.pk}, salt=ERASE_SALT)


def check_erasable(*, registration: Registration, today: dt.date) -> None:
    for row in person_registrations(registration):
        if Erasure.objects.filter(registration=row).exists():
            raise ValidationError(_("Data pribadi orang ini sudah dihapus."))
        allowed = erasable_from(row.program)
        if today < allowed:
            raise ValidationError(
                _("Masa retensi penyelenggaraan %(program)s belum berakhir: data dapat dihapus "
                  "mulai %(date)s.") % {"program": row.program.code, "date": allowed.isoformat()})


def _check_token(token: str, *, registration: Registration, by: User) -> None:
    try:
        payload = signing.loads(token, salt=ERASE_SALT, max_age=ERASE_TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(_("Permintaan penghapusan tidak sah atau kedaluwarsa; buka "
                                "halaman konfirmasi lagi.")) from exc
    if payload != {"r": registration.pk, "u": by.pk}:
        raise ValidationError(_("Permintaan penghapusan tidak sah atau kedaluwarsa; buka "
                                "halaman konfirmasi lagi."))


def _remove_files(files: list[StoredFile]) -> int:
    removed = 0
    for stored in files:
        if stored.file:
            name = stored.file.name
            transaction.on_commit(lambda name=name, storage=stored.file.storage:
                                  storage.delete(name))
            removed += 1
        StoredFile.objects.filter(pk=stored.pk).update(
            file="", original_name=PLACEHOLDER_NAME.lower(), sha256="", size=0)
    return removed


def _scrub_snapshot(snapshot: dict, placeholder: dict) -> dict:
    if not isinstance(snapshot, dict):
        return {}
    profile = snapshot.get("profile")
    if isinstance(profile, dict):
        snapshot["profile"] = {key: placeholder.get(key, "") for key in profile}
    if "work_history" in snapshot:
        snapshot["work_history"] = []
    return snapshot


def _anonymise(registration: Registration) -> dict:
    placeholder = {
        "full_name": f"{PLACEHOLDER_NAME} #{registration.pk}",
        "plain_name": f"{PLACEHOLDER_NAME} #{registration.pk}",
        "nip": f"X{registration.pk:017d}"[:18],
        "email": f"dihapus-{registration.pk}@dihapus.invalid",
        "phone": "", "position": "-", "work_unit": "", "mentor_name": "", "mentor_nip": "",
        "mentor_position": "", "mentor_email": "",
        # Only the birth year stays (age bands in the statistics).
        "birth_date": dt.date(registration.birth_date.year, 1, 1),
    }
    Registration.objects.filter(pk=registration.pk).update(**placeholder)
    return placeholder


@transaction.atomic
def erase_person(*, registration: Registration, by: User, token: str,
                 today: dt.date | None = None) -> list[Erasure]:
    """Replace the official's name, NIP, e-mail, phone, mentor, CV and files with
    placeholders in every registration of theirs; agency, level, statuses and results stay
    for the statistics. Refused before the programme's retention period has passed, and
    without this organiser's confirmation for this registration."""
    _check_token(token, registration=registration, by=by)
    check_erasable(registration=registration, today=today or timezone.localdate())
    rows = person_registrations(registration)
    ids = [row.pk for row in rows]
    users = {row.user for row in rows if row.user_id}
    files = list(StoredFile.objects.filter(
        Q(pk__in=Document.objects.filter(registration_id__in=ids).values("stored_id"))
        | Q(pk__in=Resume.objects.filter(registration_id__in=ids, stored__isnull=False)
            .values("stored_id"))
        | Q(uploaded_by__in=[u.pk for u in users])))
    removed = _remove_files(files)
    WorkHistoryEntry.objects.filter(registration_id__in=ids).delete()
    erasures = []
    now = timezone.now()
    for row in rows:
        placeholder = _anonymise(row)
        for submission in Submission.objects.filter(registration=row):
            submission.snapshot = _scrub_snapshot(submission.snapshot, placeholder)
            submission.save(update_fields=["snapshot"])
        erasures.append(Erasure.objects.create(registration=row, erased_at=now, erased_by=by,
                                               files_removed=removed if row.pk == ids[0] else 0))
        log(action=DataAction.ERASE, by=by, registration=row,
            note=_("%(files)d berkas dihapus") % {"files": removed})
    for certificate in Certificate.objects.filter(registration_id__in=ids):
        placeholder = Registration.objects.values("full_name", "nip").get(
            pk=certificate.registration_id)
        if certificate.pdf:
            name, storage = certificate.pdf.name, certificate.pdf.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        Certificate.objects.filter(pk=certificate.pk).update(
            full_name=placeholder["full_name"], nip=placeholder["nip"], pdf="")
    for user in users:
        user.username = f"dihapus-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    return erasures


@transaction.atomic
def log_refused_erasure(*, registration: Registration, by: User, reason: str) -> None:
    log(action=DataAction.ERASE_REFUSED, by=by, registration=registration, note=reason)


# -- a large report export (a background job) -----------------------------------------------

@transaction.atomic
def start_report_export(*, user: User, kind: str, query: dict[str, list[str]]
                        ) -> ReportExport:
    """Queue the writing of a report's workbook with the filters as asked (``query``: the
    request's parameters); the job resolves them again for the user, so an operator's file
    holds only their own agency's rows."""
    from kompeten.accounts.models import Role
    from kompeten.common.jobs import dispatch
    from kompeten.reports.tasks import build_report_export as task

    export = ReportExport.objects.create(
        kind=kind, created_by=user,
        query={key: [value[:100] for value in values][:5] for key, values in query.items()
               if key in EXPORT_PARAMETERS},
        agency_id=user.agency_id if user.role == Role.OPERATOR else None)
    dispatch(task, export_id=export.pk)
    return export


EXPORT_PARAMETERS = ("tahun", "level", "agency", "province", "batch", "per", "q", "unit")
PROGRESS_EVERY = 1000  # rows between two progress writes (and heartbeats)


def build_report_export(*, export_id: int) -> ReportExport | None:
    """The job: build the report as its page does for the user who asked, write every row
    into a temporary file, then store it privately. A rerun of a finished export does
    nothing; a rerun of an interrupted one writes it again."""
    import tempfile
    from types import SimpleNamespace

    from django.core.files import File
    from django.http import QueryDict

    from kompeten.common.jobs import beat
    from kompeten.common.storage import private_storage
    from kompeten.reports.exports import write_xlsx
    from kompeten.reports.filters import resolve
    from kompeten.reports.views.reports import REPORTS

    export = ReportExport.objects.select_related("created_by").filter(pk=export_id).first()
    if export is None or export.status == ExportStatus.FINISHED:
        return export
    report = REPORTS[export.kind]
    data = QueryDict(mutable=True)
    for key, values in export.query.items():
        data.setlist(key, values)
    user = export.created_by
    resolved = resolve(data, user=user, allow_all=report.allow_all,
                       default_all=report.default_all)
    table = report.table(report.build(resolved.criteria, SimpleNamespace(GET=data, user=user)))
    total = len(table)
    ReportExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, total=total,
                                                     written=0)
    written = 0

    def counted():
        nonlocal written
        for row in table.rows:
            yield row
            written += 1
            if written % PROGRESS_EVERY == 0:
                ReportExport.objects.filter(pk=export.pk).update(written=min(written, total))
                beat()

    with tempfile.TemporaryFile() as spool:
        write_xlsx(spool, sheet_title=str(report.title), header=table.header, rows=counted())
        spool.seek(0)
        stamp = timezone.localdate().isoformat()
        name = private_storage().save(
            f"reports/exports/laporan-{export.kind}-{export.pk}-{stamp}.xlsx", File(spool))
    ReportExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.FINISHED, total=max(total, written), written=written, file=name,
        finished_at=timezone.now())
    export.refresh_from_db()
    return export


# -- a large report's figures, computed by a background job (selectors.snapshots) -----------

@transaction.atomic
def request_snapshot(*, user: User, kind: str, key: str, language: str, registrations: int,
                     query: dict[str, list[str]]) -> ReportSnapshot:
    """Ask for the figures of ``key`` to be computed, unless a computation is already on its
    way (two visitors at once start one job: the row is unique per key and the request is a
    conditional UPDATE)."""
    from kompeten.common.jobs import dispatch
    from kompeten.reports.selectors.snapshots import PENDING_STALE
    from kompeten.reports.tasks import compute_report_snapshot as task

    now = timezone.now()
    query = {k: [value[:100] for value in values][:5] for k, values in query.items()
             if k in EXPORT_PARAMETERS}
    found, created = ReportSnapshot.objects.get_or_create(
        kind=kind, key=key, defaults={
            "language": language, "query": query, "requested_by": user, "requested_at": now,
            "registrations": registrations})
    if not created:
        stale = now - PENDING_STALE
        asked = (ReportSnapshot.objects.filter(pk=found.pk)
                 .filter(Q(status=SnapshotStatus.READY)
                         | Q(started_at__lt=stale) | Q(started_at__isnull=True,
                                                      requested_at__lt=stale))
                 .update(status=SnapshotStatus.QUEUED, requested_at=now, started_at=None,
                         requested_by=user, query=query, registrations=registrations))
        if not asked:
            return found
        found.refresh_from_db()
    dispatch(task, snapshot_id=found.pk)
    return found


def compute_snapshot(*, snapshot_id: int) -> ReportSnapshot | None:
    """The job: claim the queued row, aggregate the report as its page would in the request
    (for the user who asked, in their language), store the figures with the time they were
    read. Outside a transaction: the aggregates are long reads, and the row's status says
    what is going on."""
    import time
    from types import SimpleNamespace

    from django.http import QueryDict
    from django.utils import translation

    from kompeten.reports.filters import resolve
    from kompeten.reports.views.reports import REPORTS

    started = timezone.now()
    if not ReportSnapshot.objects.filter(pk=snapshot_id, status=SnapshotStatus.QUEUED).update(
            status=SnapshotStatus.RUNNING, started_at=started):
        return ReportSnapshot.objects.filter(pk=snapshot_id).first()  # done or running
    found = ReportSnapshot.objects.select_related("requested_by").get(pk=snapshot_id)
    report = REPORTS[found.kind]
    params = QueryDict(mutable=True)
    for key, values in found.query.items():
        params.setlist(key, values)
    clock = time.monotonic()
    with translation.override(found.language):
        resolved = resolve(params, user=found.requested_by, allow_all=report.allow_all,
                           default_all=report.default_all)
        data = report.compute(resolved.criteria,
                              report.options(SimpleNamespace(GET=params)))
    ReportSnapshot.objects.filter(pk=snapshot_id, started_at=started).update(
        status=SnapshotStatus.READY, data=data, computed_at=started,
        duration_ms=round((time.monotonic() - clock) * 1000))
    return ReportSnapshot.objects.filter(pk=snapshot_id).first()


SNAPSHOT_KEEP = dt.timedelta(days=7)


def purge_old_snapshots() -> int:
    """The reaper's clean-up: stored figures nobody asked for in a week (every filter
    combination someone once chose has a row) are deleted; a later visit computes anew."""
    deleted, _per_model = ReportSnapshot.objects.filter(
        status=SnapshotStatus.READY,
        requested_at__lt=timezone.now() - SNAPSHOT_KEEP).delete()
    return deleted
