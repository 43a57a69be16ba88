"""Who may receive which certificate, and why not: read from the e-learning progress, the
classroom attendance, the released assessment results and the organiser's records, with a
fixed number of queries per batch."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kompeten.batching.models import Placement
from kompeten.certificates import integration
from kompeten.certificates.models import (
    Certificate,
    CertificatePolicy,
    CompetenceRule,
    Kind,
    ManualEligibility,
)
from kompeten.classroom.selectors import attendance_table
from kompeten.elearning.selectors import batch_progress
from kompeten.programs.models import Batch, Program, ProgramUnit
from kompeten.registration.models import Registration


def policy_for(program: Program) -> CertificatePolicy:
    """The programme's policy, or the defaults (unsaved) when the organiser set none."""
    policy = CertificatePolicy.objects.filter(program=program).first()
    return policy or CertificatePolicy(program=program)


@dataclass
class Verdict:
    eligible: bool
    reasons: list[str] = field(default_factory=list)  # why not
    basis: str = ""  # what makes the official eligible
    unit_ids: list[int] = field(default_factory=list)  # competence: the units judged K
    units_total: int = 0
    manual: ManualEligibility | None = None


@dataclass
class Row:
    registration: Registration
    batch: Batch
    verdicts: dict[str, Verdict]
    certificates: dict[str, Certificate]

    @property
    def training(self) -> Verdict:
        return self.verdicts[Kind.TRAINING]

    @property
    def competence(self) -> Verdict:
        return self.verdicts[Kind.COMPETENCE]

    def pending(self, kind: str) -> bool:
        """Eligible and without a valid certificate of that kind."""
        return self.verdicts[kind].eligible and kind not in self.certificates


def _training(*, progress, jp: int, minimum: int, manual) -> Verdict:
    if manual is not None:
        return Verdict(True, basis=_("Dicatat penyelenggara: %(reason)s") % {
            "reason": manual.reason}, manual=manual)
    reasons = []
    if progress is None or not progress.complete:
        done = progress.studied if progress else 0
        total = progress.modules if progress else 0
        reasons.append(_("E-learning belum selesai (%(done)s dari %(total)s modul).")
                       % {"done": done, "total": total})
    if jp < minimum:
        reasons.append(_("Kehadiran %(jp)s JP, kurang dari %(min)s JP.")
                       % {"jp": jp, "min": minimum})
    if reasons:
        return Verdict(False, reasons)
    return Verdict(True, basis=_("E-learning selesai; hadir %(jp)s JP.") % {"jp": jp})


def _competence(*, registration, units: list[int], results: dict[int, str] | None,
                policy: CertificatePolicy, manual) -> Verdict:
    if not units:
        return Verdict(False, [_("Kualifikasinya belum mempunyai unit kompetensi.")])
    if manual is not None:
        k_units = [u for u in units if u in set(manual.unit_ids)]
        basis = _("Dicatat penyelenggara: %(reason)s") % {"reason": manual.reason}
    elif results:
        k_units = [u for u in units if results.get(u) == "K"]
        basis = _("Hasil uji kompetensi yang ditetapkan sidang penetapan.")
    else:
        return Verdict(False, [_("Hasil uji kompetensi belum ditetapkan.")],
                       units_total=len(units))
    total = len(units)
    if policy.competence_rule == CompetenceRule.ALL:
        enough, needed = len(k_units) == total, total
    else:
        needed = min(policy.min_units_k, total)
        enough = len(k_units) >= needed
    verdict = Verdict(enough, basis=basis, unit_ids=k_units, units_total=total,
                      manual=manual)
    if not enough:
        verdict.reasons.append(
            _("%(k)s dari %(total)s unit K; syaratnya %(needed)s unit K.")
            % {"k": len(k_units), "total": total, "needed": needed})
    return verdict


def batch_rows(batch: Batch, *, registration_ids: list[int] | None = None) -> list[Row]:
    """Every official placed in the batch with both verdicts and valid certificates."""
    policy = policy_for(batch.program)
    placements = (Placement.objects.filter(batch=batch)
                  .select_related("registration__agency", "registration__level",
                                  "registration__qualification")
                  .order_by("registration__plain_name", "registration__pk"))
    if registration_ids is not None:
        placements = placements.filter(registration_id__in=registration_ids)
    registrations = [p.registration for p in placements]
    if not registrations:
        return []
    ids = [r.pk for r in registrations]
    progress = {p.registration.pk: p for p in batch_progress(batch)}
    _sessions, attendance, minimum = attendance_table(batch)
    jp = {row.placement.registration_id: row.jp for row in attendance}
    results = integration.released_results(ids)
    units: dict[int, list[int]] = {}
    for unit_id, qualification_id in ProgramUnit.objects.filter(
            qualification_id__in={r.qualification_id for r in registrations}
    ).order_by("order").values_list("pk", "qualification_id"):
        units.setdefault(qualification_id, []).append(unit_id)
    manual = {(m.registration_id, m.kind): m
              for m in ManualEligibility.objects.filter(registration_id__in=ids)}
    certificates: dict[int, dict[str, Certificate]] = {}
    for certificate in Certificate.objects.filter(registration_id__in=ids,
                                                  revoked_at__isnull=True):
        certificates.setdefault(certificate.registration_id, {})[certificate.kind] = certificate
    rows = []
    for registration in registrations:
        verdicts = {
            Kind.TRAINING: _training(progress=progress.get(registration.pk),
                                     jp=jp.get(registration.pk, 0), minimum=minimum,
                                     manual=manual.get((registration.pk, Kind.TRAINING))),
            Kind.COMPETENCE: _competence(
                registration=registration, units=units.get(registration.qualification_id, []),
                results=results.get(registration.pk), policy=policy,
                manual=manual.get((registration.pk, Kind.COMPETENCE))),
        }
        rows.append(Row(registration, batch, verdicts, certificates.get(registration.pk, {})))
    return rows


def row_for(registration: Registration) -> Row | None:
    """The official's row (None when not placed in a batch)."""
    placement = Placement.objects.filter(registration=registration,
                                         batch__isnull=False).select_related(
        "batch__program").first()
    if placement is None:
        return None
    rows = batch_rows(placement.batch, registration_ids=[registration.pk])
    return rows[0] if rows else None
