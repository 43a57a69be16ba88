import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role, User
from kompeten.common.models import StoredFile
from kompeten.common.uploads import DOCX, PPTX, detect
from kompeten.elearning import selectors, services, tasks
from kompeten.elearning.models import (
    Material,
    MaterialDownload,
    MaterialVersion,
    Post,
    Resume,
    StudyMark,
    Thread,
)
from kompeten.programs.models import ElearningRule, Level, ProgramModule, StageKind
from kompeten.registration.models import Registration
from tests.conftest import make_user
from tests.elearning_samples import (
    RESUME_TEXT,
    docx_bytes,
    ooxml_bytes,
    place,
    pptx_bytes,
)
from tests.queries import count_queries
from tests.upload_samples import image_bytes, pdf_bytes, upload


def _official(program, agency, level, n: int, user=None) -> Registration:
    nip = f"19800101200501{n:04d}"
    return Registration.objects.create(
        program=program, agency=agency, level=level, seat=100 + n, status="accepted",
        nip=nip, birth_date=dt.date(1980, 1, 1), gender="L", full_name=f"Peserta {n:03d}",
        plain_name=f"Peserta {n:03d}", position="Kepala Seksi", email=f"p{n}@instansi.example",
        user=user)


@pytest.fixture
def el(program, agency_a, users):
    """Batch 4 (Pengawas) with the participant placed, batch 5 with another participant."""
    pengawas = Level.objects.get(code="pengawas")
    batch, other_batch = program.batches.get(number=4), program.batches.get(number=5)
    mine = _official(program, agency_a, pengawas, 1, user=users[Role.PARTICIPANT])
    place(mine, batch, seat=1)
    outsider_user = make_user(Role.PARTICIPANT, username="peserta-lain")
    outsider = _official(program, agency_a, pengawas, 2, user=outsider_user)
    place(outsider, other_batch, seat=1)
    modules = list(ProgramModule.objects.filter(program=program, level=pengawas))
    assign_staff(batch=batch, user=users[Role.FACILITATOR])  # serves this batch only
    material = services.add_material(module=modules[0], title="Bahan tayang modul 1",
                                     kind="file", by=users[Role.ORGANISER],
                                     upload=upload("modul1.pdf", pdf_bytes()))
    return {"batch": batch, "other_batch": other_batch, "registration": mine,
            "outsider": outsider_user, "modules": modules, "material": material,
            "participant": users[Role.PARTICIPANT], "facilitator": users[Role.FACILITATOR],
            "organiser": users[Role.ORGANISER], "program": program}


# -- file checks ------------------------------------------------------------------------------

def test_docx_and_pptx_are_recognised_by_content():
    assert detect(docx_bytes(), allowed={DOCX}).content_type == DOCX
    assert detect(pptx_bytes(), allowed={PPTX}).content_type == PPTX


@pytest.mark.parametrize(("data", "code"), [
    (ooxml_bytes(main_type="application/xml"), "unknown_type"),  # a zip, but no Office main part
    (b"PK\x03\x04 not really a zip", "broken_ooxml"),
    (ooxml_bytes(extra={"word/vbaProject.bin": b"x"}), "ooxml_macro"),
    (ooxml_bytes(extra={"word/media/bomb.xml": b"0" * (5 * 1024 * 1024)}), "ooxml_bomb"),
])
def test_bad_office_files_are_refused(data, code):
    with pytest.raises(ValidationError) as caught:
        detect(data, allowed={DOCX, PPTX})
    assert caught.value.code == code
    assert caught.value.messages[0]  # an Indonesian sentence, not a traceback


# -- materials --------------------------------------------------------------------------------

def test_material_of_wrong_type_is_refused_and_nothing_stored(el):
    files, materials = StoredFile.objects.count(), Material.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.add_material(module=el["modules"][1], title="Foto", kind="file",
                              by=el["organiser"], upload=upload("foto.pdf", image_bytes()))
    assert "PDF/DOCX/PPTX" in caught.value.messages[0]
    assert (StoredFile.objects.count(), Material.objects.count()) == (files, materials)


def test_oversize_material_is_refused(el, settings):
    settings.ELEARNING_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        services.add_material(module=el["modules"][1], title="Besar", kind="file",
                              by=el["organiser"],
                              upload=upload("besar.pptx", pptx_bytes() + b"0" * 2000))
    assert "melebihi batas" in caught.value.messages[0]
    assert not Material.objects.filter(title="Besar").exists()


def test_only_organisers_upload_materials(el):
    with pytest.raises(ValidationError):
        services.add_material(module=el["modules"][1], title="Tautan", kind="link",
                              by=el["facilitator"], url="https://video.example/1")
    assert not Material.objects.filter(title="Tautan").exists()


def test_a_new_version_keeps_who_read_the_old_one(el, client):
    material = el["material"]
    client.force_login(el["participant"])
    v1 = material.versions.get()
    response = client.get(reverse("elearning:material_download", args=[v1.pk]))
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.post(reverse("elearning:mark_studied", args=[material.pk]))
    v2 = services.add_version(material=material, by=el["organiser"],
                              upload=upload("modul1-v2.docx", docx_bytes()), note="Revisi")
    assert v2.number == 2
    assert MaterialDownload.objects.filter(version=v1, registration=el["registration"]).exists()
    assert StudyMark.objects.filter(version=v1, registration=el["registration"]).exists()
    page = client.get(reverse("elearning:mine")).content.decode()
    assert "dipelajari versi lama" in page and "versi 2" in page


def test_video_link_redirects_and_is_tracked(el, client):
    link = services.add_material(module=el["modules"][1], title="Video", kind="link",
                                 by=el["organiser"], url="https://video.example/modul2")
    version = link.versions.get()
    client.force_login(el["participant"])
    response = client.get(reverse("elearning:material_download", args=[version.pk]))
    assert response.status_code == 302 and response.url == "https://video.example/modul2"
    assert MaterialDownload.objects.filter(version=version).count() == 1


def test_participant_of_another_level_cannot_download(el, client, agency_a, program):
    jpt = Level.objects.get(code="jpt-pratama")
    user = make_user(Role.PARTICIPANT, username="jpt")
    place(_official(program, agency_a, jpt, 3, user=user), program.batches.get(number=1))
    client.force_login(user)
    version = el["material"].versions.get()
    assert client.get(reverse("elearning:material_download", args=[version.pk])).status_code == 404


# -- the participant's page -------------------------------------------------------------------

def test_page_opens_on_the_elearning_stage_date(el, client):
    program, batch = el["program"], el["batch"]
    stage = program.stages.get(kind=StageKind.ELEARNING)
    stage.level_dates.filter(level=batch.level).update(date=dt.date(2100, 1, 1),
                                                       end_date=dt.date(2100, 1, 7))
    client.force_login(el["participant"])
    page = client.get(reverse("elearning:mine")).content.decode()
    assert 'id="not-open"' in page and "2100" in page
    assert el["material"].title not in page
    with pytest.raises(ValidationError):
        services.mark_studied(material=el["material"], by=el["participant"])


def test_page_shows_modules_with_progress(el, client):
    client.force_login(el["participant"])
    services.mark_studied(material=el["material"], by=el["participant"])
    page = client.get(reverse("elearning:mine")).content.decode()
    for module in el["modules"]:
        assert module.title in page
    assert "sudah dipelajari" in page
    assert 'aria-valuenow="33"' in page  # module 1: studied; not downloaded, no resume
    assert 'aria-valuenow="0"' in page


# -- resumes ----------------------------------------------------------------------------------

def test_resume_too_short_is_refused(el):
    with pytest.raises(ValidationError) as caught:
        services.submit_resume(module=el["modules"][0], by=el["participant"], text="Singkat.")
    assert "paling sedikit 300 karakter" in caught.value.messages[0]
    assert not Resume.objects.exists()


def test_resume_from_someone_not_in_the_batch_is_refused(el, client):
    client.force_login(el["outsider"])
    module = el["modules"][0]
    other = Level.objects.get(code="jpt-pratama")
    jpt_module = ProgramModule.objects.filter(program=el["program"], level=other).first()
    response = client.post(reverse("elearning:resume_submit", args=[jpt_module.pk]),
                           {"file": upload("resume.pdf", pdf_bytes())}, follow=True)
    assert "bukan peserta angkatan" in response.content.decode()
    assert not Resume.objects.exists() and not StoredFile.objects.filter(
        original_name="resume.pdf").exists()
    assert module  # the outsider's own level is fine elsewhere


def test_resume_with_wrong_type_is_refused(el, client):
    client.force_login(el["participant"])
    response = client.post(reverse("elearning:resume_submit", args=[el["modules"][0].pk]),
                           {"file": upload("resume.docx", pptx_bytes())}, follow=True)
    assert "PPTX, sedangkan yang diterima hanya PDF/DOCX" in response.content.decode()
    assert not Resume.objects.exists()


def test_facilitator_returns_then_accepts_and_completion_follows(el, client):
    module = el["modules"][0]
    first = services.submit_resume(module=module, by=el["participant"], text=RESUME_TEXT)
    with pytest.raises(ValidationError):  # returning needs a comment
        services.review_resume(resume=first, by=el["facilitator"], accept=False)
    services.review_resume(resume=first, by=el["facilitator"], accept=False,
                           comment="Tambahkan contoh dari instansi Anda.")
    second = services.submit_resume(module=module, by=el["participant"],
                                    upload=upload("resume.docx", docx_bytes()))
    first.refresh_from_db()
    assert not first.is_current and first.status == "returned"
    client.force_login(el["facilitator"])
    response = client.post(reverse("elearning:resume_review", args=[second.pk]),
                           {"decision": "accept", "comment": ""})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == "accepted" and second.reviewed_by == el["facilitator"]
    with pytest.raises(ValidationError):
        services.submit_resume(module=module, by=el["participant"], text=RESUME_TEXT)
    row = next(r for r in selectors.batch_progress(el["batch"])
               if r.registration == el["registration"])
    assert (row.accepted, row.complete) == (1, False)


def test_completion_follows_the_programmes_rule(el):
    program = el["program"]
    for module in el["modules"]:
        material = Material.objects.filter(module=module).first() or services.add_material(
            module=module, title=f"Materi {module.order}", kind="link", by=el["organiser"],
            url="https://video.example/x")
        services.mark_studied(material=material, by=el["participant"])
    program.elearning_rule = ElearningRule.STUDIED
    program.save()
    el["batch"].refresh_from_db()
    assert next(r for r in selectors.batch_progress(el["batch"])).complete
    program.elearning_rule = ElearningRule.STUDIED_AND_RESUME
    program.save()
    el["batch"].program.refresh_from_db()
    assert not selectors.batch_progress(el["batch"])[0].complete


# -- forum ------------------------------------------------------------------------------------

def test_post_by_a_participant_of_another_batch_is_refused(el, client):
    thread = services.start_thread(batch=el["batch"], module=el["modules"][0], title="Tanya",
                                   body="Isi", by=el["participant"])
    with pytest.raises(ValidationError) as caught:
        services.reply(thread=thread, body="Saya ikut", by=el["outsider"])
    assert "bukan peserta angkatan ini" in caught.value.messages[0]
    client.force_login(el["outsider"])
    assert client.post(reverse("elearning:thread", args=[thread.pk]),
                       {"body": "Halo"}).status_code == 404
    assert Post.objects.count() == 1


def test_facilitator_answer_quote_moderation_and_unread(el, client):
    thread = services.start_thread(batch=el["batch"], module=el["modules"][0], title="Merit",
                                   body="<script>alert(1)</script> Apa itu merit?",
                                   by=el["participant"])
    question = thread.posts.get()
    answer = services.reply(thread=thread, body="Kesesuaian kualifikasi dan kinerja.",
                            by=el["facilitator"], quote=question)
    assert answer.is_facilitator and answer.quote == question
    spam = services.reply(thread=thread, body="Jual pulsa murah", by=el["facilitator"])
    assert selectors.unread_by_module(user=el["participant"], batch=el["batch"]) == {
        el["modules"][0].pk: 2}
    services.hide_post(post=spam, by=el["organiser"], reason="Iklan")
    spam.refresh_from_db()
    assert spam.body == "Jual pulsa murah" and spam.hidden_reason == "Iklan"
    client.force_login(el["participant"])
    page = client.get(reverse("elearning:thread", args=[thread.pk])).content.decode()
    assert "Jawaban fasilitator" in page and "disembunyikan moderator: Iklan" in page
    assert "Jual pulsa murah" not in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert selectors.unread_by_module(user=el["participant"], batch=el["batch"]) == {}
    with pytest.raises(ValidationError):
        services.hide_post(post=answer, by=el["participant"], reason="x")


def test_quote_from_another_thread_is_refused(el):
    a = services.start_thread(batch=el["batch"], module=el["modules"][0], title="A", body="a",
                              by=el["participant"])
    b = services.start_thread(batch=el["batch"], module=el["modules"][0], title="B", body="b",
                              by=el["participant"])
    with pytest.raises(ValidationError):
        services.reply(thread=b, body="kutip", by=el["participant"], quote=a.posts.get())


def test_text_over_the_limit_is_refused(el):
    with pytest.raises(ValidationError) as caught:
        services.start_thread(batch=el["batch"], module=el["modules"][0], title="Panjang",
                              body="x" * 5001, by=el["participant"])
    assert "5000" in caught.value.messages[0]
    assert not Thread.objects.exists()


def test_digest_sends_one_mail_per_reader_not_per_post(el, django_capture_on_commit_callbacks):
    thread = services.start_thread(batch=el["batch"], module=el["modules"][0], title="T",
                                   body="satu", by=el["participant"])
    for n in range(3):
        services.reply(thread=thread, body=f"balasan {n}", by=el["facilitator"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_batch_digest(batch_id=el["batch"].pk) == 2  # participant, facilitator
    to = sorted(m.to[0] for m in mail.outbox)
    assert len(to) == 2
    participant_mail = next(m for m in mail.outbox if m.to == [el["registration"].user.email])
    assert "3 tulisan baru" in participant_mail.subject
    mail.outbox.clear()
    assert tasks.send_batch_digest(batch_id=el["batch"].pk) == 0  # nothing new


# -- who is behind, reminders ------------------------------------------------------------------

def test_reminder_goes_to_those_behind_in_one_action(el, client, agency_a,
                                                     django_capture_on_commit_callbacks):
    for n in range(3, 6):
        place(_official(el["program"], agency_a, el["batch"].level, n), el["batch"], seat=n - 1)
    client.force_login(el["facilitator"])
    page = client.get(reverse("elearning:batch_progress", args=[el["batch"].pk]))
    assert "4 peserta belum selesai" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("elearning:remind", args=[el["batch"].pk]), follow=True)
    assert "Pengingat dikirim ke 4 peserta" in response.content.decode()
    assert len(mail.outbox) == 4
    assert all("Pengingat e-learning angkatan 4" in m.subject for m in mail.outbox)


def test_other_participants_batch_pages_are_404(el, client):
    client.force_login(el["outsider"])
    assert client.get(reverse("elearning:forum_batch", args=[el["batch"].pk])).status_code == 404
    resume = services.submit_resume(module=el["modules"][0], by=el["participant"],
                                    upload=upload("r.pdf", pdf_bytes()))
    assert client.get(reverse("elearning:resume_file", args=[resume.pk])).status_code == 404


# -- constant queries -------------------------------------------------------------------------

def test_thread_of_1000_posts_costs_the_same_as_one_of_10(el, client):
    thread = services.start_thread(batch=el["batch"], module=el["modules"][0], title="Ramai",
                                   body="awal", by=el["participant"])
    quote = thread.posts.get()
    def grow(to: int):
        have = Post.objects.filter(thread=thread).count()
        Post.objects.bulk_create([
            Post(thread=thread, author=el["facilitator"] if i % 2 else el["participant"],
                 body=f"tulisan {i}", quote=quote if i % 3 == 0 else None,
                 is_facilitator=bool(i % 2)) for i in range(have, to)])
    grow(10)
    client.force_login(el["participant"])
    url = reverse("elearning:thread", args=[thread.pk])
    small = count_queries(client, url, {"halaman": 1})
    grow(1000)
    big = count_queries(client, url, {"halaman": 20})
    assert big == small
    page = client.get(url, {"halaman": 20}).content.decode()
    assert "Halaman 20 dari 20" in page and "tulisan 999" in page
    assert count_queries(client, reverse("elearning:forum", args=[
        el["batch"].pk, el["modules"][0].pk])) <= 12


def test_batch_list_of_30_costs_the_same_as_one_of_3(el, client, agency_a):
    client.force_login(el["organiser"])
    url = reverse("elearning:batch_progress", args=[el["batch"].pk])
    for n in range(3, 5):
        place(_official(el["program"], agency_a, el["batch"].level, n), el["batch"], seat=n - 1)
    few = count_queries(client, url)
    for n in range(5, 32):
        registration = _official(el["program"], agency_a, el["batch"].level, n)
        place(registration, el["batch"], seat=n - 1)
    many = count_queries(client, url)
    assert many == few
    assert client.get(url).content.decode().count("Belum selesai") == 30


def test_participant_page_is_constant_in_materials(el, client):
    client.force_login(el["participant"])
    url = reverse("elearning:mine")
    few = count_queries(client, url)
    for module in el["modules"]:
        for n in range(3):
            services.add_material(module=module, title=f"M{n}", kind="link",
                                  by=el["organiser"], url=f"https://video.example/{n}")
    assert count_queries(client, url) == few


# -- demo -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_demo_participant_sees_elearning_with_progress(client):
    from kompeten.home.demo import load_demo

    load_demo()
    client.force_login(User.objects.get(username="peserta"))
    page = client.get(reverse("elearning:mine")).content.decode()
    assert "Bahan bacaan modul 1" in page and "Diterima" in page
    assert 'id="not-open"' not in page
    home = client.get(reverse("home")).content.decode()
    assert 'id="elearning-panel"' in home and "Buka e-learning" in home
    # accepted with a complete file: nothing on the checklist is missing
    from kompeten.registration.checklist import missing

    accepted = Registration.objects.get(user__username="peserta", status="accepted")
    assert missing(accepted) == []
    assert Thread.objects.get().posts.filter(is_facilitator=True).count() == 1
    version = MaterialVersion.objects.filter(stored__isnull=False).first()
    response = client.get(reverse("elearning:material_download", args=[version.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    counts = (Material.objects.count(), Post.objects.count(), Resume.objects.count())
    load_demo()
    assert (Material.objects.count(), Post.objects.count(), Resume.objects.count()) == counts


def test_digest_command_queues_one_job_per_batch_with_posts(el, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    services.start_thread(batch=el["batch"], module=el["modules"][0], title="T", body="isi",
                          by=el["participant"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_forum_digests")
    assert [m.to for m in mail.outbox] == [[el["facilitator"].email]]


def test_participant_home_shows_elearning_progress(el, client):
    client.force_login(el["participant"])
    n = len(el["modules"])
    page = client.get(reverse("home")).content.decode()
    assert 'id="elearning-progress"' in page and 'aria-valuenow="0"' in page
    assert f"0 dari {n} modul selesai" in page
    services.mark_studied(material=el["material"], by=el["participant"])
    page = client.get(reverse("home")).content.decode()
    assert 'aria-valuenow="0"' not in page and 'id="elearning-progress"' in page
