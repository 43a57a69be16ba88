"""The classroom days: sessions, facilitators without clashes, QR check-in, roll call,
corrections, JP and eligibility, the pre-filled sheet, evaluation and the rules of conduct."""

import datetime as dt
import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kompeten.accounts.models import Role
from kompeten.classroom import attendance, evaluation, selectors, sessions
from kompeten.classroom.attendance_models import (
    AttendanceMark,
    ConductAcknowledgement,
    EvaluationRating,
    MarkCorrection,
    SignedSheet,
)
from kompeten.classroom.session_models import ClassSession, FacilitatorKind, SessionKind
from tests import factories
from tests.conftest import make_user
from tests.upload_samples import pdf_bytes, upload


@pytest.fixture
def days(program, users, agency_a):
    """Sessions for every batch; batch 1 has our participant and two others, and the
    demo-like facilitator teaches all its sessions."""
    sessions.generate_sessions(program=program)
    batch = program.batches.order_by("number").first()
    placements = factories.fill_batch(batch=batch, agency=agency_a, plans=[None, None, None])
    registration = placements[0].registration
    registration.user = users[Role.PARTICIPANT]
    registration.save()
    facilitator = sessions.create_facilitator(name="Dr. Fasilitator", kind="widyaiswara",
                                              expertise="Manajemen ASN",
                                              user=users[Role.FACILITATOR])
    batch_sessions = list(ClassSession.objects.filter(batch=batch).order_by("starts_at"))
    for session in batch_sessions:
        sessions.assign(session=session, facilitator=facilitator)
    return {"batch": batch, "sessions": batch_sessions, "placements": placements,
            "registration": registration, "facilitator": facilitator}


def during(session, minutes=5):
    return session.starts_at + dt.timedelta(minutes=minutes)


def test_sessions_follow_the_seed_timetable(program):
    created = sessions.generate_sessions(program=program)
    batch = program.batches.order_by("number").first()
    rows = list(ClassSession.objects.filter(batch=batch).order_by("starts_at"))
    assert created == ClassSession.objects.filter(batch__program=program).count()
    day1 = [s for s in rows if s.day == 1]
    day2_lessons = [s for s in rows if s.day == 2 and s.kind == SessionKind.LESSON]
    tests = [s for s in rows if s.kind == SessionKind.TEST]
    assert sum(s.jp for s in day1) == 9
    assert sum(s.jp for s in day2_lessons) == 3
    assert [t.jp for t in tests] == [6]
    assert timezone.localdate(day1[0].starts_at) == batch.start_date
    assert all(s.module is not None and s.module.level_id == batch.level_id
               for s in day1 + day2_lessons)
    # a second run creates nothing new
    assert sessions.generate_sessions(program=program) == 0


def test_facilitator_is_never_in_two_sessions_at_once(days, program):
    other_batch = program.batches.order_by("number")[1]
    first = days["sessions"][0]
    clashing = ClassSession.objects.filter(batch=other_batch).order_by("starts_at").first()
    clashing.starts_at, clashing.ends_at = first.starts_at, first.ends_at
    clashing.save()
    with pytest.raises(ValidationError) as exc:
        sessions.assign(session=clashing, facilitator=days["facilitator"])
    assert first.title in exc.value.messages[0]
    assert "angkatan 1" in exc.value.messages[0]
    assert not clashing.assignments.exists()


def test_moving_a_session_onto_the_facilitators_other_session_is_refused(days):
    first, second = days["sessions"][:2]
    change = sessions.SessionChange(title=second.title, starts_at=first.starts_at,
                                    ends_at=first.ends_at, jp=3)
    with pytest.raises(ValidationError, match="sudah mengajar"):
        sessions.update_session(session=second, change=change)
    second.refresh_from_db()
    assert second.starts_at != first.starts_at


def test_qr_code_current_and_previous_minute_accepted_older_and_foreign_refused(days):
    session, other = days["sessions"][:2]
    now = 1_800_000_000.0
    attendance.check_code(session.pk, attendance.checkin_code(session.pk, now=now), now=now)
    attendance.check_code(session.pk, attendance.checkin_code(session.pk, now=now - 60),
                          now=now)
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        attendance.check_code(session.pk, attendance.checkin_code(session.pk, now=now - 120),
                              now=now)
    with pytest.raises(ValidationError, match="bukan untuk sesi ini"):
        attendance.check_code(session.pk, attendance.checkin_code(other.pk, now=now), now=now)
    with pytest.raises(ValidationError, match="bukan untuk sesi ini"):
        attendance.check_code(session.pk, "123-abc", now=now)


def test_check_in_present_then_late_and_never_doubled(days, users):
    session = days["sessions"][0]
    at = during(session)
    code = attendance.checkin_code(session.pk, now=at.timestamp())
    mark, created = attendance.check_in(session=session, user=users[Role.PARTICIPANT],
                                        code=code, now=at)
    assert created and mark.status == "present" and mark.source == "qr"
    again, created = attendance.check_in(session=session, user=users[Role.PARTICIPANT],
                                         code=code, now=at)
    assert not created and again.pk == mark.pk
    assert AttendanceMark.objects.filter(session=session).count() == 1
    later = days["sessions"][1]
    at = during(later, 40)
    mark, _ = attendance.check_in(session=later, user=users[Role.PARTICIPANT],
                                  code=attendance.checkin_code(later.pk, now=at.timestamp()),
                                  now=at)
    assert mark.status == "late"


def test_check_in_refusals_store_nothing(days, users, program, agency_b):
    session = days["sessions"][0]
    participant = users[Role.PARTICIPANT]
    before = session.starts_at - dt.timedelta(hours=2)
    with pytest.raises(ValidationError, match="hanya dibuka"):
        attendance.check_in(session=session, user=participant, now=before,
                            code=attendance.checkin_code(session.pk, now=before.timestamp()))
    # a participant of another batch
    stranger = make_user(Role.PARTICIPANT, username="peserta-lain")
    other_batch = program.batches.order_by("number")[1]
    [placement] = factories.fill_batch(batch=other_batch, agency=agency_b, plans=[None])
    placement.registration.user = stranger
    placement.registration.save()
    at = during(session)
    with pytest.raises(ValidationError, match="bukan peserta angkatan"):
        attendance.check_in(session=session, user=stranger, now=at,
                            code=attendance.checkin_code(session.pk, now=at.timestamp()))
    assert not AttendanceMark.objects.exists()


def test_check_in_page_by_the_qr_url(client, days, users):
    session = days["sessions"][0]
    client.force_login(users[Role.PARTICIPANT])
    url = attendance.checkin_path(session.pk)
    page = client.get(url)
    assert page.status_code == 200
    # the session is in the past for the real clock: refused with the window, not stored
    response = client.post(url)
    assert "hanya dibuka" in response.content.decode()
    assert 'id="checkin-done"' not in response.content.decode()
    assert not AttendanceMark.objects.exists()
    expired = reverse("kelas:checkin", args=[session.pk, "1-" + "0" * 20])
    assert "bukan untuk sesi ini" in client.post(expired).content.decode()


def test_roll_call_marks_are_idempotent_and_excused_needs_a_reason(days, users):
    session = days["sessions"][0]
    registration = days["registration"]
    client_id = uuid.uuid4()
    facilitator_user = users[Role.FACILITATOR]
    for _ in range(3):  # the page re-sends after a lost answer
        attendance.roll_call(session=session, registration_id=registration.pk,
                             status="present", client_id=client_id, by=facilitator_user)
    assert AttendanceMark.objects.filter(session=session).count() == 1
    with pytest.raises(ValidationError, match="alasan"):
        attendance.roll_call(session=session, registration_id=registration.pk,
                             status="excused", client_id=uuid.uuid4(), by=facilitator_user)
    mark = attendance.roll_call(session=session, registration_id=registration.pk,
                                status="excused", reason="Sakit", client_id=uuid.uuid4(),
                                by=facilitator_user)
    assert (mark.status, mark.reason) == ("excused", "Sakit")
    # the first mark re-sent late changes nothing any more
    assert AttendanceMark.objects.get(session=session).status == "excused"


def test_roll_call_endpoint_for_facilitators_of_the_batch_only(client, days, users):
    session = days["sessions"][0]
    url = reverse("kelas:roll_call_mark", args=[session.pk])
    body = {"client_id": str(uuid.uuid4()), "registration": days["registration"].pk,
            "status": "late"}
    client.force_login(users[Role.FACILITATOR])
    assert client.get(reverse("kelas:roll_call", args=[session.pk])).status_code == 200
    for _ in range(2):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 200 and response.json()["status"] == "late"
    assert AttendanceMark.objects.filter(session=session).count() == 1
    bad = client.post(url, {**body, "client_id": "x"}, content_type="application/json")
    assert bad.json() == {"ok": False, "error": "Data presensi tidak valid."}
    other = make_user(Role.FACILITATOR, username="fasilitator-lain")
    sessions.create_facilitator(name="Pakar Lain", kind=FacilitatorKind.PRACTITIONER,
                                user=other)
    client.force_login(other)
    assert client.post(url, {**body, "client_id": str(uuid.uuid4())},
                       content_type="application/json").status_code == 404
    assert client.get(reverse("kelas:screen", args=[session.pk])).status_code == 404
    assert selectors.facilitator_batches(other) == set()
    assert selectors.facilitator_batches(users[Role.FACILITATOR]) == {days["batch"].pk}


def test_correction_is_logged(days, users):
    session = days["sessions"][0]
    registration = days["registration"]
    attendance.roll_call(session=session, registration_id=registration.pk, status="absent",
                         client_id=uuid.uuid4(), by=users[Role.FACILITATOR])
    with pytest.raises(ValidationError):
        attendance.correct(session=session, registration_id=registration.pk,
                           status="present", note="  ", by=users[Role.ORGANISER])
    attendance.correct(session=session, registration_id=registration.pk, status="present",
                       note="Terlambat masuk daftar", by=users[Role.ORGANISER])
    log = MarkCorrection.objects.get()
    assert (log.old_status, log.new_status, log.by) == ("absent", "present",
                                                         users[Role.ORGANISER])
    assert AttendanceMark.objects.get(session=session).source == "correction"


def test_jp_attended_decides_training_certificate_eligibility(days, users):
    registration = days["registration"]
    lessons = [s for s in days["sessions"] if s.kind == SessionKind.LESSON]
    for session in lessons[:-1]:
        attendance.roll_call(session=session, registration_id=registration.pk,
                             status="present", client_id=uuid.uuid4(),
                             by=users[Role.FACILITATOR])
    assert selectors.jp_attended(registration) == 9
    assert not selectors.training_certificate_eligible(registration)
    attendance.roll_call(session=lessons[-1], registration_id=registration.pk, status="late",
                         client_id=uuid.uuid4(), by=users[Role.FACILITATOR])
    assert selectors.jp_attended(registration) == 12
    assert selectors.training_certificate_eligible(registration)
    _sessions, rows, minimum = selectors.attendance_table(days["batch"])
    assert minimum == 12
    assert [r.jp for r in rows if r.placement.registration_id == registration.pk] == [12]


def test_attendance_sheet_prefilled_and_signed_copy_uploaded(client, days, users):
    batch, session = days["batch"], days["sessions"][0]
    attendance.roll_call(session=session, registration_id=days["registration"].pk,
                         status="present", client_id=uuid.uuid4(), by=users[Role.FACILITATOR])
    client.force_login(users[Role.ORGANISER])
    response = client.get(reverse("classroom:attendance_pdf",
                                  args=[batch.pk, batch.start_date.isoformat()]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Tercatat" in text and "H – –" in text
    url = reverse("kelas:upload_sheet", args=[batch.pk])
    client.post(url, {"day": batch.start_date.isoformat(),
                      "file": upload("hadir.png", b"not a pdf", "application/pdf")})
    assert not SignedSheet.objects.exists()
    client.post(url, {"day": batch.start_date.isoformat(),
                      "file": upload("hadir.pdf", pdf_bytes(), "application/pdf")})
    sheet = SignedSheet.objects.get()
    assert client.get(reverse("kelas:signed_sheet", args=[sheet.pk])).status_code == 200


def test_evaluation_is_anonymous_once_and_summarised(days):
    batch = days["batch"]
    placement = days["placements"][0]
    items = evaluation.items(batch)
    answers = {item.key: evaluation.Answer(4, "Baik") for item in items}
    after = timezone.make_aware(dt.datetime.combine(batch.end_date, dt.time(16)))
    with pytest.raises(ValidationError, match="dibuka"):
        evaluation.submit(placement=placement, answers=answers,
                          now=after - dt.timedelta(days=batch.days))
    assert evaluation.submit(placement=placement, answers=answers, now=after) == len(items)
    with pytest.raises(ValidationError, match="sudah mengisi"):
        evaluation.submit(placement=placement, answers=answers, now=after)
    fields = {f.name for f in EvaluationRating._meta.get_fields()}
    assert "registration" not in fields
    submitted, results = evaluation.results(batch)
    assert submitted == 1
    by_label = {r.label: r for r in results}
    assert by_label["Dr. Fasilitator"].average == 4
    assert by_label["Penyelenggaraan"].count == 1


def test_conduct_acknowledged_before_day_one(client, days, users):
    client.force_login(users[Role.PARTICIPANT])
    page = client.get(reverse("kelas:conduct")).content.decode()
    assert "Tata Tertib Dalam Kelas" in page and "Tata Tertib Penggunaan Asrama" in page
    client.post(reverse("kelas:acknowledge"), {})
    assert not ConductAcknowledgement.objects.exists()
    client.post(reverse("kelas:acknowledge"), {"agree": "1"})
    assert "conduct-acknowledged" in client.get(reverse("kelas:conduct")).content.decode()


def test_facilitator_timetable_and_ics_feed(client, days, users):
    client.force_login(users[Role.FACILITATOR])
    page = client.get(reverse("kelas:my_timetable"))
    assert days["sessions"][0].title in page.content.decode()
    feed = page.context["feed"]
    client.logout()
    ics = client.get(feed)
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert body.count("BEGIN:VEVENT") == len(days["sessions"])
    assert client.get(reverse("kelas:facilitator_ics", args=["tampered"])).status_code == 404


def test_correction_from_the_attendance_page_is_listed(client, days, users):
    session, registration = days["sessions"][0], days["registration"]
    client.force_login(users[Role.ORGANISER])
    url = reverse("kelas:correct", args=[days["batch"].pk])
    client.post(url, {"session": session.pk, "registration": registration.pk,
                      "status": "excused", "reason": "Dinas luar", "note": "Surat tugas"})
    page = client.get(reverse("kelas:batch_attendance", args=[days["batch"].pk]))
    log = page.content.decode().split('id="correction-log"')[1]
    assert "Surat tugas" in log and "Izin" in log
    # the facilitator sees the table but not the correction form or the log
    client.force_login(users[Role.FACILITATOR])
    page = client.get(reverse("kelas:batch_attendance", args=[days["batch"].pk]))
    assert page.status_code == 200 and "correction-log" not in page.content.decode()


def test_participant_home_shows_the_batch_timetable_facilitators_and_room(client, days, users):
    from kompeten.dormitory.rooms import assign_rooms, create_rooms
    from tests.queries import count_queries

    client.force_login(users[Role.PARTICIPANT])
    page = client.get(reverse("home")).content.decode()
    assert 'id="my-sessions"' in page
    for session in days["sessions"]:
        assert session.title in page
    assert page.count("Dr. Fasilitator") == len(days["sessions"])
    assert "belum ditetapkan" in page  # no room yet
    before = count_queries(client, reverse("home"))
    create_rooms(building="Wisma Uji", count=3, capacity=2)
    assign_rooms(program=days["batch"].program)
    second = sessions.create_facilitator(name="Ir. Kedua", kind="practitioner",
                                         expertise="Kinerja")
    sessions.assign(session=days["sessions"][0], facilitator=second)
    after = count_queries(client, reverse("home"))
    page = client.get(reverse("home")).content.decode()
    assert "Ir. Kedua" in page and "Wisma Uji" in page
    assert after == before
