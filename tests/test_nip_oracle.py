"""Issue 8.5: a NIP typed by an operator must not reveal which agency nominated it, at which
level or in which status; the operator learns only that it is taken in this programme."""

import io

import pytest
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.nominations.excel_import import NominationImportError, import_nominations
from kompeten.programs.models import Level
from tests.conftest import NIP_FEMALE, NIP_MALE, make_user
from tests.test_nomination_import import row, xlsx

# world: agency_a (BKD Provinsi Aceh) nominated NIP_MALE (Pengawas, registered) and
# NIP_FEMALE (Administrator, invited).
DETAILS = ("BKD Provinsi Aceh", "Pengawas", "Administrator", "Terdaftar", "Diundang")
FORM = {"full_name": "Dr. Siti Aminah, M.Si.", "position": "Kepala Bidang Mutasi",
        "work_unit": "BKD", "email": "siti@bali.example", "phone": "0812 3456 7890"}


@pytest.fixture
def operator_b(world):
    return make_user(Role.OPERATOR, username="operator-b", agency=world["agency_b"])


def _details_in(text: str) -> list[str]:
    return [detail for detail in DETAILS if detail in text]


def test_nominate_form_tells_another_agency_only_that_the_nip_is_taken(client, world,
                                                                        operator_b):
    client.force_login(operator_b)
    level = Level.objects.get(code="jpt-pratama")
    response = client.post(reverse("nominations:nominate"),
                           {**FORM, "nip": NIP_MALE, "level": level.pk})
    errors = " ".join(response.context["form"].errors["nip"])
    assert "sudah diusulkan dalam penyelenggaraan ini" in errors
    assert _details_in(errors) == []


def _upload(content: bytes, name: str = "usulan.xlsx") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_dry_run_import_tells_another_agency_only_that_the_nips_are_taken(client, world,
                                                                          operator_b):
    client.force_login(operator_b)
    content = xlsx([row(serial=1, kode_instansi="PROV-02", nip=NIP_MALE),
                    row(serial=2, kode_instansi="PROV-02", nip=NIP_FEMALE)])
    response = client.post(reverse("nominations:nomination_import"),
                           {"file": _upload(content), "dry_run": "on"})
    assert response.status_code == 200
    errors = [error.message for error in response.context["rejected"].errors
              if error.column == "nip"]
    assert len(errors) == 2
    assert all("sudah diusulkan dalam penyelenggaraan ini" in error for error in errors)
    assert _details_in(" ".join(errors)) == []
    # The page lists levels anyway (the quota table); the agency and statuses must not show.
    page = response.content.decode().split('id="import-errors"', 1)[1]
    assert [detail for detail in ("BKD Provinsi Aceh", "Terdaftar", "Diundang")
            if detail in page] == []


def test_the_organiser_and_the_own_agency_see_the_details(world):
    content = xlsx([row(serial=1, kode_instansi="PROV-01", nip=NIP_MALE)])
    for by, agency in ((world["users"][Role.ORGANISER], None),
                       (world["users"][Role.OPERATOR], world["agency_a"]),
                       (None, None)):  # the import_nominations command
        with pytest.raises(NominationImportError) as info:
            import_nominations(program=world["program"], content=content,
                               filename="usulan.xlsx", by=by, agency=agency, dry_run=True)
        message = next(e.message for e in info.value.errors if e.column == "nip")
        assert "BKD Provinsi Aceh" in message and "Pengawas" in message, message
