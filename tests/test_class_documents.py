"""Class documents (PDF) and the topic group pages."""

import datetime as dt

import pytest
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.classroom import documents as class_documents
from kompeten.programs.models import Agency, Batch, Program
from kompeten.programs.selectors import training_days
from kompeten.registration.models import Registration
from kompeten.rumpun import topics
from kompeten.rumpun.models import Membership, Topic
from tests import pdf_text
from tests.factories import PLANS, fill_batch, participant, place

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
    assign_staff(batch=batch, user=world["users"][Role.FACILITATOR])
    return {**world, "batch": batch, "people": people}


def _text(pdf: bytes) -> str:
    return pdf_text.text(pdf)


def test_class_list_pdf(client, batch_with_people):
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    response = client.get(reverse("classroom:class_list_pdf", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"daftar-kelas-angkatan-{batch.number}.pdf" in response["Content-Disposition"]
    text = _text(response.content)
    assert "DAFTAR PESERTA ANGKATAN 5" in text
    assert "Kinerja" in text and "Sistem Informasi" in text
    assert batch_with_people["agency_a"].name in text
    for placement in batch_with_people["people"][:8]:
        assert placement.registration.plain_name in text
    assert "Jumlah peserta: 9" in text


def test_attendance_sheet_per_training_day(client, batch_with_people):
    client.force_login(batch_with_people["users"][Role.FACILITATOR])
    batch = batch_with_people["batch"]
    days = training_days(batch)
    assert len(days) == batch.days >= 1
    for day in days:
        response = client.get(reverse("classroom:attendance_pdf", args=[batch.pk, day]))
        assert response.status_code == 200
        text = _text(response.content)
        assert "DAFTAR HADIR PESERTA" in text and "Tanda tangan" in text
        assert batch_with_people["people"][0].registration.plain_name in text
        # signatures alternate: 1 on the left, 2 on the right
        assert "1. ...." in text and "2. ...." in text
    for outside in (batch.start_date - dt.timedelta(days=1),
                    batch.end_date + dt.timedelta(days=1)):
        response = client.get(reverse("classroom:attendance_pdf", args=[batch.pk, outside]))
        assert response.status_code == 404
    response = client.get(f"/penempatan/angkatan/{batch.pk}/daftar-hadir/2019-13-45.pdf")
    assert response.status_code == 404


def test_name_plates_two_per_page(client, batch_with_people):
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    response = client.get(reverse("classroom:name_plates_pdf", args=[batch.pk]))
    assert response.status_code == 200
    assert len(pdf_text.page_sizes(response.content)) == 5  # 9 participants, two a page
    text = _text(response.content)
    assert batch_with_people["people"][0].registration.plain_name in text
    assert batch_with_people["agency_b"].name in text


def test_documents_of_an_empty_batch_are_valid(world):
    batch = world["program"].batches.get(number=7)
    for pdf in (class_documents.class_list_pdf(batch=batch, placements=[]),
                class_documents.attendance_pdf(batch=batch, day=batch.start_date, placements=[]),
                class_documents.name_plates_pdf(batch=batch, placements=[])):
        assert "Belum ada peserta" in _text(pdf)


def test_documents_are_deterministic(batch_with_people):
    batch = batch_with_people["batch"]
    people = list(Placement.objects.filter(batch=batch).select_related(
        "registration__agency", "membership__topic"))
    assert (class_documents.class_list_pdf(batch=batch, placements=people)
            == class_documents.class_list_pdf(batch=batch, placements=people))


def test_facilitator_prints_lists_but_not_name_plates(client, batch_with_people):
    client.force_login(batch_with_people["users"][Role.FACILITATOR])
    batch = batch_with_people["batch"]
    assert client.get(reverse("classroom:class_list_pdf", args=[batch.pk])).status_code == 200
    assert client.get(reverse("classroom:name_plates_pdf", args=[batch.pk])).status_code == 403
    page = client.get(reverse("classroom:class_documents")).content.decode()
    assert reverse("classroom:class_list_pdf", args=[batch.pk]) in page
    assert reverse("classroom:name_plates_pdf", args=[batch.pk]) not in page


def test_facilitator_sees_only_the_batches_they_serve(client, batch_with_people):
    other = batch_with_people["program"].batches.get(number=4)
    client.force_login(batch_with_people["users"][Role.FACILITATOR])
    page = client.get(reverse("classroom:class_documents")).content.decode()
    assert reverse("classroom:class_list_pdf", args=[batch_with_people["batch"].pk]) in page
    assert reverse("classroom:class_list_pdf", args=[other.pk]) not in page
    assert client.get(reverse("classroom:class_list_pdf", args=[other.pk])).status_code == 404
    day = other.start_date.isoformat()
    assert client.get(reverse("classroom:attendance_pdf", args=[other.pk, day])).status_code == 404


def test_unknown_batch_is_404(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    assert client.get(reverse("classroom:class_list_pdf", args=[999999])).status_code == 404


# -- topic group pages ----------------------------------------------------------------------

def test_groups_page_shows_groups_terms_and_documents(client, batch_with_people):
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    response = client.get(reverse("rumpun:topic_groups"), {"angkatan": batch.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kinerja" in page and "Sistem Informasi" in page
    assert "skp" in page  # the matched words of "Penilaian SKP pegawai"
    assert reverse("classroom:class_list_pdf", args=[batch.pk]) in page
    assert reverse("classroom:attendance_pdf", args=[batch.pk, batch.start_date]) in page
    assert client.get(reverse("rumpun:topic_groups"),
                      {"angkatan": 999999}).status_code == 404


def test_propose_and_move_by_hand(client, batch_with_people):
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    Membership.objects.filter(placement__batch=batch).delete()
    response = client.post(reverse("rumpun:topic_propose"),
                           {"tahun": 2019, "batch": batch.pk}, follow=True)
    assert "Rumpun diusulkan untuk 9 peserta" in response.content.decode()
    assert not Placement.objects.filter(batch=batch, membership__topic__isnull=True).exists()
    mover = Placement.objects.filter(batch=batch, membership__topic__code="kinerja").first()
    target = Topic.objects.get(code="sistem-informasi")
    response = client.post(reverse("rumpun:topic_move", args=[mover.pk]),
                           {"topic": target.pk}, follow=True)
    page = response.content.decode()
    assert "dipindah ke rumpun Sistem Informasi" in page
    assert "manual" in page
    group = Membership.objects.get(placement=mover)
    assert group.topic == target and group.suggested_topic.code == "kinerja"


def test_move_into_a_full_group_is_refused_with_a_message(client, batch_with_people):
    batch_with_people["batch"].program.__class__.objects.filter(
        pk=batch_with_people["batch"].program_id).update(group_max_size=5)
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    full = Placement.objects.filter(batch=batch, membership__topic__code="kinerja").count()
    assert full == 5
    mover = Placement.objects.filter(batch=batch,
                                     membership__topic__code="sistem-informasi").first()
    response = client.post(reverse("rumpun:topic_move", args=[mover.pk]),
                           {"topic": Topic.objects.get(code="kinerja").pk}, follow=True)
    assert "sudah berisi 5 peserta (paling banyak 5)" in response.content.decode()
    assert Membership.objects.get(placement=mover).topic.code == "sistem-informasi"
    response = client.post(reverse("rumpun:topic_move", args=[mover.pk]), {"topic": ""},
                           follow=True)
    assert "Pilih rumpun tujuan." in response.content.decode()


def _longest(text: str, model, field: str) -> str:
    return (text * 30)[:model._meta.get_field(field).max_length]


def test_documents_print_the_longest_input_as_typed(batch_with_people):
    batch = batch_with_people["batch"]
    program = batch.program
    program.name = _longest("Pelatihan <b>Manajemen</b> & Sertifikasi ", Program, "name")
    program.save(update_fields=["name"])
    batch.venue = _longest("Gedung <Diklat> & Aula ", Batch, "venue")
    batch.save(update_fields=["venue"])
    for agency in (batch_with_people["agency_a"], batch_with_people["agency_b"]):
        agency.name = _longest(f"Badan <{agency.code}> & Kepegawaian ", Agency, "name")
        agency.save(update_fields=["name"])
    Topic.objects.update(name=Concat(Value("Rumpun <"), Cast("pk", CharField()),
                                     Value("> & Tata Kelola")))
    Registration.objects.filter(placement__batch=batch).update(
        full_name=_longest("Raden <Mas> & Putra Wicaksono ", Registration, "full_name"),
        position=_longest("Kepala <Bidang> & Analis ", Registration, "position"))
    people = list(Placement.objects.filter(batch=batch).select_related(
        "registration__agency", "membership__topic").order_by("seat"))
    class_list = _text(class_documents.class_list_pdf(batch=batch, placements=people))
    attendance = _text(class_documents.attendance_pdf(batch=batch, day=batch.start_date,
                                                      placements=people))
    plates = _text(class_documents.name_plates_pdf(batch=batch, placements=people))
    for text in (class_list, attendance):
        assert program.name[:60] in text and batch.venue[:60] in text
        assert "Raden <Mas> & Putra" in text and "Badan <" in text
    assert "Kepala <Bidang> & Analis" in class_list and "Rumpun <" in class_list
    assert "Raden <Mas> & Putra" in plates and "…" in plates


def test_groups_summary_is_paged_and_the_filter_finds_a_batch_on_a_later_page(
        client, batch_with_people, monkeypatch):
    import re

    from kompeten.rumpun import views as rumpun_views

    monkeypatch.setattr(rumpun_views, "BATCHES_PER_PAGE", 3)
    client.force_login(batch_with_people["users"][Role.ORGANISER])
    batch = batch_with_people["batch"]
    program = batch.program
    url = reverse("rumpun:topic_groups")

    def listed(response) -> list[str]:
        table = response.content.decode().split('id="topic-overview"')[1].split("</table>")[0]
        return re.findall(r"angkatan=\d+\">(\d+)</a>", table)

    last = program.batches.order_by("-number").first()
    first_page = client.get(url)
    assert len(listed(first_page)) == 3 and str(last.number) not in listed(first_page)
    assert listed(client.get(url, {"nomor": last.number})) == [str(last.number)]
    pages = -(-program.batches.count() // 3)
    assert str(last.number) in listed(client.get(url, {"halaman": pages}))
    by_level = client.get(url, {"jenjang": last.level.code, "halaman": 999})
    assert str(last.number) in listed(by_level)
    # a batch that is not on the page shown still opens with its groups
    page = client.get(url, {"angkatan": batch.pk, "nomor": last.number}).content.decode()
    assert 'id="batch-heading"' in page and "Kinerja" in page
    # bad input: said in Indonesian, the list stays
    bad = client.get(url, {"nomor": "dua", "jenjang": "eselon"})
    assert "Nomor angkatan harus berupa angka, misalnya 12." in bad.content.decode()
    assert "Jenjang tidak dikenal." in bad.content.decode()
    assert len(listed(bad)) == 3
    assert "Tidak ada angkatan yang cocok" in client.get(url, {"nomor": 999}).content.decode()
