import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.batching.models import AgencyDatePreference
from kompeten.batching.preferences import set_date_preference
from tests.conftest import make_user


@pytest.mark.django_db
def test_preference_is_saved_replaced_and_removed(program, agency_a):
    set_date_preference(program=program, agency=agency_a, earliest=dt.date(2019, 7, 1),
                        latest=dt.date(2019, 7, 3))
    set_date_preference(program=program, agency=agency_a, earliest=dt.date(2019, 7, 2),
                        latest=dt.date(2019, 7, 5))
    row = AgencyDatePreference.objects.get(program=program, agency=agency_a)
    assert (row.earliest, row.latest) == (dt.date(2019, 7, 2), dt.date(2019, 7, 5))
    set_date_preference(program=program, agency=agency_a, earliest=None, latest=None)
    assert not AgencyDatePreference.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("earliest", "latest", "message"), [
    (dt.date(2019, 7, 5), dt.date(2019, 7, 1), "tidak boleh sebelum"),
    (dt.date(2019, 7, 5), None, "kedua tanggal"),
    (dt.date(2020, 1, 1), dt.date(2020, 2, 1), "di luar jadwal"),
])
def test_bad_windows_are_refused(program, agency_a, earliest, latest, message):
    with pytest.raises(ValidationError, match=message):
        set_date_preference(program=program, agency=agency_a, earliest=earliest, latest=latest)
    assert not AgencyDatePreference.objects.exists()


@pytest.mark.django_db
def test_operator_sets_only_own_agency(client, program, agency_a, agency_b):
    operator_b = make_user(Role.OPERATOR, username="op-b", agency=agency_b)
    client.force_login(operator_b)
    response = client.post(reverse("batching:date_preference"),
                           {"earliest": "2019-08-01", "latest": "2019-08-09"}, follow=True)
    assert "Preferensi tanggal tersimpan." in response.content.decode()
    assert AgencyDatePreference.objects.get().agency == agency_b
    bad = client.post(reverse("batching:date_preference"),
                      {"earliest": "2019-08-09", "latest": "2019-08-01"})
    assert "tidak boleh sebelum" in bad.content.decode()
    assert 'value="2019-08-09"' in bad.content.decode()
