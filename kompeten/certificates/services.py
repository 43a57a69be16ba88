"""Writes of the certificates app: the policy, the organiser's eligibility records, issuing
(one certificate, or a batch as a background job), correcting and revoking."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import Role, User
from kompeten.certificates import documents, integration, numbering
from kompeten.certificates.eligibility import Row, batch_rows, policy_for, row_for
from kompeten.certificates.models import (
    Certificate,
    CertificatePolicy,
    IssueRun,
    Kind,
    ManualEligibility,
    RunStatus,
    SiasnExport,
)
from kompeten.common.jobs import dispatch
from kompeten.common.storage import private_storage
from kompeten.programs.models import Batch, Program, ProgramUnit
from kompeten.registration.models import Registration

# Progress is written every few certificates, not after each one.
PROGRESS_EVERY = 16


@transaction.atomic
def save_policy(*, program: Program, values: dict) -> CertificatePolicy:
    for field in ("training_pattern", "competence_pattern"):
        if field in values:
            numbering.check_pattern(values[field])
    policy, _created = CertificatePolicy.objects.update_or_create(program=program,
                                                                  defaults=values)
    return policy


@transaction.atomic
def record_eligibility(*, registration: Registration, kind: str, reason: str,
                       unit_ids: list[int] | None = None, by: User) -> ManualEligibility:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Tuliskan alasannya."))
    allowed = set(ProgramUnit.objects.filter(
        qualification_id=registration.qualification_id).values_list("pk", flat=True))
    units = sorted(set(unit_ids or []) & allowed) if kind == Kind.COMPETENCE else []
    if kind == Kind.COMPETENCE and not units:
        raise ValidationError(_("Pilih unit kompetensi yang dinilai K."))
    record, _created = ManualEligibility.objects.update_or_create(
        registration=registration, kind=kind,
        defaults={"reason": reason[:300], "unit_ids": units, "recorded_by": by,
                  "recorded_at": timezone.now()})
    return record


@transaction.atomic
def withdraw_eligibility(*, registration: Registration, kind: str) -> None:
    ManualEligibility.objects.filter(registration=registration, kind=kind).delete()


def _signatory(program: Program, policy: CertificatePolicy) -> dict:
    return {"signatory_name": policy.signatory_name or program.signatory_name,
            "signatory_title": policy.signatory_title or program.signatory_title,
            "signatory_nip": policy.signatory_nip or program.signatory_nip,
            "place": policy.place}


def _units(unit_ids: list[int]) -> list[dict]:
    by_id = {u.pk: u for u in ProgramUnit.objects.filter(pk__in=unit_ids)}
    return [{"code": by_id[i].code, "title": by_id[i].title} for i in unit_ids if i in by_id]


@transaction.atomic
def _record(*, row: Row, kind: str, by: User | None, replaces: Certificate | None = None,
            full_name: str | None = None) -> Certificate:
    registration = row.registration
    verdict = row.verdicts[kind]
    program = registration.program
    policy = policy_for(program)
    pattern = (policy.training_pattern if kind == Kind.TRAINING
               else policy.competence_pattern)
    number = numbering.format_number(
        pattern, seq=numbering.take(program=program, kind=kind),
        level=numbering.level_code(registration.level), year=program.year)
    qualification = registration.qualification
    certificate = Certificate(
        registration=registration, program=program, batch=row.batch, kind=kind,
        version=replaces.version + 1 if replaces else 1, number=number[:120],
        full_name=full_name or registration.full_name, nip=registration.nip,
        qualification_name=qualification.name if qualification else registration.level.name,
        level_name=registration.level.name, basis=verdict.basis[:300],
        issued_at=timezone.now(), issued_by=by, replaces=replaces,
        **_signatory(program, policy))
    if kind == Kind.COMPETENCE:
        if replaces is not None:
            certificate.units = replaces.units
            certificate.units_k, certificate.units_total = replaces.units_k, replaces.units_total
        else:
            certificate.units = _units(verdict.unit_ids)
            certificate.units_k, certificate.units_total = (len(verdict.unit_ids),
                                                            verdict.units_total)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s sudah mempunyai sertifikat yang berlaku.")
                              % {"name": registration.full_name}) from exc
    return certificate


def _check(row: Row | None, kind: str, program: Program | None) -> Row:
    if row is None:
        raise ValidationError(_("Peserta belum ditempatkan di angkatan."))
    if program is not None and row.registration.program_id != program.pk:
        raise ValidationError(_("Peserta ini bukan peserta penyelenggaraan tersebut."))
    if kind in row.certificates:
        raise ValidationError(_("%(name)s sudah mempunyai sertifikat yang berlaku.")
                              % {"name": row.registration.full_name})
    verdict = row.verdicts[kind]
    if not verdict.eligible:
        raise ValidationError(_("%(name)s belum memenuhi syarat: %(why)s") % {
            "name": row.registration.full_name, "why": " ".join(verdict.reasons)})
    return row


def issue(*, registration: Registration, kind: str, by: User | None = None,
          program: Program | None = None) -> Certificate:
    """Issue one certificate to an eligible official: numbered and recorded in one
    transaction, then rendered, signed and stored. Refused (ValidationError) when the rule
    does not allow it, when a valid one exists, or for another programme's official."""
    if kind not in Kind.values:
        raise ValidationError(_("Jenis sertifikat tidak dikenal."))
    row = _check(row_for(registration), kind, program)
    certificate = _record(row=row, kind=kind, by=by)
    documents.produce([certificate])
    return certificate


@transaction.atomic
def revoke(*, certificate: Certificate, reason: str, by: User | None) -> Certificate:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Tuliskan alasan pencabutan."))
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("Sertifikat ini sudah dicabut."))
    locked.revoked_at, locked.revoke_reason, locked.revoked_by = timezone.now(), reason[:300], by
    locked.save(update_fields=["revoked_at", "revoke_reason", "revoked_by"])
    return locked


def reissue(*, certificate: Certificate, reason: str, by: User | None,
            full_name: str | None = None) -> Certificate:
    """A correction: the old version is revoked with the reason and a new version (new
    number, same units) takes its place."""
    with transaction.atomic():
        old = revoke(certificate=certificate, reason=reason, by=by)
        row = row_for(old.registration)
        if row is None:
            raise ValidationError(_("Peserta belum ditempatkan di angkatan."))
        row.certificates.pop(old.kind, None)
        new = _record(row=row, kind=old.kind, by=by, replaces=old,
                      full_name=(full_name or "").strip()[:200] or old.full_name)
    documents.produce([new])
    return new


# -- a batch (or a whole programme) as a background job ----------------------------------

def runs_rows(run: IssueRun) -> list[Row]:
    batches = [run.batch] if run.batch else list(
        Batch.objects.filter(program=run.program).select_related("program").order_by("number"))
    return [row for batch in batches for row in batch_rows(batch)]


@transaction.atomic
def start_run(*, program: Program, kind: str, by: User | None, batch: Batch | None = None,
              passphrase: str = "") -> IssueRun:
    """Queue the issuance job; with a remote signer the official's passphrase goes to the
    job only as a sealed token (kompeten.signing.vault), never in clear."""
    if kind not in Kind.values:
        raise ValidationError(_("Jenis sertifikat tidak dikenal."))
    if batch is not None and batch.program_id != program.pk:
        raise ValidationError(_("Angkatan ini bukan angkatan penyelenggaraan tersebut."))
    run = IssueRun.objects.create(program=program, batch=batch, kind=kind, created_by=by)
    from kompeten.certificates.tasks import issue_certificates

    token = integration.seal(passphrase) if passphrase else ""
    dispatch(issue_certificates, run_id=run.pk, passphrase_token=token)
    return run


def run_issue(*, run_id: int, passphrase_token: str = "") -> IssueRun:
    """Issue every pending certificate of the run; idempotent (a rerun issues only what is
    still missing) and written as it goes so the progress page moves."""
    run = IssueRun.objects.select_related("program", "batch").get(pk=run_id)
    if run.status == RunStatus.FINISHED:
        return run
    passphrase = integration.unseal(passphrase_token) if passphrase_token else None
    try:
        return _run(run, passphrase)
    finally:
        if passphrase_token:
            integration.forget(passphrase_token)


def _run(run: IssueRun, passphrase: str | None) -> IssueRun:
    rows = runs_rows(run)
    pending = [row for row in rows if row.pending(run.kind)]
    IssueRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, total=len(pending),
                                              issued=0, skipped=0)
    issued = skipped = 0
    fresh: list[Certificate] = []
    for index, row in enumerate(pending, 1):
        try:
            fresh.append(_record(row=row, kind=run.kind, by=run.created_by))
            issued += 1
        except ValidationError:
            skipped += 1
        if index % PROGRESS_EVERY == 0:
            documents.produce(fresh, passphrase=passphrase)
            fresh = []
            IssueRun.objects.filter(pk=run.pk).update(issued=issued, skipped=skipped)
    documents.produce(fresh, passphrase=passphrase)
    # Certificates of earlier runs whose PDF was never stored (a stopped worker) get it now.
    documents.produce(list(Certificate.objects.filter(
        pk__in=[row.certificates[run.kind].pk for row in rows if run.kind in row.certificates],
        pdf="").select_related("batch", "program")), passphrase=passphrase)
    merged = _merged_pdf(run)
    IssueRun.objects.filter(pk=run.pk).update(
        issued=issued, skipped=skipped, status=RunStatus.FINISHED, finished_at=timezone.now(),
        merged_pdf=merged)
    run.refresh_from_db()
    return run


def _merged_pdf(run: IssueRun) -> str:
    certificates = list(Certificate.objects.filter(
        program=run.program, kind=run.kind, revoked_at__isnull=True,
        **({"batch": run.batch} if run.batch else {}))
        .select_related("batch", "program").order_by("batch__number", "full_name", "pk"))
    if not certificates:
        return ""
    label = f"angkatan-{run.batch.number}" if run.batch else "semua"
    data = documents.batch_pdf(certificates, title=f"Sertifikat {run.program.code} {label}")
    return private_storage().save(
        f"certificates/{run.program_id}/batches/{run.kind}-{label}-{run.pk}.pdf",
        ContentFile(data))


# -- the SIASN export of a whole programme (a background job) --

@transaction.atomic
def start_siasn_export(*, user: User, program: Program) -> SiasnExport:
    """Queue the writing of the SIASN workbook of what the user may export (an operator:
    their agency's officials); the job's page shows its progress and offers the file."""
    from kompeten.certificates.selectors import siasn_rows
    from kompeten.certificates.tasks import build_siasn_export

    export = SiasnExport.objects.create(
        program=program, created_by=user,
        agency_id=user.agency_id if user.role == Role.OPERATOR else None,
        total=siasn_rows(user=user, program=program).count())
    dispatch(build_siasn_export, export_id=export.pk)
    return export


def build_siasn_export(*, export_id: int) -> SiasnExport | None:
    """The job: write the workbook into a temporary file, then store it privately. A rerun
    of a finished export does nothing; a rerun of an interrupted one writes it again."""
    import tempfile

    from kompeten.certificates import siasn
    from kompeten.certificates.selectors import siasn_export_rows
    from kompeten.common.jobs import beat

    export = SiasnExport.objects.select_related("program").filter(pk=export_id).first()
    if export is None or export.status == RunStatus.FINISHED:
        return export
    rows = siasn_export_rows(export)
    total = rows.count()
    SiasnExport.objects.filter(pk=export.pk).update(status=RunStatus.RUNNING, total=total,
                                                    written=0)

    def progress(written: int) -> None:
        SiasnExport.objects.filter(pk=export.pk).update(written=min(written, total))
        beat()

    with tempfile.TemporaryFile() as spool:
        written = siasn.write(rows, program=export.program, target=spool, progress=progress)
        spool.seek(0)
        stamp = timezone.localdate().isoformat()
        name = private_storage().save(
            f"certificates/siasn/siasn-{export.program.code}-{export.pk}-{stamp}.xlsx",
            File(spool))
    with transaction.atomic():
        SiasnExport.objects.filter(pk=export.pk).update(
            status=RunStatus.FINISHED, total=max(total, written), written=written, file=name,
            finished_at=timezone.now())
    export.refresh_from_db()
    return export
