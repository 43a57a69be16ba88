import datetime as dt
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from kompeten.programs.models import Batch
from tests.queries import count_queries


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


@pytest.mark.django_db
def test_ics_text_is_escaped_and_long_lines_folded(client, program):
    venue = "Wisma Diklat; Gedung B, Lt. 3 \\ Ruang “Garuda” — " + "Jalan Panjang Sekali " * 6
    program.batches.filter(number=1).update(venue=venue)
    body = client.get(reverse("programs:schedule_ics", args=[2019])).content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert body.endswith(b"END:VCALENDAR\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    events = Calendar.from_ical(body).walk("VEVENT")
    first = next(e for e in events if "Akt 1 " in str(e["summary"]))
    assert str(first["location"]) == venue
    assert str(first["summary"]) == "Pelatihan dan Sertifikasi Akt 1 (JPT Pratama)"


ROW = "Pelatihan Teknis Kepegawaian dan Sertifikasi Akt "


@pytest.mark.django_db
def test_a_long_schedule_is_paged_and_every_batch_can_be_found(client, program):
    level = program.batches.first().level
    Batch.objects.bulk_create(
        Batch(program=program, number=1000 + i, level=level,
              start_date=dt.date(2019, 12, 1) + dt.timedelta(days=i % 20),
              end_date=dt.date(2019, 12, 2) + dt.timedelta(days=i % 20)) for i in range(200))
    url = reverse("programs:schedule")
    first = client.get(url).content.decode()
    assert first.count(ROW) == 100 and "250 angkatan" in first and 'id="schedule-pages"' in first
    last = client.get(url, {"halaman": 3}).content.decode()
    assert last.count(ROW) == 50
    seen = set()
    for number in (1, 2, 3):
        page = client.get(url, {"halaman": number}).content.decode()
        seen |= {int(n) for n in re.findall(ROW + r"(\d+)<", page)}
    assert seen == set(program.batches.values_list("number", flat=True))
    # a batch number opens the page that holds it (the filters still apply)
    latest = program.batches.order_by("-start_date", "-number").first()
    found = client.get(url, {"angkatan": latest.number}).content.decode()
    assert f"{ROW}{latest.number}<" in found and "halaman 3 dari 3" in found
    assert "tidak ada" in client.get(url, {"angkatan": 99999}).content.decode()
    december = client.get(url, {"month": 12, "angkatan": 1005}).content.decode()
    assert f"{ROW}1005<" in december


@pytest.mark.django_db
def test_schedule_queries_do_not_grow_with_pages(client, program):
    url = reverse("programs:schedule")
    small = count_queries(client, url, {"angkatan": 7})
    level = program.batches.first().level
    Batch.objects.bulk_create(
        Batch(program=program, number=1000 + i, level=level, start_date=dt.date(2019, 12, 1),
              end_date=dt.date(2019, 12, 2)) for i in range(300))
    assert count_queries(client, url, {"angkatan": 7}) == small
