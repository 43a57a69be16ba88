"""The demo programme: the 2019 data of the source document, a generated population
of agencies (marked as demo) and one account per role. Idempotent."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from faker import Faker

from kompeten.access.models import BatchStaff
from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role, User
from kompeten.common import pagecache
from kompeten.programs.models import PROVINCES, Agency, AgencyKind, Program, StageKind
from kompeten.programs.services import copy_program, create_program_2019, make_current

DEMO_PASSWORD = "kompeten2019"
DEMO_SEED = 2019

# Central ministries and institutions (K/L); real names, demo contacts.
KL_NAMES = [
    "Kementerian Dalam Negeri", "Kementerian Luar Negeri", "Kementerian Pertahanan",
    "Kementerian Hukum", "Kementerian Keuangan", "Kementerian Energi dan Sumber Daya Mineral",
    "Kementerian Perindustrian", "Kementerian Perdagangan", "Kementerian Pertanian",
    "Kementerian Lingkungan Hidup dan Kehutanan", "Kementerian Perhubungan",
    "Kementerian Kelautan dan Perikanan", "Kementerian Ketenagakerjaan",
    "Kementerian Pekerjaan Umum dan Perumahan Rakyat", "Kementerian Kesehatan",
    "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi", "Kementerian Sosial",
    "Kementerian Agama", "Kementerian Komunikasi dan Informatika",
    "Kementerian Sekretariat Negara", "Kementerian Pendayagunaan Aparatur Negara dan RB",
    "Kementerian PPN/Bappenas", "Kementerian Badan Usaha Milik Negara",
    "Kementerian Koperasi dan UKM", "Kementerian Pariwisata", "Kementerian Desa PDTT",
    "Kementerian Pemuda dan Olahraga", "Kementerian Agraria dan Tata Ruang/BPN",
    "Lembaga Administrasi Negara", "Badan Pusat Statistik",
    "Badan Pengawasan Keuangan dan Pembangunan",
    "Arsip Nasional Republik Indonesia", "Badan Nasional Penanggulangan Bencana",
    "Komisi Aparatur Sipil Negara",
]
KABUPATEN_PER_PROVINCE = 4


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    full_name: str
    agency_code: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("penyelenggara", Role.ORGANISER, "Eko Wahyudi"),
    DemoAccount("operator", Role.OPERATOR, "Sri Rahayu", "PROV-12"),
    DemoAccount("operator2", Role.OPERATOR, "Budi Santoso", "PROV-16"),
    DemoAccount("peserta", Role.PARTICIPANT, "Drs. AP"),
    DemoAccount("fasilitator", Role.FACILITATOR, "Dr. NH"),
    DemoAccount("asesor", Role.ASSESSOR, "AST, MA."),
    DemoAccount("asesor2", Role.ASSESSOR, "Dr. RS, M.Psi."),
    # A participant of the past programme (kompeten/home/demo_history.py) with monev open.
    DemoAccount("alumni", Role.PARTICIPANT, "Dra. Sri Mulyani, M.Si."),
]


def demo_agencies() -> list[Agency]:
    """The generated agency population, deterministic for one Faker seed."""
    fake = Faker("id_ID")
    fake.seed_instance(DEMO_SEED)
    agencies = [Agency(code="BKN", name="Badan Kepegawaian Negara", kind=AgencyKind.BKN,
                       email="demo.bkn@instansi.example", is_demo=True)]
    for number, name in enumerate(KL_NAMES, start=1):
        agencies.append(Agency(code=f"KL-{number:02d}", name=name, kind=AgencyKind.KL_PUSAT,
                               email=f"demo.kl{number:02d}@instansi.example", is_demo=True))
    surnames = sorted(set(fake.provider("faker.providers.person").last_names))
    places = iter(fake.random.sample(surnames, len(PROVINCES) * KABUPATEN_PER_PROVINCE))
    for index, province in enumerate(PROVINCES, start=1):
        agencies.append(Agency(
            code=f"PROV-{index:02d}", name=f"BKD Provinsi {province}",
            kind=AgencyKind.PROVINCE, province=province,
            email=f"demo.prov{index:02d}@instansi.example", is_demo=True,
        ))
        for serial in range(1, KABUPATEN_PER_PROVINCE + 1):
            place = next(places)
            code = f"KAB-{index:02d}{serial:02d}"
            agencies.append(Agency(
                code=code, name=f"BKPSDM Kabupaten {place} (demo)",
                kind=AgencyKind.REGENCY_CITY, province=province,
                email=f"demo.{code.lower()}@instansi.example", is_demo=True,
            ))
    cities = sorted({c for c in fake.provider("faker.providers.address").cities
                     if not c.startswith("Kota Administrasi")})
    for serial, city in enumerate(cities, start=1):
        province = PROVINCES[(serial - 1) % len(PROVINCES)]
        code = f"KOTA-{serial:03d}"
        agencies.append(Agency(
            code=code, name=f"BKPSDM Kota {city} (demo)", kind=AgencyKind.REGENCY_CITY,
            province=province, email=f"demo.{code.lower()}@instansi.example", is_demo=True,
        ))
    return agencies


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Load everything the demo needs; running it again creates nothing new."""
    program = create_program_2019()
    existing = set(Agency.objects.values_list("code", flat=True))
    new_agencies = [a for a in demo_agencies() if a.code not in existing]
    Agency.objects.bulk_create(new_agencies)
    agencies = {a.code: a for a in Agency.objects.filter(
        code__in=[a.agency_code for a in DEMO_ACCOUNTS if a.agency_code])}
    new_users = 0
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        first, _sep, last = account.full_name.partition(" ")
        user = User(
            username=account.username, role=account.role, first_name=first, last_name=last,
            email=f"{account.username}@demo.kompeten.example",
            agency=agencies.get(account.agency_code),
            is_staff=account.role == Role.ORGANISER,
            is_superuser=account.role == Role.ORGANISER,
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        new_users += 1
    # Imported here: these demo modules import DEMO_PASSWORD from this one.
    from kompeten.home.demo_registrations import load_demo_registrations
    from kompeten.home.demo_rooms import load_demo_rooms
    from kompeten.rumpun.topics import ensure_default_topics

    # The three example action plans of the guide (registration builds on the accounts above).
    load_demo_registrations()
    ensure_default_topics()
    load_demo_rooms()
    current = load_current_copy(source=program, today=timezone.localdate())
    load_demo_batch_staff(program=current)
    from kompeten.home.demo_exam import load_demo_exam

    load_demo_exam(program=current)
    from kompeten.home.demo_certificates import load_demo_certificates
    load_demo_certificates(program=current)
    from kompeten.home.demo_monev import load_demo_monev

    load_demo_monev()
    from kompeten.home.demo_reports import load_demo_reports

    load_demo_reports()
    # The demo writes placements, groups and names directly: the public class lists afresh.
    pagecache.bump(pagecache.ANNOUNCEMENT)
    return {"program_year": program.year, "current_program": current.code,
            "batches": program.batches.count(),
            "new_agencies": len(new_agencies), "agencies": Agency.objects.count(),
            "new_users": new_users}


DEMO_STAFF_BATCHES = 3


def load_demo_batch_staff(*, program: Program) -> None:
    """The demo facilitator and assessor serve the first batches of the current programme
    (they see only those)."""
    staff = User.objects.filter(username__in=["fasilitator", "asesor"])
    for batch in program.batches.order_by("start_date", "number")[:DEMO_STAFF_BATCHES]:
        for user in staff:
            if not BatchStaff.objects.filter(batch=batch, user=user).exists():
                assign_staff(batch=batch, user=user)


def demo_shift(*, source: Program, today: dt.date) -> dt.timedelta:
    """Whole weeks that put the source's registration stage in the week of ``today``
    (registration Monday to Thursday, review Thursday and Friday; the first batches
    follow two weeks later)."""
    stage = source.stages.filter(kind=StageKind.REGISTRATION).order_by("date").first()
    anchor = stage.date if stage else source.stages.order_by("date").first().date
    monday = today - dt.timedelta(days=today.weekday())
    anchor_monday = anchor - dt.timedelta(days=anchor.weekday())
    return monday - anchor_monday


@transaction.atomic
def load_current_copy(*, source: Program, today: dt.date) -> Program:
    """A copy of the 2019 programme dated around today, marked current, with the demo
    participants in it; kept as it is when a current programme exists already."""
    from kompeten.home.demo_registrations import load_demo_invited, load_demo_registrations

    current = Program.objects.filter(is_current=True).first()
    if current is None:
        shift = demo_shift(source=source, today=today)
        first = source.batches.order_by("start_date").first()
        year = (first.start_date + shift).year
        code = str(year) if not Program.objects.filter(code=str(year)).exists() else f"{year}-demo"
        current = copy_program(source=source, year=year, code=code, shift=shift)
        make_current(program=current)
    load_demo_registrations(program=current)
    load_demo_invited(program=current)
    from kompeten.home.demo_classroom import load_demo_classroom
    from kompeten.home.demo_elearning import load_demo_elearning

    load_demo_elearning(program=current)
    load_demo_classroom(program=current)
    from kompeten.home.demo_assessment import load_demo_assessment

    load_demo_assessment(program=current)
    return current
