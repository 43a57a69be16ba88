"""Writes of the exam: the question bank, sessions, attempts, answers, closing, scoring."""

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import User
from kompeten.common.models import StoredFile
from kompeten.exam import selectors
from kompeten.exam.models import (
    ANSWER_MAX,
    MAX_OPTIONS,
    MIN_OPTIONS,
    Attempt,
    AttemptEvent,
    AttemptItem,
    CloseReason,
    EventKind,
    ExamPolicy,
    ExamSession,
    Option,
    Question,
    QuestionKind,
)
from kompeten.programs.curriculum_models import ProgramUnit
from kompeten.programs.models import Batch, Program

# Tokens avoid letters and digits that read alike (0/O, 1/I/L).
TOKEN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TOKEN_LENGTH = 6
MAX_EXTRA_MINUTES = 120


# -- policy ----------------------------------------------------------------------------------

@transaction.atomic
def save_policy(*, program: Program, minutes: int, mc_per_unit: int,
                essays_per_unit: int) -> ExamPolicy:
    policy, _created = ExamPolicy.objects.update_or_create(
        program=program, defaults={"minutes": minutes, "mc_per_unit": mc_per_unit,
                                   "essays_per_unit": essays_per_unit})
    return policy


# -- the question bank -----------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionData:
    kind: str
    text: str
    options: tuple[str, ...] = ()
    key: int | None = None  # index into options
    explanation: str = ""
    expected_points: str = ""
    max_points: int = 1


def check_question(data: QuestionData) -> None:
    """Raises ValidationError (field -> message) when the question is incomplete."""
    errors: dict[str, str] = {}
    if not data.text.strip():
        errors["text"] = _("Pertanyaan wajib diisi.")
    if data.kind == QuestionKind.MULTIPLE_CHOICE:
        options = [o for o in data.options if o.strip()]
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS or len(options) != len(data.options):
            errors["options"] = _("Soal pilihan ganda perlu %(min)s sampai %(max)s pilihan "
                                  "berurutan tanpa yang kosong.") % {"min": MIN_OPTIONS,
                                                                      "max": MAX_OPTIONS}
        elif len({o.strip().casefold() for o in options}) != len(options):
            errors["options"] = _("Ada pilihan yang sama.")
        if data.key is None or not 0 <= data.key < len(data.options):
            errors["key"] = _("Tentukan satu kunci jawaban di antara pilihan yang diisi.")
    elif data.kind == QuestionKind.ESSAY:
        if not data.expected_points.strip():
            errors["expected_points"] = _("Tulis pokok jawaban yang diharapkan.")
        if not 1 <= data.max_points <= 100:
            errors["max_points"] = _("Skor maksimal 1 sampai 100.")
    else:
        errors["kind"] = _("Jenis soal tidak dikenal.")
    if errors:
        raise ValidationError(errors)


def _write(question: Question, data: QuestionData) -> Question:
    question.kind = data.kind
    question.text = data.text.strip()
    question.explanation = data.explanation.strip()
    question.expected_points = (data.expected_points.strip()
                                if data.kind == QuestionKind.ESSAY else "")
    question.max_points = data.max_points if data.kind == QuestionKind.ESSAY else 1
    question.full_clean(exclude=["unit", "origin", "image", "created_by"])
    question.save()
    question.options.all().delete()
    if data.kind == QuestionKind.MULTIPLE_CHOICE:
        Option.objects.bulk_create([
            Option(question=question, order=index, text=text.strip(), is_key=index == data.key)
            for index, text in enumerate(data.options)])
    return question


@transaction.atomic
def create_question(*, unit: ProgramUnit, data: QuestionData, by: User | None,
                    image: StoredFile | None = None) -> Question:
    check_question(data)
    return _write(Question(unit=unit, image=image, created_by=by), data)


@transaction.atomic
def edit_question(*, question: Question, data: QuestionData, by: User | None,
                  image: StoredFile | None = None, drop_image: bool = False) -> Question:
    """Changes an unused question in place; a used one gets a new version (the old one is
    retired and stays as it was for the attempts that drew it)."""
    check_question(data)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.retired_at is not None:
        raise ValidationError(_("Soal ini sudah dipensiunkan atau diganti versi baru."))
    new_image = None if drop_image else (image or question.image)
    if not AttemptItem.objects.filter(question=question).exists():
        question.image = new_image
        return _write(question, data)
    question.retired_at = timezone.now()
    question.save(update_fields=["retired_at"])
    origin = question.origin or question
    latest = origin.versions.order_by("-version").values_list("version", flat=True).first()
    successor = Question(unit=question.unit, origin=origin, image=new_image, created_by=by,
                         version=max(latest or 1, question.version) + 1)
    return _write(successor, data)


@transaction.atomic
def retire_question(*, question: Question, by: User | None) -> None:
    updated = Question.objects.filter(pk=question.pk, retired_at__isnull=True).update(
        retired_at=timezone.now())
    if not updated:
        raise ValidationError(_("Soal ini sudah dipensiunkan."))


# -- sessions --------------------------------------------------------------------------------

def _token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _i in range(TOKEN_LENGTH))


@transaction.atomic
def create_session(*, batch: Batch, by: User) -> ExamSession:
    """A prepared session (not yet open) with a fresh token and the programme's time."""
    if ExamSession.objects.filter(batch=batch, closed_at__isnull=True).exists():
        raise ValidationError(_("Angkatan ini sudah punya sesi ujian yang belum ditutup."))
    policy = selectors.policy_of(batch.program)
    for _try in range(5):
        try:
            with transaction.atomic():
                return ExamSession.objects.create(batch=batch, token=_token(),
                                                  minutes=policy.minutes, created_by=by)
        except IntegrityError:
            if ExamSession.objects.filter(batch=batch, closed_at__isnull=True).exists():
                raise ValidationError(
                    _("Angkatan ini sudah punya sesi ujian yang belum ditutup.")) from None
    raise ValidationError(_("Token tidak dapat dibuat; coba lagi."))


@transaction.atomic
def open_session(*, session: ExamSession, by: User) -> ExamSession:
    updated = ExamSession.objects.filter(pk=session.pk, opened_at__isnull=True).update(
        opened_at=timezone.now(), opened_by=by)
    if not updated:
        raise ValidationError(_("Sesi ini sudah dibuka."))
    session.refresh_from_db()
    return session


# -- attempts --------------------------------------------------------------------------------

def _draw(*, attempt: Attempt, units: list[ProgramUnit], policy: ExamPolicy,
          rng: random.Random) -> list[AttemptItem]:
    questions = list(Question.objects.filter(unit__in=units, retired_at__isnull=True)
                     .prefetch_related("options").order_by("pk"))
    by_unit: dict[tuple[int, str], list[Question]] = {}
    for question in questions:
        by_unit.setdefault((question.unit_id, question.kind), []).append(question)
    items: list[AttemptItem] = []
    for unit in units:
        for kind, count in ((QuestionKind.MULTIPLE_CHOICE, policy.mc_per_unit),
                            (QuestionKind.ESSAY, policy.essays_per_unit)):
            pool = by_unit.get((unit.pk, kind), [])
            for question in rng.sample(pool, min(count, len(pool))):
                order = [option.pk for option in question.options.all()]
                rng.shuffle(order)
                items.append(AttemptItem(attempt=attempt, position=len(items) + 1,
                                         question=question, option_order=order,
                                         max_points=question.max_points))
    return items


@transaction.atomic
def start_attempt(*, user: User, token: str, now: dt.datetime | None = None,
                  rng: random.Random | None = None) -> Attempt:
    """The participant's attempt in the open session of their batch whose token they give;
    the existing attempt when they already started (another device, a re-login)."""
    now = now or timezone.now()
    placement = selectors.placement_of(user)
    if placement is None:
        raise ValidationError(_("Anda belum ditempatkan di angkatan mana pun."))
    token = (token or "").strip().upper().replace(" ", "")
    session = ExamSession.objects.select_related("batch__program").filter(token=token).first()
    if session is None:
        raise ValidationError(_("Token tidak dikenal. Periksa token yang ditampilkan asesor."))
    if session.batch_id != placement.batch_id:
        raise ValidationError(_("Token ini untuk sesi angkatan lain, bukan angkatan Anda."))
    existing = Attempt.objects.filter(session=session, registration=placement.registration).first()
    if existing is not None:
        return existing
    if session.opened_at is None:
        raise ValidationError(_("Sesi ujian belum dibuka oleh asesor."))
    if session.closed_at is not None:
        raise ValidationError(_("Sesi ujian sudah ditutup."))
    units = selectors.units_of(placement.registration, session.batch)
    attempt = Attempt(session=session, registration=placement.registration, started_at=now,
                      deadline=now + dt.timedelta(minutes=session.minutes))
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # the same participant started on another device meanwhile
        return Attempt.objects.get(session=session, registration=placement.registration)
    items = _draw(attempt=attempt, units=units, policy=selectors.policy_of(session.batch.program),
                  rng=rng or random.SystemRandom())
    if not items:
        raise ValidationError(_("Bank soal untuk unit kompetensi Anda masih kosong; hubungi "
                                "asesor."))
    AttemptItem.objects.bulk_create(items)
    return attempt


class SaveStatus:
    SAVED = "saved"
    STALE = "stale"  # a newer (or the same) answer is already stored
    CLOSED = "closed"
    INVALID = "invalid"


@dataclass(frozen=True)
class SaveResult:
    status: str
    seq: int = 0
    message: str = ""
    seconds_left: int = 0


def seconds_left(attempt: Attempt, now: dt.datetime) -> int:
    if attempt.closed_at is not None:
        return 0
    return max(0, int((attempt.deadline - now).total_seconds()))


def save_answer(*, attempt: Attempt, slot: int, seq: int, choice: int | None = None,
                text: str | None = None, now: dt.datetime | None = None) -> SaveResult:
    """Store one answer unless a newer one (higher seq) is stored. One conditional UPDATE:
    two tabs or a replayed request can never overwrite a newer answer."""
    now = now or timezone.now()
    if attempt.closed_at is not None or now >= attempt.deadline:
        return SaveResult(SaveStatus.CLOSED, message=_(
            "Waktu ujian sudah habis atau percobaan sudah ditutup; jawaban ini tidak disimpan."))
    if seq <= 0 or seq >= 2**62:
        return SaveResult(SaveStatus.INVALID, message=_("Nomor urut jawaban tidak sah."))
    if text is not None and len(text) > ANSWER_MAX:
        return SaveResult(SaveStatus.INVALID, message=_(
            "Jawaban terlalu panjang (maksimal %(max)s karakter).") % {"max": ANSWER_MAX})
    updated = _conditional_update(attempt=attempt, slot=slot, seq=seq, choice=choice,
                                  text=text, now=now)
    items = AttemptItem.objects.filter(pk=slot, attempt_id=attempt.pk)
    if choice is not None:
        items = items.filter(question__options__pk=choice)
    elif text is not None:
        items = items.filter(question__kind=QuestionKind.ESSAY)
    left = seconds_left(attempt, now)
    if updated:
        return SaveResult(SaveStatus.SAVED, seq=seq, seconds_left=left)
    current = items.values("seq").first()
    if current is None:
        return SaveResult(SaveStatus.INVALID, message=_(
            "Soal atau pilihan ini bukan bagian dari ujian Anda; tidak ada yang disimpan."))
    if current["seq"] >= seq:
        return SaveResult(SaveStatus.STALE, seq=current["seq"], seconds_left=left)
    return SaveResult(SaveStatus.CLOSED, message=_(
        "Waktu ujian sudah habis atau percobaan sudah ditutup; jawaban ini tidak disimpan."))


def _conditional_update(*, attempt: Attempt, slot: int, seq: int, choice: int | None,
                        text: str | None, now: dt.datetime) -> int:
    """The one statement that stores an answer: only into this attempt's slot, only over an
    older seq, only while the attempt is open, and only an option of the slot's question
    (or a text for an essay). Written in SQL because it is the hottest path of the exam:
    the ORM's compilation of the same UPDATE cost more than the database's work. Table
    names come from _meta; every value is a parameter."""
    item, attempt_table = AttemptItem._meta.db_table, Attempt._meta.db_table
    when = connection.ops.adapt_datetimefield_value(now)
    if choice is not None:
        column, value = "choice_id", choice
        check = (f" AND EXISTS (SELECT 1 FROM {Option._meta.db_table} o WHERE o.id = %s "  # noqa: S608
                 f"AND o.question_id = {item}.question_id)")
        check_params = [choice]
    elif text is not None:
        column, value = "text", text
        check = (f" AND EXISTS (SELECT 1 FROM {Question._meta.db_table} q WHERE "  # noqa: S608
                 f"q.id = {item}.question_id AND q.kind = %s)")
        check_params = [QuestionKind.ESSAY.value]
    else:
        column, value, check, check_params = "choice_id", None, "", []
    sql = (f"UPDATE {item} SET seq = %s, answered_at = %s, {column} = %s "  # noqa: S608
           f"WHERE id = %s AND attempt_id = %s AND seq < %s "
           f"AND EXISTS (SELECT 1 FROM {attempt_table} a WHERE a.id = %s "
           f"AND a.closed_at IS NULL AND a.deadline > %s){check}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [seq, when, value, slot, attempt.pk, seq, attempt.pk, when,
                             *check_params])
        return cursor.rowcount


def _close(attempts: Q, reason: str, now: dt.datetime) -> int:
    return Attempt.objects.filter(attempts, closed_at__isnull=True).update(
        closed_at=now, close_reason=reason)


@transaction.atomic
def finish_attempt(*, attempt: Attempt, now: dt.datetime | None = None) -> Attempt:
    now = now or timezone.now()
    if not _close(Q(pk=attempt.pk), CloseReason.SUBMITTED, min(now, attempt.deadline)):
        raise ValidationError(_("Percobaan ini sudah ditutup."))
    attempt.refresh_from_db()
    return attempt


def close_due_attempts(*, now: dt.datetime | None = None,
                       session: ExamSession | None = None) -> int:
    """Closes every attempt whose deadline passed, with its saved answers (also for those
    who left); what `manage.py close_due_attempts` and the beat entry run."""
    now = now or timezone.now()
    attempts = Attempt.objects.filter(closed_at__isnull=True, deadline__lte=now)
    if session is not None:
        attempts = attempts.filter(session=session)
    with transaction.atomic():
        return attempts.update(
            closed_at=F("deadline"), close_reason=CloseReason.DEADLINE)


def close_if_due(attempt: Attempt, *, now: dt.datetime | None = None) -> Attempt:
    """On the next request: an attempt past its deadline is closed before anything else."""
    now = now or timezone.now()
    if attempt.closed_at is None and attempt.deadline <= now:
        Attempt.objects.filter(pk=attempt.pk, closed_at__isnull=True).update(
            closed_at=attempt.deadline, close_reason=CloseReason.DEADLINE)
        attempt.refresh_from_db()
    return attempt


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasannya.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Alasan maksimal 300 karakter.")})
    return reason


@transaction.atomic
def extend_attempt(*, attempt: Attempt, minutes: int, reason: str, by: User,
                   now: dt.datetime | None = None) -> Attempt:
    """More time for one participant (logged with the reason)."""
    now = now or timezone.now()
    reason = _check_reason(reason)
    if not 1 <= minutes <= MAX_EXTRA_MINUTES:
        raise ValidationError({"minutes": _("Tambahan waktu 1 sampai %(max)s menit.")
                               % {"max": MAX_EXTRA_MINUTES}})
    attempt = Attempt.objects.select_for_update().select_related("session").get(pk=attempt.pk)
    if attempt.session.closed_at is not None:
        raise ValidationError(_("Sesi sudah ditutup."))
    if attempt.closed_at is not None:
        raise ValidationError(_("Percobaan sudah terkunci; buka kuncinya dulu."))
    attempt.deadline = max(attempt.deadline, now) + dt.timedelta(minutes=minutes)
    attempt.save(update_fields=["deadline"])
    AttemptEvent.objects.create(attempt=attempt, kind=EventKind.EXTEND, minutes=minutes,
                                reason=reason, by=by)
    return attempt


@transaction.atomic
def unlock_attempt(*, attempt: Attempt, minutes: int, reason: str, by: User,
                   now: dt.datetime | None = None) -> Attempt:
    """Reopens an attempt locked by its deadline or an early finish while the session is
    open (e.g. a power cut); a locked attempt whose time ran out needs extra minutes."""
    now = now or timezone.now()
    reason = _check_reason(reason)
    attempt = Attempt.objects.select_for_update().select_related("session").get(pk=attempt.pk)
    if attempt.session.closed_at is not None:
        raise ValidationError(_("Sesi sudah ditutup; percobaan tidak dapat dibuka lagi."))
    if attempt.closed_at is None:
        raise ValidationError(_("Percobaan ini tidak terkunci."))
    if not 0 <= minutes <= MAX_EXTRA_MINUTES:
        raise ValidationError({"minutes": _("Tambahan waktu 0 sampai %(max)s menit.")
                               % {"max": MAX_EXTRA_MINUTES}})
    deadline = attempt.deadline
    if deadline <= now:
        if minutes == 0:
            raise ValidationError({"minutes": _(
                "Waktunya sudah habis: beri tambahan waktu untuk membuka kuncinya.")})
        deadline = now + dt.timedelta(minutes=minutes)
    elif minutes:
        deadline += dt.timedelta(minutes=minutes)
    attempt.deadline, attempt.closed_at, attempt.close_reason = deadline, None, ""
    attempt.save(update_fields=["deadline", "closed_at", "close_reason"])
    AttemptEvent.objects.create(attempt=attempt, kind=EventKind.UNLOCK, minutes=minutes,
                                reason=reason, by=by)
    return attempt


# -- closing and scoring ---------------------------------------------------------------------

@transaction.atomic
def close_session(*, session: ExamSession, by: User, now: dt.datetime | None = None) -> int:
    """Closes the session and every attempt still running (with their saved answers) and
    scores the multiple-choice items; returns the number of attempts."""
    now = now or timezone.now()
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    if session.closed_at is not None:
        raise ValidationError(_("Sesi ini sudah ditutup."))
    if session.opened_at is None:
        raise ValidationError(_("Sesi ini belum dibuka."))
    Attempt.objects.filter(session=session, closed_at__isnull=True, deadline__lte=now).update(
        closed_at=F("deadline"), close_reason=CloseReason.DEADLINE)
    _close(Q(session=session), CloseReason.SESSION, now)
    session.closed_at, session.closed_by = now, by
    session.save(update_fields=["closed_at", "closed_by"])
    items = AttemptItem.objects.filter(attempt__session=session)
    key = Option.objects.filter(pk=OuterRef("choice_id"), is_key=True)
    items.filter(question__kind=QuestionKind.MULTIPLE_CHOICE).annotate(
        right=Exists(key)).filter(right=True).update(points=1, marked_at=now)
    items.filter(question__kind=QuestionKind.MULTIPLE_CHOICE, points__isnull=True).update(
        points=0, marked_at=now)
    items.filter(question__kind=QuestionKind.ESSAY, text="").update(points=0, marked_at=now)
    _mark_scored(session, now)
    return session.attempts.count()


def _mark_scored(session: ExamSession, now: dt.datetime) -> None:
    unmarked = AttemptItem.objects.filter(attempt=OuterRef("pk"), points__isnull=True)
    Attempt.objects.filter(session=session, scored_at__isnull=True,
                           closed_at__isnull=False).exclude(Exists(unmarked)).update(
        scored_at=now)


@transaction.atomic
def mark_essay(*, item: AttemptItem, points: Decimal, by: User,
               now: dt.datetime | None = None) -> AttemptItem:
    now = now or timezone.now()
    item = AttemptItem.objects.select_for_update().select_related(
        "attempt__session", "question").get(pk=item.pk)
    if item.question.kind != QuestionKind.ESSAY:
        raise ValidationError(_("Hanya jawaban esai yang dinilai asesor."))
    if item.attempt.session.closed_at is None:
        raise ValidationError(_("Esai dinilai setelah sesi ditutup."))
    if not 0 <= points <= item.max_points:
        raise ValidationError({"points": _("Skor 0 sampai %(max)s.") % {"max": item.max_points}})
    item.points, item.marked_by, item.marked_at = points, by, now
    item.save(update_fields=["points", "marked_by", "marked_at"])
    _mark_scored(item.attempt.session, now)
    return item
