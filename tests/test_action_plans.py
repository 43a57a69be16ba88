"""The action plan (rencana tindak lanjut): horizon rules, placement, Gantt, PDF, pages, demo."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.accounts.models import Role, User
from kompeten.actionplans import plans as action_plans
from kompeten.actionplans.forms import MilestoneForm, PlanForm
from kompeten.actionplans.models import ActionPlan, Milestone
from kompeten.actionplans.pdf import action_plan_pdf
from kompeten.actionplans.plans import (
    MAX_MILESTONES,
    MilestoneInput,
    PlanInput,
    duration_weeks,
    gantt,
    save_action_plan,
)
from kompeten.home.demo import DEMO_PASSWORD, load_demo
from kompeten.home.demo_registrations import EXAMPLES
from kompeten.registration.checklist import checklist
from kompeten.registration.models import Registration, Status
from tests import pdf_text
from tests.conftest import make_user
from tests.queries import count_queries

PLAN = PlanInput(title="Membuat Checklist Cluster Dokumen Laporan",
                 background="1. Keseragaman dokumen\n\n2) Persepsi yang sama\n- Kelengkapan",
                 problem="Pembayaran honorarium sering terlambat.",
                 goals="Menyamakan persepsi", benefits="Tepat waktu\nTertib administrasi")


def ms(horizon="short", value=2, unit="week", start=None, activity="Kegiatan", output="Output"):
    return MilestoneInput(horizon=horizon, activity=activity, duration_value=value,
                          duration_unit=unit, output=output, start_week=start)


EXAMPLE_1 = [ms("short", 2, activity="FGD"), ms("short", 4, activity="Draft"),
             ms("medium", 2, activity="Finalisasi"), ms("long", 4, activity="Integrasi")]


def weeks(plan):
    return [(m.start_week, m.end_week) for m in plan.milestones.order_by("order")]


def errors_of(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# -- durations and horizons ---------------------------------------------------------------------


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (1, "day", 1), (7, "day", 1), (8, "day", 2), (30, "day", 5),
    (1, "week", 1), (13, "week", 13),
    (1, "month", 5), (3, "month", 13), (4, "month", 18), (6, "month", 26), (12, "month", 52),
])
def test_duration_weeks(value, unit, expected):
    assert duration_weeks(value, unit) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "unit"), [(13, "week"), (3, "month"), (91, "day")])
def test_short_horizon_takes_up_to_13_weeks(world, value, unit):
    plan = save_action_plan(registration=world["registration"], plan=PLAN,
                            milestones=[ms("short", value, unit)])
    assert weeks(plan) == [(1, 13)]


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "unit", "end"), [(14, "week", 14), (4, "month", 18),
                                                    (92, "day", 14)])
def test_short_horizon_refuses_more(world, value, unit, end):
    with pytest.raises(ValidationError) as exc_info:
        save_action_plan(registration=world["registration"], plan=PLAN,
                         milestones=[ms("short", value, unit)])
    assert (f"Langkah kerja 1 (Jangka pendek ≤3 bulan) berakhir di minggu ke-{end}, "
            "melewati batas minggu ke-13.") in errors_of(exc_info)
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_message_names_the_row_and_the_limit(world):
    rows = [ms("short", 2), ms("short", 6), ms("short", 3), ms("medium", 18),
            ms("long", 12, "month", start=1)]
    with pytest.raises(ValidationError) as exc_info:
        save_action_plan(registration=world["registration"], plan=PLAN, milestones=rows)
    assert set(exc_info.value.message_dict) == {"milestone_4"}
    assert exc_info.value.message_dict["milestone_4"][0].startswith(
        "Langkah kerja 4 (Jangka menengah ≤6 bulan) berakhir di minggu ke-29, "
        "melewati batas minggu ke-26.")


@pytest.mark.django_db
def test_long_horizon_ends_by_week_52(world):
    plan = save_action_plan(registration=world["registration"], plan=PLAN,
                            milestones=[ms("long", 12, "month", start=1)])
    assert weeks(plan) == [(1, 52)]
    with pytest.raises(ValidationError, match="minggu ke-53"):
        save_action_plan(registration=world["registration"], plan=PLAN,
                         milestones=[ms("long", 12, "month", start=2)])


@pytest.mark.django_db
def test_milestones_follow_each_other_unless_a_start_week_is_given(world):
    plan = save_action_plan(registration=world["registration"], plan=PLAN, milestones=EXAMPLE_1)
    assert weeks(plan) == [(1, 2), (3, 6), (7, 8), (9, 12)]


@pytest.mark.django_db
def test_row_after_a_long_explicit_row_is_placed_after_it(world):
    rows = [ms("short", 2), ms("long", 10, "week", start=1), ms("medium", 3, "week"),
            ms("short", 3, "day", start=5), ms("medium", 1, "month")]
    plan = save_action_plan(registration=world["registration"], plan=PLAN, milestones=rows)
    assert weeks(plan) == [(1, 2), (1, 10), (11, 13), (5, 5), (6, 10)]
    # horizons need not come in order
    assert [m.horizon for m in plan.milestones.order_by("order")] == [
        "short", "long", "medium", "short", "medium"]


@pytest.mark.django_db
def test_saving_again_replaces_everything_and_cleans_points(world):
    save_action_plan(registration=world["registration"], plan=PLAN, milestones=EXAMPLE_1)
    plan = save_action_plan(registration=world["registration"], plan=PLAN,
                            milestones=[ms("short", 1)])
    assert ActionPlan.objects.count() == 1 and Milestone.objects.count() == 1
    assert plan.background == "Keseragaman dokumen\nPersepsi yang sama\nKelengkapan"
    assert action_plans.points(plan.benefits) == ["Tepat waktu", "Tertib administrasi"]


@pytest.mark.django_db
def test_nothing_is_saved_when_anything_is_wrong(world):
    registration = world["registration"]
    save_action_plan(registration=registration, plan=PLAN, milestones=EXAMPLE_1)
    changed = PlanInput(title="Judul baru", background="a", problem="b", goals="c", benefits="d")
    with pytest.raises(ValidationError) as exc_info:
        save_action_plan(registration=registration, plan=changed,
                         milestones=[ms("short", 1), ms("short", 1, activity=" "),
                                     ms("short", 20)])
    errors = exc_info.value.message_dict
    assert set(errors) == {"milestone_2", "milestone_3"}
    assert "Langkah kerja 2: kegiatan wajib diisi." in errors["milestone_2"]
    assert "minggu ke-22" in errors["milestone_3"][0]
    plan = ActionPlan.objects.get()
    assert plan.title == PLAN.title
    assert weeks(plan) == [(1, 2), (3, 6), (7, 8), (9, 12)]


@pytest.mark.django_db
def test_plan_fields_and_at_least_one_milestone_are_required(world):
    with pytest.raises(ValidationError) as exc_info:
        save_action_plan(registration=world["registration"],
                         plan=PlanInput(title=" ", background="\n", problem="", goals="1.",
                                        benefits="x"), milestones=[])
    assert set(exc_info.value.message_dict) == {"title", "background", "problem", "goals",
                                                "milestones"}
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_only_editable_registrations_take_a_plan(world):
    registration = world["registration"]
    Registration.objects.filter(pk=registration.pk).update(status=Status.SUBMITTED)
    with pytest.raises(ValidationError, match="sudah dikirim"):
        save_action_plan(registration=registration, plan=PLAN, milestones=EXAMPLE_1)
    Registration.objects.filter(pk=registration.pk).update(status=Status.REVISION)
    save_action_plan(registration=registration, plan=PLAN, milestones=EXAMPLE_1)


@pytest.mark.django_db
def test_checklist_needs_all_three_horizons(world):
    registration = world["registration"]
    save_action_plan(registration=registration, plan=PLAN, milestones=EXAMPLE_1[:2])
    assert not {i.key: i.done for i in checklist(registration)}["action_plan"]
    save_action_plan(registration=registration, plan=PLAN, milestones=EXAMPLE_1)
    registration = Registration.objects.get(pk=registration.pk)
    assert {i.key: i.done for i in checklist(registration)}["action_plan"]


# -- Gantt --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_gantt_has_at_least_12_weeks_and_one_row_per_milestone(world):
    plan = save_action_plan(registration=world["registration"], plan=PLAN,
                            milestones=[ms("short", 2), ms("short", 3, start=2)])
    chart = gantt(plan)
    assert chart.weeks == list(range(1, 13))
    assert [row.cells[:6] for row in chart.rows] == [
        [True, True, False, False, False, False], [False, True, True, True, False, False]]
    assert not any(chart.rows[0].cells[2:])
    assert chart.rows[0].horizon_label == "Jangka pendek (≤3 bulan)"
    assert chart.horizon_ends == []


@pytest.mark.django_db
def test_gantt_grows_to_the_last_week(world):
    plan = save_action_plan(registration=world["registration"], plan=PLAN,
                            milestones=[ms("short", 2), ms("long", 12, "month", start=1)])
    chart = gantt(plan)
    assert len(chart.weeks) == 52
    assert all(chart.rows[1].cells) and sum(chart.rows[0].cells) == 2
    assert chart.horizon_ends == [13, 26]


# -- PDF ----------------------------------------------------------------------------------------


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(w), float(h)) for w, h in
            re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)]


@pytest.mark.django_db
def test_pdf_of_a_12_week_plan_is_one_portrait_document(world):
    save_action_plan(registration=world["registration"], plan=PLAN, milestones=EXAMPLE_1)
    pdf = action_plan_pdf(registration=world["registration"], plan=action_plans.plan_for(
        world["registration"]))
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert all(w < h for w, h in page_sizes(pdf))


@pytest.mark.django_db
def test_pdf_of_a_year_plan_has_a_landscape_timeline_page(world):
    save_action_plan(registration=world["registration"], plan=PLAN,
                     milestones=[*EXAMPLE_1, ms("long", 12, "month", start=1)])
    pdf = action_plan_pdf(registration=world["registration"],
                          plan=action_plans.plan_for(world["registration"]))
    sizes = page_sizes(pdf)
    assert sizes[0][0] < sizes[0][1] and sizes[-1][0] > sizes[-1][1]


@pytest.mark.django_db
def test_pdf_without_a_plan_is_the_identity_and_a_note(world):
    pdf = action_plan_pdf(registration=world["registration"], plan=None)
    assert pdf.startswith(b"%PDF") and len(page_sizes(pdf)) == 1


# -- pages --------------------------------------------------------------------------------------


def form_data(plan: PlanInput = PLAN, rows=(), total=None) -> dict:
    data = {"title": plan.title, "background": plan.background, "problem": plan.problem,
            "goals": plan.goals, "benefits": plan.benefits,
            "langkah-TOTAL_FORMS": str(total if total is not None else len(rows)),
            "langkah-INITIAL_FORMS": "0", "langkah-MIN_NUM_FORMS": "0",
            "langkah-MAX_NUM_FORMS": "30"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"langkah-{index}-{key}"] = value
    return data


def row(horizon="short", activity="FGD", value="2", unit="week", start="", output="Hasil"):
    return {"horizon": horizon, "activity": activity, "duration_value": value,
            "duration_unit": unit, "start_week": start, "output": output}


@pytest.mark.django_db
def test_participant_writes_the_plan_on_the_edit_page(client, world):
    client.force_login(world["users"][Role.PARTICIPANT])
    url = reverse("actionplans:edit_action_plan")
    page = client.get(url)
    assert page.status_code == 200 and "Tambah baris" in page.content.decode()
    rows = [row("short", "FGD"), row("short", "Draft", "4"), row("medium", "Finalisasi"),
            row("long", "Integrasi", "4"), row("", "", "", "", "", "")]
    response = client.post(url, form_data(rows=rows))
    assert response.status_code == 302
    assert response.url == reverse("actionplans:my_action_plan")
    plan = ActionPlan.objects.get(registration=world["registration"])
    assert weeks(plan) == [(1, 2), (3, 6), (7, 8), (9, 12)]
    html = client.get(response.url).content.decode()
    assert PLAN.title in html and "<caption" in html
    assert html.count('class="gantt-cell gantt-on') == 12
    assert "Persepsi yang sama" in html
    # editing again shows what is saved
    edit = client.get(url).content.decode()
    assert 'value="Finalisasi"' in edit


@pytest.mark.django_db
def test_a_milestone_beyond_its_horizon_is_shown_next_to_its_row_and_nothing_is_lost(
        client, world):
    client.force_login(world["users"][Role.PARTICIPANT])
    rows = [row("short", "FGD"), row("short", "Sosialisasi", "6"), row("short", "Rapat", "3"),
            row("medium", "Regulasi ditetapkan", "18")]
    response = client.post(reverse("actionplans:edit_action_plan"), form_data(rows=rows))
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(r'id="row-4-errors">(.*?)</div></div>', html, re.S).group(1)
    assert "Langkah kerja 4 (Jangka menengah ≤6 bulan) berakhir di minggu ke-29" in errors
    assert 'value="Regulasi ditetapkan"' in html and PLAN.title in html
    assert "Persepsi yang sama" in html
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_an_incomplete_row_gets_field_errors(client, world):
    client.force_login(world["users"][Role.PARTICIPANT])
    rows = [row("short", "FGD", value="", unit="")]
    html = client.post(reverse("actionplans:edit_action_plan"),
                       form_data(rows=rows)).content.decode()
    assert "Durasi wajib diisi." in html and "Pilih satuan durasi." in html
    assert 'value="FGD"' in html
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_add_row_without_javascript_keeps_what_was_typed(client, world):
    client.force_login(world["users"][Role.PARTICIPANT])
    data = form_data(rows=[row("short", "FGD"), row("medium", "Finalisasi")])
    data["add_row"] = "1"
    html = client.post(reverse("actionplans:edit_action_plan"), data).content.decode()
    assert 'name="langkah-TOTAL_FORMS" value="3"' in html
    assert 'value="FGD"' in html and 'value="Finalisasi"' in html and PLAN.title in html
    assert "wajib diisi" not in html
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db
def test_deleted_rows_are_left_out(client, world):
    client.force_login(world["users"][Role.PARTICIPANT])
    data = form_data(rows=[row("short", "FGD"), row("short", "Weg", "40")])
    data["langkah-1-DELETE"] = "on"
    assert client.post(reverse("actionplans:edit_action_plan"), data).status_code == 302
    assert [m.activity for m in Milestone.objects.all()] == ["FGD"]


@pytest.mark.django_db
def test_submitted_plan_cannot_be_edited(client, world):
    Registration.objects.filter(pk=world["registration"].pk).update(status=Status.SUBMITTED)
    client.force_login(world["users"][Role.PARTICIPANT])
    response = client.get(reverse("actionplans:edit_action_plan"))
    assert response.status_code == 302
    html = client.get(reverse("actionplans:my_action_plan")).content.decode()
    assert "tidak dapat diubah" in html and 'id="rtl-edit"' not in html


@pytest.mark.django_db
def test_hook_links(client, world):
    client.force_login(world["users"][Role.PARTICIPANT])
    assert reverse("actionplans:my_action_plan") in client.get(
        reverse("participants:my_registration")).content.decode()
    client.force_login(world["users"][Role.ORGANISER])
    html = client.get(reverse("nominations:nomination_detail",
                              args=[world["registration"].pk])).content.decode()
    assert reverse("actionplans:action_plan_pdf", args=[world["registration"].pk]) in html


@pytest.mark.django_db
def test_organiser_and_own_operator_see_the_plan_and_pdf(client, world):
    save_action_plan(registration=world["registration"], plan=PLAN, milestones=EXAMPLE_1)
    pk = world["registration"].pk
    for role in (Role.ORGANISER, Role.OPERATOR):
        client.force_login(world["users"][role])
        page = client.get(reverse("actionplans:action_plan_detail", args=[pk]))
        assert page.status_code == 200 and PLAN.title in page.content.decode()
        assert 'id="rtl-edit"' not in page.content.decode()
        pdf = client.get(reverse("actionplans:action_plan_pdf", args=[pk]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_operator_of_another_agency_gets_404(client, world):
    save_action_plan(registration=world["registration"], plan=PLAN, milestones=EXAMPLE_1)
    client.force_login(make_user(Role.OPERATOR, username="op-b", agency=world["agency_b"]))
    pk = world["registration"].pk
    for name in ("actionplans:action_plan_detail", "actionplans:action_plan_pdf"):
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 404
        assert PLAN.title.encode() not in response.content


@pytest.mark.django_db
def test_participant_sees_only_the_own_plan(client, world):
    save_action_plan(registration=world["registration"], plan=PLAN, milestones=EXAMPLE_1)
    other = make_user(Role.PARTICIPANT, username="peserta-lain")
    client.force_login(other)
    assert client.get(reverse("actionplans:my_action_plan")).status_code == 404
    assert client.get(reverse("actionplans:my_action_plan_pdf")).status_code == 404
    assert client.get(reverse("actionplans:action_plan_detail",
                              args=[world["registration"].pk])).status_code == 403
    client.force_login(world["users"][Role.PARTICIPANT])
    pdf = client.get(reverse("actionplans:my_action_plan_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ORGANISER])
def test_plan_page_queries_do_not_grow_with_milestones(client, world, role):
    registration = world["registration"]
    client.force_login(world["users"][role])
    url = reverse("actionplans:my_action_plan") if role == Role.PARTICIPANT \
        else reverse("actionplans:action_plan_detail", args=[registration.pk])
    save_action_plan(registration=registration, plan=PLAN, milestones=[ms("short", 1)] * 2)
    small = count_queries(client, url)
    save_action_plan(registration=registration, plan=PLAN,
                     milestones=[ms(("short", "medium", "long")[i % 3], 1, start=i % 13 + 1)
                                 for i in range(24)])
    assert count_queries(client, url) == small


# -- demo ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_enters_the_three_examples_once():
    load_demo()
    # (the past programme's generated officials have plans too: kompeten/home/demo_history.py)
    examples = ActionPlan.objects.filter(registration__nip__in=[e.nip for e in EXAMPLES])
    plans = {p.registration.level.code: p for p in
             examples.select_related("registration__level", "registration__user")}
    assert {code: p.milestones.count() for code, p in plans.items()} == {
        "pengawas": 4, "administrator": 5, "jpt-pratama": 8}
    assert plans["pengawas"].registration.user.username == "peserta"
    assert weeks(plans["pengawas"]) == [(1, 2), (3, 6), (7, 8), (9, 12)]
    assert weeks(plans["administrator"]) == [(1, 2), (3, 8), (9, 12), (9, 26), (1, 52)]
    assert weeks(plans["jpt-pratama"])[-1] == (20, 24)
    for example in EXAMPLES[1:]:
        user = User.objects.get(username=example.nip)
        assert user.check_password(DEMO_PASSWORD) and user.role == Role.PARTICIPANT
    assert not User.objects.filter(username=EXAMPLES[0].nip).exists()
    for plan in examples.select_related("registration__program"):
        registration = plan.registration
        if registration.program.is_current and registration.user.username == "peserta":
            # the e-learning demo accepts and places the demo participant in the current
            # programme (kompeten/home/demo_elearning.py)
            assert registration.status == Status.ACCEPTED
            assert registration.placement.batch.level.code == "pengawas"
        else:
            assert registration.status == Status.REGISTERED
        assert {i.key: i.done for i in checklist(registration)}["action_plan"]
        assert {i.key: i.done for i in checklist(registration)}["profile"]
    counts = (Registration.objects.count(), ActionPlan.objects.count(),
              Milestone.objects.count(), User.objects.count())
    load_demo()
    assert (Registration.objects.count(), ActionPlan.objects.count(),
            Milestone.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_editing_keeps_only_the_start_weeks_that_were_given(world):
    rows = [ms("short", 2), ms("short", 3), ms("medium", 4, "month", start=9), ms("long", 2)]
    plan = save_action_plan(registration=world["registration"], plan=PLAN, milestones=rows)
    assert weeks(plan) == [(1, 2), (3, 5), (9, 26), (27, 28)]
    again = action_plans.milestone_inputs(action_plans.plan_for(world["registration"]))
    assert [m.start_week for m in again] == [None, None, 9, None]


# -- long text --------------------------------------------------------------------------------


def longest(prefix: str, limit: int, *, lines: bool = True) -> str:
    """Text of exactly `limit` characters: numbered lines (or one paragraph) with markup
    characters in them, as a participant could paste."""
    parts, number = [], 0
    while len("\n".join(parts)) < limit:
        number += 1
        parts.append(f"{prefix} {number:03d} A&B <i>x</i> rencana kerja unit kepegawaian")
    text = ("\n" if lines else " ").join(parts)[:limit]
    return text.rstrip() + "z" * (limit - len(text.rstrip()))


def widest_rows() -> list[dict]:
    limit = MilestoneForm().fields["activity"].max_length
    horizons = ["short"] * 13 + ["medium"] * 13 + ["long"] * (MAX_MILESTONES - 26)
    return [row(horizon, longest(f"Kegiatan {n:02d}", limit, lines=False), "1", "week",
                output=longest(f"Output {n:02d}", limit, lines=False))
            for n, horizon in enumerate(horizons, 1)]


@pytest.mark.django_db
def test_pdf_of_a_plan_at_every_maximum_the_forms_allow(client, world):
    limits = {name: field.max_length for name, field in PlanForm().fields.items()}
    assert all(limits.values()), limits
    plan = PlanInput(**{name: longest(name.capitalize(), limit, lines=name != "title")
                        for name, limit in limits.items()})
    client.force_login(world["users"][Role.PARTICIPANT])
    response = client.post(reverse("actionplans:edit_action_plan"),
                           form_data(plan, rows=widest_rows()))
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ActionPlan.objects.get(registration=world["registration"])
    assert saved.milestones.count() == MAX_MILESTONES
    pdf = client.get(reverse("actionplans:my_action_plan_pdf"))
    assert pdf.status_code == 200
    text = pdf_text.text(pdf.content)
    for name in ("background", "problem", "goals", "benefits"):
        last = getattr(saved, name).splitlines()[-1].split(" A&B")[0]
        assert last in text, name
    assert "A&B <i>x</i>" in text
    assert "Kegiatan 30 001 A&B" in text and "Output 30 001" in text
    assert len(pdf_text.page_sizes(pdf.content)) > 2


@pytest.mark.django_db
def test_pdf_of_a_problem_in_66_short_lines(world):
    problem = "\n".join(f"Masalah {n}" for n in range(1, 67))
    save_action_plan(registration=world["registration"], milestones=EXAMPLE_1,
                     plan=PlanInput(**{**PLAN.__dict__, "problem": problem}))
    pdf = action_plan_pdf(registration=world["registration"],
                          plan=action_plans.plan_for(world["registration"]))
    text = pdf_text.text(pdf)
    assert "Masalah 1 Masalah 2" in text and "Masalah 66" in text


@pytest.mark.django_db
def test_pdf_of_a_plan_saved_before_the_limits_still_renders(world):
    """Rows longer than today's limits (older data) split across pages instead of failing."""
    save_action_plan(registration=world["registration"], plan=PLAN, milestones=EXAMPLE_1)
    ActionPlan.objects.filter(registration=world["registration"]).update(
        problem="kata " * 960 + "AKHIR", background="\n".join(["butir"] * 200))
    pdf = action_plan_pdf(registration=world["registration"],
                          plan=action_plans.plan_for(world["registration"]))
    assert "AKHIR" in pdf_text.text(pdf)


@pytest.mark.django_db
def test_plan_text_longer_than_the_limit_is_refused(client, world):
    limit = PlanForm().fields["problem"].max_length
    assert limit and ActionPlan._meta.get_field("problem").max_length == limit
    client.force_login(world["users"][Role.PARTICIPANT])
    too_long = PlanInput(**{**PLAN.__dict__, "problem": "x" * (limit + 1)})
    response = client.post(reverse("actionplans:edit_action_plan"),
                           form_data(too_long, rows=[row()]))
    assert response.status_code == 200 and f"paling banyak {limit} karakter" in \
        response.content.decode().lower().replace("&nbsp;", " ")
    with pytest.raises(ValidationError) as exc_info:
        save_action_plan(registration=world["registration"], plan=too_long,
                         milestones=EXAMPLE_1)
    assert f"paling panjang {limit} karakter" in errors_of(exc_info)
    assert not ActionPlan.objects.exists()
