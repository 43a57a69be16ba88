"""Issues 8.11 and 8.12: bulk invite/decline/withdraw on the nomination list, and a
confirmation (what will happen, to how many) before destructive or mass actions."""

import pytest
from django.core import mail
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.letters.models import SendJob
from kompeten.nominations import services as nomination_services
from kompeten.programs.models import Level
from kompeten.registration import services as invitations
from kompeten.registration.models import Invitation, Registration, Status, StatusLog
from tests.conftest import nominee
from tests.factories import accepted

URL = "nominations:bulk_action"


@pytest.fixture
def nominated(world):
    """Three fresh nominations: one of agency_a, two of agency_b (which has no operator)."""
    def make(agency, level, nip):
        return nomination_services.nominate(program=world["program"], agency=agency,
                                            level=Level.objects.get(code=level), by=None,
                                            nominee=nominee(nip, email=f"{nip}@instansi.go.id"))
    rows = [make(world["agency_a"], "jpt-pratama", "196102121985091001"),
            make(world["agency_b"], "administrator", "197701012005011003"),
            make(world["agency_b"], "pengawas", "197801012005011003")]
    return {**world, "nominated": rows}


def _organiser(client, world):
    client.force_login(world["users"][Role.ORGANISER])


@pytest.mark.django_db
def test_bulk_invite_asks_first_then_invites_each(client, nominated,
                                                  django_capture_on_commit_callbacks):
    _organiser(client, nominated)
    rows = nominated["nominated"]
    registered = nominated["registration"]
    pks = [r.pk for r in rows] + [registered.pk]
    mail.outbox.clear()
    page = client.post(reverse(URL), {"action": "invite", "pk": pks})
    text = page.content.decode()
    assert page.status_code == 200
    assert "3 usulan dari 2 instansi akan diproses" in text
    assert all(r.full_name in text and r.nip in text for r in rows)
    assert 'id="refused-list"' in text and registered.nip not in text.split("refused-list")[0]
    # nothing happened yet
    assert Registration.objects.filter(pk__in=[r.pk for r in rows],
                                       status=Status.NOMINATED).count() == 3
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse(URL), {"action": "invite", "confirm": "1", "pk": pks},
                           follow=True)
    assert Registration.objects.filter(pk__in=[r.pk for r in rows],
                                       status=Status.INVITED).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in rows)
    assert "3 usulan diundang" in done.content.decode()
    assert "tidak diproses" in done.content.decode()  # the registered one, per row
    registered.refresh_from_db()
    assert registered.status == Status.REGISTERED


@pytest.mark.django_db
def test_bulk_decline_needs_a_reason_and_notifies_each_agency_once(
        client, nominated, django_capture_on_commit_callbacks):
    _organiser(client, nominated)
    rows = nominated["nominated"]
    pks = [r.pk for r in rows]
    no_reason = client.post(reverse(URL), {"action": "decline", "confirm": "1", "pk": pks})
    assert no_reason.status_code == 200 and "Tuliskan alasannya" in no_reason.content.decode()
    assert not Registration.objects.filter(status=Status.DECLINED).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(URL), {"action": "decline", "confirm": "1", "pk": pks,
                                   "reason": "Jabatan tidak sesuai jenjang"})
    assert Registration.objects.filter(pk__in=pks, status=Status.DECLINED).count() == 3
    assert set(StatusLog.objects.filter(transition="decline").values_list("reason", flat=True)) \
        == {"Jabatan tidak sesuai jenjang"}
    operator = nominated["users"][Role.OPERATOR]
    to_a = [m for m in mail.outbox if m.to == [operator.email]]
    to_b = [m for m in mail.outbox if m.to == [nominated["agency_b"].email]]
    assert len(to_a) == 1 and len(to_b) == 1 and len(mail.outbox) == 2
    assert rows[0].nip in to_a[0].body and rows[1].nip not in to_a[0].body
    assert "Jabatan tidak sesuai jenjang" in to_a[0].body
    assert rows[1].nip in to_b[0].body and rows[2].nip in to_b[0].body
    assert rows[0].nip not in to_b[0].body


@pytest.mark.django_db
def test_bulk_withdraw_after_a_confirmation(client, nominated):
    _organiser(client, nominated)
    invited, placed = nominated["invited"], nominated["room_placement"].registration
    pks = [invited.pk, placed.pk, nominated["nominated"][0].pk]
    page = client.post(reverse(URL), {"action": "withdraw", "pk": pks}).content.decode()
    assert "2 usulan dari 1 instansi akan diproses" in page and "tidak dapat dibatalkan" in page
    assert 'name="reason"' in page
    client.post(reverse(URL), {"action": "withdraw", "confirm": "1", "pk": pks,
                               "reason": "Instansi membatalkan keikutsertaan"})
    assert set(Registration.objects.filter(status=Status.WITHDRAWN)
               .values_list("pk", flat=True)) == {invited.pk, placed.pk}
    assert not hasattr(Registration.objects.get(pk=placed.pk), "placement")
    # the invitation link of a withdrawn nominee no longer registers anyone
    with pytest.raises(invitations.InvitationInvalid, match="tidak berlaku lagi"):
        invitations.accept_invitation(token=nominated["invitation_token"],
                                      password="Sandi-baru-2019")
    page = client.get(reverse("registration:accept_invitation",
                              args=[nominated["invitation_token"]]))
    assert page.status_code == 410
    assert not Invitation.objects.filter(registration=invited, used_at__isnull=False).exists()


@pytest.mark.django_db
def test_the_detail_page_links_to_a_one_row_confirmation(client, nominated):
    _organiser(client, nominated)
    row = nominated["nominated"][0]
    detail = client.get(reverse("nominations:nomination_detail", args=[row.pk])).content
    assert f"?action=decline&amp;pk={row.pk}".encode() in detail
    page = client.get(reverse(URL), {"action": "decline", "pk": row.pk}).content.decode()
    assert "1 usulan dari 1 instansi akan diproses" in page and row.nip in page
    row.refresh_from_db()
    assert row.status == Status.NOMINATED


@pytest.mark.django_db
def test_all_nominations_of_a_filter_beyond_one_page(client, world,
                                                     django_capture_on_commit_callbacks):
    _organiser(client, world)
    level = Level.objects.get(code="pengawas")
    many = accepted(world["program"], level, world["agency_b"], 60, status="nominated")
    page = client.post(reverse(URL), {"action": "invite", "all_matching": "1",
                                      "filter_query": f"agency={world['agency_b'].pk}"
                                                      "&status=nominated"})
    assert "60 usulan dari 1 instansi akan diproses" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(URL), {"action": "invite", "confirm": "1",
                                   "pk": [r.pk for r in many]})
    assert Registration.objects.filter(agency=world["agency_b"], level=level,
                                       status=Status.INVITED).count() == 60


@pytest.mark.django_db
def test_the_list_has_the_bulk_bar_for_organisers_only(client, world):
    _organiser(client, world)
    page = client.get(reverse("nominations:nomination_list")).content.decode()
    assert 'id="bulk-form"' in page and 'name="pk"' in page
    client.force_login(world["users"][Role.OPERATOR])
    page = client.get(reverse("nominations:nomination_list")).content.decode()
    assert 'id="bulk-form"' not in page and 'name="pk"' not in page
    response = client.post(reverse(URL), {"action": "decline", "confirm": "1",
                                          "pk": [world["invited"].pk], "reason": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_unknown_ids_are_ignored(client, world):
    _organiser(client, world)
    other = accepted(world["program"], Level.objects.get(code="pengawas"), world["agency_b"],
                     1, status="nominated")[0]
    page = client.post(reverse(URL), {"action": "invite", "pk": [other.pk, 999999]})
    assert "1 usulan dari 1 instansi" in page.content.decode()


@pytest.mark.django_db
def test_resending_letters_to_all_agencies_asks_first(client, world):
    _organiser(client, world)
    jobs = SendJob.objects.count()
    page = client.post(reverse("letters:send"), {"scope": "all"}).content.decode()
    assert 'id="send-confirm"' in page and "kepada 2 instansi" in page
    assert SendJob.objects.count() == jobs


@pytest.mark.django_db
def test_many_rows_run_in_the_background_with_progress_and_per_row_outcome(
        client, world, settings, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from kompeten.nominations import bulk
    from kompeten.nominations.models import BulkRun

    settings.BACKGROUND_JOBS = "worker"
    _organiser(client, world)
    level = Level.objects.get(code="pengawas")
    many = accepted(world["program"], level, world["agency_b"], bulk.SYNC_LIMIT + 5,
                    status="nominated")
    pks = [r.pk for r in many] + [world["registration"].pk]  # registered: refused
    response = client.post(reverse(URL), {"action": "decline", "confirm": "1", "pk": pks,
                                          "reason": "Kuota jenjang dialihkan"})
    run = BulkRun.objects.get()
    assert response.url == reverse("nominations:bulk_run", args=[run.pk])
    # nothing happened inside the request
    assert not Registration.objects.filter(status=Status.DECLINED).exists()
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and f"0 dari {len(pks)} usulan" in page
    mail.outbox.clear()
    call_command("run_jobs", "--once")
    run.refresh_from_db()
    assert (run.done, len(run.refused), run.emails) == (len(many), 1, 1)
    assert run.refused[0][0] == world["registration"].pk
    assert Registration.objects.filter(pk__in=[r.pk for r in many],
                                       status=Status.DECLINED).count() == len(many)
    call_command("run_jobs", "--once")  # the agency's notice
    assert [m.to for m in mail.outbox] == [[world["agency_b"].email]]
    page = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in page and world["registration"].full_name in page
    # a restarted run skips what it already did
    BulkRun.objects.filter(pk=run.pk).update(finished_at=None)
    bulk.run_bulk(run_id=run.pk)
    run.refresh_from_db()
    assert (run.done, len(run.refused)) == (len(many), 1)
