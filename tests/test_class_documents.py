"""Class documents (PDF) and the topic group pages."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.placement import class_documents, topics
from kompeten.placement.models import Placement, Topic
from tests.topic_factories import PLANS, fill_batch, participant, place

LONG_NAME = "Raden Mas Bambang Sulistyo Hadiningrat Wicaksono Purbaningrat Hadikusumo"


@pytest.fixture
def batch_with_people(world):
    program = world["program"]
    batch = program.batches.get(number=5)
    people = fill_batch(batch=batch, agency=world["agency_a"],
                        plans=[PLANS["kinerja"]] * 4 + [PLANS["sistem-informasi"]] * 4)
    people.append(place(participant(program=program, level=batch.level,
                                    agency=world["agency_b"], plan=PLANS["kinerja"],
                                    full_name=LONG_NAME), batch, 9))
    topics.propose_groups(program=program, batch=batch)
    return {**world, "batch": batch, "people": people}


def _text(pdf: bytes, tmp_path) -> str:
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        return ""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def _pages(pdf: bytes, tmp_path) -> int | None:
    if shutil.which("pdfinfo") is None:
        return None
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_class_list_pdf(client, batch_with_people, tmp_path):
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    response = client.get(reverse("placement:class_list_pdf", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"daftar-kelas-angkatan-{batch.number}.pdf" in response["Content-Disposition"]
    text = _flat(_text(response.content, tmp_path))
    if text:
        assert "DAFTAR PESERTA ANGKATAN 5" in text
        assert "Kinerja" in text and "Sistem Informasi" in text
        assert batch_with_people["agency_a"].name in text
        for placement in batch_with_people["people"][:8]:
            assert placement.registration.plain_name in text
        assert "Jumlah peserta: 9" in text


def test_attendance_sheet_per_training_day(client, batch_with_people, tmp_path):
    client.force_login(batch_with_people["users"][Role.FACILITATOR])
    batch = batch_with_people["batch"]
    days = class_documents.training_days(batch)
    assert len(days) == batch.days >= 1
    for day in days:
        response = client.get(reverse("placement:attendance_pdf", args=[batch.pk, day]))
        assert response.status_code == 200
        text = _flat(_text(response.content, tmp_path))
        if text:
            assert "DAFTAR HADIR PESERTA" in text and "Tanda tangan" in text
            assert batch_with_people["people"][0].registration.plain_name in text
            # signatures alternate: 1 on the left, 2 on the right
            assert "1. ...." in text and "2. ...." in text
    for outside in (batch.start_date - dt.timedelta(days=1),
                    batch.end_date + dt.timedelta(days=1)):
        response = client.get(reverse("placement:attendance_pdf", args=[batch.pk, outside]))
        assert response.status_code == 404
    response = client.get(f"/penempatan/angkatan/{batch.pk}/daftar-hadir/2019-13-45.pdf")
    assert response.status_code == 404


def test_name_plates_two_per_page(client, batch_with_people, tmp_path):
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    response = client.get(reverse("placement:name_plates_pdf", args=[batch.pk]))
    assert response.status_code == 200
    pages = _pages(response.content, tmp_path)
    if pages is not None:
        assert pages == 5  # 9 participants, two cards per page
    text = _flat(_text(response.content, tmp_path))
    if text:
        assert batch_with_people["people"][0].registration.plain_name in text
        assert batch_with_people["agency_b"].name in text


def test_documents_of_an_empty_batch_are_valid(world, tmp_path):
    batch = world["program"].batches.get(number=7)
    for pdf in (class_documents.class_list_pdf(batch=batch, placements=[]),
                class_documents.attendance_pdf(batch=batch, day=batch.start_date, placements=[]),
                class_documents.name_plates_pdf(batch=batch, placements=[])):
        assert "Belum ada peserta" in _flat(_text(pdf, tmp_path)) or pdf.startswith(b"%PDF")


def test_documents_are_deterministic(batch_with_people):
    batch = batch_with_people["batch"]
    people = list(Placement.objects.filter(batch=batch).select_related(
        "registration__agency", "topic"))
    assert (class_documents.class_list_pdf(batch=batch, placements=people)
            == class_documents.class_list_pdf(batch=batch, placements=people))


def test_facilitator_prints_lists_but_not_name_plates(client, batch_with_people):
    client.force_login(batch_with_people["users"][Role.FACILITATOR])
    batch = batch_with_people["batch"]
    assert client.get(reverse("placement:class_list_pdf", args=[batch.pk])).status_code == 200
    assert client.get(reverse("placement:name_plates_pdf", args=[batch.pk])).status_code == 403
    page = client.get(reverse("placement:class_documents")).content.decode()
    assert reverse("placement:class_list_pdf", args=[batch.pk]) in page
    assert reverse("placement:name_plates_pdf", args=[batch.pk]) not in page


def test_unknown_batch_is_404(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    assert client.get(reverse("placement:class_list_pdf", args=[999999])).status_code == 404


# -- topic group pages ----------------------------------------------------------------------

def test_groups_page_shows_groups_terms_and_documents(client, batch_with_people):
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    response = client.get(reverse("placement:topic_groups"), {"angkatan": batch.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kinerja" in page and "Sistem Informasi" in page
    assert "skp" in page  # the matched words of "Penilaian SKP pegawai"
    assert reverse("placement:class_list_pdf", args=[batch.pk]) in page
    assert reverse("placement:attendance_pdf", args=[batch.pk, batch.start_date]) in page
    assert client.get(reverse("placement:topic_groups"),
                      {"angkatan": 999999}).status_code == 404


def test_propose_and_move_by_hand(client, batch_with_people):
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    Placement.objects.filter(batch=batch).update(topic=None, suggested_topic=None,
                                                 topic_terms="")
    response = client.post(reverse("placement:topic_propose"),
                           {"tahun": 2019, "batch": batch.pk}, follow=True)
    assert "Rumpun diusulkan untuk 9 peserta" in response.content.decode()
    assert not Placement.objects.filter(batch=batch, topic__isnull=True).exists()
    mover = Placement.objects.filter(batch=batch, topic__code="kinerja").first()
    target = Topic.objects.get(code="sistem-informasi")
    response = client.post(reverse("placement:topic_move", args=[mover.pk]),
                           {"topic": target.pk}, follow=True)
    page = response.content.decode()
    assert "dipindah ke rumpun Sistem Informasi" in page
    assert "manual" in page
    mover.refresh_from_db()
    assert mover.topic == target and mover.suggested_topic.code == "kinerja"


def test_move_into_a_full_group_is_refused_with_a_message(client, batch_with_people):
    batch_with_people["batch"].program.__class__.objects.filter(
        pk=batch_with_people["batch"].program_id).update(group_max_size=5)
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    full = Placement.objects.filter(batch=batch, topic__code="kinerja").count()
    assert full == 5
    mover = Placement.objects.filter(batch=batch, topic__code="sistem-informasi").first()
    response = client.post(reverse("placement:topic_move", args=[mover.pk]),
                           {"topic": Topic.objects.get(code="kinerja").pk}, follow=True)
    assert "sudah berisi 5 peserta (paling banyak 5)" in response.content.decode()
    mover.refresh_from_db()
    assert mover.topic.code == "sistem-informasi"
    response = client.post(reverse("placement:topic_move", args=[mover.pk]), {"topic": ""},
                           follow=True)
    assert "Pilih rumpun tujuan." in response.content.decode()
