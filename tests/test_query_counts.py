"""Pages keep a constant number of queries as data grows."""

import datetime as dt

import pytest
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.programs.models import Agency, AgencyKind, Batch, Level
from tests.queries import count_queries


def _grow(program, start_number: int, count: int) -> None:
    levels = list(Level.objects.all())
    Batch.objects.bulk_create(
        Batch(program=program, number=start_number + i, level=levels[i % 3],
              start_date=dt.date(2019, 9, 1) + dt.timedelta(days=i % 20),
              end_date=dt.date(2019, 9, 2) + dt.timedelta(days=i % 20))
        for i in range(count)
    )
    Agency.objects.bulk_create(
        Agency(code=f"G-{start_number + i}", name=f"Instansi {start_number + i}",
               kind=AgencyKind.KL_PUSAT) for i in range(count)
    )


PAGES = [
    (None, "programs:schedule", {}),
    (None, "programs:calendar", {"bulan": "2019-09"}),
    (None, "programs:schedule_ics", {}),
    (None, "home", {}),
    (Role.ORGANISER, "home", {}),
    (Role.OPERATOR, "home", {}),
    (Role.PARTICIPANT, "home", {}),
    (Role.FACILITATOR, "home", {}),
    (Role.ASSESSOR, "home", {}),
    (Role.ORGANISER, "programs:masterdata_index", {}),
    (Role.ORGANISER, "programs:masterdata_list", {"kind": "instansi"}),
    (Role.ORGANISER, "programs:masterdata_list", {"kind": "angkatan"}),
    (Role.ORGANISER, "programs:masterdata_list", {"kind": "unit-kompetensi"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "params"), PAGES,
                         ids=[f"{r or 'anon'}-{n}-{p.get('kind', '')}" for r, n, p in PAGES])
def test_constant_queries(client, users, program, role, name, params, django_assert_num_queries):
    if role is not None:
        client.force_login(users[role])
    kwargs = {"code": "2019"} if name == "programs:schedule_ics" else {}
    if "kind" in params:
        kwargs["kind"] = params.pop("kind")
    url = reverse(name, kwargs=kwargs)
    _grow(program, 100, 5)
    small = count_queries(client, url, params)
    _grow(program, 200, 60)
    with django_assert_num_queries(small):
        client.get(url, params)
