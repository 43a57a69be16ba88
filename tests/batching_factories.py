"""Small factories for the batch placement tests (programmes, batches, accepted officials)."""

import datetime as dt
import itertools

from django.utils import timezone

from kompeten.placement.models import Placement
from kompeten.programs.models import Agency, AgencyKind, Batch, Level, Program
from kompeten.programs.services import load_reference_data
from kompeten.registration.models import Registration

D = dt.date
_seq = itertools.count(1)


def levels() -> tuple[Level, Level]:
    load_reference_data()
    return Level.objects.get(code="pengawas"), Level.objects.get(code="administrator")


def new_program() -> Program:
    n = next(_seq)
    return Program.objects.create(code=f"uji-{2100 + n}", year=2100 + n,
                                  name=f"Uji Penempatan {n}",
                                  signatory_name="Dr. Uji", signatory_nip="196102121985091001",
                                  signatory_title="Kepala Pusat")


def batch(program: Program, level: Level, number: int, start: dt.date, *, capacity: int = 30,
          days: int = 1) -> Batch:
    return Batch.objects.create(program=program, level=level, number=number, start_date=start,
                                end_date=start + dt.timedelta(days=days), capacity=capacity)


def agency(name: str | None = None) -> Agency:
    n = next(_seq)
    return Agency.objects.create(code=f"T-{n}", name=name or f"Instansi Uji {n}",
                                 kind=AgencyKind.KL_PUSAT)


def accepted(program: Program, level: Level, agency: Agency, count: int = 1, *,
             status: str = "accepted") -> list[Registration]:
    """Officials of the agency, their files completed one second apart (in this order)."""
    rows = []
    base = timezone.now()
    for _ in range(count):
        n = next(_seq)
        birth = D(1970, 1, 1) + dt.timedelta(days=n)
        rows.append(Registration(
            program=program, agency=agency, level=level, seat=10000 + n % 20000, status=status,
            nip=f"{birth:%Y%m%d}199801{1 + n % 2}{n % 1000:03d}", birth_date=birth,
            gender="L" if n % 2 == 0 else "P", full_name=f"Pejabat Uji {n}, S.E.",
            plain_name=f"Pejabat Uji {n}", position="Kepala Seksi",
            email=f"uji{n}@instansi.test", submitted_at=base + dt.timedelta(seconds=n)))
    return Registration.objects.bulk_create(rows)


def seats(program: Program) -> dict[int, tuple[int | None, int | None]]:
    """registration id -> (batch number or None, seat)."""
    return {rid: (number, seat) for rid, number, seat in
            Placement.objects.filter(registration__program=program)
            .values_list("registration_id", "batch__number", "seat")}
