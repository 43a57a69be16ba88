"""Batch placement services and the independent checker (no HTTP)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kompeten.accounts.models import Role
from kompeten.batching.checker import PLACEMENT_RULES, check_program, check_rows
from kompeten.batching.models import AgencyDatePreference, Placement
from kompeten.batching.services import (
    BatchSlot,
    move_participant,
    place_participants,
    plan_level,
    reset_unannounced,
)
from kompeten.dormitory.models import Room, RoomAssignment
from kompeten.registration.models import Registration
from tests.conftest import make_user
from tests.factories import D, accepted, agency, batch, levels, new_program, seats


@pytest.fixture
def setup(db):
    pengawas, administrator = levels()
    program = new_program()
    return program, pengawas, administrator


@pytest.fixture
def organiser(db):
    return make_user(Role.ORGANISER, username="penempat")


def placement_of(registration) -> Placement:
    return Placement.objects.select_related("batch").get(registration=registration)


# -- automatic placement ---------------------------------------------------------------------

def test_everyone_lands_in_a_batch_of_their_level_within_capacity(setup):
    program, pengawas, administrator = setup
    b1 = batch(program, pengawas, 1, D(2030, 7, 1), capacity=3)
    b2 = batch(program, pengawas, 2, D(2030, 7, 2), capacity=3)
    batch(program, administrator, 3, D(2030, 8, 1), capacity=3)
    officials = [r for _ in range(5) for r in accepted(program, pengawas, agency())]
    others = accepted(program, administrator, agency(), 2)

    summary = place_participants(program=program, level=pengawas)

    assert (summary.placed_new, summary.waiting_total, summary.kept) == (5, 0, 0)
    where = seats(program)
    assert {where[r.pk][0] for r in officials} == {1, 2}
    assert all(r.pk not in where for r in others)       # another level is not touched
    for b in (b1, b2):
        taken = sorted(Placement.objects.filter(batch=b).values_list("seat", flat=True))
        assert taken == list(range(1, len(taken) + 1)) and len(taken) <= 3
    assert [f.filled for f in summary.batches] == [3, 2]  # least filled first, then earliest
    row = Placement.objects.filter(batch=b1).first()    # written by executemany: defaults
    assert row.stays_in_dorm and not row.is_manual and not row.is_announced
    assert not hasattr(row, "membership") and row.updated_at is not None
    assert check_program(program=program, level=pengawas).ok


def test_waiting_list_when_seats_run_out_earliest_file_first(setup):
    program, pengawas, _ = setup
    batch(program, pengawas, 1, D(2030, 7, 1), capacity=2)
    batch(program, pengawas, 2, D(2030, 7, 2), capacity=2)
    officials = [r for _ in range(6) for r in accepted(program, pengawas, agency())]

    summary = place_participants(program=program, level=pengawas)

    assert (summary.placed_new, summary.waiting_new, summary.waiting_total) == (4, 2, 2)
    waiting = Placement.objects.filter(batch__isnull=True)
    assert set(waiting.values_list("registration_id", flat=True)) == {officials[4].pk,
                                                                      officials[5].pk}
    assert all(p.waiting_since is not None and p.seat is None for p in waiting)
    assert abs((waiting[0].waiting_since - waiting[0].updated_at).total_seconds()) < 1
    report = check_program(program=program)
    assert report.ok and (report.placed, report.waiting) == (4, 2)


def test_officials_of_one_agency_are_spread_over_batches(setup):
    program, pengawas, _ = setup
    for number in (1, 2, 3):
        batch(program, pengawas, number, D(2030, 7, number), capacity=10)
    small, big = agency("BKD Kecil"), agency("BKD Besar")
    accepted(program, pengawas, small, 3)
    accepted(program, pengawas, big, 9)

    place_participants(program=program, level=pengawas)

    for who, per_batch in ((small, 1), (big, 3)):
        counts = sorted(Placement.objects.filter(registration__agency=who)
                        .values_list("batch__number", flat=True))
        assert counts == sorted([1, 2, 3] * per_batch)


def test_date_preference_honoured_while_the_window_has_seats(setup):
    program, pengawas, _ = setup
    batch(program, pengawas, 1, D(2030, 7, 1), capacity=2)
    batch(program, pengawas, 2, D(2030, 7, 10), capacity=2)
    batch(program, pengawas, 3, D(2030, 7, 20), capacity=2)
    wishing = agency("BKD Juli Tengah")
    AgencyDatePreference.objects.create(program=program, agency=wishing,
                                        earliest=D(2030, 7, 9), latest=D(2030, 7, 12))
    # the others come first in the queue, yet the preferring agency is seated first
    for _ in range(3):
        accepted(program, pengawas, agency())
    wishers = accepted(program, pengawas, wishing, 3)

    summary = place_participants(program=program, level=pengawas)

    numbers = sorted(placement_of(r).batch.number for r in wishers)
    assert numbers.count(2) == 2                      # the window is full after two
    assert (summary.with_preference, summary.preference_honoured) == (3, 2)
    report = check_program(program=program)
    assert report.ok and report.preference_honoured == 2 and report.with_preference == 3


def test_rerun_keeps_existing_and_announced_placements_and_places_newcomers(setup, organiser):
    program, pengawas, _ = setup
    b1 = batch(program, pengawas, 1, D(2030, 7, 1), capacity=3)
    b2 = batch(program, pengawas, 2, D(2030, 7, 2), capacity=3)
    first = [r for _ in range(4) for r in accepted(program, pengawas, agency())]
    place_participants(program=program, level=pengawas)
    Placement.objects.filter(registration=first[0]).update(is_announced=True)
    hand_moved = placement_of(first[3])
    move_participant(placement=hand_moved, to_batch=b1 if hand_moved.batch == b2 else b2,
                     by=organiser)
    before = seats(program)

    newcomers = [r for _ in range(3) for r in accepted(program, pengawas, agency())]
    summary = place_participants(program=program, level=pengawas)

    after = seats(program)
    assert all(after[pk] == spot for pk, spot in before.items())
    assert (summary.kept, summary.placed_new, summary.waiting_new) == (4, 2, 1)
    assert sum(1 for r in newcomers if after[r.pk][0] is not None) == 2
    assert check_program(program=program).ok


def test_rerun_seats_the_waiting_list_first_when_seats_appear(setup):
    program, pengawas, _ = setup
    b1 = batch(program, pengawas, 1, D(2030, 7, 1), capacity=1)
    early = accepted(program, pengawas, agency(), 2)
    place_participants(program=program, level=pengawas)
    assert placement_of(early[1]).batch is None
    late = accepted(program, pengawas, agency())
    b1.capacity = 2
    b1.save()

    summary = place_participants(program=program, level=pengawas)

    assert (summary.from_waiting, summary.placed_new, summary.waiting_total) == (1, 0, 1)
    seated = placement_of(early[1])
    assert seated.batch == b1 and seated.seat == 2 and seated.waiting_since is None
    assert placement_of(late[0]).batch is None        # the newcomer waits behind


def test_dry_run_writes_nothing_and_predicts_the_run(setup):
    program, pengawas, _ = setup
    batch(program, pengawas, 1, D(2030, 7, 1), capacity=4)
    for _ in range(3):
        accepted(program, pengawas, agency(), 2)

    preview = place_participants(program=program, level=pengawas, dry_run=True)
    assert Placement.objects.count() == 0
    real = place_participants(program=program, level=pengawas)
    assert preview.dry_run and not real.dry_run
    assert (preview.placed_new, preview.waiting_new, preview.batches[0].filled) == (
        real.placed_new, real.waiting_new, real.batches[0].filled) == (4, 2, 4)


def test_placements_of_officials_no_longer_accepted_are_released(setup):
    program, pengawas, _ = setup
    batch(program, pengawas, 1, D(2030, 7, 1), capacity=2)
    leaving, staying = accepted(program, pengawas, agency(), 2)
    place_participants(program=program, level=pengawas)
    Registration.objects.filter(pk=leaving.pk).update(status="rejected")
    assert check_program(program=program).counts["placed_not_accepted"] == 1
    waiting = accepted(program, pengawas, agency())[0]

    summary = place_participants(program=program, level=pengawas)

    assert summary.released == 1
    assert not Placement.objects.filter(registration=leaving).exists()
    assert placement_of(waiting).batch is not None and placement_of(staying).batch is not None
    assert check_program(program=program).ok


def test_reset_unannounced_keeps_announced_and_manual(setup, organiser):
    program, pengawas, _ = setup
    batch(program, pengawas, 1, D(2030, 7, 1))
    b2 = batch(program, pengawas, 2, D(2030, 7, 2))
    a, b, c = (accepted(program, pengawas, agency())[0] for _ in range(3))
    place_participants(program=program, level=pengawas)
    Placement.objects.filter(registration=a).update(is_announced=True)
    target = b2 if placement_of(b).batch != b2 else program.batches.get(number=1)
    move_participant(placement=placement_of(b), to_batch=target, by=organiser)

    assert reset_unannounced(program=program, level=pengawas) == 1
    assert set(Placement.objects.values_list("registration_id", flat=True)) == {a.pk, b.pk}
    place_participants(program=program, level=pengawas)
    assert placement_of(c).batch is not None


# -- manual moves ----------------------------------------------------------------------------

@pytest.fixture
def two_batches(setup):
    program, pengawas, administrator = setup
    b1 = batch(program, pengawas, 1, D(2030, 7, 1), capacity=3)
    b2 = batch(program, pengawas, 2, D(2030, 7, 2), capacity=3)
    return program, pengawas, administrator, b1, b2


def test_move_takes_the_lowest_free_seat_and_marks_manual(two_batches, organiser):
    program, pengawas, _, b1, b2 = two_batches
    x, y = accepted(program, pengawas, agency()), accepted(program, pengawas, agency())
    Placement.objects.create(registration=x[0], batch=b1, seat=1)
    Placement.objects.create(registration=y[0], batch=b2, seat=2)
    room = Room.objects.create(building="Asrama Uji", number="1")
    RoomAssignment.objects.create(room=room, night=D(2030, 6, 30), bed=1,
                                  placement=placement_of(x[0]), gender="L")

    moved = move_participant(placement=placement_of(x[0]), to_batch=b2, by=organiser)

    assert (moved.placement.batch, moved.placement.seat, moved.placement.is_manual) == (b2, 1, True)
    assert moved.from_batch == b1 and moved.rooms_released == 1
    assert check_program(program=program).ok


def test_move_refusals_say_why(two_batches, organiser):
    program, pengawas, administrator, b1, b2 = two_batches
    other_program = new_program()
    elsewhere = batch(other_program, pengawas, 1, D(2030, 7, 1))
    admin_batch = batch(program, administrator, 3, D(2030, 8, 1))
    movers = [accepted(program, pengawas, agency())[0] for _ in range(4)]
    for seat, registration in enumerate(movers[:3], start=1):
        Placement.objects.create(registration=registration, batch=b2, seat=seat)
    mover = Placement.objects.create(registration=movers[3], batch=b1, seat=1)

    def refusal(to_batch, placement=mover):
        with pytest.raises(ValidationError) as caught:
            move_participant(placement=placement, to_batch=to_batch, by=organiser)
        return caught.value.messages[0]

    assert "sudah penuh (3 kursi)" in refusal(b2)
    assert "untuk jenjang Administrator" in refusal(admin_batch)
    assert "bukan bagian dari penyelenggaraan" in refusal(elsewhere)
    assert "sudah berada di Angkatan 1" in refusal(b1)
    move_participant(placement=mover, to_batch=None, by=organiser)
    assert "sudah ada di daftar tunggu" in refusal(None)
    Registration.objects.filter(pk=movers[3].pk).update(status="rejected")
    assert "tidak berstatus diterima" in refusal(b1)


def test_move_refused_when_it_crowds_an_agency_avoidably(two_batches, organiser):
    program, pengawas, _, b1, b2 = two_batches
    aceh = agency("BKD Provinsi Aceh")
    first, second = accepted(program, pengawas, aceh, 2)
    Placement.objects.create(registration=first, batch=b1, seat=1)
    loose = Placement.objects.create(registration=second, batch=b2, seat=1)

    with pytest.raises(ValidationError) as caught:
        move_participant(placement=loose, to_batch=b1, by=organiser)
    message = caught.value.messages[0]
    assert "BKD Provinsi Aceh" in message and "Angkatan 1" in message
    assert "Angkatan 2" in message
    assert placement_of(second).batch == b2

    # once batch 2 is full without them, a second official in batch 1 is unavoidable
    move_participant(placement=loose, to_batch=None, by=organiser)   # always allowed
    for seat in (1, 2, 3):
        Placement.objects.create(registration=accepted(program, pengawas, agency())[0],
                                 batch=b2, seat=seat)
    moved = move_participant(placement=placement_of(second), to_batch=b1, by=organiser)
    assert moved.placement.batch == b1


def test_move_from_the_waiting_list_into_a_free_seat(two_batches, organiser):
    program, pengawas, _, b1, _b2 = two_batches
    registration = accepted(program, pengawas, agency())[0]
    waiting = Placement.objects.create(registration=registration,
                                       waiting_since=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    moved = move_participant(placement=waiting, to_batch=b1, by=organiser)
    assert (moved.placement.batch, moved.placement.seat, moved.placement.waiting_since) == (
        b1, 1, None)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks and real concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_organisers_moving_into_the_last_seat_exactly_one_wins():
    pengawas, _ = levels()
    program = new_program()
    source = batch(program, pengawas, 1, D(2030, 7, 1), capacity=5)
    target = batch(program, pengawas, 2, D(2030, 7, 2), capacity=2)
    Placement.objects.create(registration=accepted(program, pengawas, agency())[0],
                             batch=target, seat=1)
    movers = [Placement.objects.create(registration=accepted(program, pengawas, agency())[0],
                                       batch=source, seat=seat) for seat in (1, 2)]
    organisers = [make_user(Role.ORGANISER, username=f"penempat-{i}") for i in (1, 2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def move(placement, user):
        try:
            barrier.wait()
            move_participant(placement=placement, to_batch=target, by=user)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=args) for args in zip(movers, organisers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert any("sudah penuh" in outcome for outcome in outcomes), outcomes
    assert Placement.objects.filter(batch=target).count() == 2
    assert check_program(program=program).ok


# -- the checker -----------------------------------------------------------------------------

def test_checker_detects_every_kind_of_broken_placement(setup):
    program, pengawas, administrator = setup
    b1 = batch(program, pengawas, 1, D(2030, 7, 1), capacity=3)
    b2 = batch(program, pengawas, 2, D(2030, 7, 5), capacity=3)
    admin_batch = batch(program, administrator, 3, D(2030, 8, 1), capacity=3)
    crowd = agency("BKD Ramai")
    AgencyDatePreference.objects.create(program=program, agency=crowd,
                                        earliest=D(2030, 7, 1), latest=D(2030, 7, 3))

    def seat(batch_=None, number=None, status="accepted", who=None):
        registration = accepted(program, pengawas, who or agency(), status=status)[0]
        return Placement.objects.create(registration=registration, batch=batch_, seat=number)

    seat(b2, 1, who=crowd)                  # two of BKD Ramai in b2, outside its window
    seat(b2, 2, who=crowd)
    seat(b2, 3)
    seat(b1, 1, status="submitted")         # not accepted
    freed = seat(b1, 2)
    seat(b1, 3)
    seat(admin_batch, 1)                    # a Pengawas official in an Administrator batch
    seat()                                  # waiting
    accepted(program, pengawas, agency())   # accepted, never placed

    report = check_program(program=program)
    assert {rule: n for rule, n in report.counts.items() if n} == {
        "placed_wrong_level": 1, "placed_not_accepted": 1, "accepted_unplaced": 1}

    freed.delete()                          # b1 (inside the window) now has a free seat
    report = check_program(program=program)
    assert report.counts["waiting_with_free_seat"] == 1
    assert report.counts["agency_spread"] == 1
    assert report.counts["preference_missed_with_room"] == 2
    assert (report.with_preference, report.preference_honoured) == (2, 0)

    type(b2).objects.filter(pk=b2.pk).update(capacity=2)
    report = check_program(program=program)
    assert report.counts["batch_over_capacity"] == 1
    assert report.counts["seat_out_of_range"] == 1
    broken = {rule for rule, count in report.counts.items() if count}
    assert broken == set(PLACEMENT_RULES) - {"placed_wrong_program", "seat_taken_twice"}
    assert not report.ok and report.violations == sum(report.counts.values())


def test_checker_on_rows_detects_other_programmes_and_double_seats():
    batches = [(1, 10, 2, D(2030, 1, 1), D(2030, 1, 2))]
    registrations = [(1, 10, 7, "accepted"), (2, 10, 8, "accepted"), (3, 10, 9, "accepted")]
    placements = [(1, 1, 1, False), (2, 1, 1, False), (3, 99, 1, False)]
    report = check_rows(batches=batches, registrations=registrations, placements=placements,
                        preferences={})
    assert report.counts["seat_taken_twice"] == 1
    assert report.counts["placed_wrong_program"] == 1
    assert report.merge({"room_mixed_gender": 2}).counts["room_mixed_gender"] == 2


# -- property tests --------------------------------------------------------------------------

slot = st.tuples(st.integers(0, 8), st.integers(1, 6))   # (start offset, capacity)
window = st.none() | st.tuples(st.integers(0, 8), st.integers(0, 6))


@hsettings(max_examples=300, deadline=None)
@given(batches=st.lists(slot, min_size=1, max_size=8),
       windows=st.lists(window, min_size=1, max_size=5),
       first=st.lists(st.integers(0, 4), max_size=40),
       second=st.lists(st.integers(0, 4), max_size=20))
def test_planner_output_passes_the_checker(batches, windows, first, second):
    base = D(2030, 1, 1)
    slots = [BatchSlot(i + 1, i + 1, base + dt.timedelta(days=s),
                       base + dt.timedelta(days=s + 1), cap) for i, (s, cap) in enumerate(batches)]
    prefs = {a: (base + dt.timedelta(days=w[0]), base + dt.timedelta(days=w[0] + w[1]))
             for a, w in enumerate(windows) if w is not None}
    people = [(i, a % len(windows)) for i, a in enumerate(first + second)]
    cut = len(first)
    plan = plan_level(batches=slots, occupied=[], candidates=people[:cut], preferences=prefs)
    kept = [(plan[i][0], plan[i][1], a) for i, a in people[:cut] if plan[i]]
    queue = [(i, a) for i, a in people[:cut] if not plan[i]]
    final = {i: plan[i] for i, _a in people[:cut]}
    final.update(plan_level(batches=slots, occupied=kept, candidates=queue + people[cut:],
                            preferences=prefs))
    report = check_rows(
        batches=[(s.id, 1, s.capacity, s.start, s.end) for s in slots],
        registrations=[(i, 1, a, "accepted") for i, a in people],
        placements=[(i, *(final[i] or (None, None)), False) for i, _a in people],
        preferences=prefs)
    assert report.ok, report.counts


@pytest.mark.django_db
@hsettings(max_examples=50, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(capacities=st.lists(st.tuples(st.integers(0, 6), st.integers(1, 5)), min_size=1,
                           max_size=5),
       agencies=st.lists(st.none() | st.tuples(st.integers(0, 6), st.integers(0, 4)),
                         min_size=1, max_size=4),
       first=st.lists(st.integers(0, 3), max_size=20),
       later=st.lists(st.integers(0, 3), max_size=8),
       announce=st.booleans())
def test_any_population_placed_by_the_service_passes_the_checker(capacities, agencies, first,
                                                                later, announce):
    with transaction.atomic():
        pengawas, administrator = levels()
        program = new_program()
        base = D(2030, 7, 1)
        for number, (offset, capacity) in enumerate(capacities, start=1):
            batch(program, pengawas, number, base + dt.timedelta(days=offset), capacity=capacity)
        batch(program, administrator, 99, base, capacity=2)
        made = [agency() for _ in agencies]
        for made_agency, wish in zip(made, agencies):
            if wish is not None:
                AgencyDatePreference.objects.create(
                    program=program, agency=made_agency,
                    earliest=base + dt.timedelta(days=wish[0]),
                    latest=base + dt.timedelta(days=wish[0] + wish[1] + 1))
        for index in first:
            accepted(program, pengawas, made[index % len(made)])
        accepted(program, administrator, made[0])
        place_participants(program=program, level=pengawas)
        if announce:
            Placement.objects.filter(registration__program=program).update(is_announced=True)
        for index in later:
            accepted(program, pengawas, made[index % len(made)])
        place_participants(program=program, level=pengawas)
        place_participants(program=program, level=administrator)
        report = check_program(program=program)
        assert report.ok, report.counts
        assert report.placed + report.waiting == len(first) + len(later) + 1
        transaction.set_rollback(True)
