"""Certificate objects for tests: placed officials with a qualification, the organiser's
eligibility records, issued certificates and a finished issuance run; a small JPEG photo."""

import io

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.certificates import services
from kompeten.certificates.models import IssueRun, Kind
from kompeten.programs.models import ProgramUnit
from kompeten.programs.selectors import qualification_for


def jpeg(colour=(200, 30, 30), size=(300, 400)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def qualify(registration):
    """Give the registration its programme qualification (what acceptance does)."""
    registration.qualification = qualification_for(
        program=registration.program, level=registration.level, agency=registration.agency)
    registration.status = "accepted"
    registration.save(update_fields=["qualification", "status"])
    return registration


def seat_in(registration, batch, seat: int = 1) -> None:
    if not Placement.objects.filter(registration=registration).exists():
        Placement.objects.create(registration=registration, batch=batch, seat=seat)


def all_units(registration) -> list[int]:
    return list(ProgramUnit.objects.filter(qualification_id=registration.qualification_id)
                .order_by("order").values_list("pk", flat=True))


def make_eligible(registration, kind: str, by, *, units: list[int] | None = None):
    return services.record_eligibility(
        registration=registration, kind=kind, reason="Hasil sidang penetapan 12 Juli",
        unit_ids=units if units is not None else all_units(registration), by=by)


def issued(registration, batch, kind: str, by, *, seat: int = 1):
    qualify(registration)
    seat_in(registration, batch, seat)
    make_eligible(registration, kind, by)
    return services.issue(registration=registration, kind=kind, by=by)


def matrix_certificate(ctx):
    """The participant's (agency A, batch X) competence certificate, once per test."""
    if "certificate" not in ctx:
        ctx["certificate"] = issued(ctx["registration"], ctx["batch_x"], Kind.COMPETENCE,
                                    ctx["users"][Role.ORGANISER])
    return ctx["certificate"]


def matrix_run(ctx):
    """A finished issuance run of batch X with its merged PDF."""
    if "certificate_run" not in ctx:
        matrix_certificate(ctx)
        run = IssueRun.objects.create(program=ctx["program"], batch=ctx["batch_x"],
                                      kind=Kind.COMPETENCE)
        ctx["certificate_run"] = services.run_issue(run_id=run.pk)
    return ctx["certificate_run"]


def matrix_siasn_export(ctx):
    """The organiser's finished SIASN export job of the programme (with its workbook)."""
    if "siasn_export" not in ctx:
        from kompeten.certificates.models import SiasnExport

        matrix_certificate(ctx)
        export = SiasnExport.objects.create(program=ctx["program"],
                                            created_by=ctx["principals"]["organiser"])
        ctx["siasn_export"] = services.build_siasn_export(export_id=export.pk)
    return ctx["siasn_export"]
