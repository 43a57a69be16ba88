"""The exam pages: token entry, the test page (no key in it), saving over HTTP, the
assessor's live page, closing, marking, results, the bank, the import and the settings."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.exam import selectors, services
from kompeten.exam.models import Attempt, AttemptItem, ExamPolicy, Question
from kompeten.exam.question_import import template_bytes
from tests import factories
from tests.conftest import make_user
from tests.exam_samples import exam_world
from tests.queries import count_queries
from tests.upload_samples import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def ex(world):
    return {**world, **exam_world(world)}


def login(client, user):
    client.force_login(user)
    return client


def started(client, ex):
    login(client, ex["participant"])
    response = client.post(reverse("exam:start"), {"token": ex["session"].token})
    attempt = Attempt.objects.get()
    assert response.url == reverse("exam:take", args=[attempt.pk])
    return attempt


def test_participant_starts_with_the_token_and_the_key_never_reaches_the_page(client, ex):
    attempt = started(client, ex)
    page = client.get(reverse("exam:take", args=[attempt.pk])).content.decode()
    assert 'id="exam"' in page and "exam/exam.js" in page
    assert "UU ASN menetapkan sistem merit" not in page  # the explanation
    assert "analisis jabatan; beban kerja" not in page  # the expected essay points
    assert "is_key" not in page and "kunci" not in page.lower().split("</nav>", 1)[1]
    shown = set(map(int, re.findall(r'id="option-\d+-(\d+)"', page)))
    drawn = {o for item in AttemptItem.objects.filter(attempt=attempt) for o in item.option_order}
    assert shown == drawn


def test_wrong_token_is_refused_with_a_message(client, ex):
    login(client, ex["participant"])
    response = client.post(reverse("exam:start"), {"token": "SALAH1"}, follow=True)
    assert "Token tidak dikenal" in response.content.decode()
    assert not Attempt.objects.exists()


def test_save_over_http_statuses(client, ex):
    attempt = started(client, ex)
    item = AttemptItem.objects.filter(attempt=attempt, question__kind="mc").first()
    url = reverse("exam:save", args=[attempt.pk])
    first = client.post(url, {"slot": item.pk, "seq": 10, "kind": "choice",
                              "choice": item.option_order[0]}).json()
    assert first["status"] == "saved" and first["seconds_left"] > 0
    replay = client.post(url, {"slot": item.pk, "seq": 10, "kind": "choice",
                               "choice": item.option_order[1]}).json()
    assert replay == {**replay, "status": "stale", "seq": 10}
    forged = client.post(url, {"slot": item.pk, "seq": 11, "kind": "choice",
                               "choice": 999999}).json()
    assert forged["status"] == "invalid" and forged["message"]
    item.refresh_from_db()
    assert item.choice_id == item.option_order[0]
    # another participant cannot even reach this attempt
    other = make_user(Role.PARTICIPANT, username="peserta-lain")
    login(client, other)
    assert client.post(url, {"slot": item.pk, "seq": 99, "kind": "clear"}).status_code == 404
    assert client.get(reverse("exam:take", args=[attempt.pk])).status_code == 404


def test_after_the_deadline_the_page_closes_the_attempt_and_saves_are_refused(client, ex):
    attempt = started(client, ex)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=1),
        deadline=timezone.now() - dt.timedelta(seconds=1))
    item = AttemptItem.objects.filter(attempt=attempt).first()
    late = client.post(reverse("exam:save", args=[attempt.pk]),
                       {"slot": item.pk, "seq": 1, "kind": "text", "text": "x"}).json()
    assert late["status"] == "closed" and "tidak disimpan" in late["message"]
    page = client.get(reverse("exam:take", args=[attempt.pk])).content.decode()
    assert 'id="attempt-closed"' in page
    attempt.refresh_from_db()
    assert attempt.close_reason == "deadline"


def _more_examinees(ex, count, start=0):
    for n in range(start, start + count):
        user = make_user(Role.PARTICIPANT, username=f"peserta-{n}")
        reg = factories.accepted(ex["program"], ex["batch"].level, ex["agency_a"])[0]
        reg.user = user
        reg.save()
        Placement.objects.create(registration=reg, batch=ex["batch"], seat=10 + n)
        services.start_attempt(user=user, token=ex["session"].token)


def test_live_page_keeps_its_queries_constant(client, ex):
    login(client, ex["organiser"])
    _more_examinees(ex, 2)
    small = count_queries(client, reverse("exam:live_rows", args=[ex["session"].pk]))
    page_small = count_queries(client, reverse("exam:live", args=[ex["session"].pk]))
    _more_examinees(ex, 6, start=2)
    assert count_queries(client, reverse("exam:live_rows", args=[ex["session"].pk])) == small
    assert count_queries(client, reverse("exam:live", args=[ex["session"].pk])) == page_small
    page = client.get(reverse("exam:live", args=[ex["session"].pk])).content.decode()
    assert ex["session"].token in page and page.count('data-registration="') == 10  # + the roomer


def test_test_page_keeps_its_queries_constant(client, world):
    ex = {**world, **exam_world(world, units=1)}
    attempt = started(client, ex)
    small = count_queries(client, reverse("exam:take", args=[attempt.pk]))
    from tests.exam_samples import bank, small_policy

    services.close_session(session=ex["session"], by=ex["organiser"])
    small_policy(ex["program"], mc_per_unit=2, essays_per_unit=1)
    bank(ex["batch"], ex["registration"], units=4, by=ex["organiser"])
    session = services.create_session(batch=ex["batch"], by=ex["organiser"])
    services.open_session(session=session, by=ex["organiser"])
    bigger = services.start_attempt(user=ex["participant"], token=session.token)
    assert bigger.items.count() > attempt.items.count()
    assert count_queries(client, reverse("exam:take", args=[bigger.pk])) == small


def test_assessor_of_another_batch_gets_404(client, ex):
    stranger = make_user(Role.ASSESSOR, username="asesor-lain")
    assign_staff(batch=ex["program"].batches.get(number=5), user=stranger)
    login(client, stranger)
    assert client.get(reverse("exam:live", args=[ex["session"].pk])).status_code == 404
    assert client.post(reverse("exam:close", args=[ex["session"].pk])).status_code == 404


def test_assessor_runs_the_session_from_the_pages(client, world):
    ex = {**world, **exam_world(world, open_session=False)}
    assessor = world["users"][Role.ASSESSOR]
    assign_staff(batch=ex["batch"], user=assessor)
    login(client, assessor)
    assert client.post(reverse("exam:open", args=[ex["session"].pk])).status_code == 302
    attempt = started(client, ex)
    essay = AttemptItem.objects.get(attempt=attempt, question__kind="essay",
                                    question__unit=ex["units"][0])
    client.post(reverse("exam:save", args=[attempt.pk]),
                {"slot": essay.pk, "seq": 1, "kind": "text", "text": "analisis jabatan"})
    login(client, assessor)
    response = client.post(reverse("exam:attempt", args=[attempt.pk]),
                           {"action": "extend", "minutes": 10, "reason": "listrik padam"})
    assert response.status_code == 302
    assert attempt.events.get().reason == "listrik padam"
    confirm = client.get(reverse("exam:close", args=[ex["session"].pk])).content.decode()
    assert "Ya, tutup sesi" in confirm
    assert client.post(reverse("exam:close", args=[ex["session"].pk])).status_code == 302
    marking = client.get(reverse("exam:marking", args=[ex["session"].pk])).content.decode()
    assert "analisis jabatan" in marking
    client.post(reverse("exam:mark", args=[essay.pk]), {"points": "7"})
    essay.refresh_from_db()
    assert essay.points == 7
    results = client.get(reverse("exam:results", args=[ex["session"].pk])).content.decode()
    assert ex["units"][0].code in results


def test_bank_add_edit_retire_with_an_image(client, ex):
    login(client, ex["organiser"])
    unit = ex["units"][0]
    before = Question.objects.filter(unit=unit).count()
    response = client.post(reverse("exam:add", args=[unit.pk]), {
        "kind": "mc", "text": "Siapa pejabat pembina kepegawaian?", "option_1": "Menteri",
        "option_2": "Gubernur", "option_3": "Bupati", "option_4": "Semua benar", "key": "3",
        "image": upload("peta.png", image_bytes("PNG", (60, 40)))})
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.filter(unit=unit).latest("pk")
    assert Question.objects.filter(unit=unit).count() == before + 1 and question.image_id
    assert client.get(reverse("exam:image", args=[question.pk])).status_code == 200
    fake = client.post(reverse("exam:add", args=[unit.pk]), {
        "kind": "mc", "text": "Soal lain", "option_1": "a", "option_2": "b", "option_3": "c",
        "option_4": "d", "key": "0", "image": upload("x.png", b"MZ not an image")})
    assert fake.status_code == 200 and Question.objects.filter(unit=unit).count() == before + 1
    assert "id_image-error" in fake.content.decode()
    response = client.post(reverse("exam:edit", args=[question.pk]), {
        "kind": "mc", "text": "Siapa PPK di kabupaten?", "option_1": "Menteri",
        "option_2": "Gubernur", "option_3": "Bupati", "option_4": "Sekda", "key": "2"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Siapa PPK di kabupaten?"  # unused: changed in place
    client.post(reverse("exam:retire", args=[question.pk]))
    question.refresh_from_db()
    assert question.retired_at is not None
    page = client.get(reverse("exam:unit", args=[unit.pk])).content.decode()
    assert "Soal yang dipensiunkan" in page


def _sheet(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Soal"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_template_imports_and_bad_rows_are_reported_nothing_imported(client, ex):
    login(client, ex["organiser"])
    unit = ex["units"][1]
    template = client.get(reverse("exam:template"))
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book["Soal"][1]][:2] == ["jenis", "pertanyaan"]
    before = Question.objects.filter(unit=unit).count()
    response = client.post(reverse("exam:import", args=[unit.pk]), {
        "file": upload("soal.xlsx", template_bytes())})
    assert response.status_code == 302
    assert Question.objects.filter(unit=unit).count() == before + 2
    bad = _sheet([["jenis", "pertanyaan", "pilihan_a", "pilihan_b", "pilihan_c", "pilihan_d",
                   "kunci"],
                  ["PG", "Soal baik", "a", "b", "c", "d", "A"],
                  ["PG", "Soal tanpa kunci", "a", "b", "c", "d", ""],
                  ["tebak", "Soal jenis aneh", "", "", "", "", ""],
                  ["esai", "Esai tanpa pokok jawaban", "", "", "", "", ""]])
    response = client.post(reverse("exam:import", args=[unit.pk]),
                           {"file": upload("soal.xlsx", bad)})
    page = response.content.decode()
    assert 'id="import-report"' in page
    for row in ("<td>3</td>", "<td>4</td>", "<td>5</td>"):
        assert row in page
    assert Question.objects.filter(unit=unit).count() == before + 2


def test_import_questions_command(tmp_path, ex):
    unit = ex["units"][1]
    path = tmp_path / "soal.xlsx"
    path.write_bytes(template_bytes())
    before = Question.objects.filter(unit=unit).count()
    call_command("import_questions", str(path), "--program", ex["program"].code, "--unit",
                 unit.code, "--dry-run")
    assert Question.objects.filter(unit=unit).count() == before
    call_command("import_questions", str(path), "--program", str(ex["program"].year),
                 "--unit", unit.code)
    assert Question.objects.filter(unit=unit).count() == before + 2
    with pytest.raises(CommandError):  # the same questions again: refused row by row
        call_command("import_questions", str(path), "--program", ex["program"].code,
                     "--unit", unit.code)
    with pytest.raises(CommandError):
        call_command("import_questions", str(path), "--program", ex["program"].code,
                     "--unit", "TIDAK-ADA")


def test_policy_page_and_statistics_page(client, ex):
    login(client, ex["organiser"])
    url = reverse("exam:policy") + f"?tahun={ex['program'].code}"
    assert client.post(url, {"minutes": 60, "mc_per_unit": 4, "essays_per_unit": 0}
                       ).status_code == 302
    assert ExamPolicy.objects.get(program=ex["program"]).minutes == 60
    assert client.post(url, {"minutes": 60, "mc_per_unit": 0, "essays_per_unit": 0}
                       ).status_code == 200  # nothing to draw: refused
    attempt = services.start_attempt(user=ex["participant"], token=ex["session"].token)
    services.close_session(session=ex["session"], by=ex["organiser"])
    assert attempt.items.exists()
    page = client.get(reverse("exam:statistics") + f"?tahun={ex['program'].code}")
    assert page.status_code == 200 and 'id="item-stats"' in page.content.decode()


def test_home_panels(client, ex):
    login(client, ex["participant"])
    page = client.get(reverse("home")).content.decode()
    assert 'id="exam-panel"' in page and reverse("exam:mine") in page
    attempt = services.start_attempt(user=ex["participant"], token=ex["session"].token)
    page = client.get(reverse("home")).content.decode()
    assert reverse("exam:take", args=[attempt.pk]) in page
    assessor = ex["users"][Role.ASSESSOR]
    assign_staff(batch=ex["batch"], user=assessor)
    login(client, assessor)
    page = client.get(reverse("home")).content.decode()
    assert reverse("exam:live", args=[ex["session"].pk]) in page
    assert selectors.sessions_for(assessor).count() == 1
