"""Monev: questionnaires, waves, links, invitations and reminders, answering."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.common.models import OutgoingMail
from kompeten.monev import questionnaires, services, waves
from kompeten.monev.models import (
    Answer,
    Audience,
    Invitation,
    Item,
    MilestoneAnswer,
    MonevPolicy,
    Questionnaire,
    Response,
    SendKind,
    SentMail,
    SupervisorChange,
    Wave,
)
from kompeten.programs.models import Level
from tests.conftest import NIP_FEMALE, make_user
from tests.factories import accepted
from tests.monev_samples import monev_setup, token_of
from tests.upload_samples import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    from kompeten.batching.models import Placement

    program = world["program"]
    # batch 4 to themselves: counts below are of this participant and their supervisor
    Placement.objects.filter(batch__program=program, batch__number=4).delete()
    data = monev_setup(program=program, registration=world["registration"],
                       batch=program.batches.get(number=4))
    return {**world, **data}


def _items(program, audience):
    return {i.text: i for i in Item.objects.filter(section__questionnaire__program=program,
                                                   section__questionnaire__audience=audience)}


def _item(program, audience, kind):
    return Item.objects.filter(section__questionnaire__program=program,
                               section__questionnaire__audience=audience, kind=kind
                               ).order_by("section__order", "order").first()


# -- questionnaires ---------------------------------------------------------------------

def test_default_questionnaires_follow_the_seed_and_are_created_once(program):
    questionnaires.ensure_defaults(program=program)
    questionnaires.ensure_defaults(program=program)
    participant = Questionnaire.objects.get(program=program, audience=Audience.PARTICIPANT)
    assert [s.title for s in participant.sections.order_by("order")] == [
        "Identitas peserta", "Identitas mentor/atasan saat ini",
        "Progres rencana tindak lanjut", "Dampak pelatihan terhadap kinerja", "Saran"]
    kinds = set(Item.objects.filter(section__questionnaire=participant)
                .values_list("kind", flat=True))
    assert {"likert", "frequency", "choice", "number", "text", "milestones",
            "supervisor"} <= kinds
    supervisor = Questionnaire.objects.get(program=program, audience=Audience.SUPERVISOR)
    assert supervisor.sections.count() == 4
    assert not Item.objects.filter(section__questionnaire=supervisor,
                                   kind__in=["milestones", "supervisor"]).exists()
    assert Questionnaire.objects.filter(program=program).count() == 2


def test_organiser_builds_sections_and_items(client, program, users):
    questionnaires.ensure_defaults(program=program)
    q = Questionnaire.objects.get(program=program, audience=Audience.SUPERVISOR)
    client.force_login(users[Role.ORGANISER])
    client.post(reverse("monev:questionnaire", args=[q.pk]), {"title": "Transfer ke rekan"})
    section = q.sections.get(title="Transfer ke rekan")
    url = reverse("monev:item_add", args=[section.pk])
    client.post(url, {"text": "Berapa rekan yang dilatih?", "kind": "number", "theme": "impact",
                      "min_value": 0, "max_value": 50, "max_length": 1000})
    client.post(url, {"text": "Pilih satu", "kind": "choice", "theme": "other",
                      "options": "hanya satu", "max_length": 1000})  # one option: refused
    client.post(url, {"text": "Langkah", "kind": "milestones", "theme": "progress",
                      "max_length": 1000})  # participant-only kind: refused
    response = client.post(url, {"text": "Rentang", "kind": "number", "theme": "other",
                                 "min_value": 9, "max_value": 1, "max_length": 1000},
                           follow=True)
    assert "Nilai minimal tidak boleh melebihi nilai maksimal." in response.content.decode()
    item = section.items.get()
    assert (item.kind, item.min_value, item.max_value, item.order) == ("number", 0, 50, 1)
    page = client.get(reverse("monev:questionnaire", args=[q.pk])).content.decode()
    assert "Berapa rekan yang dilatih?" in page


def test_an_answered_item_cannot_be_deleted_nor_change_kind(setup):
    likert = _item(setup["program"], Audience.PARTICIPANT, "likert")
    services.save_answers(invitation=setup["participant"], values={f"item-{likert.pk}": "4"})
    with pytest.raises(ValidationError):
        questionnaires.delete_item(item=likert)
    with pytest.raises(ValidationError):
        questionnaires.update_item(item=likert, data=questionnaires.ItemData(
            kind="text", text=likert.text))
    unanswered = _item(setup["program"], Audience.SUPERVISOR, "text")
    questionnaires.delete_item(item=unanswered)
    assert not Item.objects.filter(pk=unanswered.pk).exists()


# -- waves ------------------------------------------------------------------------------

def test_waves_follow_the_policy_offsets_and_closing_days(program):
    batch = program.batches.get(number=1)
    batch.end_date = dt.date(2019, 11, 30)
    batch.save()
    MonevPolicy.objects.create(program=program, offsets="3,6,12", closing_days=21)
    created = waves.plan_waves(program=program)
    assert created == 3 * program.batches.count()
    assert waves.plan_waves(program=program) == 0  # idempotent
    got = {w.offset_months: (w.opens_on, w.closes_on)
           for w in Wave.objects.filter(batch=batch)}
    assert got == {3: (dt.date(2020, 2, 29), dt.date(2020, 3, 21)),
                   6: (dt.date(2020, 5, 30), dt.date(2020, 6, 20)),
                   12: (dt.date(2020, 11, 30), dt.date(2020, 12, 21))}


def test_policy_page_validates_and_saves(client, program, users):
    client.force_login(users[Role.ORGANISER])
    url = f"{reverse('monev:settings')}?tahun={program.code}"
    bad = client.post(url, {"tahun": program.code, "offsets": "0,99", "closing_days": 30,
                            "max_reminders": 2, "reminder_gap_days": 7})
    assert bad.status_code == 200 and not MonevPolicy.objects.exists()
    client.post(url, {"tahun": program.code, "offsets": "6, 3", "closing_days": 14,
                      "max_reminders": 1, "reminder_gap_days": 5})
    policy = MonevPolicy.objects.get(program=program)
    assert (policy.offset_list, policy.closing_days, policy.max_reminders) == ([3, 6], 14, 1)


def test_a_wave_cannot_close_before_it_opens(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        Wave.objects.create(program=program, batch=program.batches.first(), offset_months=3,
                            opens_on=dt.date(2020, 1, 10), closes_on=dt.date(2020, 1, 1))


# -- invitations and reminders ---------------------------------------------------------

def _sent(invitation, kind=None):
    rows = SentMail.objects.filter(invitation=invitation)
    return rows.filter(kind=kind).count() if kind else rows.count()


def test_invitations_are_sent_once_and_reminders_at_most_n_days_apart(setup):
    program = setup["program"]
    MonevPolicy.objects.create(program=program, offsets="3,6,12", closing_days=30,
                               max_reminders=2, reminder_gap_days=7)
    now = timezone.now()
    first = waves.send_due(now=now)
    assert first.invitations_sent == 2  # the participant and the supervisor
    again = waves.send_due(now=now + dt.timedelta(hours=3))
    assert again.invitations_sent == 0 and again.reminders_sent == 0
    assert waves.send_due(now=now + dt.timedelta(days=6)).reminders_sent == 0  # too soon
    assert waves.send_due(now=now + dt.timedelta(days=7)).reminders_sent == 2
    assert waves.send_due(now=now + dt.timedelta(days=7, hours=1)).reminders_sent == 0
    assert waves.send_due(now=now + dt.timedelta(days=14)).reminders_sent == 2
    assert waves.send_due(now=now + dt.timedelta(days=21)).reminders_sent == 0  # at most 2
    for invitation in (setup["participant"], setup["supervisor"]):
        assert _sent(invitation, SendKind.INVITATION) == 1
        assert _sent(invitation, SendKind.REMINDER) == 2
    mails = OutgoingMail.objects.filter(to=[setup["supervisor"].email])
    assert mails.count() == 3
    body = mails.first().body
    assert setup["supervisor_token"] in body and "Drs. Agus Pratama" in body


def test_no_reminder_after_submission_revocation_or_closing(setup):
    program = setup["program"]
    now = timezone.now()
    waves.send_due(now=now)
    Response.objects.create(invitation=setup["participant"], submitted_at=now)
    Invitation.objects.filter(pk=setup["participant"].pk).update(answered_at=now)
    waves.revoke(invitation=setup["supervisor"])
    assert waves.send_due(now=now + dt.timedelta(days=8)).reminders_sent == 0
    other = accepted(program, Level.objects.get(code="pengawas"), setup["agency_a"])[0]
    from kompeten.batching.models import Placement

    Placement.objects.create(registration=other, batch=setup["wave"].batch, seat=3)
    late = setup["wave"].closes_on + dt.timedelta(days=1)
    report = waves.send_due(now=timezone.make_aware(dt.datetime.combine(late, dt.time(9))))
    assert report.invitations_sent == 0 and report.invitations_created == 0


def test_the_sent_log_refuses_a_second_claim(setup):
    SentMail.objects.create(invitation=setup["participant"], kind=SendKind.INVITATION,
                            number=0, sent_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        SentMail.objects.create(invitation=setup["participant"], kind=SendKind.INVITATION,
                                number=0, sent_at=timezone.now())
    # a run that finds the claim taken sends only the supervisor's
    assert waves.send_due().invitations_sent == 1


def test_management_command_sends_due_invitations(setup, capsys):
    from django.core.management import call_command

    Questionnaire.objects.all().delete()  # the run creates the defaults before inviting
    call_command("send_monev_invitations")
    assert "undangan terkirim 2" in capsys.readouterr().out
    assert Questionnaire.objects.filter(program=setup["program"]).count() == 2
    call_command("send_monev_invitations")
    assert "undangan terkirim 0" in capsys.readouterr().out
    from kompeten.celery import app
    from kompeten.monev.tasks import send_monev_invitations

    assert app.conf.beat_schedule["send-monev-invitations"]["task"] == send_monev_invitations.name
    assert send_monev_invitations()["invitations_sent"] == 0


# -- links ------------------------------------------------------------------------------

def test_a_link_opens_its_form_and_records_the_opening(client, setup):
    url = reverse("monev:token_form", args=[setup["supervisor_token"]])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Monev pascapelatihan: atasan/mentor" in page and "Drs. Agus Pratama" in page
    assert Invitation.objects.get(pk=setup["supervisor"].pk).opened_at is not None
    assert Invitation.objects.filter(token_hash__contains=setup["supervisor_token"]).count() == 0


@pytest.mark.parametrize("how", ["unknown", "tampered", "revoked", "expired", "resent"])
def test_a_dead_link_is_refused_with_a_reason(client, setup, how):
    token = setup["supervisor_token"]
    invitation = setup["supervisor"]
    if how == "unknown":
        token = "999999-" + "a" * 43
    elif how == "tampered":
        token = token[:-1] + ("a" if token[-1] != "a" else "b")
    elif how == "revoked":
        waves.revoke(invitation=invitation)
    elif how == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1))
    else:
        waves.resend(invitation=invitation)
        assert client.get(reverse("monev:token_form",
                                  args=[token_of(invitation)])).status_code == 200
    response = client.get(reverse("monev:token_form", args=[token]))
    assert response.status_code in (404, 410)
    expected = {"revoked": "dicabut", "expired": "kedaluwarsa"}.get(how, "tidak dikenal")
    assert expected in response.content.decode()
    saved = client.post(reverse("monev:token_save", args=[token]),
                        {f"item-{_item(setup['program'], 'supervisor', 'likert').pk}": "5"})
    assert saved.status_code in (404, 410) and not Answer.objects.exists()


def test_a_supervisor_link_cannot_answer_for_another_participant(client, setup):
    program = setup["program"]
    other = accepted(program, Level.objects.get(code="pengawas"), setup["agency_b"])[0]
    other_data = monev_setup(program=program, registration=other,
                             batch=program.batches.get(number=5), seat=1)
    theirs = other_data["milestones"][0]
    likert = _item(program, Audience.SUPERVISOR, "likert")
    url = reverse("monev:token_save", args=[setup["supervisor_token"]])
    response = client.post(url, {f"ms-{theirs.pk}-status": "done", f"item-{likert.pk}": "4"},
                           HTTP_HX_REQUEST="true")
    assert "Hanya peserta" in response.content.decode()
    assert not MilestoneAnswer.objects.exists()
    # the participant's own link: another participant's milestone is refused too
    url = reverse("monev:token_save", args=[setup["participant_token"]])
    response = client.post(url, {f"ms-{theirs.pk}-status": "done"}, HTTP_HX_REQUEST="true")
    assert "bukan milik peserta ini" in response.content.decode()
    assert not MilestoneAnswer.objects.exists()
    # and a participant item through the supervisor's link is not part of their form
    participant_item = _item(program, Audience.PARTICIPANT, "likert")
    errors = services.save_answers(invitation=setup["supervisor"],
                                   values={f"item-{participant_item.pk}": "3"})
    assert errors and not Answer.objects.filter(item=participant_item).exists()
    # the answer about the own participant was saved
    assert Answer.objects.get(item=likert).number == 4


# -- answering --------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "bad", "good", "stored"), [
    ("likert", "6", "5", 5), ("frequency", "0", "4", 4), ("number", "101", "7", 7),
    ("choice", "Pindah planet", "Promosi", "Promosi"), ("text", "x" * 251, "Kepala Bidang",
                                                        "Kepala Bidang"),
])
def test_answers_out_of_range_are_refused(setup, kind, bad, good, stored):
    item = _item(setup["program"], Audience.PARTICIPANT, kind)
    field = f"item-{item.pk}"
    errors = services.save_answers(invitation=setup["participant"], values={field: bad})
    assert field in errors and not Answer.objects.filter(item=item).exists()
    assert services.save_answers(invitation=setup["participant"], values={field: good}) == {}
    answer = Answer.objects.get(item=item)
    assert (answer.text or answer.number) == stored


def test_autosave_by_section_keeps_the_rest_and_answers_in_the_status_line(client, setup):
    client.force_login(setup["users"][Role.PARTICIPANT])
    program = setup["program"]
    likert = _item(program, Audience.PARTICIPANT, "likert")
    text = _item(program, Audience.PARTICIPANT, "text")
    url = reverse("monev:save", args=[setup["participant"].pk])
    first = client.post(url, {f"item-{likert.pk}": "4"}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and "Tersimpan pukul" in first.content.decode()
    second = client.post(url, {f"item-{text.pk}": "Kepala Bagian"}, HTTP_HX_REQUEST="true")
    assert "Tersimpan" in second.content.decode()
    assert {a.item_id for a in Answer.objects.all()} == {likert.pk, text.pk}
    bad = client.post(url, {f"item-{likert.pk}": "9"}, HTTP_HX_REQUEST="true")
    assert "Pilih nilai 1 sampai 5." in bad.content.decode()
    assert Answer.objects.get(item=likert).number == 4
    cleared = client.post(url, {f"item-{text.pk}": ""}, HTTP_HX_REQUEST="true")
    assert cleared.status_code == 200 and not Answer.objects.filter(item=text).exists()
    page = client.get(reverse("monev:form", args=[setup["participant"].pk])).content.decode()
    assert f'id="i{likert.pk}-4" value="4" checked' in page


def _complete_required(invitation, program, audience):
    values = {}
    for item in Item.objects.filter(section__questionnaire__program=program,
                                    section__questionnaire__audience=audience, required=True):
        values[f"item-{item.pk}"] = {"likert": "4", "frequency": "3", "number": "2",
                                     "text": "Kepala Bagian"}.get(
            item.kind, item.option_list[0] if item.option_list else "")
    assert services.save_answers(invitation=invitation, values=values) == {}


def test_submit_once_and_nothing_changes_afterwards(client, setup):
    program = setup["program"]
    token = setup["supervisor_token"]
    submit = reverse("monev:token_submit", args=[token])
    refused = client.post(submit, follow=True).content.decode()
    assert "pertanyaan wajib yang belum dijawab" in refused
    assert not Response.objects.filter(submitted_at__isnull=False).exists()
    _complete_required(setup["supervisor"], program, Audience.SUPERVISOR)
    page = client.post(submit, follow=True).content.decode()
    assert "sudah dikirim" in page
    submitted_at = Response.objects.get(invitation=setup["supervisor"]).submitted_at
    assert submitted_at is not None
    # the copy the waves overview counts (Invitation.answered_at), written with it
    assert Invitation.objects.get(pk=setup["supervisor"].pk).answered_at == submitted_at
    assert Invitation.objects.get(pk=setup["participant"].pk).answered_at is None
    again = client.post(submit, follow=True).content.decode()
    assert "tidak dapat diubah lagi" in again
    likert = _item(program, Audience.SUPERVISOR, "likert")
    save = client.post(reverse("monev:token_save", args=[token]), {f"item-{likert.pk}": "1"},
                       HTTP_HX_REQUEST="true")
    assert "tidak dapat diubah lagi" in save.content.decode()
    assert Answer.objects.get(item=likert).number == 4
    assert Response.objects.get(invitation=setup["supervisor"]).submitted_at == submitted_at
    # the link still shows the thanks, never the form to change
    assert 'id="monev-submitted"' in client.get(
        reverse("monev:token_form", args=[token])).content.decode()


def test_saving_after_the_wave_closed_is_refused(client, setup):
    wave = setup["wave"]
    Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(setup["users"][Role.PARTICIPANT])
    likert = _item(setup["program"], Audience.PARTICIPANT, "likert")
    response = client.post(reverse("monev:save", args=[setup["participant"].pk]),
                           {f"item-{likert.pk}": "4"}, HTTP_HX_REQUEST="true")
    assert "sudah ditutup" in response.content.decode()
    assert not Answer.objects.exists()


def test_milestone_progress_is_saved_per_milestone(client, setup):
    client.force_login(setup["users"][Role.PARTICIPANT])
    first, second = setup["milestones"][:2]
    url = reverse("monev:save", args=[setup["participant"].pk])
    client.post(url, {f"ms-{first.pk}-status": "done", f"ms-{first.pk}-percent": "60",
                      f"ms-{first.pk}-note": "Konsep selesai",
                      f"ms-{second.pk}-status": "in_progress",
                      f"ms-{second.pk}-percent": "40"}, HTTP_HX_REQUEST="true")
    rows = {m.milestone_id: m for m in MilestoneAnswer.objects.all()}
    assert (rows[first.pk].status, rows[first.pk].percent, rows[first.pk].note) == (
        "done", 100, "Konsep selesai")
    assert (rows[second.pk].status, rows[second.pk].percent) == ("in_progress", 40)
    bad = client.post(url, {f"ms-{second.pk}-percent": "150",
                            f"ms-{second.pk}-status": "bogus"}, HTTP_HX_REQUEST="true")
    assert "Pilih status langkah kerja." in bad.content.decode()
    assert MilestoneAnswer.objects.get(milestone=second).percent == 40
    page = client.get(reverse("monev:form", args=[setup["participant"].pk])).content.decode()
    assert first.activity in page and "Konsep selesai" in page


def test_evidence_is_checked_stored_privately_and_served_to_owner_and_organiser(
        client, setup, settings):
    milestone = setup["milestones"][0]
    client.force_login(setup["users"][Role.PARTICIPANT])
    url = reverse("monev:evidence_upload", args=[setup["participant"].pk, milestone.pk])
    client.post(url, {"file": upload("bukti.exe", b"MZ\x90\x00" * 100)})
    assert not MilestoneAnswer.objects.filter(evidence__isnull=False).exists()
    settings.UPLOAD_MAX_BYTES = 1000
    too_big = client.post(url, {"file": upload("besar.pdf", pdf_bytes() + b" " * 2000)},
                          follow=True)
    assert "melebihi batas" in too_big.content.decode()
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    client.post(url, {"file": upload("laporan kegiatan.pdf", pdf_bytes())})
    row = MilestoneAnswer.objects.get(milestone=milestone)
    assert row.evidence.original_name == "laporan_kegiatan.pdf"
    download = reverse("monev:evidence", args=[row.pk])
    assert client.get(download).status_code == 200
    client.force_login(setup["users"][Role.ORGANISER])
    assert client.get(download).status_code == 200
    client.force_login(make_user(Role.PARTICIPANT, username="lain"))
    assert client.get(download).status_code == 404


def test_participant_updates_the_supervisor_and_the_link_follows(client, setup):
    registration = setup["registration"]
    waves.send_due()
    client.force_login(setup["users"][Role.PARTICIPANT])
    url = reverse("monev:supervisor", args=[setup["participant"].pk])
    client.post(url, {"name": "Dr. Sinta Dewi", "nip": "12345", "position": "Kepala Biro",
                      "email": "sinta@instansi.test"})
    assert not SupervisorChange.objects.exists()  # a bad NIP: nothing changed
    client.post(url, {"name": "Dr. Sinta Dewi", "nip": "197001011995032001",
                      "position": "Kepala Biro", "email": "Sinta@Instansi.test"})
    change = SupervisorChange.objects.get()
    assert (change.email, change.by) == ("sinta@instansi.test", setup["users"][Role.PARTICIPANT])
    registration.refresh_from_db()
    assert registration.mentor_email == "budi@example.test"  # history kept
    old = Invitation.objects.get(pk=setup["supervisor"].pk)
    assert old.revoked_at is not None
    new = Invitation.objects.get(wave=setup["wave"], registration=registration,
                                 audience=Audience.SUPERVISOR, revoked_at__isnull=True)
    assert new.email == "sinta@instansi.test"
    assert waves.send_due().invitations_sent == 1
    assert OutgoingMail.objects.filter(to=["sinta@instansi.test"]).count() == 1


def test_participant_sees_own_waves_only(client, setup):
    client.force_login(setup["users"][Role.PARTICIPANT])
    page = client.get(reverse("monev:mine")).content.decode()
    assert reverse("monev:form", args=[setup["participant"].pk]) in page
    home = client.get(reverse("home")).content.decode()
    assert 'id="monev-panel"' in home
    other = make_user(Role.PARTICIPANT, username="peserta-lain")
    client.force_login(other)
    assert client.get(reverse("monev:form", args=[setup["participant"].pk])).status_code == 404
    assert reverse("monev:form", args=[setup["participant"].pk]) not in client.get(
        reverse("monev:mine")).content.decode()


def test_organiser_revokes_and_resends_after_confirming(client, setup):
    client.force_login(setup["users"][Role.ORGANISER])
    invitation = setup["supervisor"]
    url = reverse("monev:revoke", args=[invitation.pk])
    ask = client.get(url)
    assert ask.status_code == 200 and "Ya, cabut tautan" in ask.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    client.post(url)
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
    client.post(reverse("monev:resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert SentMail.objects.filter(invitation=invitation, kind=SendKind.RESEND).count() == 1
    assert client.get(reverse("monev:token_form", args=[token_of(invitation)])
                      ).status_code == 200
    assert client.get(reverse("monev:token_form", args=[setup["supervisor_token"]])
                      ).status_code in (404, 410)


def test_waves_overview_counts_sent_opened_answered(client, setup):
    waves.send_due()
    client.get(reverse("monev:token_form", args=[setup["supervisor_token"]]))
    _complete_required(setup["supervisor"], setup["program"], Audience.SUPERVISOR)
    services.submit(invitation=setup["supervisor"])
    client.force_login(setup["users"][Role.ORGANISER])
    from kompeten.monev.selectors import waves_overview

    row = next(w for w in waves_overview(program=setup["program"]) if w.pk == setup["wave"].pk)
    assert (row.p_invited, row.p_sent, row.p_opened, row.p_answered) == (1, 1, 0, 0)
    assert (row.s_invited, row.s_sent, row.s_opened, row.s_answered) == (1, 1, 1, 1)
    page = client.get(reverse("monev:wave", args=[setup["wave"].pk])).content.decode()
    assert "menjawab" in page and setup["supervisor"].email in page
    answers = client.get(reverse("monev:response", args=[setup["supervisor"].pk]))
    assert 'id="monev-readonly"' in answers.content.decode()
    assert " checked disabled" in answers.content.decode()
    overview = client.get(reverse("monev:waves"), {"tahun": setup["program"].code})
    assert "1/1 (100%)" in overview.content.decode() and "0/1 (0%)" in overview.content.decode()


# -- constant queries ---------------------------------------------------------------------

def test_pages_keep_a_constant_number_of_queries(client, setup):
    from kompeten.batching.models import Placement
    from tests.queries import count_queries

    program = setup["program"]
    organiser = setup["users"][Role.ORGANISER]
    client.force_login(organiser)
    waves_url = reverse("monev:waves")
    wave_url = reverse("monev:wave", args=[setup["wave"].pk])
    small = (count_queries(client, waves_url, {"tahun": program.code, "tampil": "semua"}),
             count_queries(client, wave_url))
    more = accepted(program, Level.objects.get(code="pengawas"), setup["agency_a"], 6)
    for seat, registration in enumerate(more, start=10):
        Placement.objects.create(registration=registration, batch=setup["wave"].batch, seat=seat)
    waves.ensure_invitations(wave=setup["wave"])
    waves.plan_waves(program=program)
    large = (count_queries(client, waves_url, {"tahun": program.code, "tampil": "semua"}),
             count_queries(client, wave_url))
    assert small == large
    client.force_login(setup["users"][Role.PARTICIPANT])
    form_url = reverse("monev:form", args=[setup["participant"].pk])
    services.save_answers(invitation=setup["participant"], values={
        f"ms-{setup['milestones'][0].pk}-status": "in_progress"})
    before = count_queries(client, form_url)
    section = Questionnaire.objects.get(program=program, audience="participant").sections.first()
    for n in range(5):
        questionnaires.add_item(section=section, data=questionnaires.ItemData(
            kind="likert", text=f"Butir tambahan {n}"))
    services.save_answers(invitation=setup["participant"], values={
        f"ms-{m.pk}-status": "in_progress" for m in setup["milestones"]})
    assert count_queries(client, form_url) == before


def test_the_seed_text_of_a_registration_is_never_shown_to_another_agency(client, setup):
    """The operator of agency B opens no monev page of agency A's participant."""
    operator_b = make_user(Role.OPERATOR, username="op-b", agency=setup["agency_b"])
    client.force_login(operator_b)
    assert client.get(reverse("monev:wave", args=[setup["wave"].pk])).status_code == 403
    assert NIP_FEMALE not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_demo_past_programme_has_waves_with_answers_and_an_open_wave_for_alumni():
    from kompeten.home.demo import load_demo
    from kompeten.home.demo_history import ALUMNI_NIP, past_program
    from kompeten.home.demo_monev import load_demo_monev
    from kompeten.monev.selectors import totals, waves_overview

    load_demo()
    program = past_program()
    assert program.code.endswith("-I") and not program.is_current
    today = timezone.localdate()
    ended = [b.end_date for b in program.batches.all()]
    assert dt.timedelta(days=4 * 30) <= today - max(ended)
    assert today - min(ended) <= dt.timedelta(days=13 * 31)
    rows = waves_overview(program=program, opened_by=today)
    by_offset = {t.offset_months: t for t in totals(rows)}
    assert {3, 6} <= set(by_offset)
    assert all(t.p_answered and t.s_answered for t in by_offset.values())
    assert Response.objects.filter(submitted_at__isnull=True).exists()  # some half done
    alumni = Invitation.objects.filter(registration__nip=ALUMNI_NIP,
                                       registration__user__username="alumni",
                                       audience=Audience.PARTICIPANT).get()
    assert alumni.wave.is_open(today)
    # every invitation's copy of its response's time, and the totals equal to the plain counts
    assert not Invitation.objects.exclude(
        answered_at=F("response__submitted_at")).filter(answered_at__isnull=False).exists()
    assert not Invitation.objects.filter(answered_at__isnull=True,
                                         response__submitted_at__isnull=False).exists()
    _assert_totals_are_plain_counts(program, today)
    counts = (Wave.objects.count(), Answer.objects.count(), SentMail.objects.count())
    assert load_demo_monev() == {"waves": 0}
    assert past_program() == program
    assert (Wave.objects.count(), Answer.objects.count(), SentMail.objects.count()) == counts


def _assert_totals_are_plain_counts(program, today):
    """wave_totals() and the per-wave rows equal counts of the responses themselves."""
    from kompeten.monev.selectors import wave_rows, wave_totals, waves_query

    chosen = waves_query(program=program, opened_by=today)
    totals = wave_totals(chosen)
    assert totals and sum(t.p_answered + t.s_answered for t in totals)
    rows = wave_rows(chosen)
    for t in totals:
        live = Invitation.objects.filter(wave__in=chosen, wave__offset_months=t.offset_months,
                                         revoked_at__isnull=True)
        answered = Response.objects.filter(invitation__in=live, submitted_at__isnull=False)
        assert t.waves == chosen.filter(offset_months=t.offset_months).count()
        for audience, invited, answered_count in (
                (Audience.PARTICIPANT, t.p_invited, t.p_answered),
                (Audience.SUPERVISOR, t.s_invited, t.s_answered)):
            assert invited == live.filter(audience=audience).count()
            assert answered_count == answered.filter(invitation__audience=audience).count()
        mine = [w for w in rows if w.offset_months == t.offset_months]
        assert (sum(w.p_answered for w in mine), sum(w.s_answered for w in mine)) == (
            t.p_answered, t.s_answered)


def test_the_migration_copies_each_submitted_time_onto_its_invitation(setup):
    import importlib

    from django.apps import apps

    _complete_required(setup["supervisor"], setup["program"], Audience.SUPERVISOR)
    response = services.submit(invitation=setup["supervisor"])
    Response.objects.create(invitation=setup["participant"])  # started, not submitted
    Invitation.objects.update(answered_at=None)
    migration = importlib.import_module("kompeten.monev.migrations.0002_invitation_answered_at")
    migration.copy_submitted_at(apps, None)
    assert Invitation.objects.get(pk=setup["supervisor"].pk).answered_at == response.submitted_at
    assert Invitation.objects.get(pk=setup["participant"].pk).answered_at is None


def test_totals_count_answered_links_and_leave_out_a_revoked_one(setup):
    from kompeten.monev.selectors import wave_totals, waves_query

    waves.send_due()
    _complete_required(setup["supervisor"], setup["program"], Audience.SUPERVISOR)
    services.submit(invitation=setup["supervisor"])
    _assert_totals_are_plain_counts(setup["program"], None)
    waves.revoke(invitation=Invitation.objects.get(pk=setup["supervisor"].pk))
    totals = {t.offset_months: t for t in wave_totals(waves_query(program=setup["program"]))
              }[setup["wave"].offset_months]
    assert (totals.p_invited, totals.p_answered, totals.s_invited, totals.s_answered) == (
        1, 0, 0, 0)
