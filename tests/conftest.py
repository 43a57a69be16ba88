import datetime as dt

import pytest

from kompeten.accounts.models import Role, User
from kompeten.nominations import services as registration_services
from kompeten.programs.models import Agency, AgencyKind, Level
from kompeten.programs.services import create_program_2019
from kompeten.registration import services as invitations

PASSWORD = "rahasia-uji-123"
# The default PBKDF2 hasher costs ~0.3 s per login/user; hashing strength is not under test.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, tmp_path):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "private"
    # Background jobs run in-process on commit (tests/test_jobs.py covers the worker queue).
    settings.BACKGROUND_JOBS = "eager"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database rolls back between tests, the
    process's cache (pages, fragments) does not."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _indonesian_after_each_test():
    """A request with the English cookie leaves English active in the thread (the test
    client runs the view in it); the next test must start in the UI's own language."""
    yield
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)


def open_program_2019():
    """The 2019 programme with its nomination stage kept open: the suite runs years after
    2019, so that operator paths work; the gate itself is tested in test_program_policy.py."""
    program = create_program_2019()
    program.stages.filter(kind="nomination").update(end_date=dt.date(2100, 12, 31))
    return program


@pytest.fixture
def program(db):
    return open_program_2019()


def make_agency_a() -> Agency:
    return Agency.objects.create(code="PROV-01", name="BKD Provinsi Aceh",
                                 kind=AgencyKind.PROVINCE, province="Aceh",
                                 email="bkd@aceh.example")


def make_agency_b() -> Agency:
    return Agency.objects.create(code="PROV-02", name="BKD Provinsi Bali",
                                 kind=AgencyKind.PROVINCE, province="Bali",
                                 email="bkd@bali.example")


@pytest.fixture
def agency_a(db):
    return make_agency_a()


@pytest.fixture
def agency_b(db):
    return make_agency_b()


def make_user(role: Role, *, username: str | None = None, agency=None) -> User:
    user = User(username=username or f"u-{role}", role=role, agency=agency,
                first_name=role.label, email=f"{username or role}@example.test")
    user.set_password(PASSWORD)
    user.save()
    return user


def make_users(agency_a: Agency) -> dict[Role, User]:
    """One user per role; the operator belongs to agency_a."""
    return {
        role: make_user(role, agency=agency_a if role == Role.OPERATOR else None)
        for role in Role
    }


@pytest.fixture
def users(db, agency_a):
    return make_users(agency_a)


NIP_MALE = "198503152010011002"
NIP_FEMALE = "199001012015032001"


def nominee(nip: str = NIP_MALE, **overrides) -> registration_services.Nominee:
    values = {"nip": nip, "full_name": "Drs. Agus Pratama, M.Si.",
              "position": "Kepala Subbidang Pengembangan Kompetensi",
              "email": f"{nip}@instansi.example", "work_unit": "BKD", "phone": "0813-1071-3132"}
    values.update(overrides)
    return registration_services.Nominee(**values)


@pytest.fixture
def world(program, agency_a, agency_b, users):
    """A programme with a participant (agency_a, registered) and an invited nominee."""
    return build_world(program, agency_a, agency_b, users)


def build_world(program, agency_a, agency_b, users) -> dict:
    pengawas = Level.objects.get(code="pengawas")
    administrator = Level.objects.get(code="administrator")
    registration = registration_services.nominate(
        program=program, agency=agency_a, level=pengawas, nominee=nominee(NIP_MALE),
        by=users[Role.OPERATOR])
    registration.user = users[Role.PARTICIPANT]
    registration.status = "registered"
    registration.save()
    invited = registration_services.nominate(
        program=program, agency=agency_a, level=administrator, nominee=nominee(NIP_FEMALE),
        by=users[Role.OPERATOR])
    token = invitations.invite(registration=invited)
    extra = {}
    # -- extra objects for the access matrix: add below, one block per area --
    # review: a submitted file (agency_b, version 1) for review:version
    from tests.factories import submitted_file

    extra["review_submitted"] = submitted_file(program=program, agency=agency_b)
    # dormitory: a room and an accepted official of agency_a placed in batch 4
    import datetime as dt

    from kompeten.batching.models import Placement
    from kompeten.dormitory.models import Room
    from kompeten.registration.models import Registration

    extra["room"] = Room.objects.create(building="Asrama A", number="101")
    roomer = Registration.objects.create(
        program=program, agency=agency_a, level=pengawas, seat=90, status="accepted",
        nip="198701012012121003", birth_date=dt.date(1987, 1, 1), gender="L",
        full_name="Budi Santoso, S.Sos.", plain_name="Budi Santoso", position="Kepala Seksi",
        email="budi@instansi.example")
    extra["room_placement"] = Placement.objects.create(
        registration=roomer, batch=program.batches.get(number=4), seat=30)
    # letters: agency_a's numbered announcement letter and a finished send job
    from kompeten.letters.models import JobStatus, SendJob
    from kompeten.letters.services import issue_letters

    extra["letter"] = issue_letters(program=program, agencies=[agency_a])[agency_a.pk]
    extra["letter_job"] = SendJob.objects.create(program=program, status=JobStatus.FINISHED,
                                                 created_by=users[Role.ORGANISER])
    return {**extra, "program": program, "agency_a": agency_a, "agency_b": agency_b, "users": users,
            "registration": registration, "invited": invited, "invitation_token": token}
