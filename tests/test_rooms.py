"""Dormitory rooms: per-night assignment, checker, staying toggle, pages, PDF, command."""

import datetime as dt
import itertools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.dormitory import selectors as room_selectors
from kompeten.dormitory.checker import ROOM_RULES, check_rooms, shortage
from kompeten.dormitory.models import Room, RoomAssignment
from kompeten.dormitory.rooms import assign_rooms, create_rooms, save_room, set_staying, stay_nights
from kompeten.programs.models import Agency, AgencyKind, Batch, Program
from kompeten.registration.models import Registration
from tests import pdf_text
from tests.conftest import make_user
from tests.queries import count_queries

D = dt.date
_seq = itertools.count(1)


def _agency(name="BKD Provinsi Jambi"):
    n = next(_seq)
    return Agency.objects.create(code=f"R-{n}", name=name, kind=AgencyKind.KL_PUSAT)


def place(batch, genders: str, *, agency=None, stays=True) -> list[Placement]:
    """Accepted registrations of the batch's level, placed in the batch."""
    agency = agency or _agency()
    # Quota seats after the agency's last one (the world may hold some already).
    last_seat = Registration.objects.filter(program=batch.program, agency=agency,
                                            level=batch.level).aggregate(m=Max("seat"))["m"] or 0
    registrations = []
    for i, gender in enumerate(genders):
        n = next(_seq)
        registrations.append(Registration(
            program=batch.program, agency=agency, level=batch.level, seat=last_seat + 1 + i,
            status="accepted",
            nip=f"9{n:017d}", birth_date=D(1980, 1, 1), gender=gender,
            full_name=f"Peserta {n}, S.E.", plain_name=f"Peserta {n}",
            position="Kepala Seksi", email=f"p{n}@instansi.test"))
    Registration.objects.bulk_create(registrations)
    first_seat = Placement.objects.filter(batch=batch).count() + 1
    return Placement.objects.bulk_create(
        Placement(registration=r, batch=batch, seat=first_seat + i, stays_in_dorm=stays)
        for i, r in enumerate(registrations))


def rooms(count, capacity=2, building="Asrama A"):
    return create_rooms(building=building, count=count, capacity=capacity)


def beds():
    return set(RoomAssignment.objects.values_list("room_id", "night", "bed", "placement_id"))


def assert_sound(program):
    violations = {k: v for k, v in check_rooms(program=program).items() if v}
    assert violations == {}


@pytest.fixture
def batches(program):
    """2019: batch 4 runs 1-2 Jul, batch 7 runs 2-3 Jul, batch 10 runs 3-4 Jul."""
    return {n: Batch.objects.get(program=program, number=n) for n in (4, 7, 10)}


# --------------------------------------------------------------------------- nights


def test_nights_from_the_evening_before_to_the_evening_before_the_last_day():
    assert stay_nights(start=D(2019, 7, 1), end=D(2019, 7, 2), night_before=True) == [
        D(2019, 6, 30), D(2019, 7, 1)]
    assert stay_nights(start=D(2019, 7, 1), end=D(2019, 7, 3), night_before=True) == [
        D(2019, 6, 30), D(2019, 7, 1), D(2019, 7, 2)]
    assert stay_nights(start=D(2019, 7, 1), end=D(2019, 7, 2), night_before=False) == [
        D(2019, 7, 1)]


@pytest.mark.django_db
def test_overlapping_batches_share_the_dormitory_on_their_common_night(program, batches):
    first = place(batches[4], "LLLL")
    second = place(batches[7], "LL")
    rooms(10)
    summary = assign_rooms(program=program)
    by_night = {n.night: n for n in summary.nights}
    assert sorted(by_night) == [D(2019, 6, 30), D(2019, 7, 1), D(2019, 7, 2)]
    assert by_night[D(2019, 7, 1)].people == {"L": 6}
    assert by_night[D(2019, 7, 1)].rooms_used == 3
    on_first = set(RoomAssignment.objects.filter(night=D(2019, 7, 1))
                   .values_list("placement_id", flat=True))
    assert on_first == {p.pk for p in first + second}
    assert RoomAssignment.objects.filter(night=D(2019, 7, 2)).count() == 2
    assert_sound(program)


@pytest.mark.django_db
def test_men_and_women_never_share_a_room_and_a_shortage_is_reported(program, batches):
    place(batches[4], "LLLPPP")
    rooms(3)
    summary = assign_rooms(program=program)
    for row in summary.nights:
        assert row.people == {"L": 3, "P": 3}
        assert row.unassigned_count == 1
        assert row.rooms_used == 3
    per_room = {}
    for room_id, night, gender in RoomAssignment.objects.values_list("room_id", "night", "gender"):
        per_room.setdefault((room_id, night), set()).add(gender)
    assert all(len(genders) == 1 for genders in per_room.values())
    assert_sound(program)
    assert shortage(program=program) == 2 == summary.unassigned_count


@pytest.mark.django_db
def test_room_capacity_per_room_is_honoured(program, batches):
    big = create_rooms(building="Asrama B", count=1, capacity=3)[0]
    small = create_rooms(building="Asrama B", count=1, capacity=1, first_number=200)[0]
    place(batches[4], "LLLL")
    assign_rooms(program=program)
    night = RoomAssignment.objects.filter(night=D(2019, 6, 30))
    assert sorted(night.filter(room=big).values_list("bed", flat=True)) == [1, 2, 3]
    assert list(night.filter(room=small).values_list("bed", flat=True)) == [1]
    assert_sound(program)


@pytest.mark.django_db
def test_inactive_rooms_are_not_used(program, batches):
    closed, open_room = rooms(2)
    save_room(room=closed, building=closed.building, number=closed.number, capacity=2,
              is_active=False)
    place(batches[4], "LL")
    assign_rooms(program=program)
    assert set(RoomAssignment.objects.values_list("room_id", flat=True)) == {open_room.pk}


@pytest.mark.django_db
def test_a_participant_keeps_the_same_bed_across_consecutive_nights(program, batches):
    place(batches[4], "LLLPP")
    place(batches[7], "LPPP")
    place(batches[10], "LL")
    rooms(12)
    summary = assign_rooms(program=program)
    spots = {}
    for pid, night, room_id, bed in RoomAssignment.objects.values_list(
            "placement_id", "night", "room_id", "bed"):
        spots.setdefault(pid, set()).add((room_id, bed))
    assert all(len(s) == 1 for s in spots.values()), "nobody moves between their two nights"
    # the second night of each batch keeps everyone (kept == those continuing)
    assert {n.night: n.kept for n in summary.nights}[D(2019, 7, 1)] == 5
    assert_sound(program)


@pytest.mark.django_db
def test_arrivals_fill_a_single_left_by_a_departing_room_mate(program, batches):
    place(batches[4], "L")       # alone on 30 Jun and 1 Jul
    arriving = place(batches[7], "L")[0]   # arrives 1 Jul
    rooms(5)
    summary = assign_rooms(program=program)
    first_night = {n.night: n for n in summary.nights}[D(2019, 7, 1)]
    assert first_night.rooms_used == 1 and first_night.singles == 0
    assert RoomAssignment.objects.filter(placement=arriving).values("room").distinct().count() == 1


@pytest.mark.django_db
def test_rerun_is_idempotent_and_keeps_people_when_newcomers_arrive(program, batches):
    place(batches[4], "LLLPPP")
    place(batches[7], "LLP")
    rooms(10)
    assign_rooms(program=program)
    before = beds()
    again = assign_rooms(program=program)
    assert beds() == before
    assert all(n.changed == 0 for n in again.nights)
    newcomer = place(batches[4], "P")[0]
    assign_rooms(program=program)
    after = beds()
    assert before <= after
    assert {b for b in after - before} == {b for b in after if b[3] == newcomer.pk}
    assert_sound(program)


@pytest.mark.django_db
def test_rerun_for_one_night_leaves_the_other_nights_alone(program, batches):
    place(batches[4], "LLPP")
    rooms(4)
    assign_rooms(program=program)
    other = set(RoomAssignment.objects.filter(night=D(2019, 6, 30)).values_list("pk", flat=True))
    summary = assign_rooms(program=program, nights=[D(2019, 7, 1)])
    assert [n.night for n in summary.nights] == [D(2019, 7, 1)]
    assert set(RoomAssignment.objects.filter(night=D(2019, 6, 30))
               .values_list("pk", flat=True)) == other


@pytest.mark.django_db
def test_rerun_removes_beds_of_people_who_left_the_batch_or_the_dormitory(program, batches):
    moved, *_rest = place(batches[4], "LLL")
    rooms(4)
    assign_rooms(program=program)
    Placement.objects.filter(pk=moved.pk).update(batch=None, seat=None)
    assert check_rooms(program=program)["bed_on_wrong_night"] == 2
    assign_rooms(program=program)
    assert not RoomAssignment.objects.filter(placement=moved).exists()
    assert_sound(program)


@pytest.mark.django_db
def test_rerun_repairs_a_stale_gender_and_a_bed_in_a_closed_room(program, batches):
    place(batches[4], "LLPP")
    rooms(4)
    assign_rooms(program=program)
    RoomAssignment.objects.filter(pk=RoomAssignment.objects.first().pk).update(gender="P")
    closed = RoomAssignment.objects.last().room
    Room.objects.filter(pk=closed.pk).update(is_active=False)
    counts = check_rooms(program=program)
    assert counts["gender_mismatch"] == 1 and counts["inactive_room"] == 4  # 2 women x 2
    assign_rooms(program=program)
    assert_sound(program)


@pytest.mark.django_db
def test_not_staying_frees_the_beds_and_staying_again_finds_one(program, batches):
    a, b, c = place(batches[4], "LLL")
    rooms(3)
    assign_rooms(program=program)
    change = set_staying(placement=a, stays=False)
    assert change.removed == 2
    assert not RoomAssignment.objects.filter(placement=a).exists()
    assign_rooms(program=program)
    assert not RoomAssignment.objects.filter(placement=a).exists()
    assert_sound(program)
    change = set_staying(placement=a, stays=True)
    assert change.assigned == [D(2019, 6, 30), D(2019, 7, 1)] and change.without_bed == []
    assert RoomAssignment.objects.filter(placement=a).values("room").distinct().count() == 1
    assert_sound(program)


@pytest.mark.django_db
def test_a_freed_bed_goes_to_someone_waiting_for_one(program, batches):
    place(batches[4], "LLL")
    rooms(1)
    summary = assign_rooms(program=program)
    waiting = Placement.objects.get(pk=summary.nights[0].unassigned["L"][0])
    assert summary.nights[1].unassigned["L"] == [waiting.pk]
    holder = RoomAssignment.objects.first().placement
    change = set_staying(placement=holder, stays=False)
    assert change.removed == 2 and change.handed_over == 2
    assert RoomAssignment.objects.filter(placement=waiting).count() == 2
    assert shortage(program=program) == 0
    assert_sound(program)


@pytest.mark.django_db
def test_staying_again_without_a_free_bed_is_reported(program, batches):
    a, *_others = place(batches[4], "PLL")
    rooms(1)
    set_staying(placement=a, stays=False)
    assign_rooms(program=program)
    change = set_staying(placement=a, stays=True)
    assert change.assigned == [] and change.without_bed == [D(2019, 6, 30), D(2019, 7, 1)]
    assert_sound(program)


@pytest.mark.django_db
def test_rooms_used_by_another_programme_are_left_alone(program, batches):
    from kompeten.programs.models import Program
    other_program = Program.objects.create(code="2020", year=2020, name="Lain", signatory_name="X",
                                           signatory_nip="1" * 18, signatory_title="Y")
    other_batch = Batch.objects.create(program=other_program, number=1, level=batches[4].level,
                                       start_date=D(2019, 7, 1), end_date=D(2019, 7, 2))
    first, second = rooms(2)
    place(other_batch, "P")
    assign_rooms(program=other_program)
    place(batches[4], "PP")  # women too: they would take the back room if it were free
    assign_rooms(program=program)
    theirs = RoomAssignment.objects.filter(placement__registration__program=other_program)
    assert set(theirs.values_list("room_id", flat=True)) == {second.pk}  # women: from the back
    ours = RoomAssignment.objects.filter(placement__registration__program=program)
    assert set(ours.values_list("room_id", flat=True)) == {first.pk}
    assert_sound(program)


@pytest.mark.django_db
def test_create_rooms_is_idempotent_and_validates():
    assert len(create_rooms(building="Asrama A", count=3)) == 3
    assert len(create_rooms(building="Asrama A", count=5)) == 2
    assert list(Room.objects.values_list("number", flat=True)) == [
        "101", "102", "103", "104", "105"]
    with pytest.raises(ValidationError):
        create_rooms(building=" ", count=2)
    with pytest.raises(ValidationError):
        create_rooms(building="Asrama A", count=0)


@pytest.mark.django_db
def test_demo_rooms_hold_the_busiest_night_of_2019(program):
    from kompeten.home.demo_rooms import load_demo_rooms
    assert load_demo_rooms() == 120
    assert load_demo_rooms() == 0
    assert sum(Room.objects.values_list("capacity", flat=True)) >= 180


# --------------------------------------------------------------------------- checker


@pytest.mark.django_db
def test_checker_detects_broken_data(program, batches):
    man, woman, other_man, away = place(batches[4], "LPLL")
    Placement.objects.filter(pk=away.pk).update(stays_in_dorm=False)
    single, spare = create_rooms(building="Asrama Z", count=2, capacity=1)
    night = D(2019, 6, 30)
    RoomAssignment.objects.bulk_create([
        RoomAssignment(room=single, night=night, bed=1, placement=man, gender="L"),
        RoomAssignment(room=single, night=night, bed=2, placement=woman, gender="L"),
        RoomAssignment(room=single, night=D(2019, 7, 5), bed=1, placement=man, gender="L"),
        RoomAssignment(room=spare, night=D(2019, 7, 1), bed=1, placement=away, gender="L"),
    ])
    counts = check_rooms(program=program)
    assert set(counts) == set(ROOM_RULES)
    assert counts["room_mixed_gender"] == 1
    assert counts["room_over_capacity"] == 1
    assert counts["gender_mismatch"] == 1
    assert counts["bed_on_wrong_night"] == 1
    assert counts["not_staying_with_bed"] == 1
    # other_man has no bed on 30 Jun and 1 Jul while spare (empty on 30 Jun) is free
    assert counts["staying_without_bed"] >= 1
    assert counts["person_two_beds"] == 0


GENDERS = st.text(alphabet="LP", min_size=0, max_size=12)


@pytest.mark.django_db
@hsettings(max_examples=40, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(groups=st.lists(st.tuples(st.sampled_from([4, 5, 7, 10, 13]), GENDERS), max_size=6),
       capacities=st.lists(st.integers(min_value=1, max_value=3), min_size=0, max_size=10),
       closed=st.sets(st.integers(min_value=0, max_value=9), max_size=3),
       away=st.sets(st.integers(min_value=0, max_value=60), max_size=5),
       later=st.sampled_from(["nothing", "rerun one night", "close rooms", "leave", "return"]))
def test_property_any_population_is_assigned_without_violations(
        program, groups, capacities, closed, away, later):
    """Random people, batches and rooms: 0 violations; the only people without a bed are
    the reported shortage. Also after a change and a re-run."""
    with transaction.atomic():
        for i, capacity in enumerate(capacities):
            Room.objects.create(building="Asrama H", number=str(100 + i), capacity=capacity,
                                is_active=i not in closed)
        people = []
        for number, genders in groups:
            people += place(Batch.objects.get(program=program, number=number), genders)
        for index in away:
            if index < len(people):
                Placement.objects.filter(pk=people[index].pk).update(stays_in_dorm=False)
        summary = assign_rooms(program=program)
        assert_sound(program)
        assert shortage(program=program) == summary.unassigned_count
        if later == "rerun one night" and summary.nights:
            again = assign_rooms(program=program, nights=[summary.nights[-1].night])
            assert again.nights[0].changed == 0
        elif later == "close rooms":
            Room.objects.filter(number__in=["100", "102"]).update(is_active=False)
        elif later == "leave" and people:
            set_staying(placement=people[0], stays=False)
            assert_sound(program)
        elif later == "return" and people:
            set_staying(placement=people[-1], stays=False)
            set_staying(placement=people[-1], stays=True)
            assert_sound(program)
        summary = assign_rooms(program=program)
        assert_sound(program)
        assert shortage(program=program) == summary.unassigned_count
        transaction.set_rollback(True)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks and real concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignment_and_staying_changes_neither_deadlock_nor_break_rules():
    from kompeten.programs.services import create_program_2019

    program = create_program_2019()
    batch = Batch.objects.get(program=program, number=4)
    people = place(batch, "LLLLPPPP") + place(Batch.objects.get(program=program, number=7), "LP")
    rooms(3)
    assign_rooms(program=program)
    barrier = threading.Barrier(4)
    errors = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    jobs = [lambda: assign_rooms(program=program),
            lambda: assign_rooms(program=program),
            lambda: set_staying(placement=people[0], stays=False),
            lambda: set_staying(placement=people[5], stays=False)]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_sound(program)
    assert not RoomAssignment.objects.filter(placement__in=[people[0], people[5]]).exists()


# --------------------------------------------------------------------------- pages


@pytest.fixture
def filled(world, batches, django_capture_on_commit_callbacks):
    rooms(6)
    place(batches[4], "LLLPP", agency=world["agency_a"])
    place(batches[7], "LPP", agency=world["agency_b"])
    with django_capture_on_commit_callbacks(execute=True):  # the stored check's job
        assign_rooms(program=world["program"])
    return world


def _client_as(client, world, role):
    client.force_login(world["users"][role])
    return client


@pytest.mark.django_db
def test_nights_page_shows_each_night_and_assigning_works(client, filled):
    _client_as(client, filled, Role.ORGANISER)
    page = client.get(reverse("dormitory:room_nights")).content.decode()
    assert 'id="night-months"' in page  # 2019 is past: its first month with nights
    assert "tidak ada pelanggaran" in page and 'id="room-check-time"' in page
    page = client.get(reverse("dormitory:room_nights"), {"bulan": "2019-06"}).content.decode()
    # one month at a time, the next one by its link
    assert "Minggu, 30 Jun 2019" in page and "Selasa, 2 Jul 2019" not in page
    assert "tidak ada pelanggaran" in page and 'id="room-check-time"' in page
    assert "?tahun=2019&amp;bulan=2019-07" in page
    page = client.get(reverse("dormitory:room_nights"), {"bulan": "2019-07"}).content.decode()
    assert "Selasa, 2 Jul 2019" in page and "Minggu, 30 Jun 2019" not in page
    jump = client.get(reverse("dormitory:room_nights"), {"malam": "2019-07-01", "tahun": 2019})
    assert jump.url == reverse("dormitory:room_night", args=["2019-07-01"]) + "?tahun=2019"
    response = client.post(reverse("dormitory:room_assign"), {"tahun": 2019}, follow=True)
    assert "Kamar tersusun untuk 3 malam" in response.content.decode()


@pytest.mark.django_db
def test_assigning_with_too_few_rooms_warns(client, world, batches):
    place(batches[4], "LLLLL")  # with world's official: 6 men, 1 room of 2 beds
    _client_as(client, world, Role.ORGANISER)
    response = client.post(reverse("dormitory:room_assign"), {"tahun": 2019}, follow=True)
    assert "Kamar tidak cukup: 8 orang-malam" in response.content.decode()


@pytest.mark.django_db
def test_night_page_lists_rooms_and_toggles_staying(client, filled):
    _client_as(client, filled, Role.ORGANISER)
    url = reverse("dormitory:room_night", kwargs={"night": "2019-07-01"})
    page = client.get(url).content.decode()
    assert "Daftar Kamar Asrama — malam Senin, 1 Juli 2019" in page
    # five of agency_a plus world's official of agency_a
    assert page.count("BKD Provinsi Aceh") == 6 and page.count("BKD Provinsi Bali") == 3
    placement = Placement.objects.filter(registration__agency=filled["agency_b"]).first()
    response = client.post(reverse("dormitory:room_toggle_stay", args=[placement.pk]),
                           {"stays": "0", "next": url}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "ditandai tidak menginap" in response.content.decode()
    placement.refresh_from_db()
    assert not placement.stays_in_dorm
    assert 'id="not-staying"' in response.content.decode()
    client.post(reverse("dormitory:room_toggle_stay", args=[placement.pk]),
                {"stays": "1", "next": "https://evil.example/"})
    placement.refresh_from_db()
    assert placement.stays_in_dorm and placement.room_assignments.count() == 2


@pytest.mark.django_db
def test_night_page_rejects_impossible_dates(client, world):
    _client_as(client, world, Role.ORGANISER)
    assert client.get("/penempatan/asrama/2019-02-30/").status_code == 404


@pytest.mark.django_db
def test_room_list_pdf_is_a_valid_a4_document(client, filled, tmp_path):
    _client_as(client, filled, Role.ORGANISER)
    response = client.get(reverse("dormitory:room_night_pdf", kwargs={"night": "2019-07-01"}))
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert pdf_text.page_sizes(content) == [(595.2756, 841.8898)]
    text = pdf_text.text(content)
    assert "Daftar Kamar Asrama — malam Senin, 1 Juli 2019" in text
    assert "9 peserta (laki-laki 5, perempuan 4)" in text
    assert text.count("BKD Provinsi Bali") == 3


@pytest.mark.django_db
def test_room_list_pdf_prints_the_longest_input_as_typed(client, world, batches):
    """Organiser-entered text is printed, not read as paragraph markup."""
    def longest(text, model, field):
        return (text * 20)[:model._meta.get_field(field).max_length]

    program = world["program"]
    program.name = longest("Pelatihan <b>Manajemen</b> & Sertifikasi ", Program, "name")
    program.save(update_fields=["name"])
    building = longest("Wisma <Melati> & Anggrek ", Room, "building")
    number = longest("<1>&", Room, "number")
    room = Room.objects.create(building=building, number=number, capacity=4)
    agency = _agency(longest("Badan <Kepegawaian> & Pengembangan ", Agency, "name"))
    people = place(batches[4], "LLLLL", agency=agency)
    Registration.objects.filter(placement__in=people).update(
        full_name=longest("Raden <Mas> & Putra ", Registration, "full_name"))
    RoomAssignment.objects.bulk_create(
        RoomAssignment(room=room, night=D(2019, 7, 1), bed=bed, placement=placement,
                       gender="L") for bed, placement in enumerate(people[:4], 1))
    _client_as(client, world, Role.ORGANISER)
    response = client.get(reverse("dormitory:room_night_pdf", kwargs={"night": "2019-07-01"}))
    assert response.status_code == 200
    text = pdf_text.text(response.content)
    for value in (program.name, building, agency.name):
        assert " ".join(value.split())[:40] in text, value
    assert number in "".join(text.split())  # a word wider than its column is broken
    assert " ".join(building.split())[-20:] in text and "Raden <Mas> & Putra" in text


@pytest.mark.django_db
def test_room_forms_keep_input_and_explain_errors(client, world):
    _client_as(client, world, Role.ORGANISER)
    rooms(1)
    response = client.post(reverse("dormitory:room_create"),
                           {"building": "Asrama A", "number": "101", "capacity": "2",
                            "is_active": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and "Kamar 101 di Asrama A sudah ada." in page
    assert "tidak ada" not in page
    assert 'value="Asrama A"' in page
    response = client.post(reverse("dormitory:room_generate"),
                           {"building": "Asrama B", "count": "0", "first_number": "101",
                            "capacity": "2"})
    page = response.content.decode()
    assert "lebih besar dari atau sama dengan 1" in page and 'value="Asrama B"' in page
    response = client.post(reverse("dormitory:room_generate"),
                           {"building": "Asrama B", "count": "4", "first_number": "201",
                            "capacity": "3"}, follow=True)
    assert "4 kamar baru di Asrama B" in response.content.decode()
    assert Room.objects.filter(building="Asrama B", capacity=3).count() == 4


@pytest.mark.django_db
def test_lowering_capacity_warns_about_nights_to_reassign(client, filled):
    _client_as(client, filled, Role.ORGANISER)
    room = Room.objects.get(number="101")
    response = client.post(reverse("dormitory:room_edit", args=[room.pk]),
                           {"building": room.building, "number": "101", "capacity": "1",
                            "is_active": "on"}, follow=True)
    assert "melebihi kapasitas barunya" in response.content.decode()
    assert check_rooms(program=filled["program"])["room_over_capacity"] > 0
    assign_rooms(program=filled["program"])
    assert_sound(filled["program"])


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OPERATOR, Role.PARTICIPANT, Role.FACILITATOR,
                                  Role.ASSESSOR])
def test_only_the_organiser_may_change_the_dormitory(client, filled, role):
    _client_as(client, filled, role)
    placement = Placement.objects.first()
    response = client.post(reverse("dormitory:room_toggle_stay", args=[placement.pk]),
                           {"stays": "0"})
    assert response.status_code == 403
    assert client.post(reverse("dormitory:room_assign")).status_code == 403
    placement.refresh_from_db()
    assert placement.stays_in_dorm


@pytest.mark.django_db
def test_the_participants_file_shows_their_room_to_organiser_and_own_operator(client, filled):
    ours = Placement.objects.filter(registration__agency=filled["agency_a"]).first()
    bed = ours.room_assignments.select_related("room").first()
    url = reverse("nominations:nomination_detail", args=[ours.registration.pk])
    for role in (Role.ORGANISER, Role.OPERATOR):
        _client_as(client, filled, role)
        page = client.get(url).content.decode()
        assert 'id="dorm-section"' in page
        assert f"{bed.room}, tempat tidur {bed.bed}" in page
    set_staying(placement=ours, stays=False)
    assert "Tidak menginap di asrama." in client.get(url).content.decode()


@pytest.mark.django_db
def test_operator_of_another_agency_sees_nothing_of_agency_a(client, filled):
    operator_b = make_user(Role.OPERATOR, username="operator-b", agency=filled["agency_b"])
    client.force_login(operator_b)
    ours = Placement.objects.filter(registration__agency=filled["agency_a"]).first()
    detail = client.get(reverse("nominations:nomination_detail",
                                args=[ours.registration.pk]))
    assert detail.status_code == 404
    assert ours.registration.full_name not in detail.content.decode()
    night = client.get(reverse("dormitory:room_night", kwargs={"night": "2019-07-01"}))
    assert night.status_code == 403
    assert "BKD Provinsi Aceh" not in night.content.decode()


def _grow(program, batches, factor):
    rooms(10 * factor, building=f"Asrama {factor}")
    for _ in range(factor):
        place(batches[4], "LLPP")
        place(batches[7], "LPLP")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["room_nights", "room_night", "room_night_pdf", "room_list"])
def test_dormitory_pages_keep_a_constant_number_of_queries(client, world, batches, name):
    _client_as(client, world, Role.ORGANISER)
    kwargs = {"night": "2019-07-01"} if name.startswith("room_night_") or name == "room_night" \
        else {}
    url = reverse(f"dormitory:{name}", kwargs=kwargs)
    if name == "room_nights":
        url += "?bulan=2019-07"  # the month of the nights that grow
    counts = []
    for factor in (1, 5):
        _grow(world["program"], batches, factor)
        assign_rooms(program=world["program"])
        if factor == 5:  # somebody not staying and somebody without a bed
            set_staying(placement=Placement.objects.first(), stays=False)
            Room.objects.filter(number="101").update(is_active=False)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts


# --------------------------------------------------------------------------- command


@pytest.mark.django_db
def test_assign_rooms_command_prints_each_night(program, batches, capsys):
    place(batches[4], "LLLPP")
    place(batches[7], "LP")
    rooms(2)
    call_command("assign_rooms", "--program", "2019")
    out = capsys.readouterr().out
    assert "2019-06-30" in out and "2019-07-01" in out and "2019-07-02" in out
    assert "orang-malam tanpa kamar" in out
    assert "Kamar tidak cukup" in out
    assert "0 pelanggaran" in out
    row = next(line for line in out.splitlines() if line.startswith("2019-07-01"))
    assert row.split() == ["2019-07-01", "4", "3", "7", "2", "0", "4", "3"]


@pytest.mark.django_db
def test_selectors_overview_counts(filled):
    rows = {r.night: r for r in room_selectors.night_overview(program=filled["program"])}
    row = rows[D(2019, 7, 1)]
    assert row.staying == {"L": 5, "P": 4} and row.assigned == 9 and row.unassigned == 0
    assert row.batches == [4, 7]


# --------------------------------------------------------------------------- stored check


def _stored(program):
    from kompeten.dormitory.models import RoomCheck

    return RoomCheck.objects.get(program=program)


@pytest.mark.django_db
def test_the_check_by_night_adds_up_to_the_whole_check(program, batches):
    from kompeten.dormitory.checker import check_by_night

    place(batches[4], "LLLPP")
    place(batches[7], "LPP")
    rooms(3)
    assign_rooms(program=program)
    RoomAssignment.objects.filter(pk=RoomAssignment.objects.first().pk).update(gender="P")
    Room.objects.filter(number="102").update(capacity=1)
    whole = check_rooms(program=program)
    by_night = check_by_night(program=program)
    assert any(whole.values())
    assert {rule: sum(n[rule] for n in by_night.values()) for rule in ROOM_RULES} == whole
    # a few nights read on their own give the same counts as in the whole check
    some = [D(2019, 7, 1), D(2019, 7, 2)]
    assert check_by_night(program=program, nights=some) == {n: by_night[n] for n in some}


@pytest.mark.django_db
def test_assigning_rooms_stores_the_check_in_a_job_after_the_commit(
        program, batches, django_capture_on_commit_callbacks):
    place(batches[4], "LLLPP")
    rooms(1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assign_rooms(program=program)
    state = _stored(program)
    assert not state.is_current and state.queued_at is not None and len(callbacks) == 1
    callbacks[0]()  # the background job
    state = _stored(program)
    assert state.is_current and state.queued_at is None
    assert state.counts == check_rooms(program=program)
    assert state.counts["staying_without_bed"] == 0 and state.computed_at is not None


@pytest.mark.django_db
def test_a_changed_assignment_shows_its_new_count_at_once(client, filled):
    """The organiser breaks a rule through a service: the pages show it on the next GET,
    without a job and without the checker running on the GET."""
    program = filled["program"]
    _client_as(client, filled, Role.ORGANISER)
    nights_url = reverse("dormitory:room_nights") + "?bulan=2019-07"
    night_url = reverse("dormitory:room_night", kwargs={"night": "2019-07-01"})
    assert "tidak ada pelanggaran" in client.get(nights_url).content.decode()
    # a participant who does not stay keeps a bed (written behind the services' back),
    # then another one of the batch is marked not staying: the nights of that batch are
    # checked again in the service's transaction
    batch = Batch.objects.get(program=program, number=4)
    holder, other = (Placement.objects.filter(batch=batch, room_assignments__night=D(2019, 7, 1))
                     .order_by("pk")[:2])
    Placement.objects.filter(pk=holder.pk).update(stays_in_dorm=False)
    set_staying(placement=other, stays=False)
    state = _stored(program)
    assert state.is_current
    assert state.counts["not_staying_with_bed"] == check_rooms(program=program)[
        "not_staying_with_bed"] == holder.room_assignments.count() == 2
    page = client.get(nights_url).content.decode()
    assert 'id="room-problems"' in page
    assert f"{ROOM_RULES['not_staying_with_bed']}: 2" in page
    night = client.get(night_url).content.decode()
    assert f"{ROOM_RULES['not_staying_with_bed']}: 1" in night and 'id="night-problems"' in night
    # the service frees the beds: the stored counts go back to 0 at once
    holder.refresh_from_db()
    set_staying(placement=holder, stays=False)
    state = _stored(program)
    assert state.is_current and not any(state.counts.values())
    assert 'id="room-check-ok"' in client.get(nights_url).content.decode()


@pytest.mark.django_db
def test_the_organiser_asks_for_a_new_check_run_in_the_background(
        client, filled, django_capture_on_commit_callbacks):
    program = filled["program"]
    _client_as(client, filled, Role.ORGANISER)
    before = _stored(program).computed_at
    RoomAssignment.objects.filter(pk=RoomAssignment.objects.first().pk).update(gender="X")
    page = client.get(reverse("dormitory:room_nights")).content.decode()
    assert "tidak ada pelanggaran" in page  # the stored result; the GET checks nothing
    assert 'id="recheck-rooms"' in page and "return confirm(" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dormitory:room_check"), {"tahun": 2019}, follow=True)
    page = response.content.decode()
    assert "dijalankan di latar belakang" in page
    state = _stored(program)
    assert state.is_current and state.computed_at > before
    assert state.counts["gender_mismatch"] == 1
    page = client.get(reverse("dormitory:room_nights")).content.decode()
    assert f"{ROOM_RULES['gender_mismatch']}: 1" in page


@pytest.mark.django_db
def test_a_stale_result_says_so_and_a_room_change_marks_it(
        client, filled, django_capture_on_commit_callbacks):
    program = filled["program"]
    _client_as(client, filled, Role.ORGANISER)
    room = Room.objects.get(number="101")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_room(room=room, building=room.building, number="101", capacity=1, is_active=True)
    assert not _stored(program).is_current and len(callbacks) == 1
    page = client.get(reverse("dormitory:room_nights")).content.decode()
    assert 'id="room-check-stale"' in page and "sedang berjalan di latar belakang" in page
    callbacks[0]()
    state = _stored(program)
    assert state.is_current and state.counts["room_over_capacity"] > 0
    assert 'id="room-problems"' in client.get(reverse("dormitory:room_nights")).content.decode()


@pytest.mark.django_db
def test_every_night_is_reachable_month_by_month(client, filled):
    from kompeten.dormitory.selectors import night_months

    _client_as(client, filled, Role.ORGANISER)
    program = filled["program"]
    seen = set()
    for month in night_months(program=program):
        page = client.get(reverse("dormitory:room_nights"),
                          {"bulan": month.strftime("%Y-%m")}).content.decode()
        seen |= {row.night for row in room_selectors.night_overview(program=program)
                 if row.night.strftime("%Y-%m") == month.strftime("%Y-%m")
                 and reverse("dormitory:room_night", args=[row.night.isoformat()]) in page}
    assert seen == {row.night for row in room_selectors.night_overview(program=program)}


@pytest.mark.django_db
def test_a_placement_moved_by_batching_makes_the_stored_room_check_stale(
        client, filled, django_capture_on_commit_callbacks):
    """Batching (an earlier stage) cannot tell the dormitory when it places or resets a
    whole level; the stored room check knows the placements' revision it saw, and the
    overview says it is out of date until it is checked again."""
    from kompeten.batching.services import note_placements_changed

    program = filled["program"]
    _client_as(client, filled, Role.ORGANISER)
    assert 'id="room-check-stale"' not in client.get(
        reverse("dormitory:room_nights")).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        note_placements_changed(program=program)
    page = client.get(reverse("dormitory:room_nights")).content.decode()
    assert 'id="room-check-stale"' in page and "Penempatan peserta berubah" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dormitory:room_check"), {"tahun": program.code})
    page = client.get(reverse("dormitory:room_nights")).content.decode()
    assert 'id="room-check-stale"' not in page
