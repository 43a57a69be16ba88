"""Certificates in the demo: the current programme's certificate policy (the programme's
signatory), the organiser's eligibility records for the demo batch (its training and
assessment lie ahead, so the organiser records them with a reason), three training
certificates (the demo participant's among them) of which one was corrected, so the verify
page shows VALID and DICABUT; the competence certificates are left for the organiser to
issue from the batch page. Idempotent."""

from django.db import transaction

from kompeten.accounts.models import Role, User
from kompeten.batching.models import Placement
from kompeten.certificates import services
from kompeten.certificates.models import Certificate, CertificatePolicy, Kind, ManualEligibility
from kompeten.home.demo_registrations import PENGAWAS
from kompeten.programs.models import Program, ProgramUnit
from kompeten.programs.selectors import qualification_for
from kompeten.registration.models import Registration

REASON = "Demo: dicatat penyelenggara sebelum data kelas dan sidang penetapan tersedia"
CORRECTION = "Demo: gelar pada nama salah tulis, diterbitkan ulang"
ISSUED = 3


def load_demo_certificates(*, program: Program) -> int:
    """Returns how many certificates were issued."""
    placement = Placement.objects.filter(registration__program=program,
                                         registration__nip=PENGAWAS.nip,
                                         batch__isnull=False).select_related("batch").first()
    organiser = User.objects.filter(role=Role.ORGANISER).order_by("pk").first()
    if placement is None or organiser is None:
        return 0
    with transaction.atomic():
        CertificatePolicy.objects.get_or_create(program=program, defaults={
            "signatory_name": program.signatory_name, "signatory_nip": program.signatory_nip,
            "signatory_title": "Kepala Pusat Pengembangan Aparatur Sipil Negara"})
        if Certificate.objects.filter(program=program).exists():
            return 0
        registrations = [p.registration for p in Placement.objects.filter(
            batch=placement.batch).select_related("registration__level",
                                                  "registration__agency").order_by(
            "-registration__nip")]
        for registration in registrations:
            if registration.qualification_id is None:
                # The generated colleagues were accepted without one: what acceptance gives.
                registration.qualification = qualification_for(
                    program=program, level=registration.level, agency=registration.agency)
                Registration.objects.filter(pk=registration.pk).update(
                    qualification=registration.qualification)
            units = list(ProgramUnit.objects.filter(
                qualification_id=registration.qualification_id).values_list("pk", flat=True))
            for kind in Kind.values:
                if not ManualEligibility.objects.filter(registration=registration,
                                                        kind=kind).exists():
                    services.record_eligibility(registration=registration, kind=kind,
                                                reason=REASON, unit_ids=units, by=organiser)
    chosen = sorted(registrations, key=lambda r: r.nip != PENGAWAS.nip)[:ISSUED]
    issued = [services.issue(registration=r, kind=Kind.TRAINING, by=organiser)
              for r in chosen if r.qualification_id]
    if len(issued) > 1:
        services.reissue(certificate=issued[-1], reason=CORRECTION, by=organiser,
                         full_name=issued[-1].full_name)
    return len(issued)
