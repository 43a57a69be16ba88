"""The exam engine: drawing items, saving answers (idempotent, never stale), deadlines,
resuming, closing, scoring and the contracts (unit_scores, item_statistics)."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.exam import selectors, services
from kompeten.exam.models import Attempt, AttemptEvent, AttemptItem, Question
from kompeten.exam.services import SaveStatus
from tests import factories
from tests.conftest import make_user
from tests.exam_samples import essay, exam_world, mc

pytestmark = pytest.mark.django_db


@pytest.fixture
def ex(world):
    return {**world, **exam_world(world)}


def start(ex, **kwargs):
    return services.start_attempt(user=ex["participant"], token=ex["session"].token, **kwargs)


def key_of(item):
    return next(o.pk for o in item.question.options.all() if o.is_key)


def wrong_of(item):
    return next(o.pk for o in item.question.options.all() if not o.is_key)


def test_attempt_draws_items_per_unit_with_shuffled_options(ex):
    attempt = start(ex, rng=random.Random(1))
    items = selectors.attempt_items(attempt)
    per_unit = {}
    for item in items:
        per_unit.setdefault(item.question.unit_id, []).append(item.question.kind)
    assert set(per_unit) == {u.pk for u in ex["units"]}
    assert all(sorted(kinds) == ["essay", "mc", "mc"] for kinds in per_unit.values())
    mc_items = [i for i in items if i.question.kind == "mc"]
    assert all(sorted(i.option_order) == sorted(o.pk for o in i.question.options.all())
               for i in mc_items)
    orders = {tuple(i.option_order) for i in mc_items}
    assert len(orders) > 1  # not every question in the bank's order
    assert [i.position for i in items] == list(range(1, len(items) + 1))


def test_resume_returns_the_same_attempt(ex):
    first = start(ex)
    again = services.start_attempt(user=ex["participant"], token=ex["session"].token.lower())
    assert again.pk == first.pk
    assert Attempt.objects.count() == 1


def test_token_of_another_session_and_unknown_token_are_refused(ex):
    other_batch = ex["program"].batches.get(number=5)
    other = services.create_session(batch=other_batch, by=ex["organiser"])
    services.open_session(session=other, by=ex["organiser"])
    with pytest.raises(ValidationError, match="angkatan lain"):
        services.start_attempt(user=ex["participant"], token=other.token)
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.start_attempt(user=ex["participant"], token="ZZZZZZ")
    assert not Attempt.objects.exists()


def test_session_not_yet_open_refuses_start(world):
    ex = {**world, **exam_world(world, open_session=False)}
    with pytest.raises(ValidationError, match="belum dibuka"):
        start(ex)


def test_save_is_idempotent_and_a_stale_sequence_never_overwrites(ex):
    attempt = start(ex)
    item = next(i for i in selectors.attempt_items(attempt) if i.question.kind == "mc")
    right, wrong = key_of(item), wrong_of(item)
    assert services.save_answer(attempt=attempt, slot=item.pk, seq=5,
                                choice=right).status == "saved"
    replay = services.save_answer(attempt=attempt, slot=item.pk, seq=5, choice=right)
    assert replay.status == SaveStatus.STALE and replay.seq == 5
    stale = services.save_answer(attempt=attempt, slot=item.pk, seq=4, choice=wrong)
    assert stale.status == SaveStatus.STALE and stale.seq == 5
    item.refresh_from_db()
    assert (item.choice_id, item.seq) == (right, 5)
    assert services.save_answer(attempt=attempt, slot=item.pk, seq=6,
                                choice=wrong).status == "saved"
    item.refresh_from_db()
    assert (item.choice_id, item.seq) == (wrong, 6)


def test_two_tabs_the_later_answer_wins_whatever_the_arrival_order(ex):
    attempt = start(ex)
    item = next(i for i in selectors.attempt_items(attempt) if i.question.kind == "essay")
    tab_b = services.save_answer(attempt=attempt, slot=item.pk, seq=2000, text="jawaban baru")
    tab_a = services.save_answer(attempt=attempt, slot=item.pk, seq=1000, text="jawaban lama")
    assert (tab_b.status, tab_a.status) == ("saved", "stale")
    item.refresh_from_db()
    assert item.text == "jawaban baru"


def test_forged_slot_option_and_another_attempt_are_refused(ex, world):
    attempt = start(ex)
    items = selectors.attempt_items(attempt)
    mc_item = next(i for i in items if i.question.kind == "mc")
    essay_item = next(i for i in items if i.question.kind == "essay")
    foreign_option = next(o.pk for i in items if i.question.kind == "mc" and i.pk != mc_item.pk
                          for o in i.question.options.all())
    assert services.save_answer(attempt=attempt, slot=mc_item.pk, seq=1,
                                choice=foreign_option).status == SaveStatus.INVALID
    assert services.save_answer(attempt=attempt, slot=essay_item.pk, seq=1,
                                choice=key_of(mc_item)).status == SaveStatus.INVALID
    assert services.save_answer(attempt=attempt, slot=mc_item.pk, seq=1,
                                text="teks").status == SaveStatus.INVALID
    assert services.save_answer(attempt=attempt, slot=999999, seq=1,
                                text="x").status == SaveStatus.INVALID
    # another participant's attempt: the slot is not theirs
    other_user = make_user(Role.PARTICIPANT, username="peserta-lain")
    other_reg = factories.accepted(ex["program"], ex["batch"].level, ex["agency_a"])[0]
    other_reg.user = other_user
    other_reg.save()
    Placement.objects.create(registration=other_reg, batch=ex["batch"], seat=2)
    other = services.start_attempt(user=other_user, token=ex["session"].token)
    assert services.save_answer(attempt=other, slot=mc_item.pk, seq=9,
                                choice=key_of(mc_item)).status == SaveStatus.INVALID
    with pytest.raises(Exception):  # noqa: B017 -- the selector answers 404
        selectors.attempt_of_participant(user=other_user, pk=attempt.pk)
    assert not AttemptItem.objects.filter(attempt=attempt, answered_at__isnull=False).exists()


def test_answers_after_the_deadline_are_refused_and_the_attempt_closes(ex):
    now = timezone.now()
    attempt = start(ex, now=now)
    item = selectors.attempt_items(attempt)[0]
    later = attempt.deadline + dt.timedelta(seconds=1)
    result = services.save_answer(attempt=attempt, slot=item.pk, seq=1, text="x", now=later)
    assert result.status == SaveStatus.CLOSED and "habis" in result.message
    assert services.close_due_attempts(now=later) == 1
    attempt.refresh_from_db()
    assert attempt.closed_at == attempt.deadline and attempt.close_reason == "deadline"
    # resuming a closed attempt gives the closed attempt, not a new one
    assert start(ex).pk == attempt.pk


def test_close_due_attempts_command(ex):
    attempt = start(ex)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=2),
        deadline=timezone.now() - dt.timedelta(minutes=1))
    call_command("close_due_attempts")
    attempt.refresh_from_db()
    assert attempt.closed_at is not None


def test_extend_and_unlock_are_logged(ex):
    attempt = start(ex)
    deadline = attempt.deadline
    with pytest.raises(ValidationError):
        services.extend_attempt(attempt=attempt, minutes=5, reason=" ", by=ex["organiser"])
    attempt = services.extend_attempt(attempt=attempt, minutes=5, reason="listrik padam",
                                      by=ex["organiser"])
    assert attempt.deadline == deadline + dt.timedelta(minutes=5)
    services.finish_attempt(attempt=attempt)
    with pytest.raises(ValidationError, match="terkunci"):
        services.extend_attempt(attempt=attempt, minutes=5, reason="x", by=ex["organiser"])
    attempt = services.unlock_attempt(attempt=attempt, minutes=0, reason="salah tekan",
                                      by=ex["organiser"])
    assert attempt.closed_at is None
    assert list(AttemptEvent.objects.values_list("kind", flat=True)) == ["extend", "unlock"]


def test_closing_scores_mc_and_essays_then_unit_scores(ex):
    attempt = start(ex)
    items = selectors.attempt_items(attempt)
    for n, item in enumerate(items, start=1):
        if item.question.kind == "mc":
            choice = key_of(item) if item.position % 2 else wrong_of(item)
            services.save_answer(attempt=attempt, slot=item.pk, seq=n, choice=choice)
        else:
            services.save_answer(attempt=attempt, slot=item.pk, seq=n, text="analisis jabatan")
    with pytest.raises(ValidationError):
        services.mark_essay(item=items[-1], points=Decimal(5), by=ex["organiser"])
    assert services.close_session(session=ex["session"], by=ex["organiser"]) == 1
    attempt.refresh_from_db()
    assert attempt.close_reason == "session" and attempt.scored_at is None
    assert selectors.unit_scores([ex["registration"].pk]) == {}
    for item in (i for i in items if i.question.kind == "essay"):
        with pytest.raises(ValidationError):
            services.mark_essay(item=item, points=Decimal(11), by=ex["organiser"])
        services.mark_essay(item=item, points=Decimal(5), by=ex["organiser"])
    attempt.refresh_from_db()
    assert attempt.scored_at is not None
    scores = selectors.unit_scores([ex["registration"].pk])[ex["registration"].pk]
    expected = {}
    for item in AttemptItem.objects.filter(attempt=attempt).select_related("question"):
        got, top = expected.setdefault(item.question.unit_id, [0, 0]), item.max_points
        got[0] += float(item.points)
        got[1] += top
    assert scores == {u: round(100 * p / m, 1) for u, (p, m) in expected.items()}
    assert all(0 <= s <= 100 for s in scores.values())


def test_editing_a_used_question_makes_a_new_version(ex):
    attempt = start(ex)
    used = AttemptItem.objects.filter(attempt=attempt).select_related("question").first().question
    old_text = used.text
    new = services.edit_question(question=used, data=mc(99) if used.kind == "mc" else essay(99),
                                 by=ex["organiser"])
    used.refresh_from_db()
    assert new.pk != used.pk and new.version == 2 and (new.origin_id == used.pk)
    assert used.text == old_text and used.retired_at is not None
    unused = Question.objects.filter(retired_at__isnull=True).exclude(
        pk__in=AttemptItem.objects.values("question")).exclude(pk=new.pk).first()
    same = services.edit_question(question=unused, data=essay(5) if unused.kind == "essay"
                                  else mc(5, key=2), by=ex["organiser"])
    assert same.pk == unused.pk


def test_question_checks(ex):
    unit = ex["units"][0]
    with pytest.raises(ValidationError):
        services.create_question(unit=unit, by=None, data=services.QuestionData(
            kind="mc", text="x", options=("a", "b", "c"), key=0))
    with pytest.raises(ValidationError):
        services.create_question(unit=unit, by=None, data=services.QuestionData(
            kind="mc", text="x", options=("a", "b", "c", "d"), key=7))
    with pytest.raises(ValidationError):
        services.create_question(unit=unit, by=None, data=services.QuestionData(
            kind="essay", text="x"))


def _examinee(ex, n):
    user = make_user(Role.PARTICIPANT, username=f"peserta-{n}")
    reg = factories.accepted(ex["program"], ex["batch"].level, ex["agency_a"])[0]
    reg.user = user
    reg.save()
    Placement.objects.create(registration=reg, batch=ex["batch"], seat=10 + n)
    return user


def test_item_statistics_difficulty_and_discrimination(ex):
    users = [_examinee(ex, n) for n in range(8)]
    for rank, user in enumerate(users):
        attempt = services.start_attempt(user=user, token=ex["session"].token)
        for n, item in enumerate(selectors.attempt_items(attempt), start=1):
            if item.question.kind == "mc":
                good = n <= rank  # stronger examinees answer more items right
                services.save_answer(attempt=attempt, slot=item.pk, seq=1,
                                     choice=key_of(item) if good else wrong_of(item))
    services.close_session(session=ex["session"], by=ex["organiser"])
    stats = selectors.item_statistics(program=ex["program"])
    mc_stats = [s for s in stats if s.kind == "mc"]
    assert mc_stats and all(0 <= s.difficulty <= 1 for s in mc_stats)
    assert all(s.discrimination is None or -1 <= s.discrimination <= 1 for s in mc_stats)
    assert any(s.discrimination and s.discrimination > 0 for s in mc_stats)
    total = sum(s.answered for s in mc_stats)
    assert total == AttemptItem.objects.filter(question__kind="mc",
                                               answered_at__isnull=False).count()
    unit_only = selectors.item_statistics(program=ex["program"], unit=ex["units"][0])
    assert {s.unit_code for s in unit_only} == {ex["units"][0].code}
