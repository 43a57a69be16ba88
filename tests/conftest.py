import pytest

from kompeten.accounts.models import Role, User
from kompeten.programs.models import Agency, AgencyKind
from kompeten.programs.services import create_program_2019

PASSWORD = "rahasia-uji-123"


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def program(db):
    return create_program_2019()


@pytest.fixture
def agency_a(db):
    return Agency.objects.create(code="PROV-01", name="BKD Provinsi Aceh",
                                 kind=AgencyKind.PROVINCE, province="Aceh",
                                 email="bkd@aceh.example")


@pytest.fixture
def agency_b(db):
    return Agency.objects.create(code="PROV-02", name="BKD Provinsi Bali",
                                 kind=AgencyKind.PROVINCE, province="Bali",
                                 email="bkd@bali.example")


def make_user(role: Role, *, username: str | None = None, agency=None) -> User:
    user = User(username=username or f"u-{role}", role=role, agency=agency,
                first_name=role.label, email=f"{username or role}@example.test")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def users(db, agency_a):
    """One user per role; the operator belongs to agency_a."""
    return {
        role: make_user(role, agency=agency_a if role == Role.OPERATOR else None)
        for role in Role
    }
