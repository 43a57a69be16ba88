"""Assessment services: assignment, decisions, signing, corrections, sidang, appeals, and
every abuse case of issue 10 (refused with a reason, nothing changed)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.assessment import decisions, selectors, services
from kompeten.assessment.models import (
    Appeal,
    Assignment,
    Consent,
    Decision,
    DecisionLog,
    SelfAssessment,
)
from tests import assessment_samples as s
from tests.conftest import make_user


@pytest.fixture
def batch(program):
    return program.batches.get(number=4)


@pytest.fixture
def people(batch, agency_a):
    return s.placed_participants(batch, agency_a, 3)


@pytest.fixture
def asesor(batch):
    return s.assessor("asesor1", batch)


@pytest.fixture
def panel(batch):
    return s.assessor("asesor2", batch)


def first_unit(registration):
    return registration.qualification.units.order_by("order").first()


def sidang(batch, by):
    return decisions.hold_sidang(batch=batch, held_on=dt.date(2019, 7, 3),
                                 decree_number="SK-01/2019", panel_members="Dr. A\nDr. B",
                                 by=by)


def test_auto_assign_follows_the_ratio_and_never_the_own_agency(program, batch, agency_a,
                                                                 agency_b, people):
    services.save_policy(program=program, participants_per_assessor=2, appeal_days=7,
                         method="Portofolio")
    same = s.assessor("sama", batch, agency=agency_a)
    other = s.assessor("lain", batch, agency=agency_b)
    result = services.auto_assign(batch=batch)
    assert result.assigned == 2 and len(result.unassigned) == 1
    assert set(Assignment.objects.values_list("assessor_id", flat=True)) == {other.pk}
    assert not Assignment.objects.filter(assessor=same).exists()


def test_own_agency_is_refused_by_the_service_and_the_database(batch, agency_a, people):
    same = s.assessor("sama", batch, agency=agency_a)
    with pytest.raises(ValidationError, match="instansinya sendiri"):
        services.assign(registration=people[0], assessor=same)
    assert not Assignment.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(registration=people[0], batch=batch, assessor=same)


def test_an_assessor_of_another_batch_is_not_assigned(program, people):
    elsewhere = s.assessor("lain", program.batches.get(number=5))
    with pytest.raises(ValidationError, match="bukan asesor angkatan ini"):
        services.assign(registration=people[0], assessor=elsewhere)


def test_deciding_for_a_participant_not_assigned_is_refused(people, asesor, panel):
    services.assign(registration=people[0], assessor=asesor)
    with pytest.raises(ValidationError, match="tidak ditugaskan kepada Anda"):
        decisions.save_decision(assessor=panel, registration=people[0],
                                unit=first_unit(people[0]), verdict="K")
    with pytest.raises(ValidationError, match="tidak ditugaskan kepada Anda"):
        decisions.save_decision(assessor=asesor, registration=people[1],
                                unit=first_unit(people[1]), verdict="K")
    assert not Decision.objects.exists()


def test_draft_sign_and_correct_leave_versions_and_an_audit_trail(people, asesor):
    reg = people[0]
    unit = first_unit(reg)
    services.assign(registration=reg, assessor=asesor)
    decisions.save_decision(assessor=asesor, registration=reg, unit=unit, verdict="BK",
                            note="kurang")
    decisions.save_decision(assessor=asesor, registration=reg, unit=unit, verdict="K",
                            note="cukup")
    signed = decisions.sign_decision(assessor=asesor, registration=reg, unit=unit)
    assert signed.version == 1 and signed.signed_at and signed.verdict == "K"
    with pytest.raises(ValidationError, match="sudah ditandatangani"):
        decisions.save_decision(assessor=asesor, registration=reg, unit=unit, verdict="BK")
    with pytest.raises(ValidationError, match="alasan"):
        decisions.correct_decision(assessor=asesor, registration=reg, unit=unit, verdict="BK",
                                   note="", feedback="", reason=" ")
    corrected = decisions.correct_decision(assessor=asesor, registration=reg, unit=unit,
                                           verdict="BK", note="salah hitung", feedback="",
                                           reason="Nilai tertulis salah dibaca")
    assert corrected.version == 2 and corrected.signed_at is not None
    assert Decision.objects.get(pk=signed.pk).verdict == "K"
    log = list(DecisionLog.objects.filter(registration=reg).order_by("pk"))
    assert [e.action for e in log] == ["draft", "draft", "sign", "correct"]
    assert log[1].before["verdict"] == "BK" and log[1].after["verdict"] == "K"
    assert log[3].before["version"] == 1 and log[3].after["version"] == 2
    assert log[3].by == asesor and log[3].at is not None


def test_the_database_refuses_to_edit_a_signed_decision(people, asesor):
    reg = people[0]
    services.assign(registration=reg, assessor=asesor)
    s.decide_all(asesor, reg)
    decision = Decision.objects.filter(registration=reg).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(verdict="BK")
    assert Decision.objects.get(pk=decision.pk).verdict == "K"


def test_sidang_needs_every_unit_signed_then_locks_and_releases(program, batch, people,
                                                                 asesor, users):
    for reg in people:
        services.assign(registration=reg, assessor=asesor)
    for reg in people[:2]:
        s.decide_all(asesor, reg)
    organiser = users[Role.ORGANISER]
    with pytest.raises(ValidationError, match="15 keputusan unit"):
        sidang(batch, organiser)
    assert not selectors.is_released(batch)
    assert selectors.released_results([p.pk for p in people]) == {}
    s.decide_all(asesor, people[2], {1: "BK"})
    sidang(batch, organiser)
    assert selectors.is_released(batch)
    results = selectors.released_results([p.pk for p in people])
    assert set(results) == {p.pk for p in people}
    assert results[people[2].pk][first_unit(people[2]).pk] == "BK"
    assert len(results[people[0].pk]) == 15
    with pytest.raises(ValidationError, match="sidang penetapan"):
        decisions.correct_decision(assessor=asesor, registration=people[2],
                                   unit=first_unit(people[2]), verdict="K", note="",
                                   feedback="", reason="terlambat")
    with pytest.raises(ValidationError, match="sidang penetapan"):
        sidang(batch, organiser)
    assert Decision.objects.filter(registration=people[2]).count() == 15


@pytest.fixture
def released(batch, people, asesor, panel, users):
    for reg in people:
        services.assign(registration=reg, assessor=asesor)
        s.decide_all(asesor, reg, {1: "BK"})
    return sidang(batch, users[Role.ORGANISER])


def test_appeal_is_decided_by_the_panel_as_a_new_version(released, people, asesor, panel):
    reg = people[0]
    unit = first_unit(reg)
    appeal = decisions.file_appeal(user=reg_user(reg), registration=reg, unit=unit,
                                   reason="Bukti portofolio belum dilihat")
    assert appeal.panel == panel and appeal.first_assessor == asesor
    with pytest.raises(ValidationError, match="panel banding yang ditunjuk"):
        decisions.decide_appeal(user=asesor, appeal=appeal, verdict="K", note="x")
    outcome = decisions.decide_appeal(user=panel, appeal=appeal, verdict="K",
                                      note="Portofolio memadai")
    assert outcome.version == 2 and outcome.appeal == appeal
    assert selectors.released_results([reg.pk])[reg.pk][unit.pk] == "K"
    assert DecisionLog.objects.filter(registration=reg, action="panel").exists()
    with pytest.raises(ValidationError, match="sudah diputus"):
        decisions.decide_appeal(user=panel, appeal=appeal, verdict="BK", note="x")


def reg_user(registration):
    if registration.user is None:
        registration.user = make_user(Role.PARTICIPANT, username=f"p{registration.pk}")
        registration.save(update_fields=["user"])
    return registration.user


def test_appeal_abuse_is_refused(released, people, asesor, panel):
    reg, other = people[0], people[1]
    bk_unit = first_unit(reg)
    k_unit = reg.qualification.units.get(order=2)
    with pytest.raises(ValidationError, match="Hanya peserta yang bersangkutan"):
        decisions.file_appeal(user=reg_user(other), registration=reg, unit=bk_unit,
                              reason="bukan saya")
    with pytest.raises(ValidationError, match="belum kompeten"):
        decisions.file_appeal(user=reg_user(reg), registration=reg, unit=k_unit, reason="x")
    late = timezone.now() + dt.timedelta(days=8)
    with pytest.raises(ValidationError, match="Masa banding berakhir"):
        decisions.file_appeal(user=reg_user(reg), registration=reg, unit=bk_unit,
                              reason="terlambat", now=late)
    assert not Appeal.objects.exists()
    decisions.file_appeal(user=reg_user(reg), registration=reg, unit=bk_unit, reason="ok")
    with pytest.raises(ValidationError, match="sudah diajukan"):
        decisions.file_appeal(user=reg_user(reg), registration=reg, unit=bk_unit, reason="2x")


def test_the_panel_is_never_the_first_assessor(released, people, asesor, panel):
    reg = people[0]
    appeal = decisions.file_appeal(user=reg_user(reg), registration=reg,
                                   unit=first_unit(reg), reason="mohon ditinjau")
    with pytest.raises(ValidationError, match="bukan asesor yang memutus pertama kali"):
        decisions.assign_panel(appeal=appeal, panel=asesor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(panel=asesor)
    assert Appeal.objects.get(pk=appeal.pk).panel == panel


def test_appeal_before_release_is_refused(people, asesor):
    reg = people[0]
    services.assign(registration=reg, assessor=asesor)
    s.decide_all(asesor, reg, {1: "BK"})
    with pytest.raises(ValidationError, match="setelah hasil ditetapkan"):
        decisions.file_appeal(user=reg_user(reg), registration=reg, unit=first_unit(reg),
                              reason="x")


def test_self_assessment_and_consent(people, asesor):
    reg = people[0]
    user = reg_user(reg)
    unit = first_unit(reg)
    with pytest.raises(ValidationError, match="belum ditetapkan"):
        services.accept_consent(user=user, registration=reg)
    services.save_self_assessment(user=user, registration=reg,
                                  answers={unit.pk: (True, "SK penataan arsip")})
    with pytest.raises(ValidationError, match="Hanya peserta"):
        services.save_self_assessment(user=reg_user(people[1]), registration=reg,
                                      answers={unit.pk: (False, "")})
    assert SelfAssessment.objects.get(registration=reg, unit=unit).can_do is True
    services.assign(registration=reg, assessor=asesor)
    consent = services.accept_consent(user=user, registration=reg)
    assert consent.accepted_at and consent.assessor_name == "Asesor1"
    with pytest.raises(ValidationError, match="sudah menyetujui"):
        services.accept_consent(user=user, registration=reg)
    assert Consent.objects.count() == 1


def test_portfolio_and_oral_answers(people, asesor, panel):
    reg = people[0]
    services.assign(registration=reg, assessor=asesor)
    items = selectors.portfolio(reg)
    assert [i.key for i in items] == ["plan"]
    services.judge_evidence(assessor=asesor, registration=reg, key="plan", valid=True,
                            authentic=True, current=True, sufficient=False, note="kurang")
    with pytest.raises(ValidationError, match="tidak ditugaskan"):
        services.judge_evidence(assessor=panel, registration=reg, key="plan", valid=False,
                                authentic=False, current=False, sufficient=False)
    with pytest.raises(ValidationError, match="tidak ada dalam portofolio"):
        services.judge_evidence(assessor=asesor, registration=reg, key="work:999999",
                                valid=True, authentic=True, current=True, sufficient=True)
    assert selectors.portfolio(reg)[0].check.sufficient is False
    question = services.add_question(unit=first_unit(reg), question="Apa?", expected_answer="Ini")
    services.record_oral_answer(assessor=asesor, registration=reg, question=question,
                                answer="Itu", achieved=True)
    evidence = selectors.unit_evidence(reg)
    assert evidence[0].answers[question.pk].achieved is True
    assert evidence[0].written is None


def test_a_sidang_is_recorded_after_it_was_held(batch, people, asesor, users):
    for reg in people:
        services.assign(registration=reg, assessor=asesor)
        s.decide_all(asesor, reg)
    with pytest.raises(ValidationError, match="masa depan"):
        decisions.hold_sidang(batch=batch, held_on=timezone.localdate() + dt.timedelta(days=1),
                              decree_number="SK-1", panel_members="A", by=users[Role.ORGANISER])
    assert not selectors.is_released(batch)


def test_a_signed_decision_carries_the_fingerprint_of_what_was_signed(people, asesor):
    reg = people[0]
    unit = first_unit(reg)
    services.assign(registration=reg, assessor=asesor)
    draft = decisions.save_decision(assessor=asesor, registration=reg, unit=unit, verdict="K",
                                    note="cukup")
    assert draft.content_hash == ""
    signed = decisions.sign_decision(assessor=asesor, registration=reg, unit=unit)
    assert len(signed.content_hash) == 64
    assert decisions.content_hash(Decision.objects.get(pk=signed.pk)) == signed.content_hash
    assert DecisionLog.objects.filter(action="sign").get().after["hash"] == signed.content_hash
    corrected = decisions.correct_decision(assessor=asesor, registration=reg, unit=unit,
                                           verdict="BK", note="", feedback="", reason="salah")
    assert corrected.content_hash not in ("", signed.content_hash)
