"""The later stages at national scale (issue 13): the organiser's batch overviews of
assessment, certificates and monev show one page of batches found by level, number or
month, with the counts of that page only and a constant number of queries; the competency
map pages its agencies; the SIASN export of more rows than a request may write becomes a
background job with its progress and a private download."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.assessment.models import Sidang
from kompeten.certificates import siasn
from kompeten.certificates.models import Kind, RunStatus, SiasnExport
from kompeten.common.paging import BATCHES_PER_PAGE
from kompeten.monev.models import Wave
from kompeten.programs.models import Agency, AgencyKind, Batch, Level
from tests import factories
from tests.certificates_samples import issued
from tests.queries import count_queries


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def organiser(users):
    return users[Role.ORGANISER]


@pytest.fixture
def batch4(world):
    return world["program"].batches.get(number=4)


def add_batches(program, count: int, *, level=None, start=dt.date(2019, 8, 1)) -> list[Batch]:
    level = level or Level.objects.get(code="pengawas")
    first = program.batches.order_by("-number").first().number + 1
    return Batch.objects.bulk_create(
        Batch(program=program, number=first + i, level=level,
              start_date=start + dt.timedelta(days=i), end_date=start + dt.timedelta(days=i + 2),
              capacity=30, venue="Pusbang ASN") for i in range(count))


def placed(program, batch, agency, count: int):
    from kompeten.batching.models import Placement

    rows = factories.accepted(program, batch.level, agency, count)
    Placement.objects.bulk_create(Placement(registration=r, batch=batch, seat=i + 1)
                                  for i, r in enumerate(rows))
    return rows


# -- assessment and certificates overviews ---------------------------------------------------

@pytest.mark.parametrize("route, table", [("assessment:overview", "assessment-batches"),
                                          ("certificates:overview", "batch-table")])
def test_batch_overview_is_paged_and_finds_every_batch(client, world, organiser, route, table):
    program = world["program"]
    extra = add_batches(program, BATCHES_PER_PAGE + 10)
    client.force_login(organiser)
    url = reverse(route)
    first = client.get(url, {"tahun": "2019"}).content.decode()
    last = extra[-1]
    assert first.count(f"Angkatan {last.number} ") + first.count(f"Angkatan {last.number}<") == 0
    assert "halaman=2" in first
    total = program.batches.count()
    assert f"{total} angkatan" in first
    # by number
    found = client.get(url, {"tahun": "2019", "nomor": last.number}).content.decode()
    assert f"Angkatan {last.number}" in found and "1 angkatan" in found
    # by the month it starts
    month = client.get(url, {"tahun": "2019", "bulan": last.start_date.strftime("%Y-%m")})
    assert f"Angkatan {last.number}" in month.content.decode()
    # by level: none of the other levels' batches
    administrator = Level.objects.get(code="administrator")
    by_level = client.get(url, {"tahun": "2019", "jenjang": administrator.pk}).content.decode()
    expected = program.batches.filter(level=administrator).count()
    assert f"{expected} angkatan" in by_level
    # the last page holds the last batch
    pages = -(-total // BATCHES_PER_PAGE)
    tail = client.get(url, {"tahun": "2019", "halaman": pages}).content.decode()
    assert f"Angkatan {last.number}" in tail
    # nonsense filter values are ignored, not an error
    assert client.get(url, {"tahun": "2019", "nomor": "x", "bulan": "2019-13",
                            "jenjang": "a"}).status_code == 200
    assert f'id="{table}"' in tail


def test_assessment_overview_counts_only_the_shown_batches(client, world, organiser, batch4):
    program = world["program"]
    placed(program, batch4, world["agency_a"], 3)
    accepted = batch4.placements.filter(registration__status="accepted").count()
    Sidang.objects.create(batch=batch4, held_on=dt.date(2019, 9, 1), decree_number="SK-4/2019",
                          panel_members="Ketua", locked_at=timezone.now(), by=organiser)
    client.force_login(organiser)
    page = client.get(reverse("assessment:overview"),
                      {"tahun": "2019", "nomor": batch4.number}).content.decode()
    assert "SK-4/2019" in page
    row = page[page.index(f"Angkatan {batch4.number}"):]
    assert f'<td class="text-end">{accepted}</td>' in row[:600]


@pytest.mark.parametrize("route", ["assessment:overview", "certificates:overview",
                                   "monev:waves"])
def test_batch_overviews_keep_a_constant_number_of_queries(client, world, organiser, route):
    program = world["program"]
    client.force_login(organiser)
    url = reverse(route)

    def grow(count):
        batches = add_batches(program, count, start=dt.date(2019, 1, 1))
        for batch in batches[:3]:
            placed(program, batch, world["agency_a"], 2)
        Wave.objects.bulk_create(Wave(program=program, batch=b, offset_months=3,
                                      opens_on=dt.date(2019, 4, 1),
                                      closes_on=dt.date(2019, 5, 1)) for b in batches)

    grow(1)
    few = count_queries(client, url, {"tahun": "2019", "tampil": "semua"})
    grow(BATCHES_PER_PAGE + 5)
    many = count_queries(client, url, {"tahun": "2019", "tampil": "semua"})
    assert many == few


def test_certificates_overview_counts_the_pages_certificates(client, world, organiser, batch4):
    issued(world["registration"], batch4, Kind.TRAINING, organiser)
    seated = batch4.placements.count()
    client.force_login(organiser)
    page = client.get(reverse("certificates:overview"),
                      {"tahun": "2019", "nomor": batch4.number}).content.decode()
    row = page[page.index(f"Angkatan {batch4.number}</a>"):]
    assert (f'<td class="text-end">{seated}</td><td class="text-end">1</td>'
            '<td class="text-end">0</td>') in row[:500]


# -- monev waves -------------------------------------------------------------------------------

def test_monev_waves_are_paged_with_totals_over_every_wave(client, world, organiser):
    from kompeten.monev.models import Invitation, Response

    program = world["program"]
    batches = add_batches(program, BATCHES_PER_PAGE + 5, start=dt.date(2019, 1, 1))
    invited = []
    for batch in batches:
        invited += [(batch, r) for r in placed(program, batch, world["agency_a"], 1)]
    waves = {b.pk: w for b, w in zip(batches, Wave.objects.bulk_create(
        Wave(program=program, batch=b, offset_months=3, opens_on=dt.date(2019, 4, 1),
             closes_on=dt.date(2019, 5, 1)) for b in batches), strict=True)}
    invitations = Invitation.objects.bulk_create(
        Invitation(wave=waves[b.pk], registration=r, audience="participant", name="x",
                   email=f"x{r.pk}@x.test", token_salt="s", token_hash=f"h{r.pk}",
                   expires_at=timezone.now()) for b, r in invited)
    answered = timezone.now()
    Response.objects.create(invitation=invitations[-1], submitted_at=answered)
    Invitation.objects.filter(pk=invitations[-1].pk).update(answered_at=answered)
    client.force_login(organiser)
    page = client.get(reverse("monev:waves"), {"tahun": "2019"}).content.decode()
    # the totals count every wave, the table shows one page
    assert f"1/{len(batches)} (2%)" in page
    assert f"{len(batches)} gelombang" in page
    assert page.count('href="/monev/gelombang/') <= BATCHES_PER_PAGE or \
        page.count("monev:wave") <= BATCHES_PER_PAGE
    last = batches[-1]
    assert reverse("monev:wave", args=[waves[last.pk].pk]) not in page
    found = client.get(reverse("monev:waves"), {"tahun": "2019", "nomor": last.number})
    assert reverse("monev:wave", args=[waves[last.pk].pk]) in found.content.decode()
    assert "1/1 (100%)" in found.content.decode()


# -- competency map ------------------------------------------------------------------------------

def test_competency_map_pages_its_agencies(client, world, organiser):
    Agency.objects.bulk_create(Agency(code=f"ZZ-{i:03d}", name=f"Zeta Instansi {i:03d}",
                                      kind=AgencyKind.KL_PUSAT) for i in range(70))
    client.force_login(organiser)
    first = client.get(reverse("reports:competency")).content.decode()
    row = '<th scope="row">Zeta Instansi 069</th>'
    assert row not in first and "halaman=2" in first
    pages = -(-Agency.objects.count() // 50)
    last = client.get(reverse("reports:competency"), {"halaman": pages}).content.decode()
    assert row in last
    one = Agency.objects.get(code="ZZ-069")
    found = client.get(reverse("reports:competency"), {"agency": one.pk}).content.decode()
    assert row in found


# -- SIASN export as a background job --------------------------------------------------------

def test_large_siasn_export_runs_as_a_job_with_a_private_download(
        client, world, organiser, batch4, monkeypatch, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    own = issued(world["registration"], batch4, Kind.TRAINING, organiser)
    stranger = factories.accepted(world["program"], batch4.level, world["agency_b"])[0]
    other = issued(stranger, batch4, Kind.TRAINING, organiser, seat=3)
    monkeypatch.setattr(siasn, "DIRECT_MAX", 1)
    operator = world["users"][Role.OPERATOR]
    client.force_login(operator)
    url = reverse("certificates:siasn")
    small = client.get(url, {"tahun": "2019"})  # the operator's one row: the file itself
    assert small["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(organiser)
    page = client.get(url, {"tahun": "2019"})
    assert page["Content-Type"].startswith("text/html")
    assert "2 sertifikat berlaku" in page.content.decode()
    assert not SiasnExport.objects.exists()  # a GET starts nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:siasn_start"), {"tahun": "2019"})
    assert response.status_code == 302
    export = SiasnExport.objects.get()
    assert (export.status, export.total, export.written, export.agency_id) == (
        RunStatus.FINISHED, 2, 2, None)
    listed = client.get(url, {"tahun": "2019"}).content.decode()
    download = reverse("certificates:siasn_file", args=[export.pk])
    assert download in listed
    response = client.get(download)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert {r[7] for r in list(sheet.iter_rows(values_only=True))[1:]} == {
        own.number, other.number}
    # another user never gets it (their own page does not list it either)
    client.force_login(operator)
    assert client.get(download).status_code == 404


def test_operators_siasn_job_holds_only_their_agency(world, organiser, batch4):
    from kompeten.certificates import services

    own = issued(world["registration"], batch4, Kind.TRAINING, organiser)
    stranger = factories.accepted(world["program"], batch4.level, world["agency_b"])[0]
    issued(stranger, batch4, Kind.TRAINING, organiser, seat=3)
    operator = world["users"][Role.OPERATOR]
    export = services.start_siasn_export(user=operator, program=world["program"])
    assert export.total == 1 and export.status == RunStatus.QUEUED
    done = services.build_siasn_export(export_id=export.pk)
    assert (done.status, done.written, done.agency_id) == (RunStatus.FINISHED, 1,
                                                          world["agency_a"].pk)
    from openpyxl import load_workbook

    with done.file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(values_only=True))
    assert [r[7] for r in rows[1:]] == [own.number]
    again = services.build_siasn_export(export_id=export.pk)  # a rerun changes nothing
    assert again.file.name == done.file.name


# -- exam sessions -------------------------------------------------------------------------------

def test_exam_sessions_page_finds_every_batch_and_session(client, world, organiser):
    from kompeten.exam.models import ExamSession

    program = world["program"]
    batches = add_batches(program, BATCHES_PER_PAGE + 10, start=dt.date(2019, 8, 1))
    ExamSession.objects.bulk_create(
        ExamSession(batch=b, token=f"T{b.pk:08d}", minutes=90, opened_at=timezone.now(),
                    closed_at=timezone.now()) for b in batches)
    client.force_login(organiser)
    url = reverse("exam:sessions")
    page = client.get(url).content.decode()
    last = batches[-1]
    create = reverse("exam:create", args=[last.pk])
    assert create not in page and "halaman=2" in page and 'id="batch-count"' in page
    found = client.get(url, {"nomor": last.number}).content.decode()
    assert create in found and f"T{last.pk:08d}" in found
    assert f"T{batches[0].pk:08d}" not in found
    few = count_queries(client, url, {"nomor": last.number})
    assert count_queries(client, url) == few


def test_reaction_report_pages_its_rows_and_the_batch_filter_finds_any(client, world,
                                                                       organiser):
    from kompeten.classroom.attendance_models import EvaluationRating

    program = world["program"]
    batches = add_batches(program, 60, start=dt.date(2019, 8, 1))
    EvaluationRating.objects.bulk_create(EvaluationRating(program=program, batch=b, score=4)
                                         for b in batches)
    client.force_login(organiser)
    url = reverse("reports:reaction")
    first = client.get(url, {"program": program.pk}).content.decode()
    assert first.count("<tr><th scope=\"row\">") <= 50 and "halaman=2" in first
    last = batches[-1]
    found = client.get(url, {"program": program.pk, "batch": last.pk}).content.decode()
    assert found.count("<tr><th scope=\"row\">") == 1
