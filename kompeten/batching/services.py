"""Batch placement: accepted officials into the batches (angkatan) of their level.

``place_participants`` (automatic, per level) keeps every existing placement where it is
and seats the officials of the level who have none and those on the waiting list:

1. Who gets a seat. The free seats of the level are counted (seat numbers 1..capacity
   not taken, and never more than capacity minus the placements already in the batch).
   The waiting list comes first (longest waiting first), then the newcomers in the order
   their file was completed (``submitted_at``, then id). Whoever finds no seat goes to the
   waiting list (``waiting_since`` = now); a seat always goes to the earliest in that order.
2. Where. The seated officials are placed agency by agency: agencies with a date
   preference first, the tightest window (fewest free seats inside it) first, then the
   others, the largest first. Each official goes to the batch that holds the fewest
   officials of the same agency, then the fewest people, then the earliest; among the
   batches inside the agency's window while one of them has room, else among all.
   Hence, within a run, an agency never gets two more officials in one batch than in
   another batch that still has room (the checker's ``agency_spread`` rule), and a
   preference is missed only when its window is full.
   Cost: O((n + existing) log B) with a heap of batches ordered by fill; an agency only
   looks at the batches it already occupies (kompeten.batching.planner, plain data).
3. Seats are the lowest free numbers of the batch (the unique (batch, seat) constraint is
   the database's capacity guard). Rows are written with bulk_create/bulk_update.

``move_participant`` moves one official by hand (another batch of the level, or the
waiting list) with the rules re-checked under row locks; see its docstring.
The independent check of the result is kompeten.batching.checker.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import User
from kompeten.batching.checker import check_program
from kompeten.batching.models import AgencyDatePreference, Placement, PlacementCheck
from kompeten.batching.planner import BatchSlot, plan_level
from kompeten.batching.selectors import batches_stamp
from kompeten.common import pagecache
from kompeten.common.jobs import dispatch
from kompeten.programs.models import Batch, Level, Program
from kompeten.registration.models import Registration, Status

logger = logging.getLogger(__name__)

WRITE_BATCH_SIZE = 2000


# -- the service -------------------------------------------------------------------------

@dataclass(frozen=True)
class BatchFill:
    batch_id: int
    number: int
    start_date: dt.date
    end_date: dt.date
    capacity: int
    filled: int
    added: int

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.capacity) if self.capacity else 100


@dataclass(frozen=True)
class Summary:
    program_year: int
    level: str
    dry_run: bool
    placed_new: int = 0          # newcomers who got a seat
    from_waiting: int = 0        # waiting-list officials who got a seat
    waiting_new: int = 0         # newcomers put on the waiting list
    waiting_total: int = 0       # on the waiting list after the run
    kept: int = 0                # placements left where they were
    released: int = 0            # placements of officials no longer accepted, removed
    with_preference: int = 0     # seated officials of agencies with a date preference
    preference_possible: int = 0  # ... whose window holds at least one batch of the level
    preference_honoured: int = 0
    batches: list[BatchFill] = field(default_factory=list)

    @property
    def seated_now(self) -> int:
        return self.placed_new + self.from_waiting

    @property
    def preference_share(self) -> float | None:
        return self.preference_honoured / self.with_preference if self.with_preference else None

    @property
    def preference_share_possible(self) -> float | None:
        return (self.preference_honoured / self.preference_possible
                if self.preference_possible else None)


def _preferences(program: Program) -> dict[int, tuple[dt.date, dt.date]]:
    return {agency_id: (earliest, latest) for agency_id, earliest, latest in
            AgencyDatePreference.objects.filter(program=program)
            .values_list("agency_id", "earliest", "latest")}


def _within(window: tuple[dt.date, dt.date] | None, batch: Batch) -> bool:
    """A preference is honoured when the batch's dates lie within the window."""
    return window is None or (window[0] <= batch.start_date and batch.end_date <= window[1])


def _insert_placements(rows: list[tuple[int, int | None, int | None, dt.datetime | None]], *,
                       now: dt.datetime) -> None:
    """Write new Placement rows (registration, batch, seat, waiting_since): COPY on
    PostgreSQL, executemany elsewhere.

    Kept after measuring against bulk_create(batch_size=2000) in one run (bench/writers.py,
    PostgreSQL, 100,000 rows): 2.95 s here, 14.8 s with bulk_create (5.0x), which spends
    its time preparing each value of each model instance; here only the four varying
    columns change per row and every other column takes the model's default, prepared
    once. The column list comes from the model, so a new field with a default is written
    correctly too.
    """
    if not rows:
        return
    template = Placement(updated_at=now)
    fields = [f for f in Placement._meta.concrete_fields if not f.primary_key]
    varying = ["registration_id", "batch_id", "seat", "waiting_since"]
    by_name = {f.attname: f for f in fields}
    constant = [f for f in fields if f.attname not in varying]
    constant_values = tuple(f.get_db_prep_save(f.pre_save(template, add=True), connection)
                            for f in constant)
    waiting_since = by_name["waiting_since"].get_db_prep_save(now, connection)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(by_name[name].column) for name in varying)
    columns += "".join(f", {quote(f.column)}" for f in constant)
    table = quote(Placement._meta.db_table)   # identifiers from the model's meta, quoted
    values = ((registration_id, batch_id, seat, waiting_since if waiting else None,
               *constant_values) for registration_id, batch_id, seat, waiting in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: 100,000 rows in ~2 s instead of ~7 s with executemany (bench/placement.py)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * (len(varying) + len(constant)))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        while chunk := list(itertools.islice(values, WRITE_BATCH_SIZE)):
            cursor.executemany(sql, chunk)


@transaction.atomic
def place_participants(*, program: Program, level: Level, dry_run: bool = False) -> Summary:
    """Seat the level's accepted officials who have no seat; see the module docstring.

    Locks the level's batches (SELECT ... FOR UPDATE, in id order, as move_participant
    does) so that a run and manual moves never interleave. dry_run computes everything
    and writes nothing.
    """
    batches = list(Batch.objects.select_for_update().filter(program=program, level=level)
                   .order_by("pk"))
    level_placements = Placement.objects.filter(registration__program=program,
                                                registration__level=level)
    released = list(level_placements.filter(is_announced=False)
                    .exclude(registration__status=Status.ACCEPTED).values_list("pk", flat=True))
    occupied = list(Placement.objects.filter(batch__in=batches).exclude(pk__in=released)
                    .values_list("batch_id", "seat", "registration__agency_id"))
    waiting = list(level_placements.filter(batch__isnull=True, registration__status=Status.ACCEPTED)
                   .order_by(F("waiting_since").asc(nulls_first=True), "pk")
                   .values_list("pk", "registration__agency_id"))
    newcomers = list(Registration.objects.filter(program=program, level=level,
                                                 status=Status.ACCEPTED, placement__isnull=True)
                     .order_by(F("submitted_at").asc(nulls_last=True), "pk")
                     .values_list("pk", "agency_id"))
    preferences = _preferences(program)
    candidates = ([(("waiting", pk), agency) for pk, agency in waiting]
                  + [(("new", pk), agency) for pk, agency in newcomers])
    slots = [BatchSlot(b.pk, b.number, b.start_date, b.end_date, b.capacity) for b in batches]
    plan = plan_level(batches=slots, occupied=occupied, candidates=candidates,
                      preferences=preferences)

    now = timezone.now()
    added: Counter = Counter()
    new_rows, moved_rows = [], []
    for (kind, pk), seat in plan.items():
        batch_id, seat_number = seat if seat else (None, None)
        if seat:
            added[batch_id] += 1
        if kind == "new":
            new_rows.append((pk, batch_id, seat_number, None if seat else now))
        elif seat:
            moved_rows.append(Placement(pk=pk, batch_id=batch_id, seat=seat_number,
                                        waiting_since=None, updated_at=now))
    if not dry_run:
        if released:
            Placement.objects.filter(pk__in=released).delete()
        _insert_placements(new_rows, now=now)
        Placement.objects.bulk_update(moved_rows, ["batch", "seat", "waiting_since", "updated_at"],
                                      batch_size=WRITE_BATCH_SIZE)
        if released or new_rows or moved_rows:
            note_placements_changed(program=program)

    filled = Counter(batch_id for batch_id, _seat, _agency in occupied)
    fills = [BatchFill(b.pk, b.number, b.start_date, b.end_date, b.capacity,
                       filled[b.pk] + added[b.pk], added[b.pk])
             for b in sorted(batches, key=lambda b: (b.start_date, b.number))]
    by_id = {b.pk: b for b in batches}
    with_preference = possible = honoured = 0
    seated_agencies = [(batch_id, agency) for batch_id, _s, agency in occupied] + [
        (seat[0], agency) for (key, agency) in candidates if (seat := plan[key])]
    window_exists: dict[int, bool] = {}
    for batch_id, agency_id in seated_agencies:
        window = preferences.get(agency_id)
        if window is None:
            continue
        if agency_id not in window_exists:
            window_exists[agency_id] = any(_within(window, b) for b in batches)
        with_preference += 1
        possible += window_exists[agency_id]
        honoured += _within(window, by_id[batch_id])
    placed_new = sum(1 for (kind, _pk), seat in plan.items() if kind == "new" and seat)
    summary = Summary(
        program_year=program.year, level=level.name, dry_run=dry_run,
        placed_new=placed_new, from_waiting=len(moved_rows),
        waiting_new=len(newcomers) - placed_new,
        waiting_total=len(waiting) - len(moved_rows) + len(newcomers) - placed_new,
        kept=len(occupied), released=len(released), with_preference=with_preference,
        preference_possible=possible, preference_honoured=honoured, batches=fills)
    logger.info("place_participants %s %s dry_run=%s: %s seated, %s waiting", program.year,
                level.code, dry_run, summary.seated_now, summary.waiting_total)
    return summary


@transaction.atomic
def reset_unannounced(*, program: Program, level: Level) -> int:
    """Remove the automatic placements of the level that were not announced (seats and
    waiting list), so that the next run places those officials afresh. Manual moves and
    announced placements stay. Returns how many were removed."""
    list(Batch.objects.select_for_update().filter(program=program, level=level).order_by("pk"))
    _total, by_model = (Placement.objects.filter(
        registration__program=program, registration__level=level,
        is_announced=False, is_manual=False).delete())
    removed = by_model.get(Placement._meta.label, 0)
    if removed:
        note_placements_changed(program=program)
    return removed


# -- manual moves ------------------------------------------------------------------------

# Later stages that keep rows tied to a placement's batch (the dormitory's nights) register
# a release here from their AppConfig.ready(): moving someone to another batch frees them.
_releases: list[Callable[[Placement], int]] = []


def on_batch_change(release: Callable[[Placement], int]) -> None:
    """``release(placement)`` removes what belonged to the old batch; returns how many rows."""
    if release not in _releases:
        _releases.append(release)


@dataclass(frozen=True)
class Move:
    placement: Placement
    from_batch: Batch | None
    rooms_released: int   # dormitory nights of the old batch given up


def _avoidable_pairs(*, batches: list[Batch], counts: Counter, free: dict[int, int],
                     window: tuple[dt.date, dt.date] | None) -> dict[int, int]:
    """For one agency: crowded batch id -> a batch with room holding two or more fewer of
    its officials, inside the agency's window whenever the crowded one is (the rule the
    checker calls agency_spread, computed here on its own)."""
    with_room = [b for b in batches if free[b.pk] > 0]

    def lowest(pool: list[Batch]) -> Batch | None:
        return min(pool, key=lambda b: (counts[b.pk], b.start_date, b.number), default=None)

    best_any = lowest(with_room)
    best_in_window = lowest([b for b in with_room if _within(window, b)])
    crowded = {}
    for batch in batches:
        if counts[batch.pk] < 2:
            continue
        best = best_in_window if _within(window, batch) else best_any
        if best is not None and counts[batch.pk] >= counts[best.pk] + 2:
            crowded[batch.pk] = best.pk
    return crowded


def _check_spread(*, registration: Registration, batches: list[Batch], source: Batch | None,
                  target: Batch) -> None:
    """Refuse a move that makes the official's agency avoidably crowded in a batch."""
    in_level = {b.pk for b in batches}
    counts = Counter(dict(Placement.objects.filter(batch__in=batches,
                                                   registration__agency=registration.agency_id)
                          .values_list("batch").annotate(n=Count("pk"))))
    fill = dict(Placement.objects.filter(batch__in=batches)
                .values_list("batch").annotate(n=Count("pk")))
    free = {b.pk: b.capacity - fill.get(b.pk, 0) for b in batches}
    window = _preferences_of(registration)
    before = _avoidable_pairs(batches=batches, counts=counts, free=free, window=window)
    counts[target.pk] += 1
    free[target.pk] -= 1
    if source is not None and source.pk in in_level:
        counts[source.pk] -= 1
        free[source.pk] += 1
    after = _avoidable_pairs(batches=batches, counts=counts, free=free, window=window)
    created = {crowded: witness for crowded, witness in after.items() if crowded not in before}
    if not created:
        return
    crowded = target.pk if target.pk in created else next(iter(created))
    witness = created[crowded]
    number = {b.pk: b.number for b in batches}
    raise ValidationError(
        _("Pemindahan ditolak: %(agency)s akan mempunyai %(count)s peserta di Angkatan "
          "%(crowded)s, padahal Angkatan %(other)s masih punya kursi kosong dan hanya berisi "
          "%(fewer)s peserta dari instansi itu. Sebarkan peserta satu instansi ke angkatan "
          "yang berbeda.")
        % {"agency": registration.agency.name, "count": counts[crowded],
           "crowded": number[crowded], "other": number[witness], "fewer": counts[witness]},
        code="agency_spread")


def _preferences_of(registration: Registration) -> tuple[dt.date, dt.date] | None:
    row = (AgencyDatePreference.objects.filter(program=registration.program_id,
                                               agency=registration.agency_id)
           .values_list("earliest", "latest").first())
    return tuple(row) if row else None


@transaction.atomic
def move_participant(*, placement: Placement, to_batch: Batch | None, by: User) -> Move:
    """Move one official by hand to another batch of the level or to the waiting list.

    Locks every batch of the level (in id order, like place_participants: the agency rule
    reads all of them, and the same order avoids deadlocks), then the placement, and
    re-reads everything under the locks: the level must match, the batch must have a
    free seat (the lowest free number is taken; the unique (batch, seat) constraint is the
    last guard), and the move must not crowd the official's agency into a batch while
    another batch with room holds two or more fewer of it (see checker: agency_spread).
    Moving to the waiting list is always allowed. The placement is marked is_manual; its
    dormitory nights of the old batch are given up.
    """
    registration = Registration.objects.select_related("agency", "level").get(
        pk=placement.registration_id)
    batches = list(Batch.objects.select_for_update()
                   .filter(program=registration.program_id, level=registration.level_id)
                   .order_by("pk"))
    current = Placement.objects.select_for_update().get(pk=placement.pk)
    source = Batch.objects.filter(pk=current.batch_id).first() if current.batch_id else None
    name = registration.full_name
    if registration.status != Status.ACCEPTED:
        raise ValidationError(_("%(name)s tidak berstatus diterima, sehingga tidak dapat "
                                "ditempatkan.") % {"name": name}, code="not_accepted")
    now = timezone.now()
    if to_batch is None:
        if source is None:
            raise ValidationError(_("%(name)s sudah ada di daftar tunggu.") % {"name": name},
                                  code="same")
        current.batch, current.seat, current.waiting_since = None, None, now
    else:
        if to_batch.program_id != registration.program_id:
            raise ValidationError(_("Angkatan %(batch)s bukan bagian dari penyelenggaraan "
                                    "peserta ini.") % {"batch": to_batch.number},
                                  code="program")
        if to_batch.level_id != registration.level_id:
            raise ValidationError(
                _("Angkatan %(batch)s untuk jenjang %(level)s, sedangkan %(name)s jenjang "
                  "%(own)s.") % {"batch": to_batch.number, "level": to_batch.level.name,
                                 "name": name, "own": registration.level.name},
                code="level")
        if source is not None and source.pk == to_batch.pk:
            raise ValidationError(_("%(name)s sudah berada di Angkatan %(batch)s.")
                                  % {"name": name, "batch": to_batch.number}, code="same")
        target = next(b for b in batches if b.pk == to_batch.pk)   # locked, fresh capacity
        taken = list(Placement.objects.filter(batch=target).values_list("seat", flat=True))
        seat = next((s for s in range(1, target.capacity + 1) if s not in set(taken)), None)
        if len(taken) >= target.capacity or seat is None:
            raise ValidationError(_("Angkatan %(batch)s sudah penuh (%(capacity)s kursi).")
                                  % {"batch": target.number, "capacity": target.capacity},
                                  code="full")
        _check_spread(registration=registration, batches=batches, source=source, target=target)
        current.batch, current.seat, current.waiting_since = target, seat, None
    current.is_manual = True
    try:
        with transaction.atomic():
            current.save(update_fields=["batch", "seat", "waiting_since", "is_manual",
                                        "updated_at"])
    except IntegrityError as exc:
        raise ValidationError(
            _("Kursi di Angkatan %(batch)s baru saja terisi oleh pemindahan lain. Muat ulang "
              "halaman dan coba lagi.") % {"batch": to_batch.number if to_batch else "-"},
            code="seat_taken") from exc
    rooms_released = sum(release(current) for release in _releases) if source else 0
    note_placements_changed(program=registration.program)
    logger.info("move_participant: registration %s from batch %s to %s by %s", registration.pk,
                source.number if source else "waiting", to_batch.number if to_batch else
                "waiting", by.pk)
    return Move(placement=current, from_batch=source, rooms_released=rooms_released)


# -- the stored check --------------------------------------------------------------------


@transaction.atomic
def note_placements_changed(*, program: Program, placements: bool = True) -> None:
    """A placement of the programme changed: the stored check is out of date; a background
    job checks the programme again once this transaction commits. With ``placements`` (rows
    were written: runs, resets, moves, withdrawals all end here) the public class lists are
    rendered afresh too; an acceptance only adds someone to place."""
    if placements:
        pagecache.bump(pagecache.ANNOUNCEMENT)
    check, _created = PlacementCheck.objects.get_or_create(program=program)
    PlacementCheck.objects.filter(pk=check.pk).update(revision=F("revision") + 1)
    dispatch(refresh_placement_check, program_id=program.pk)


def refresh_placement_check(*, program_id: int, force: bool = False) -> PlacementCheck | None:
    """Run the whole-programme check and store it (a background job; also the overview's
    "Periksa sekarang" button, with force). Without force it does nothing when the stored
    result is already current, so a burst of moves queues many jobs but checks once or twice."""
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return None
    check, _created = PlacementCheck.objects.get_or_create(program=program)
    stamp = batches_stamp(program=program)
    if not force and check.checked_revision == check.revision and check.batches_stamp == stamp:
        return check
    revision = check.revision   # read before the check: a change during it stays pending
    report = check_program(program=program)
    newest = Q(checked_revision__isnull=True) | Q(checked_revision__lte=revision)
    PlacementCheck.objects.filter(newest, pk=check.pk).update(
        checked_revision=revision, batches_stamp=stamp, counts=report.counts,
        placed=report.placed, waiting=report.waiting, with_preference=report.with_preference,
        preference_possible=report.preference_possible,
        preference_honoured=report.preference_honoured,
        levels={str(level): figures for level, figures in report.by_level.items()},
        checked_at=timezone.now())
    check.refresh_from_db()
    logger.info("placement check %s stored (revision %s): %s violations", program.code,
                revision, report.violations)
    return check


def request_placement_check(*, program: Program) -> None:
    """The overview's "Periksa sekarang": check the programme again in the background (also
    after changes the services did not see, e.g. rows written by hand or by the demo)."""
    dispatch(refresh_placement_check, program_id=program.pk, force=True)
