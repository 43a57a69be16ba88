"""The programme owns its policy: JP rows, stage kinds and per-level dates that gate
what can be done, group and dormitory rules, its own curriculum, unique codes, copies
to another year, and the next step each role sees on the home page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.classroom.models import Publication
from kompeten.dormitory.models import Room, RoomAssignment
from kompeten.home.demo import demo_shift
from kompeten.nominations import services as registration_services
from kompeten.programs import selectors
from kompeten.programs.models import (
    Agency,
    AgencyKind,
    CompetencyUnit,
    JPKind,
    Level,
    Module,
    Program,
    ProgramJP,
    ProgramStage,
    ProgramUnit,
    StageDate,
    StageKind,
)
from kompeten.programs.services import copy_program, create_program_2019, make_current, week_shift
from kompeten.review import services as review_services
from tests.conftest import nominee
from tests.factories import submitted_file

D = dt.date


def _program(**fields) -> Program:
    values = {"code": "uji", "year": 2030, "name": "Uji", "signatory_name": "X",
              "signatory_nip": "1", "signatory_title": "Y"}
    values.update(fields)
    return Program.objects.create(**values)


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


# -- constraints --------------------------------------------------------------------------

@pytest.mark.django_db
def test_group_bounds_and_jp_rows_are_database_invariants():
    _refused(lambda: _program(code="a", group_min_size=0))
    _refused(lambda: _program(code="b", group_min_size=5, group_max_size=4))
    program = _program(code="c", group_min_size=3, group_max_size=3)
    ProgramJP.objects.create(program=program, kind=JPKind.CLASSROOM, jp=12)
    _refused(lambda: ProgramJP.objects.create(program=program, kind=JPKind.CLASSROOM, jp=3))
    _refused(lambda: ProgramJP.objects.create(program=program, kind=JPKind.ELEARNING, jp=0))
    _refused(lambda: ProgramStage.objects.create(
        program=program, number=1, kind=StageKind.REVIEW, date=D(2030, 5, 2),
        end_date=D(2030, 5, 1), activity="x"))
    assert selectors.total_jp(program=program) == 12


@pytest.mark.django_db
def test_two_runs_in_one_year_differ_by_code_and_only_one_is_current():
    first = _program(code="2030", is_current=True)
    second = _program(code="2030-2")
    assert first.year == second.year
    _refused(lambda: _program(code="2030"))
    _refused(lambda: Program.objects.filter(pk=second.pk).update(is_current=True))
    make_current(program=second)
    assert selectors.current_program() == second
    assert Program.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db
def test_urls_use_the_code_and_the_2019_urls_still_work(client):
    program = create_program_2019()
    assert reverse("programs:schedule_ics", args=[program.code]) == "/jadwal/2019.ics"
    assert client.get("/jadwal/2019.ics").status_code == 200
    assert client.get("/jadwal/?tahun=2019").status_code == 200
    assert client.get("/jadwal/?tahun=tidak-ada").status_code == 404


# -- stages and their dates ---------------------------------------------------------------

@pytest.mark.django_db
def test_each_level_has_its_own_classroom_dates_from_its_batches():
    program = create_program_2019()
    pengawas, jpt = Level.objects.get(code="pengawas"), Level.objects.get(code="jpt-pratama")
    classroom = [row for row in selectors.timeline(program=program, level=pengawas)
                 if row.kind == StageKind.CLASSROOM]
    assert (classroom[0].start, classroom[0].end) == (D(2019, 7, 1), D(2019, 7, 5))
    elearning = selectors.stage_window(program=program, kind=StageKind.ELEARNING, level=pengawas)
    assert elearning == (D(2019, 6, 24), D(2019, 6, 30))
    # JPT Pratama (batches 1-3 on 6-7 May) keeps the dates of the guide's table.
    assert selectors.stage_window(program=program, kind=StageKind.CLASSROOM, level=jpt) == (
        D(2019, 5, 6), D(2019, 5, 7))
    assert not StageDate.objects.filter(level=jpt).exists()
    assert selectors.stage_open(program=program, kind=StageKind.CLASSROOM, level=pengawas,
                                today=D(2019, 7, 3))
    assert not selectors.stage_open(program=program, kind=StageKind.CLASSROOM, level=jpt,
                                    today=D(2019, 7, 3))


@pytest.mark.django_db
def test_next_stage_is_the_open_one_else_the_next_to_open():
    program = create_program_2019()
    assert selectors.next_stage(program=program, today=D(2019, 4, 10)).kind == "nomination"
    assert selectors.next_stage(program=program, today=D(2019, 4, 27)).kind == "elearning"
    assert selectors.next_stage(program=program, today=D(2019, 12, 1)) is None


@pytest.mark.django_db
def test_operators_nominate_only_while_the_nomination_stage_is_open(agency_a, users):
    program = create_program_2019()  # nominations 5-15 April 2019
    pengawas = Level.objects.get(code="pengawas")
    operator, organiser = users[Role.OPERATOR], users[Role.ORGANISER]
    with pytest.raises(ValidationError) as closed:
        registration_services.nominate(program=program, agency=agency_a, level=pengawas,
                                       nominee=nominee(), by=operator, today=D(2019, 4, 16))
    assert "05-04-2019 s.d. 15-04-2019" in closed.value.messages[0]
    registration_services.nominate(program=program, agency=agency_a, level=pengawas,
                                   nominee=nominee(), by=operator, today=D(2019, 4, 15))
    # The organiser may add a late nomination.
    registration_services.nominate(program=program, agency=agency_a,
                                   level=Level.objects.get(code="administrator"),
                                   nominee=nominee("197701012005011003"), by=organiser,
                                   today=D(2019, 12, 1))


@pytest.mark.django_db
def test_a_programme_without_a_nomination_stage_does_not_gate(agency_a, users):
    program = _program()
    program.quotas.create(level=Level.objects.get_or_create(
        code="pengawas", defaults={"name": "Pengawas", "order": 3})[0], seats_per_agency=1)
    registration = registration_services.nominate(
        program=program, agency=agency_a, level=Level.objects.get(code="pengawas"),
        nominee=nominee(), by=users[Role.OPERATOR], today=D(2031, 1, 1))
    assert registration.pk


@pytest.mark.django_db
def test_the_nominate_page_says_when_nominations_are_closed(client, agency_a, users):
    program = create_program_2019()
    make_current(program=program)
    client.force_login(users[Role.OPERATOR])
    page = client.post(reverse("nominations:nominate"), {
        "level": Level.objects.get(code="pengawas").pk, "nip": "196804121994031003",
        "full_name": "Drs. AP", "position": "Kepala", "email": "ap@example.test",
        "work_unit": "", "phone": "", "gender": "L"})
    assert page.status_code == 200
    assert "Masa usulan peserta" in page.content.decode()


# -- policy from the programme ------------------------------------------------------------

@pytest.mark.django_db
def test_dormitory_nights_follow_the_programme():
    from kompeten.dormitory.rooms import program_nights

    program = create_program_2019()
    with_arrival = program_nights(program=program)
    program.dorm_arrival_night_before = False
    program.save()
    without = program_nights(program=program)
    assert D(2019, 5, 5) in with_arrival and D(2019, 5, 5) not in without
    assert len(with_arrival) > len(without)


# -- curriculum snapshot and qualification ------------------------------------------------

@pytest.mark.django_db
def test_changing_the_master_units_never_rewrites_a_programmes_curriculum():
    program = create_program_2019()
    unit = CompetencyUnit.objects.get(qualification__code="pengawas", order=1)
    title = unit.title
    unit.title = "Unit baru 2020"
    unit.save()
    Module.objects.filter(level__code="pengawas", order=1).update(title="Modul baru")
    snapshot = ProgramUnit.objects.get(qualification__program=program,
                                       qualification__code="pengawas", order=1)
    assert snapshot.title == title
    assert program.modules.get(level__code="pengawas", order=1).title != "Modul baru"
    assert program.qualifications.count() == 4
    assert ProgramUnit.objects.filter(qualification__program=program).count() == 52


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "level_code", "expected"), [
    (AgencyKind.BKN, "jpt-pratama", "jpt-pratama-bkn"),
    (AgencyKind.KL_PUSAT, "jpt-pratama", "jpt-pratama-kl-daerah"),
    (AgencyKind.PROVINCE, "jpt-pratama", "jpt-pratama-kl-daerah"),
    (AgencyKind.BKN, "pengawas", "pengawas"),
    (AgencyKind.PROVINCE, "administrator", "administrator"),
])
def test_acceptance_gives_the_qualification_by_agency(users, kind, level_code, expected):
    program = create_program_2019()
    agency = Agency.objects.create(code=f"X-{kind}", name=f"Instansi {kind}", kind=kind,
                                   province="" if kind in ("bkn", "kl") else "Aceh")
    registration = submitted_file(program=program, agency=agency, level_code=level_code)
    assert registration.qualification is None
    review_services.decide(registration=registration, reviewer=users[Role.ORGANISER],
                           decision="accept", comments={})
    registration.refresh_from_db()
    assert registration.qualification.code == expected
    assert registration.qualification.program == program


# -- copying a programme ------------------------------------------------------------------

def test_week_shift_keeps_the_weekday_nearest_the_same_day_of_year():
    shift = week_shift(anchor=D(2019, 5, 6), year=2027)
    moved = D(2019, 5, 6) + shift
    assert shift.days % 7 == 0 and moved.weekday() == 0 and moved.year == 2027
    same_day = D(2027, 1, 1) + dt.timedelta(days=D(2019, 5, 6).timetuple().tm_yday - 1)
    assert abs((moved - same_day).days) <= 3
    assert moved == D(2027, 5, 3)


@pytest.mark.django_db
def test_copy_program_shifts_every_date_by_weeks_and_copies_the_policy():
    source = create_program_2019()
    source.group_max_size = 7
    source.save()
    copy = copy_program(source=source, year=2027, code="2027")
    assert (copy.year, copy.group_min_size, copy.group_max_size) == (2027, 4, 7)
    assert selectors.jp_by_kind(program=copy) == selectors.jp_by_kind(program=source)
    assert list(copy.quotas.values_list("level", "seats_per_agency")) == list(
        source.quotas.values_list("level", "seats_per_agency"))
    pairs = list(zip(source.batches.order_by("number"), copy.batches.order_by("number"),
                     strict=True))
    assert len(pairs) == 50
    for old, new in pairs:
        assert new.start_date.weekday() == old.start_date.weekday()
        assert (new.start_date - old.start_date).days % 7 == 0
        assert new.end_date - new.start_date == old.end_date - old.start_date
    shift = pairs[0][1].start_date - pairs[0][0].start_date
    for old, new in zip(source.stages.order_by("number"), copy.stages.order_by("number"),
                        strict=True):
        assert (new.kind, new.date, new.end_date) == (old.kind, old.date + shift,
                                                      old.end_date + shift)
    assert StageDate.objects.filter(stage__program=copy).count() == StageDate.objects.filter(
        stage__program=source).count() > 0
    assert ProgramUnit.objects.filter(qualification__program=copy).count() == 52
    with pytest.raises(ValidationError):
        copy_program(source=source, year=2028, code="2027")


@pytest.mark.django_db
def test_copy_program_command_and_page(client, users, capsys):
    create_program_2019()
    call_command("copy_program", "2019", "--to", "2027")
    assert "angkatan pertama Monday 03-05-2027" in capsys.readouterr().out
    source = Program.objects.get(code="2019")
    client.force_login(users[Role.ORGANISER])
    url = reverse("programs:program_copy", args=[source.pk])
    assert "Ya, salin penyelenggaraan" in client.get(url).content.decode()
    taken = client.post(url, {"year": 2027, "code": "2027"})
    assert taken.status_code == 200 and Program.objects.count() == 2
    done = client.post(url, {"year": 2027, "code": "2027-2", "name": "Angkatan susulan"})
    assert done.status_code == 302
    assert Program.objects.get(code="2027-2").name == "Angkatan susulan"


# -- home pages ---------------------------------------------------------------------------

@pytest.fixture
def live(db, agency_a, users):
    """A copy of 2019 whose review stage is open today, as in the demo."""
    source = create_program_2019()
    today = timezone.localdate()
    program = copy_program(source=source, year=today.year, code="berjalan",
                           shift=demo_shift(source=source, today=today))
    make_current(program=program)
    return program


def _next_step(client, user) -> str:
    client.force_login(user)
    page = client.get("/").content.decode()
    return page.split('id="next-step"', 1)[1].split("</div>", 1)[0]


@pytest.mark.django_db
def test_home_next_step_per_role_points_at_something_to_do_now(client, live, users, agency_a):
    today = timezone.localdate()
    assert selectors.current_program() == live
    open_kinds = {row.kind for row in selectors.open_stages(program=live, today=today)}
    assert open_kinds & {"registration", "review"} or today.weekday() >= 5
    registration = registration_services.nominate(
        program=live, agency=agency_a, level=Level.objects.get(code="pengawas"),
        nominee=nominee(), by=None)
    registration.user = users[Role.PARTICIPANT]
    registration.status = "registered"
    registration.save()
    if today.weekday() < 5:
        organiser = _next_step(client, users[Role.ORGANISER])
        assert "Langkah Anda sekarang" in organiser
        assert reverse("review:queue") in organiser or "nomination" in organiser or \
            reverse("nominations:nomination_list") in organiser
        assert reverse("participants:my_registration") in _next_step(
            client, users[Role.PARTICIPANT])
        assert "1 belum mengirim berkas" in _next_step(client, users[Role.OPERATOR])
    # Facilitators and assessors are pointed at the next batch they serve.
    first = live.batches.get(number=1)
    assert "Angkatan 1 (JPT Pratama)" not in _next_step(client, users[Role.FACILITATOR])
    for role in (Role.FACILITATOR, Role.ASSESSOR):
        assign_staff(batch=first, user=users[role])
    assert "Angkatan 1 (JPT Pratama)" in _next_step(client, users[Role.FACILITATOR])
    assert "Angkatan 1 (JPT Pratama)" in _next_step(client, users[Role.ASSESSOR])


@pytest.mark.django_db
def test_operator_next_step_is_to_nominate_while_nominations_are_open(client, users):
    program = create_program_2019()
    make_current(program=program)
    today = timezone.localdate()
    program.stages.filter(kind="nomination").update(date=today, end_date=today)
    assert reverse("nominations:nominate") in _next_step(client, users[Role.OPERATOR])


@pytest.mark.django_db
def test_participant_sees_own_batch_group_room_and_level_dates_once_published(
        client, users, agency_a):
    program = create_program_2019()
    make_current(program=program)
    registration = submitted_file(program=program, agency=agency_a, level_code="pengawas",
                                  user=users[Role.PARTICIPANT])
    registration.status = "accepted"
    registration.save()
    batch = program.batches.get(number=4)
    placement = Placement.objects.create(registration=registration, batch=batch, seat=1)
    room = Room.objects.create(building="Asrama A", number="101", capacity=2)
    RoomAssignment.objects.create(room=room, night=D(2019, 6, 30), bed=1,
                                  placement=placement, gender="P")
    client.force_login(users[Role.PARTICIPANT])
    page = client.get("/").content.decode()
    assert 'id="my-place"' not in page
    # The timeline is the Pengawas one: classroom days in July, not 6 May.
    assert "1 Jul – 5 Jul 2019" in page
    Placement.objects.filter(pk=placement.pk).update(is_announced=True)
    Publication.objects.create(program=program, published_at=timezone.now(),
                               published_by=users[Role.ORGANISER])
    page = client.get("/").content.decode()
    place = page.split('id="my-place"', 1)[1]
    assert "Asrama A 101" in place and ">4<" in place and "1 Juli 2019" in place
