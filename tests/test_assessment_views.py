"""Assessment pages: the walk from the UI (assessor decides, sidang, participant appeals,
panel decides), refusals shown as messages, constant queries, the report as PDF/Excel."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.assessment import decisions, services
from kompeten.assessment.models import Appeal, Assignment, Consent, Decision, Sidang
from tests import assessment_samples as s
from tests.conftest import make_user
from tests.pdf_text import text
from tests.queries import count_queries


@pytest.fixture
def batch(program):
    return program.batches.get(number=4)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setup(batch, agency_a, users):
    people = s.placed_participants(batch, agency_a, 2)
    asesor = s.assessor("asesor1", batch)
    panel = s.assessor("asesor2", batch)
    for reg in people:
        services.assign(registration=reg, assessor=asesor)
    user = make_user(Role.PARTICIPANT, username="peserta-asesmen")
    people[0].user = user
    people[0].save(update_fields=["user"])
    return {"people": people, "asesor": asesor, "panel": panel, "user": user,
            "organiser": users[Role.ORGANISER]}


def test_the_whole_walk_from_the_ui(batch, setup):
    reg, other = setup["people"]
    participant = client_for(setup["user"])
    page = participant.get(reverse("assessment:mine"))
    assert "Rencana asesmen" in page.content.decode()
    unit = reg.qualification.units.order_by("order").first()
    participant.post(reverse("assessment:self_assess"),
                     {f"unit-{unit.pk}": "yes", f"evidence-{unit.pk}": "SK tim"})
    participant.post(reverse("assessment:consent"))
    assert Consent.objects.filter(registration=reg).exists()

    assessor = client_for(setup["asesor"])
    listing = assessor.get(reverse("assessment:my_participants")).content.decode()
    assert reg.full_name in listing
    detail = assessor.get(reverse("assessment:participant", args=[reg.pk])).content.decode()
    assert "belum ada nilai tertulis" in detail and "SK tim" in detail
    for u in reg.qualification.units.all():
        assessor.post(reverse("assessment:decide_unit", args=[reg.pk, u.pk]),
                      {"verdict": "BK" if u.pk == unit.pk else "K", "note": "catatan",
                       "feedback": "perbaiki", "action": "sign"})
    assert Decision.objects.filter(registration=reg, signed_at__isnull=False).count() == 15
    s.decide_all(setup["asesor"], other)

    organiser = client_for(setup["organiser"])
    response = organiser.post(reverse("assessment:sidang", args=[batch.pk]), {
        "held_on": "2019-07-03", "decree_number": "SK-7/2019", "panel_members": "Dr. A\nDr. B"})
    assert response.status_code == 302 and Sidang.objects.filter(batch=batch).exists()

    results = participant.get(reverse("assessment:mine")).content.decode()
    assert "SK-7/2019" in results and "Ajukan banding" in results
    participant.post(reverse("assessment:appeal", args=[unit.pk]),
                     {"reason": "Portofolio belum dipertimbangkan"})
    appeal = Appeal.objects.get(registration=reg)
    assert appeal.panel == setup["panel"]

    panel = client_for(setup["panel"])
    assert "Portofolio belum dipertimbangkan" in panel.get(
        reverse("assessment:appeal_decide", args=[appeal.pk])).content.decode()
    panel.post(reverse("assessment:appeal_decide", args=[appeal.pk]),
               {"verdict": "K", "note": "Bukti memadai"})
    appeal.refresh_from_db()
    assert appeal.outcome == "K"
    assert "Diputus panel: K" in participant.get(reverse("assessment:mine")).content.decode()


def test_refusals_are_messages_and_change_nothing(batch, setup):
    reg = setup["people"][0]
    unit = reg.qualification.units.order_by("order").first()
    panel = client_for(setup["panel"])
    # not assigned to them: the page is a 404, a POST too
    assert panel.get(reverse("assessment:participant", args=[reg.pk])).status_code == 404
    assert panel.post(reverse("assessment:decide_unit", args=[reg.pk, unit.pk]),
                      {"verdict": "K", "action": "sign"}).status_code == 404
    assessor = client_for(setup["asesor"])
    assessor.post(reverse("assessment:decide_unit", args=[reg.pk, unit.pk]),
                  {"verdict": "K", "action": "sign"})
    response = assessor.post(reverse("assessment:decide_unit", args=[reg.pk, unit.pk]),
                             {"verdict": "BK", "action": "save"}, follow=True)
    assert "sudah ditandatangani" in response.content.decode()
    assert Decision.objects.get(registration=reg, unit=unit).verdict == "K"
    # a participant appeals before the release: refused
    participant = client_for(setup["user"])
    response = participant.post(reverse("assessment:appeal", args=[unit.pk]),
                                {"reason": "x"}, follow=True)
    assert "setelah hasil ditetapkan" in response.content.decode()
    assert not Appeal.objects.exists()
    # the sidang refuses while units are unsigned
    response = client_for(setup["organiser"]).post(
        reverse("assessment:sidang", args=[batch.pk]),
        {"held_on": "2019-07-03", "decree_number": "SK", "panel_members": "A"}, follow=True)
    assert "belum ditandatangani" in response.content.decode()
    assert not Sidang.objects.exists()


def test_correction_from_the_ui_is_a_new_version(setup):
    reg = setup["people"][0]
    unit = reg.qualification.units.order_by("order").first()
    assessor = client_for(setup["asesor"])
    url = reverse("assessment:decide_unit", args=[reg.pk, unit.pk])
    assessor.post(url, {"verdict": "K", "action": "sign"})
    assessor.post(url, {"verdict": "BK", "action": "correct", "reason": "salah baca"})
    assert list(Decision.objects.filter(registration=reg, unit=unit)
                .values_list("version", "verdict")) == [(1, "K"), (2, "BK")]
    page = assessor.get(reverse("assessment:participant", args=[reg.pk])).content.decode()
    assert "salah baca" in page and 'id="audit-trail"' in page


def test_auto_assign_and_settings_pages(program, batch, agency_a, users):
    s.placed_participants(batch, agency_a, 5)
    s.assessor("asesor1", batch)
    s.assessor("asesor2", batch)
    organiser = client_for(users[Role.ORGANISER])
    organiser.post(reverse("assessment:settings") + "?tahun=2019", {
        "participants_per_assessor": 2, "appeal_days": 5, "method": "Portofolio"})
    organiser.post(reverse("assessment:auto_assign", args=[batch.pk]))
    assert Assignment.objects.count() == 4
    page = organiser.get(reverse("assessment:batch", args=[batch.pk])).content.decode()
    assert "1 peserta belum mendapat asesor" in page


def test_oral_questions_are_edited_by_the_organiser(program, users):
    organiser = client_for(users[Role.ORGANISER])
    from kompeten.programs.models import ProgramUnit

    unit = ProgramUnit.objects.filter(qualification__program=program).first()
    organiser.post(reverse("assessment:questions") + "?tahun=2019", {
        "unit": unit.pk, "question": "Sebutkan asas merit", "expected_answer": "Kualifikasi"})
    question = unit.oral_questions.get()
    organiser.post(reverse("assessment:question_edit", args=[question.pk]),
                   {"question": "Sebutkan tiga asas merit", "expected_answer": "K, K, K"})
    question.refresh_from_db()
    assert question.question == "Sebutkan tiga asas merit"
    page = organiser.get(reverse("assessment:questions") + "?tahun=2019").content.decode()
    assert "Sebutkan tiga asas merit" in page


def test_list_pages_keep_a_constant_number_of_queries(program, batch, agency_a, users):
    asesor = s.assessor("asesor1", batch)
    organiser = client_for(users[Role.ORGANISER])
    assessor = client_for(asesor)

    def grow(count, first_seat):
        for reg in s.placed_participants(batch, agency_a, count, first_seat):
            services.assign(registration=reg, assessor=asesor)
            s.decide_all(asesor, reg)

    grow(1, 1)
    urls = [(organiser, reverse("assessment:batch", args=[batch.pk])),
            (organiser, reverse("assessment:overview") + "?tahun=2019"),
            (assessor, reverse("assessment:my_participants"))]
    small = [count_queries(c, u) for c, u in urls]
    grow(4, 2)
    assert [count_queries(c, u) for c, u in urls] == small


def test_report_pdf_survives_the_longest_notes_and_excel_lists_every_unit(batch, setup):
    reg = setup["people"][0]
    long = ("Peserta menunjukkan pemahaman yang baik tentang sistem merit " * 40)[:2000]
    for unit in reg.qualification.units.all():
        decisions.save_decision(assessor=setup["asesor"], registration=reg, unit=unit,
                                verdict="K", note=long, feedback=long)
    services.save_observation(assessor=setup["asesor"], registration=reg, text=long)
    reg.full_name = "W" * 200
    reg.save(update_fields=["full_name"])
    organiser = client_for(setup["organiser"])
    pdf = organiser.get(reverse("assessment:report_pdf", args=[batch.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = text(pdf.content)
    assert "Laporan Asesmen Angkatan 4" in content and "Catatan per peserta" in content
    xlsx = organiser.get(reverse("assessment:report_xlsx", args=[batch.pk]))
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(xlsx.content))
    notes = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert len(notes) == 1 + 2 * 15 and notes[1][5] == long


def test_the_written_score_per_unit_is_in_view(world, users):
    """The exam app's score of the closed attempt shows on the decision page."""
    from kompeten.batching.models import Placement
    from kompeten.exam import services as exam
    from tests import exam_samples as es

    organiser = users[Role.ORGANISER]
    reg = s.qualified(world["registration"])
    batch = world["program"].batches.get(number=4)
    Placement.objects.create(registration=reg, batch=batch, seat=1)
    es.small_policy(world["program"], mc_per_unit=2, essays_per_unit=0)
    unit = es.bank(batch, reg, mc_count=2, essays=0, units=1, by=organiser)[0]
    session = exam.create_session(batch=batch, by=organiser)
    exam.open_session(session=session, by=organiser)
    exam.start_attempt(user=users[Role.PARTICIPANT], token=session.token)
    exam.close_session(session=session, by=organiser)
    asesor = s.assessor("asesor1", batch)
    services.assign(registration=reg, assessor=asesor)
    page = client_for(asesor).get(reverse("assessment:participant", args=[reg.pk]))
    card = page.content.decode().split(f'id="unit-{unit.pk}"', 1)[1].split("</section>", 1)[0]
    assert "0%" in card and "belum ada nilai tertulis" not in card


def test_pages_read_in_english_from_the_apps_catalog(setup, settings):
    from django.utils import translation

    participant = client_for(setup["user"])
    participant.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        page = participant.get(reverse("assessment:mine")).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the request left English active
    assert "<h1 class=\"h3\">My competency test</h1>" in page
    assert "I consent to this assessment plan" in page
