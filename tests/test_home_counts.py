"""The organiser's home page counts the programme once (issue 13): the funnel, its "placed"
step and the next step's counts come from one grouped pass over the registrations, and
equal the plain counts they replace."""

from functools import partial

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.home import next_steps, panels
from kompeten.programs.models import Level, StageKind
from kompeten.registration import selectors as registration_selectors
from kompeten.registration.models import EDITABLE_STATUSES, Registration, Status
from tests.factories import accepted


@pytest.fixture
def population(world):
    """Officials of every level in most statuses; seated, waiting and declined-but-seated."""
    program = world["program"]
    levels = {level.code: level for level in Level.objects.all()}
    for code, status, count in [("pengawas", Status.ACCEPTED, 5), ("pengawas", Status.SUBMITTED, 2),
                                ("administrator", Status.ACCEPTED, 3),
                                ("administrator", Status.REVISION, 1),
                                ("administrator", Status.NOMINATED, 2),
                                ("jpt-pratama", Status.ACCEPTED, 2),
                                ("jpt-pratama", Status.DECLINED, 2),
                                ("jpt-pratama", Status.WITHDRAWN, 1)]:
        accepted(program, levels[code], world["agency_a"], count, status=status)
    seat = {}

    def place(registration, *, waiting=False):
        if waiting:
            return Placement.objects.create(registration=registration)
        batch = program.batches.filter(level_id=registration.level_id).order_by("number")[1]
        seat[batch.pk] = seat.get(batch.pk, 0) + 1
        return Placement.objects.create(registration=registration, batch=batch,
                                        seat=seat[batch.pk])

    registrations = Registration.objects.filter(program=program, placement__isnull=True
                                                ).order_by("pk")
    for registration in registrations.filter(status=Status.ACCEPTED)[:6]:
        place(registration)
    place(registrations.filter(status=Status.ACCEPTED, level__code="jpt-pratama").last(),
          waiting=True)
    place(registrations.filter(status=Status.DECLINED).first())  # a seat is a seat
    return world


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_funnel_equals_plain_counts(population):
    program = population["program"]
    request = _request(population["users"][Role.ORGANISER])
    funnel = panels.funnel(request, program, None)["funnel"]
    assert [row["level"] for row in funnel] == [
        level.name for level in Level.objects.order_by("order")]
    for row in funnel:
        level = Level.objects.get(name=row["level"])
        registrations = Registration.objects.filter(program=program, level=level)
        live = registrations.exclude(status=Status.DECLINED)
        steps = dict((str(label), n) for label, n in row["steps"])
        assert steps["Diusulkan"] == live.count()
        assert steps["Berkas lengkap"] == live.filter(status__in=[
            Status.SUBMITTED, Status.REVISION, Status.ACCEPTED, Status.REJECTED]).count()
        assert steps["Dikembalikan"] == live.filter(status=Status.REVISION).count()
        assert steps["Diterima"] == live.filter(status=Status.ACCEPTED).count()
        assert steps["Ditempatkan"] == Placement.objects.filter(
            registration__program=program, registration__level=level,
            batch__isnull=False).count()
    placed = sum(dict(row["steps"])[panels.FUNNEL_STEPS[-1][1]] for row in funnel)
    seated = Placement.objects.filter(registration__program=program, batch__isnull=False)
    assert placed == seated.count() >= 8
    assert seated.filter(registration__status=Status.DECLINED).exists()
    assert Placement.objects.filter(batch__isnull=True).exists()


@pytest.mark.django_db
def test_next_step_counts_equal_plain_counts(population):
    program = population["program"]
    registrations = Registration.objects.filter(program=program)
    expected = {
        StageKind.NOMINATION: registrations.count(),
        StageKind.INVITATION: registrations.filter(status=Status.NOMINATED).count(),
        StageKind.REVIEW: registrations.filter(status=Status.SUBMITTED).count(),
        StageKind.REGISTRATION: registrations.filter(
            status__in=[Status.INVITED, *EDITABLE_STATUSES]).count(),
    }
    assert all(expected.values())
    request = _request(population["users"][Role.ORGANISER])
    for totals in (partial(registration_selectors.status_totals, program=program),
                   partial(panels.status_totals, request, program)):
        for kind, count in expected.items():
            text = next_steps._organiser(program, kind, totals)[0]
            assert f" {count} " in text, (kind, text)


@pytest.mark.django_db
def test_organiser_home_reads_the_registrations_once(client, population):
    """The next step (the nomination stage is open) and the funnel share one query."""
    client.force_login(population["users"][Role.ORGANISER])
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert 'id="funnel"' in html
    count = Registration.objects.filter(program=population["program"]).count()
    assert f"{count} peserta telah diusulkan" in html
    reads = [q["sql"] for q in queries.captured_queries
             if 'FROM "registration_registration"' in q["sql"]]
    assert len(reads) == 1, reads
