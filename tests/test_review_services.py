import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.actionplans.models import ActionPlan
from kompeten.programs.models import Agency, AgencyKind, Level
from kompeten.registration.models import Registration, Status
from kompeten.review import selectors, services, submission
from kompeten.review.models import ReviewDecision, Submission
from tests.conftest import make_user
from tests.factories import complete, nip_for, submitted_file

NO_COMMENTS = {}


@pytest.fixture
def organiser(db):
    return make_user(Role.ORGANISER, username="reviewer-1")


@pytest.fixture
def file(program, agency_a):
    return submitted_file(program=program, agency=agency_a)


def _decide(registration, reviewer, decision, comments=NO_COMMENTS, **kwargs):
    return services.decide(registration=registration, reviewer=reviewer, decision=decision,
                           comments=comments, **kwargs)


# -- the rules ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_accept_sets_status_and_mails_next_steps(file, organiser,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(file, organiser, "accept", {"action_plan": "  Bagus.  "})
    file.refresh_from_db()
    assert file.status == Status.ACCEPTED
    assert (decision.submission.number, decision.reviewer, decision.comment_action_plan) == (
        1, organiser, "Bagus.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [file.email]
    assert "DITERIMA" in message.body and "Langkah berikutnya" in message.body
    assert "e-learning" in message.body
    assert "http://testserver" not in message.body


@pytest.mark.django_db
def test_revise_needs_a_comment_and_changes_nothing_without(file, organiser,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), \
            pytest.raises(ValidationError) as caught:
        _decide(file, organiser, "revise", {"profile": "   ", "documents": ""})
    assert "decision" in caught.value.message_dict
    assert "minimal satu bagian" in caught.value.message_dict["decision"][0]
    file.refresh_from_db()
    assert file.status == Status.SUBMITTED
    assert not ReviewDecision.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_revise_mails_comments_per_section_and_a_link(file, organiser, settings,
                                                      django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://kompeten.example"
    with django_capture_on_commit_callbacks(execute=True):
        _decide(file, organiser, "revise",
                {"work_history": "Lengkapi tugas pokok jabatan 2016.",
                 "action_plan": "Tujuan belum terukur."})
    file.refresh_from_db()
    assert file.status == Status.REVISION
    body = mail.outbox[0].body
    assert "PERLU PERBAIKAN" in body and "versi 1" in body
    assert "Riwayat pekerjaan:\n  Lengkapi tugas pokok jabatan 2016." in body
    assert "Rencana tindak lanjut:\n  Tujuan belum terukur." in body
    assert "Dokumen persyaratan" not in body  # no comment, not listed
    assert "https://kompeten.example/pendaftaran/" in body
    assert "perbaikan" in mail.outbox[0].subject


@pytest.mark.django_db
def test_reject_needs_a_reason_which_is_mailed(file, organiser,
                                               django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as caught:
        _decide(file, organiser, "reject", reason="  ")
    assert "reason" in caught.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(file, organiser, "reject",
                           reason="Jabatan tidak termasuk pengelola kepegawaian.")
    file.refresh_from_db()
    assert file.status == Status.REJECTED
    assert decision.reason == "Jabatan tidak termasuk pengelola kepegawaian."
    assert "DITOLAK" in mail.outbox[0].body
    assert "Jabatan tidak termasuk pengelola kepegawaian." in mail.outbox[0].body


@pytest.mark.django_db
def test_reason_is_only_kept_for_a_rejection(file, organiser):
    decision = _decide(file, organiser, "accept", reason="tidak relevan")
    assert decision.reason == ""


@pytest.mark.django_db
def test_unknown_decision_is_refused(file, organiser):
    with pytest.raises(ValidationError) as caught:
        _decide(file, organiser, "maybe")
    assert "decision" in caught.value.message_dict


@pytest.mark.django_db
def test_only_a_submitted_file_can_be_decided(world, organiser):
    registered = world["registration"]  # status registered, nothing submitted
    with pytest.raises(ValidationError, match="belum mengirim berkas"):
        _decide(registered, organiser, "accept")
    Submission.objects.create(registration=registered, number=1, submitted_at=timezone.now(),
                              snapshot={})
    with pytest.raises(ValidationError, match="Hanya berkas berstatus"):
        _decide(registered, organiser, "accept")


@pytest.mark.django_db
def test_a_second_reviewer_learns_who_decided_first(file, organiser):
    organiser.first_name, organiser.last_name = "Eko", "Wahyudi"
    organiser.save()
    other = make_user(Role.ORGANISER, username="reviewer-2")
    _decide(file, organiser, "revise", {"profile": "Nomor HP salah."})
    with pytest.raises(ValidationError) as caught:
        _decide(file, other, "accept")
    assert "sudah diputuskan oleh Eko Wahyudi" in caught.value.messages[0]
    assert "Dikembalikan untuk perbaikan" in caught.value.messages[0]
    assert ReviewDecision.objects.count() == 1
    file.refresh_from_db()
    assert file.status == Status.REVISION


@pytest.mark.django_db
def test_a_decision_for_an_outdated_version_is_refused(file, organiser):
    Submission.objects.create(registration=file, number=2, submitted_at=timezone.now(),
                              snapshot={})
    with pytest.raises(ValidationError, match="versi 2"):
        _decide(file, organiser, "accept", version=1)
    assert _decide(file, organiser, "accept", version=2).submission.number == 2


@pytest.mark.django_db
def test_database_keeps_one_decision_per_version_and_a_reason_for_rejection(file, organiser):
    submission = file.submissions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewDecision.objects.create(registration=file, submission=submission,
                                      reviewer=organiser, decision="reject", reason="")
    ReviewDecision.objects.create(registration=file, submission=submission,
                                  reviewer=organiser, decision="accept")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewDecision.objects.create(registration=file, submission=submission,
                                      reviewer=organiser, decision="accept")


# -- the whole loop -------------------------------------------------------------------------

@pytest.mark.django_db
def test_submit_revise_edit_resubmit_accept(world, organiser,
                                            django_capture_on_commit_callbacks):
    registration = complete(world["registration"])
    submission.submit_registration(registration=registration)
    registration.refresh_from_db()
    assert [r.version for r in selectors.review_queue(program=world["program"])
            if r.pk == registration.pk] == [1]

    with django_capture_on_commit_callbacks(execute=True):
        _decide(registration, organiser, "revise",
                {"action_plan": "Judul terlalu umum; sebutkan unit kerja."})
    registration.refresh_from_db()
    assert registration.status == Status.REVISION
    assert selectors.feedback_for(registration=registration).comment_action_plan.startswith(
        "Judul terlalu umum")
    assert not selectors.review_queue(program=world["program"]).filter(
        pk=registration.pk).exists()

    # the participant edits the plan (allowed while in revision) and sends it again
    ActionPlan.objects.filter(registration=registration).update(
        title="Penerapan Sistem Merit di Bidang Pengembangan Kompetensi BKD Aceh")
    submission.submit_registration(registration=registration)
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED
    assert selectors.feedback_for(registration=registration) is None
    queued = selectors.review_queue(program=world["program"]).get(pk=registration.pk)
    assert queued.version == 2

    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(registration, organiser, "accept", version=2)
    registration.refresh_from_db()
    assert registration.status == Status.ACCEPTED
    assert decision.submission.number == 2

    history = selectors.history(registration=registration)
    assert [(e.submission.number, e.decision.decision) for e in history] == [
        (2, "accept"), (1, "revise")]
    assert history[0].changed == ["Rencana tindak lanjut"]
    assert history[1].comments[0].label == "Rencana tindak lanjut"
    # v1 keeps what was read then
    assert history[1].submission.snapshot["action_plan"]["title"].startswith(
        "Penerapan Sistem Merit dalam")
    assert [m.subject for m in mail.outbox][-2:] == [
        f"Berkas Anda perlu perbaikan — {world['program']}",
        f"Berkas Anda diterima — {world['program']}"]


# -- selectors ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_queue_oldest_first_with_filters(program, agency_a, agency_b):
    now = timezone.now()
    jakarta = Agency.objects.create(code="KL-9", name="Kementerian Contoh",
                                    kind=AgencyKind.KL_PUSAT, province="DKI Jakarta")
    newest = submitted_file(program=program, agency=agency_a, nip=nip_for(1),
                            full_name="Budi Hartono", submitted_at=now)
    oldest = submitted_file(program=program, agency=agency_b, nip=nip_for(2),
                            full_name="Citra Lestari", submitted_at=now - dt.timedelta(days=3),
                            level_code="pengawas")
    middle = submitted_file(program=program, agency=jakarta, nip=nip_for(3),
                            full_name="Dewi Anggraini", submitted_at=now - dt.timedelta(days=1))
    accepted = submitted_file(program=program, agency=agency_a, nip=nip_for(4), seat=2,
                              full_name="Eka Putra", submitted_at=now - dt.timedelta(days=9))
    accepted.status = Status.ACCEPTED
    accepted.save()

    queue = selectors.review_queue(program=program)
    assert list(queue) == [oldest, middle, newest]
    assert all(r.version == 1 for r in queue)

    def names(**filters):
        return [r.plain_name for r in selectors.filter_queue(queue, **filters)]

    assert names(level=Level.objects.get(code="pengawas")) == ["Citra Lestari"]
    assert names(agency=jakarta) == ["Dewi Anggraini"]
    assert names(province="Bali") == ["Citra Lestari"]
    assert names(q="  citra ") == ["Citra Lestari"]
    assert names(q=nip_for(3)[:8]) == ["Dewi Anggraini"]
    assert names(q="tidak ada") == []
    assert ("DKI Jakarta", "DKI Jakarta") in selectors.province_choices()


@pytest.mark.django_db
def test_file_view_reads_the_snapshot(file):
    view = selectors.file_view(file.submissions.get().snapshot)
    assert ("Nama lengkap", "Dr. Rina Wulandari, S.E.") in view.profile
    assert view.work_history[0]["start_date"] == dt.date(2016, 1, 4)
    assert view.documents[0]["label"].startswith("Surat perintah")
    assert view.plan["goal_points"] == ["Menyusun analisis kebutuhan",
                                        "Menyusun rencana pengembangan"]
    assert [row.horizon_label for row in view.milestones][0].startswith("Jangka pendek")
    assert view.milestones[1].duration == "2 bulan"
    assert len(view.weeks) == 40 and view.horizon_ends == [13, 26]
    assert [(label[:13], len(rows)) for label, rows in view.runs] == [
        ("Jangka pendek", 1), ("Jangka meneng", 1), ("Jangka panjan", 1)]
    assert view.milestones[0].cells[:5] == [True, True, True, True, False]


@pytest.mark.django_db
def test_file_view_of_an_empty_snapshot():
    view = selectors.file_view({})
    assert view.plan is None and view.milestones == [] and view.documents == []


# -- concurrency ----------------------------------------------------------------------------

@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks and real concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_exactly_one_wins():
    from kompeten.programs.services import create_program_2019

    program = create_program_2019()
    agency = Agency.objects.create(code="PROV-77", name="BKD Uji", kind=AgencyKind.PROVINCE,
                                   province="Aceh")
    registration = submitted_file(program=program, agency=agency)
    reviewers = [make_user(Role.ORGANISER, username=f"reviewer-{i}") for i in (1, 2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(reviewer, decision):
        try:
            barrier.wait()
            services.decide(registration=registration, reviewer=reviewer, decision=decision,
                            comments={"profile": "Perbaiki nomor HP."}, reason="Tidak sesuai")
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=args)
               for args in ((reviewers[0], "revise"), (reviewers[1], "reject"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert any("sudah diputuskan oleh" in outcome for outcome in outcomes), outcomes
    assert ReviewDecision.objects.filter(registration=registration).count() == 1
    registration = Registration.objects.get(pk=registration.pk)
    winner = ReviewDecision.objects.get(registration=registration)
    assert registration.status == {"revise": Status.REVISION,
                                   "reject": Status.REJECTED}[winner.decision]
