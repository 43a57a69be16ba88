"""Announcement letter pages: roles, agency scoping, sending with progress, settings form."""

import pytest
from django.core import mail
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.letters import services
from kompeten.letters.models import AnnouncementLetter, JobStatus, LetterSettings, SendJob
from kompeten.programs.models import Agency, AgencyKind
from tests import pdf_text
from tests.conftest import make_user
from tests.queries import count_queries


@pytest.fixture
def operator_b(world):
    return make_user(Role.OPERATOR, username="operator-b", agency=world["agency_b"])


def test_operator_of_another_agency_gets_404_for_the_letter(client, world, operator_b):
    client.force_login(operator_b)
    url = reverse("letters:download", args=[world["letter"].pk])
    assert client.get(url).status_code == 404
    # not on their pages either
    mine = client.get(reverse("letters:mine"))
    assert world["letter"].number not in mine.content.decode()
    assert "belum diterbitkan" in mine.content.decode()
    assert client.get(reverse("programs:agency_detail",
                              args=[world["agency_a"].pk])).status_code == 404


def test_operator_downloads_own_letter_from_home_and_agency_page(client, world):
    letter = world["letter"]
    client.force_login(world["users"][Role.OPERATOR])
    for url in (reverse("home"), reverse("letters:mine"),
                reverse("programs:agency_detail", args=[world["agency_a"].pk])):
        page = client.get(url).content.decode()
        assert letter.number in page, url
        assert reverse("letters:download", args=[letter.pk]) in page, url
    response = client.get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "surat-pemberitahuan-2019-PROV-01.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_navigation_links(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    assert reverse("letters:overview") in client.get(reverse("home")).content.decode()
    client.force_login(world["users"][Role.OPERATOR])
    assert reverse("letters:mine") in client.get(reverse("home")).content.decode()


def test_overview_lists_agencies_with_filters(client, world):
    Agency.objects.create(code="KL-01", name="Kementerian Keuangan", kind=AgencyKind.KL_PUSAT,
                          email="sdm@kemenkeu.example")
    client.force_login(world["users"][Role.ORGANISER])
    url = reverse("letters:overview")
    page = client.get(url).content.decode()
    assert "BKD Provinsi Aceh" in page and "BKD Provinsi Bali" in page
    assert world["letter"].number in page
    assert "Kirim surat" in page
    kl = client.get(url, {"kind": AgencyKind.KL_PUSAT}).content.decode()
    assert "Kementerian Keuangan" in kl and "BKD Provinsi Aceh" not in kl
    bali = client.get(url, {"province": "Bali"}).content.decode()
    assert "BKD Provinsi Bali" in bali and "BKD Provinsi Aceh" not in bali
    unnumbered = client.get(url, {"status": "none"}).content.decode()
    assert "BKD Provinsi Aceh" not in unnumbered and "Kementerian Keuangan" in unnumbered
    pending = client.get(url, {"status": "pending"}).content.decode()
    assert "BKD Provinsi Aceh" in pending and "BKD Provinsi Bali" not in pending


def test_send_runs_the_job_and_shows_progress(client, world, django_capture_on_commit_callbacks):
    organiser = world["users"][Role.ORGANISER]
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("letters:send"), {"scope": "unsent", "confirm": "1"})
    job = SendJob.objects.exclude(pk=world["letter_job"].pk).get()
    assert response.status_code == 302
    assert response.url == reverse("letters:job", args=[job.pk])
    assert (job.status, job.total, job.sent) == (JobStatus.FINISHED, 2, 2)
    assert len(mail.outbox) == 2
    page = client.get(response.url).content.decode()
    assert "2 dari 2 surat diproses: 2 terkirim, 0 gagal." in page
    assert 'aria-valuenow="100"' in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    # the stored PDF is what was e-mailed
    letter = AnnouncementLetter.objects.get(pk=world["letter"].pk)
    attachment = next(m for m in mail.outbox if m.to == ["bkd@aceh.example"]).attachments[0][1]
    download = client.get(reverse("letters:download", args=[letter.pk]))
    assert b"".join(download.streaming_content) == attachment


def test_progress_fragment_polls_while_the_job_runs(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    job = SendJob.objects.create(program=world["program"], status=JobStatus.RUNNING, total=4,
                                 sent=1, failed=1)
    fragment = client.get(reverse("letters:job_progress", args=[job.pk]),
                          headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="job-progress"')
    assert 'hx-trigger="every 2s"' in fragment
    assert reverse("letters:job_progress", args=[job.pk]) in fragment
    assert 'aria-valuenow="50"' in fragment and "1 terkirim, 1 gagal" in fragment
    # a second job cannot start meanwhile
    response = client.post(reverse("letters:send"), {"scope": "all"}, follow=True)
    assert "masih berjalan" in response.content.decode()
    assert SendJob.objects.count() == 2


def test_settings_form_keeps_input_on_error_and_saves(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    url = reverse("letters:settings")
    page = client.get(url)
    assert page.status_code == 200
    data = {name: value for name, value in page.context["form"].initial.items()
            if value is not None}
    data["letter_date"] = "2019-03-24"
    data["number_format"] = "{nomor}/A/TU/{year}"
    data["place"] = "Bogor Raya"
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Penanda tidak dikenal: {nomor}" in body
    assert 'value="Bogor Raya"' in body and 'aria-invalid="true"' in body
    data["number_format"] = "{seq}/A/TU/Pusbang ASN/{month_roman}/{year}"
    data["next_seq"] = "1"  # already used by agency_a's letter
    response = client.post(url, data)
    assert "nomor urut berikutnya minimal 2" in response.content.decode()
    data["next_seq"] = "195"
    response = client.post(url, data)
    assert response.status_code == 302
    saved = LetterSettings.objects.get(program=world["program"])
    assert (saved.place, saved.next_seq, str(saved.letter_date)) == ("Bogor Raya", 195,
                                                                     "2019-03-24")
    letter = services.issue_letters(program=world["program"],
                                    agencies=[world["agency_b"]])[world["agency_b"].pk]
    assert letter.number == "195/A/TU/Pusbang ASN/III/2019"


def test_preview_draws_a_draft_without_taking_a_number(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    response = client.get(reverse("letters:preview", args=[world["agency_b"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not AnnouncementLetter.objects.filter(agency=world["agency_b"]).exists()
    assert client.get(reverse("letters:preview", args=[999999])).status_code == 404


def _grow(program, start: int, count: int) -> None:
    agencies = Agency.objects.bulk_create(
        Agency(code=f"G-{start + i}", name=f"Instansi {start + i}", kind=AgencyKind.KL_PUSAT,
               email=f"g{start + i}@instansi.example" if i % 2 else "")
        for i in range(count))
    services.issue_letters(program=program, agencies=agencies[: count // 2])


@pytest.mark.parametrize("params", [{}, {"status": "pending", "sort": "letter_number"},
                                    {"kind": "kl", "q": "Instansi"}])
def test_overview_keeps_a_constant_number_of_queries(client, world, params,
                                                     django_assert_num_queries):
    client.force_login(world["users"][Role.ORGANISER])
    url = reverse("letters:overview")
    _grow(world["program"], 100, 6)
    small = count_queries(client, url, params)
    _grow(world["program"], 200, 80)
    with django_assert_num_queries(small):
        client.get(url, params)


def test_job_page_keeps_a_constant_number_of_queries(client, world, django_assert_num_queries,
                                                     django_capture_on_commit_callbacks):
    organiser = world["users"][Role.ORGANISER]
    client.force_login(organiser)
    for code in ("X-1", "X-2"):
        Agency.objects.create(code=code, name=f"Tanpa surel {code}", kind=AgencyKind.KL_PUSAT)
    with django_capture_on_commit_callbacks(execute=True):
        small_job = services.start_send_job(program=world["program"], by=organiser)
    small = count_queries(client, reverse("letters:job", args=[small_job.pk]), {})
    for i in range(30):
        Agency.objects.create(code=f"Y-{i}", name=f"Tanpa surel {i}", kind=AgencyKind.KL_PUSAT)
    with django_capture_on_commit_callbacks(execute=True):
        big_job = services.start_send_job(program=world["program"], by=organiser)
    assert big_job.pk != small_job.pk
    with django_assert_num_queries(small):
        client.get(reverse("letters:job", args=[big_job.pk]))


def _longest(name: str, limit: int, separator: str) -> str:
    parts, number = [], 0
    while len(separator.join(parts)) < limit:
        number += 1
        parts.append(f"{name} {number:03d} A&B <x> " + "kata surat " * (30 if separator == "\n\n"
                                                                         else 3))
    text = separator.join(parts)[:limit].rstrip()
    return text + "z" * (limit - len(text))


def test_letter_with_every_setting_at_its_maximum(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    url = reverse("letters:settings")
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(letter_date="2019-03-24", next_seq="195")
    separators = {"body": "\n\n", "tembusan": "\n", "notes": "\n"}
    for name in ("place", "subject", "attachment", "letterhead_address", "addressee_central",
                 "addressee_regional", "body", "tembusan", "notes"):
        assert form.fields[name].max_length, name
        data[name] = _longest(name.capitalize(), form.fields[name].max_length,
                              separators.get(name, " "))
    limit = form.fields["number_format"].max_length
    data["number_format"] = "{seq}/A&B<x>/" + "X" * (limit - 13)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.get(reverse("letters:preview", args=[world["agency_b"].pk]))
    assert response.status_code == 200
    text = pdf_text.text(response.content)
    for name in ("Place", "Subject", "Attachment", "Letterhead_address", "Addressee_regional",
                 "Body", "Tembusan", "Notes"):
        assert f"{name} 001 A&B <x>" in text, name
    assert data["body"].split("\n\n")[-1][:60] in text
    assert data["notes"].splitlines()[-1][:30] in text
    assert "/A&B<x>/XXX" in text


def test_letter_settings_longer_than_the_limit_are_refused(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    url = reverse("letters:settings")
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["letter_date"] = "2019-03-24"
    limit = LetterSettings._meta.get_field("body").max_length
    assert limit
    data["body"] = "kata " * (limit // 5) + "lebih"
    response = client.post(url, data)
    assert response.status_code == 200 and f"paling banyak {limit} karakter" in \
        response.content.decode()
