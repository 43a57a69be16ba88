import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from kompeten.programs.models import Batch


@pytest.mark.django_db
def test_schedule_lists_all_batches_and_filters(client, program):
    page = client.get(reverse("programs:schedule")).content.decode()
    assert page.count("Pelatihan Teknis Kepegawaian dan Sertifikasi Akt") == 50
    pengawas = client.get(reverse("programs:schedule"), {"level": "pengawas"}).content.decode()
    assert pengawas.count("Pelatihan Teknis Kepegawaian dan Sertifikasi Akt") == 15
    august = client.get(reverse("programs:schedule"), {"month": 8}).content.decode()
    expected = Batch.objects.filter(start_date__month=8).count()
    assert august.count("Pelatihan Teknis Kepegawaian dan Sertifikasi Akt") == expected == 23


@pytest.mark.django_db
def test_schedule_htmx_returns_only_the_table(client, program):
    response = client.get(reverse("programs:schedule"), {"level": "jpt-pratama"},
                          HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<nav" not in body
    assert body.count("Pelatihan Teknis Kepegawaian dan Sertifikasi Akt") == 3


@pytest.mark.django_db
def test_calendar_places_batches_on_their_days(client, program):
    response = client.get(reverse("programs:calendar"), {"bulan": "2019-07"})
    weeks = response.context["weeks"]
    days = {d.date: [b.number for b in d.batches] for week in weeks for d in week if d.date}
    assert days[dt.date(2019, 7, 1)] == [4, 5, 6]
    assert days[dt.date(2019, 7, 2)] == [4, 5, 6, 7, 8, 9]
    assert days[dt.date(2019, 7, 10)] == []
    assert days[dt.date(2019, 7, 29)] == [19, 20, 21]
    nav = [m.isoformat() for m in response.context["months"]]
    assert nav == ["2019-05-01", "2019-07-01", "2019-08-01"]


@pytest.mark.django_db
def test_ics_feed_has_one_all_day_event_per_batch(client, program):
    response = client.get(reverse("programs:schedule_ics", args=[2019]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 50
    first = next(e for e in events if "Akt 1 " in str(e["summary"]))
    assert first.decoded("dtstart") == dt.date(2019, 5, 6)
    assert first.decoded("dtend") == dt.date(2019, 5, 8)  # exclusive end of a 2-day batch
    assert len({str(e["uid"]) for e in events}) == 50


@pytest.mark.django_db
def test_unknown_year_is_404(client, program):
    assert client.get(reverse("programs:schedule_ics", args=[1999])).status_code == 404
    assert client.get(reverse("programs:schedule"), {"tahun": "1999"}).status_code == 404
