"""Letters, master data and the review queue at national scale (issue 13): the letter's
Lampiran sums a large programme up instead of listing 3,000 batches, the lists draw their
rows in one loop and still find every row by filter or search."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from kompeten.accounts.models import Role
from kompeten.letters import content, pdf, services
from kompeten.programs.models import Agency, AgencyKind, Batch, Level
from tests.factories import nip_for, submitted_file


def _national(program, batches: int) -> None:
    """batches more batches over a year, the levels in turn, 2 or 3 days long."""
    levels = list(Level.objects.order_by("order"))
    first = program.batches.order_by("-number").values_list("number", flat=True).first() + 1
    start = dt.date(program.year, 7, 1)
    Batch.objects.bulk_create(
        Batch(program=program, number=first + i, level=levels[i % len(levels)],
              start_date=start + dt.timedelta(days=i // 3),
              end_date=start + dt.timedelta(days=i // 3 + 1 + i % 2), capacity=30,
              venue="Pusbang ASN")
        for i in range(batches))


@pytest.mark.django_db
def test_a_small_programme_lists_every_batch_in_one_query(program):
    with CaptureQueriesContext(connection) as queries:
        facts = content.program_facts(program=program)
    assert len(queries) == 1
    assert len(facts.schedule) == program.batches.count() <= content.SCHEDULE_ROWS_MAX
    assert facts.schedule_note == ""


@pytest.mark.django_db
def test_a_national_programme_sums_the_batches_up_per_level_and_month(program, agency_a):
    _national(program, 400)
    batches = list(program.batches.select_related("level"))
    with CaptureQueriesContext(connection) as queries:
        facts = content.program_facts(program=program)
    assert len(queries) == 2
    # Every batch and seat is counted once, in a row of its level and start month.
    assert facts.values["batches"] == len(batches)
    assert facts.values["participants"] == sum(b.capacity for b in batches)
    assert sum(r.participants for r in facts.schedule) == sum(b.capacity for b in batches)
    months = {(b.start_date.year, b.start_date.month, b.level.name) for b in batches}
    assert len(facts.schedule) == len(months) < 40
    counted = sum(int(r.name.split(": ")[1].split(" angkatan")[0]) for r in facts.schedule)
    assert counted == len(batches)
    assert any(r.days == "2-3" for r in facts.schedule)
    assert "/jadwal/?tahun=2019" in facts.schedule_note
    letter = content.draft(letter_settings=services.ensure_settings(program=program),
                           facts=facts, agency=agency_a)
    assert f"terbagi atas {len(batches)} angkatan" in letter.body[0]
    data = pdf.render_letter(letter, compress=False)
    assert len(PdfReader(io.BytesIO(data)).pages) <= 4
    assert b"/jadwal/?tahun=2019" in data


@pytest.mark.django_db
def test_the_letter_preview_of_a_national_programme_is_a_short_pdf(client, world):
    _national(world["program"], 300)
    client.force_login(world["users"][Role.ORGANISER])
    response = client.get(reverse("letters:preview", args=[world["agency_b"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) <= 4


# -- master data: the rows drawn from MasterKind.cells --------------------------------------

@pytest.mark.django_db
def test_master_data_rows_show_choices_relations_flags_and_dates(client, users, program):
    client.force_login(users[Role.ORGANISER])
    Agency.objects.create(code="KAB-77", name="BKPSDM Kabupaten Uji", email="",
                          kind=AgencyKind.REGENCY_CITY, province="Bali")
    page = client.get(reverse("programs:masterdata_list", args=["instansi"]),
                      {"q": "KAB-77"}).content.decode()
    row = page.split("<tbody", 1)[1].split("KAB-77", 1)[1].split("</tr>", 1)[0]
    assert "BKPSDM Kabupaten Uji" in row and str(AgencyKind.REGENCY_CITY.label) in row
    assert 'data-label="Provinsi">Bali<' in row and "—" in row  # no e-mail
    edit = reverse("programs:masterdata_edit",
                   args=["instansi", Agency.objects.get(code="KAB-77").pk])
    assert edit in row
    batch = program.batches.order_by("number").first()
    page = client.get(reverse("programs:masterdata_list", args=["angkatan"])).content.decode()
    body = page.split("<tbody", 1)[1]
    assert str(batch.level) in body
    assert f">{date_format(batch.start_date, 'j M Y')}<" in body
    flags = client.get(reverse("programs:masterdata_list", args=["penyelenggaraan"]))
    assert ">Ya<" in flags.content.decode()


# -- the review queue: an agency by name or code ------------------------------------------------

@pytest.mark.django_db
def test_the_review_queue_finds_a_file_by_agency_name_code_or_link(client, world):
    program = world["program"]
    far = Agency.objects.create(code="KAB-90", name="BKPSDM Kabupaten Jauh",
                                kind=AgencyKind.REGENCY_CITY, province="Papua")
    wanted = submitted_file(program=program, agency=far, nip=nip_for(901),
                            full_name="Sari Jauh, S.E.")
    client.force_login(world["users"][Role.ORGANISER])
    url = reverse("review:queue")
    page = client.get(url).content.decode()
    assert '<select name="agency"' not in page and 'name="instansi"' in page

    def listed(params) -> set[int]:
        cache.clear()  # rendered (the page seen before is cached whole, without a context)
        return {r.pk for r in client.get(url, params).context["table"].page.object_list.data}

    assert wanted.pk in listed({})
    assert listed({"instansi": "kabupaten jauh"}) == {wanted.pk}
    assert listed({"instansi": "kab-90"}) == {wanted.pk}
    assert listed({"agency": far.pk}) == {wanted.pk}
    assert wanted.pk not in listed({"instansi": world["agency_b"].code})
