"""Batch placement pages, the place_participants command and the demo population."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.batching.checker import check_program
from kompeten.batching.models import AgencyDatePreference, Placement
from kompeten.batching.services import place_participants
from kompeten.home.demo_placement import load_demo_population
from kompeten.programs.models import Agency, AgencyKind, Level
from kompeten.registration.models import Registration
from tests.conftest import make_user
from tests.factories import accepted, agency
from tests.queries import count_queries


@pytest.fixture
def organiser_client(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    return client


def pengawas_batch(program, number=4):
    return program.batches.get(number=number)


@pytest.fixture
def placed(world):
    """An accepted official of agency_a in Pengawas batch 11 (empty in the world)."""
    program = world["program"]
    registration = accepted(program, Level.objects.get(code="pengawas"), world["agency_a"])[0]
    Registration.objects.filter(pk=registration.pk).update(full_name="Sari Wulandari, S.E.")
    return Placement.objects.create(registration=registration,
                                    batch=pengawas_batch(program, 11), seat=1)


# -- pages -----------------------------------------------------------------------------------

def test_overview_shows_levels_fill_and_the_check(organiser_client, placed):
    response = organiser_client.get(reverse("batching:batch_overview"))
    assert response.status_code == 200
    text = response.content.decode()
    for level in ("JPT Pratama", "Administrator", "Pengawas"):
        assert level in text
    assert "Jalankan penempatan otomatis" in text
    assert "1/30" in text                      # batch 11 holds one official
    assert 'href="/penempatan/"' in text       # the navbar link for organisers


def test_preview_writes_nothing_then_run_places(organiser_client, world):
    program = world["program"]
    pengawas = Level.objects.get(code="pengawas")
    for _ in range(3):
        accepted(program, pengawas, agency())
    before = Placement.objects.count()
    url = reverse("batching:batch_overview")

    preview = organiser_client.post(url, {"tahun": program.code, "level": "pengawas",
                                          "action": "preview"})
    assert preview.status_code == 200 and Placement.objects.count() == before
    assert "Pratinjau penempatan Pengawas" in preview.content.decode()

    run = organiser_client.post(url, {"tahun": program.code, "level": "pengawas",
                                      "action": "run"}, follow=True)
    assert Placement.objects.count() == before + 3
    assert "3 peserta mendapat angkatan" in run.content.decode()


def test_run_with_an_unknown_level_is_refused_with_a_message(organiser_client, world):
    response = organiser_client.post(reverse("batching:batch_overview"),
                                     {"level": "tidak-ada", "action": "run"})
    assert response.status_code == 200
    assert "tidak mempunyai angkatan" in response.content.decode()


def test_reset_from_the_overview(organiser_client, world):
    program = world["program"]
    pengawas = Level.objects.get(code="pengawas")
    accepted(program, pengawas, agency(), 2)
    place_participants(program=program, level=pengawas)
    automatic = Placement.objects.filter(registration__level=pengawas, is_manual=False,
                                         is_announced=False).count()
    response = organiser_client.post(reverse("batching:batch_overview"),
                                     {"level": "pengawas", "action": "reset"}, follow=True)
    assert (f"{automatic} penempatan otomatis yang belum diumumkan dihapus"
            in response.content.decode())
    assert not Placement.objects.filter(registration__level=pengawas, is_manual=False,
                                        is_announced=False).exists()


def test_batch_page_lists_participants_and_moves_one(organiser_client, world, placed):
    program = world["program"]
    placement = placed
    page = organiser_client.get(reverse("batching:batch_detail", args=[placement.batch_id]))
    text = page.content.decode()
    assert "Sari Wulandari" in text and "BKD Provinsi Aceh" in text
    target = pengawas_batch(program, 5)

    response = organiser_client.post(
        reverse("batching:batch_detail", args=[placement.batch_id]),
        {"placement": placement.pk, "angkatan": "5", "tujuan": "angkatan"}, follow=True)

    assert "dipindahkan ke Angkatan 5, kursi 1" in response.content.decode()
    placement.refresh_from_db()
    assert placement.batch == target and placement.is_manual


def test_refused_move_shows_the_reason_and_keeps_the_choice(organiser_client, world, placed):
    program = world["program"]
    pengawas = Level.objects.get(code="pengawas")
    target = pengawas_batch(program, 6)
    target.capacity = 1
    target.save()
    Placement.objects.create(registration=accepted(program, pengawas, agency())[0],
                             batch=target, seat=1)
    placement = placed

    response = organiser_client.post(
        reverse("batching:batch_detail", args=[placement.batch_id]),
        {"placement": placement.pk, "angkatan": "6", "tujuan": "angkatan"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Angkatan 6 sudah penuh (1 kursi)" in text
    # the pick and the typed number are kept for another try
    assert f'value="{placement.pk}" id="pick-{placement.pk}" form="move-form" checked' in text
    assert 'name="angkatan" id="move-to" value="6"' in text
    placement.refresh_from_db()
    assert placement.batch.number == 11


def test_move_of_a_placement_from_another_batch_is_404(organiser_client, world, placed):
    program = world["program"]
    placement = placed
    other = pengawas_batch(program, 7)
    response = organiser_client.post(reverse("batching:batch_detail", args=[other.pk]),
                                     {"placement": placement.pk, "tujuan": "tunggu"})
    assert response.status_code == 404


def test_waiting_list_page_and_placing_from_it(organiser_client, world):
    program = world["program"]
    pengawas = Level.objects.get(code="pengawas")
    waiting = Placement.objects.create(registration=accepted(program, pengawas, agency())[0])
    url = reverse("batching:waiting_list", args=["pengawas"])
    page = organiser_client.get(url)
    assert waiting.registration.full_name in page.content.decode()

    target = pengawas_batch(program, 8)
    organiser_client.post(url, {"placement": waiting.pk, "angkatan": str(target.number)})
    waiting.refresh_from_db()
    assert waiting.batch == target and waiting.seat == 1
    assert organiser_client.get(reverse("batching:waiting_list", args=["tidak-ada"])
                                ).status_code == 404


def test_operators_see_no_placement_pages_of_any_agency(client, world, placed):
    """Placement is the organiser's work: an operator, of agency_a or agency_b, gets 403 and
    never sees agency_a's officials on these pages."""
    operator_b = make_user(Role.OPERATOR, username="operator-b", agency=world["agency_b"])
    placement = placed
    for user in (world["users"][Role.OPERATOR], operator_b):
        client.force_login(user)
        for url in (reverse("batching:batch_overview"),
                    reverse("batching:batch_detail", args=[placement.batch_id]),
                    reverse("batching:waiting_list", args=["pengawas"])):
            response = client.get(url)
            assert response.status_code == 403
            assert "Sari Wulandari" not in response.content.decode()
        response = client.post(reverse("batching:batch_detail", args=[placement.batch_id]),
                               {"placement": placement.pk, "tujuan": "tunggu"})
        assert response.status_code == 403
    placement.refresh_from_db()
    assert placement.batch is not None


# -- constant queries ------------------------------------------------------------------------


def test_pages_keep_a_constant_number_of_queries(organiser_client, world,
                                                 django_assert_num_queries):
    program = world["program"]
    pengawas = Level.objects.get(code="pengawas")
    batch4 = pengawas_batch(program)
    urls = [reverse("batching:batch_overview"),
            reverse("batching:batch_detail", args=[batch4.pk]),
            reverse("batching:waiting_list", args=["pengawas"])]
    Placement.objects.create(registration=accepted(program, pengawas, agency())[0])
    small = [count_queries(organiser_client, url) for url in urls]

    for _ in range(40):
        accepted(program, pengawas, agency(), 2)
    place_participants(program=program, level=pengawas)
    for registration in accepted(program, pengawas, agency(), 15):
        Placement.objects.create(registration=registration)
    assert Placement.objects.filter(batch=batch4).count() > 5
    for url, count in zip(urls, small, strict=True):
        with django_assert_num_queries(count):
            assert organiser_client.get(url).status_code == 200


# -- command ---------------------------------------------------------------------------------

def test_command_dry_run_and_run(world, capsys):
    program = world["program"]
    pengawas = Level.objects.get(code="pengawas")
    accepted(program, pengawas, agency(), 3)
    before = Placement.objects.count()

    call_command("place_participants", "--program", "2019", "--level", "PENGAWAS", "--dry-run")
    out = capsys.readouterr().out
    assert "Pengawas 2019 (simulasi)" in out and "Ditempatkan baru: 3" in out
    assert "Simulasi: tidak ada yang disimpan." in out
    assert Placement.objects.count() == before

    call_command("place_participants", "--program", "2019", "--level", "Pengawas")
    out = capsys.readouterr().out
    assert "0 pelanggaran" in out and Placement.objects.count() == before + 3
    with pytest.raises(CommandError, match="Jenjang 'Eselon' tidak ada"):
        call_command("place_participants", "--program", "2019", "--level", "Eselon")
    with pytest.raises(CommandError, match="Penyelenggaraan 1999 tidak ada"):
        call_command("place_participants", "--program", "1999", "--level", "Pengawas")


def test_command_fails_when_the_checker_finds_violations(world, placed):
    program = world["program"]
    registration = placed.registration
    Registration.objects.filter(pk=registration.pk).update(status="submitted")
    Placement.objects.filter(registration=registration).update(is_announced=True)
    with pytest.raises(CommandError, match="pelanggaran"):
        call_command("place_participants", "--program", program.code, "--level", "Pengawas")


# -- demo population -------------------------------------------------------------------------

def test_demo_population_fills_quota_seats_and_places_cleanly(program):
    for number in range(1, 41):
        Agency.objects.create(code=f"DEMO-{number:02d}", name=f"BKPSDM Demo {number}",
                              kind=AgencyKind.KL_PUSAT, is_demo=True)
    Agency.objects.create(code="REAL-1", name="Bukan demo", kind=AgencyKind.KL_PUSAT)

    created = load_demo_population(program=program)

    # one quota seat per agency and level: 40 per level (JPT Pratama: 90 seats, so 40 too)
    assert created == {"jpt-pratama": 40, "administrator": 40, "pengawas": 40,
                       "preferences": 5}
    assert not Registration.objects.filter(agency__code="REAL-1").exists()
    assert load_demo_population(program=program) == {
        "jpt-pratama": 0, "administrator": 0, "pengawas": 0, "preferences": 0}
    assert AgencyDatePreference.objects.filter(program=program).count() == 5
    for level in Level.objects.all():
        place_participants(program=program, level=level)
    report = check_program(program=program)
    assert report.ok and report.placed == 120 and report.waiting == 0
