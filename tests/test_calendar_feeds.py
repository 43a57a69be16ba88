"""The .ics feeds follow RFC 5545 as calendar apps rely on it: UIDs from a stable id at the
configured site domain (not the request's host), DTSTAMP of the generation, LAST-MODIFIED
and SEQUENCE that change when the batch (or session) changes. Parsed with `icalendar`."""

import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kompeten.accounts.models import Role
from kompeten.classroom import sessions
from kompeten.classroom.session_models import ClassSession
from kompeten.classroom.views.sessions import ics_token
from kompeten.programs.models import Batch

pytestmark = pytest.mark.django_db


def _events(response) -> dict[str, object]:
    assert response["Content-Type"].startswith("text/calendar")
    return {str(event["uid"]): event for event in
            Calendar.from_ical(response.content).walk("VEVENT")}


def _batch_event(client, program, batch, host="testserver"):
    url = reverse("programs:schedule_ics", args=[program.code])
    events = _events(client.get(url, HTTP_HOST=host))
    return events, events[f"angkatan-{batch.pk}@jadwal.bkn.example"]


@pytest.fixture
def site(settings):
    settings.SITE_DOMAIN = "jadwal.bkn.example"
    settings.ALLOWED_HOSTS = ["testserver", "proxy.internal"]


def test_batch_uids_are_stable_and_on_the_site_domain(client, program, site):
    batch = program.batches.get(number=4)
    behind_proxy, _ = _batch_event(client, program, batch, host="proxy.internal")
    direct, event = _batch_event(client, program, batch)
    assert set(behind_proxy) == set(direct)  # the request's host changes no UID
    assert all(uid.endswith("@jadwal.bkn.example") for uid in direct)
    assert len(direct) == program.batches.count()
    assert "testserver" not in client.get(
        reverse("programs:schedule_ics", args=[program.code])).content.decode()


def test_dtstamp_is_the_generation_time(client, program, site):
    before = timezone.now().replace(microsecond=0)
    _, event = _batch_event(client, program, program.batches.get(number=4))
    stamp = event.decoded("dtstamp")
    assert stamp.tzinfo is not None and before <= stamp <= timezone.now()


def _last_changed_an_hour_ago(model, pk):
    """SEQUENCE counts seconds: the row's previous version is older than this test."""
    model.objects.filter(pk=pk).update(updated_at=F("updated_at") - dt.timedelta(hours=1))


def test_moving_a_batch_changes_last_modified_and_sequence(client, program, site, users):
    batch = program.batches.get(number=4)
    _last_changed_an_hour_ago(Batch, batch.pk)
    batch.refresh_from_db()
    _, old = _batch_event(client, program, batch)
    assert old.decoded("last-modified") == batch.updated_at.replace(microsecond=0)

    client.force_login(users[Role.ORGANISER])
    moved_start = batch.start_date + dt.timedelta(days=7)
    response = client.post(reverse("programs:masterdata_edit", args=["angkatan", batch.pk]), {
        "program": program.pk, "number": batch.number, "level": batch.level_id,
        "start_date": moved_start.isoformat(),
        "end_date": (batch.end_date + dt.timedelta(days=7)).isoformat(),
        "capacity": batch.capacity, "venue": batch.venue})
    assert response.status_code == 302
    client.logout()

    _, new = _batch_event(client, program, batch)
    assert new.decoded("dtstart") == moved_start
    assert str(new["uid"]) == str(old["uid"])
    assert int(new["sequence"]) > int(old["sequence"])
    assert new.decoded("last-modified") > old.decoded("last-modified")
    batch.refresh_from_db()
    assert new.decoded("last-modified") == batch.updated_at.replace(microsecond=0)


def test_facilitator_feed_follows_the_same_rules(client, program, users, site):
    sessions.generate_sessions(program=program)
    facilitator = sessions.create_facilitator(name="Dr. Fasilitator", kind="widyaiswara",
                                              expertise="Manajemen ASN",
                                              user=users[Role.FACILITATOR])
    batch = program.batches.order_by("number").first()
    session = ClassSession.objects.filter(batch=batch).order_by("starts_at").first()
    sessions.assign(session=session, facilitator=facilitator)
    _last_changed_an_hour_ago(ClassSession, session.pk)
    _last_changed_an_hour_ago(Batch, batch.pk)
    session.refresh_from_db()
    url = reverse("kelas:facilitator_ics", args=[ics_token(facilitator)])

    before = timezone.now().replace(microsecond=0)
    events = _events(client.get(url, HTTP_HOST="proxy.internal"))
    old = events[f"sesi-{session.pk}@jadwal.bkn.example"]
    assert before <= old.decoded("dtstamp") <= timezone.now()
    assert old.decoded("dtstart") == session.starts_at

    later = sessions.SessionChange(title=session.title, jp=session.jp, room="Ruang 2",
                                   starts_at=session.starts_at + dt.timedelta(minutes=30),
                                   ends_at=session.ends_at + dt.timedelta(minutes=30))
    sessions.update_session(session=session, change=later)
    new = _events(client.get(url))[f"sesi-{session.pk}@jadwal.bkn.example"]
    assert new.decoded("dtstart") == later.starts_at
    assert str(new["location"]) == "Ruang 2"
    assert int(new["sequence"]) > int(old["sequence"])
    assert new.decoded("last-modified") > old.decoded("last-modified")
    session.refresh_from_db()
    assert new.decoded("last-modified") == session.updated_at.replace(microsecond=0)
