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
            reverse("batching:batch_overview") + "?jenjang=pengawas&isi=ada-kursi&halaman=2",
            reverse("rumpun:topic_groups") + "?jenjang=pengawas&halaman=2",
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


# -- at national scale: one move form per page, paged overview, stored check ----------------


def test_batch_page_has_one_move_form_and_no_select_of_batches(organiser_client, world, placed):
    program = world["program"]
    for registration in accepted(program, Level.objects.get(code="pengawas"), agency(), 3):
        Placement.objects.create(registration=registration, batch=placed.batch,
                                 seat=Placement.objects.filter(batch=placed.batch).count() + 1)
    text = organiser_client.get(reverse("batching:batch_detail",
                                        args=[placed.batch_id])).content.decode()
    assert text.count('id="move-form"') == 1
    assert text.count('type="radio" name="placement"') == 4   # one pick per participant
    assert "<select" not in text.split('id="roster"')[1]       # no select of batches per row
    # suggestions: a few batches of the level with room, not every batch of the programme
    suggestions = text.split('<datalist id="move-suggestions">')[1].split("</datalist>")[0]
    assert 0 < suggestions.count("<option") <= 6


@pytest.mark.parametrize(("data", "message"), [
    ({"angkatan": "5"}, "Pilih dulu peserta yang akan dipindahkan."),
    ({"angkatan": "lima"}, "Nomor angkatan harus berupa angka, misalnya 12."),
    ({"angkatan": ""}, "Isi nomor angkatan tujuan, atau pilih daftar tunggu."),
    ({"angkatan": "999"}, "Angkatan 999 tidak ada di penyelenggaraan 2019."),
    ({"angkatan": "1"}, "Angkatan 1 untuk jenjang JPT Pratama"),       # another level
    ({"angkatan": "11"}, "sudah berada di Angkatan 11"),               # the same batch
    ({"angkatan": "5", "tujuan": "ke-mana"}, "Pilih angkatan tujuan atau daftar tunggu."),
])
def test_bad_move_input_is_refused_with_a_clear_message(organiser_client, world, placed, data,
                                                        message):
    assert pengawas_batch(world["program"], 1).level.code != "pengawas"
    if "tujuan" not in data and data.get("angkatan") != "5":
        data = {**data, "placement": placed.pk}
    response = organiser_client.post(reverse("batching:batch_detail", args=[placed.batch_id]),
                                     data)
    assert response.status_code == 200
    assert message in response.content.decode()
    placed.refresh_from_db()
    assert placed.batch.number == 11 and not placed.is_manual


def test_move_to_the_waiting_list_with_the_pages_button(organiser_client, world, placed):
    response = organiser_client.post(
        reverse("batching:batch_detail", args=[placed.batch_id]),
        {"placement": placed.pk, "angkatan": "", "tujuan": "tunggu"}, follow=True)
    assert "Sari Wulandari, S.E. dipindahkan ke daftar tunggu." in response.content.decode()
    placed.refresh_from_db()
    assert placed.batch is None and placed.seat is None


def test_waiting_page_places_by_number_and_offers_no_waiting_button(organiser_client, world):
    program = world["program"]
    waiting = Placement.objects.create(
        registration=accepted(program, Level.objects.get(code="pengawas"), agency())[0])
    url = reverse("batching:waiting_list", args=["pengawas"])
    text = organiser_client.get(url).content.decode()
    assert 'id="move-waiting"' not in text and text.count('id="move-form"') == 1
    response = organiser_client.post(url, {"placement": waiting.pk, "angkatan": "9",
                                           "tujuan": "angkatan"}, follow=True)
    assert "dipindahkan ke Angkatan 9, kursi 1" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.batch == pengawas_batch(program, 9)


def _rows(response) -> list[str]:
    """The batch numbers listed on one page of the overview."""
    import re

    return re.findall(r'<tr id="batch-(\d+)">', response.content.decode())


def test_overview_pages_the_batches_and_the_filter_finds_one_on_a_later_page(
        organiser_client, world, monkeypatch):
    from kompeten.batching.views import batching as views

    monkeypatch.setattr(views, "BATCHES_PER_PAGE", 3)
    program = world["program"]
    url = reverse("batching:batch_overview")
    everything = list(program.batches.order_by("start_date", "number")
                      .values_list("number", flat=True))
    assert len(everything) > 6
    last = str(everything[-1])
    first_page = organiser_client.get(url)
    assert len(_rows(first_page)) == 3 and last not in _rows(first_page)
    pages = -(-len(everything) // 3)
    assert last in _rows(organiser_client.get(url, {"halaman": pages}))
    # by number, by level, by first day: the last batch comes up on the first page
    assert _rows(organiser_client.get(url, {"nomor": last})) == [last]
    batch = program.batches.get(number=last)
    by_level = organiser_client.get(url, {"jenjang": batch.level.code, "halaman": 99})
    assert last in _rows(by_level)      # an out-of-range page shows the last page
    by_date = _rows(organiser_client.get(url, {"mulai": batch.start_date.isoformat()}))
    assert by_date and by_date[0] in {str(n) for n in program.batches.filter(
        start_date=batch.start_date).values_list("number", flat=True)}
    # filters keep each other in the page links
    paged = organiser_client.get(url, {"jenjang": "pengawas"}).content.decode()
    assert "jenjang=pengawas&amp;halaman=2" in paged


def test_overview_filter_by_fill_and_bad_filters_say_why(organiser_client, world, placed):
    url = reverse("batching:batch_overview")
    full = pengawas_batch(world["program"], 11)
    full.capacity = 1
    full.save()
    assert _rows(organiser_client.get(url, {"isi": "penuh"})) == ["11"]
    assert "11" not in _rows(organiser_client.get(url, {"isi": "kosong", "halaman": 1}))
    bad = organiser_client.get(url, {"nomor": "sebelas", "mulai": "kemarin",
                                     "jenjang": "eselon"})
    text = bad.content.decode()
    assert bad.status_code == 200
    for message in ("Nomor angkatan harus berupa angka, misalnya 12.",
                    "Tanggal tidak dikenal; tulis seperti 2019-03-14.",
                    "Jenjang ini tidak mempunyai angkatan di penyelenggaraan ini."):
        assert message in text
    assert _rows(bad)                      # the bad filters are left out, the list stays
    assert "Tidak ada angkatan yang cocok" in organiser_client.get(
        url, {"nomor": "999"}).content.decode()


def test_overview_shows_the_stored_check_and_never_runs_it(organiser_client, world, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    from kompeten.batching import services

    program = world["program"]
    pengawas = Level.objects.get(code="pengawas")
    url = reverse("batching:batch_overview")
    accepted(program, pengawas, agency(), 2)
    assert 'id="placement-check-none"' in organiser_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        place_participants(program=program, level=pengawas)
    text = organiser_client.get(url).content.decode()
    assert 'id="placement-check-ok"' in text and 'id="placement-check-stale"' not in text
    seated = Placement.objects.filter(registration__level=pengawas, batch__isnull=False).count()
    assert f"{seated} peserta di angkatan" in text

    # a move is noted at once; the check itself waits for the background job
    placement = Placement.objects.filter(registration__level=pengawas, batch__isnull=False)[0]
    calls = []
    monkeypatch.setattr(services, "check_program",
                        lambda **kwargs: calls.append(kwargs) or check_program(**kwargs))
    with django_capture_on_commit_callbacks(execute=False) as jobs:
        services.move_participant(placement=placement, to_batch=None,
                                  by=world["users"][Role.ORGANISER])
    text = organiser_client.get(url).content.decode()
    assert 'id="placement-check-stale"' in text and 'id="check-now"' in text
    assert calls == []                                       # the GET did not check
    for job in jobs:
        job()
    assert len(calls) == 1
    text = organiser_client.get(url).content.decode()
    assert 'id="placement-check-stale"' not in text
    assert "1 peserta di daftar tunggu" in text


def test_overview_check_now_button_and_a_batch_edit_makes_the_result_stale(
        organiser_client, world, placed, django_capture_on_commit_callbacks):
    url = reverse("batching:batch_overview")
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url, {"action": "check"}, follow=True)
    assert "dijalankan di latar belakang" in response.content.decode()
    text = organiser_client.get(url).content.decode()
    assert 'id="placement-check-ok"' in text and 'id="placement-check-stale"' not in text
    batch = pengawas_batch(world["program"], 12)
    batch.venue = "Gedung B"
    batch.save()                                            # the programmes app edits a batch
    assert 'id="placement-check-stale"' in organiser_client.get(url).content.decode()


def test_withdrawal_and_acceptance_mark_the_check_stale(world, placed,
                                                        django_capture_on_commit_callbacks):
    from kompeten.batching.models import PlacementCheck
    from kompeten.registration.lifecycle import transition

    program = world["program"]
    with django_capture_on_commit_callbacks(execute=False):
        transition(registration=placed.registration, name="withdraw",
                   by=world["users"][Role.ORGANISER], reason="Mutasi jabatan")
    assert PlacementCheck.objects.get(program=program).revision == 1
    assert not Placement.objects.filter(pk=placed.pk).exists()
    newcomer = accepted(program, Level.objects.get(code="pengawas"), agency(),
                        status="submitted")[0]
    with django_capture_on_commit_callbacks(execute=False):
        transition(registration=newcomer, name="accept", by=world["users"][Role.ORGANISER])
    assert PlacementCheck.objects.get(program=program).revision == 2
