"""Certificates: eligibility and its refusals, numbering, issuance runs, correction and
revocation, public verification, badges, the SIASN export and the PDF itself."""

import io
import threading

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kompeten.accounts.models import Role
from kompeten.certificates import badges, documents, numbering, services
from kompeten.certificates.eligibility import batch_rows, row_for
from kompeten.certificates.models import (
    Certificate,
    CertificatePolicy,
    CompetenceRule,
    IssueRun,
    Kind,
    LookupResult,
    NumberCounter,
    VerificationLookup,
)
from kompeten.certificates.render import CertificateFacts, render
from kompeten.classroom import sessions
from kompeten.classroom.attendance_models import AttendanceMark
from kompeten.classroom.session_models import ClassSession, SessionKind
from kompeten.elearning import services as elearning
from kompeten.programs.models import ProgramModule
from tests import factories
from tests.certificates_samples import all_units, issued, jpeg, make_eligible, qualify, seat_in
from tests.conftest import make_user, open_program_2019
from tests.queries import count_queries


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def organiser(users):
    return users[Role.ORGANISER]


@pytest.fixture
def batch4(world):
    return world["program"].batches.get(number=4)


@pytest.fixture
def official(world, batch4):
    registration = qualify(world["registration"])
    seat_in(registration, batch4)
    return registration


def _officials(world, batch, count, start_seat=2):
    people = []
    for seat, registration in enumerate(factories.accepted(
            world["program"], batch.level, world["agency_a"], count), start_seat):
        qualify(registration)
        seat_in(registration, batch, seat)
        people.append(registration)
    return people


# -- eligibility ---------------------------------------------------------------------------

def test_not_eligible_is_refused_with_the_reasons(official, organiser):
    row = row_for(official)
    assert not row.training.eligible
    assert any("E-learning belum selesai" in reason for reason in row.training.reasons)
    assert any("Kehadiran 0 JP" in reason for reason in row.training.reasons)
    assert row.competence.reasons == ["Hasil uji kompetensi belum ditetapkan."]
    for kind in Kind.values:
        with pytest.raises(ValidationError, match="belum memenuhi syarat"):
            services.issue(registration=official, kind=kind, by=organiser)
    assert not Certificate.objects.exists()
    assert NumberCounter.objects.filter(last__gt=0).count() == 0


def test_training_eligibility_from_elearning_and_attendance(world, official, batch4, organiser):
    program = world["program"]
    program.elearning_rule = "studied"
    program.save(update_fields=["elearning_rule"])
    for module in ProgramModule.objects.filter(program=program, level=batch4.level):
        material = elearning.add_material(module=module, title="Video", kind="link",
                                          url="https://video.example/modul", by=organiser)
        elearning.mark_studied(material=material, by=world["users"][Role.PARTICIPANT])
    sessions.generate_sessions(program=program)
    for session in ClassSession.objects.filter(batch=batch4, kind=SessionKind.LESSON):
        AttendanceMark.objects.create(session=session, registration=official, status="present",
                                      source="roll_call", marked_at=timezone.now())
    row = row_for(official)
    assert row.training.eligible, row.training.reasons
    certificate = services.issue(registration=official, kind=Kind.TRAINING, by=organiser)
    assert certificate.number == "00001/SERT-PMASN/PGW/2019"
    assert "E-learning selesai" in certificate.basis


def test_issuing_twice_is_refused(official, organiser):
    make_eligible(official, Kind.COMPETENCE, organiser)
    first = services.issue(registration=official, kind=Kind.COMPETENCE, by=organiser)
    with pytest.raises(ValidationError, match="sudah mempunyai sertifikat"):
        services.issue(registration=official, kind=Kind.COMPETENCE, by=organiser)
    assert list(Certificate.objects.all()) == [first]
    assert NumberCounter.objects.get(kind=Kind.COMPETENCE).last == 1  # no number lost


def test_issuing_for_another_programme_is_refused(official, organiser):
    make_eligible(official, Kind.TRAINING, organiser)
    other = factories.new_program()
    with pytest.raises(ValidationError, match="bukan peserta penyelenggaraan"):
        services.issue(registration=official, kind=Kind.TRAINING, by=organiser, program=other)
    assert not Certificate.objects.exists()


def test_competence_rule_all_units_or_at_least_n(world, official, organiser):
    units = all_units(official)
    make_eligible(official, Kind.COMPETENCE, organiser, units=units[:3])
    verdict = row_for(official).competence
    assert not verdict.eligible
    assert verdict.reasons == [f"3 dari {len(units)} unit K; syaratnya {len(units)} unit K."]
    CertificatePolicy.objects.create(program=world["program"],
                                     competence_rule=CompetenceRule.AT_LEAST, min_units_k=3)
    certificate = services.issue(registration=official, kind=Kind.COMPETENCE, by=organiser)
    assert (certificate.units_k, certificate.units_total) == (3, len(units))
    assert [u["code"] for u in certificate.units] == [
        u.code for u in official.qualification.units.order_by("order")[:3]]


def test_manual_record_needs_a_reason_and_units(official, organiser):
    with pytest.raises(ValidationError):
        services.record_eligibility(registration=official, kind=Kind.TRAINING, reason="  ",
                                    by=organiser)
    with pytest.raises(ValidationError):
        services.record_eligibility(registration=official, kind=Kind.COMPETENCE,
                                    reason="Sidang", unit_ids=[999999], by=organiser)


# -- numbering -----------------------------------------------------------------------------

def test_numbers_are_sequential_per_programme_and_kind(world, batch4, organiser):
    people = _officials(world, batch4, 3)
    for person in people:
        make_eligible(person, Kind.TRAINING, organiser)
        make_eligible(person, Kind.COMPETENCE, organiser)
        services.issue(registration=person, kind=Kind.TRAINING, by=organiser)
    services.issue(registration=people[0], kind=Kind.COMPETENCE, by=organiser)
    assert sorted(Certificate.objects.filter(kind=Kind.TRAINING)
                  .values_list("number", flat=True)) == [
        f"0000{n}/SERT-PMASN/PGW/2019" for n in (1, 2, 3)]
    assert Certificate.objects.get(kind=Kind.COMPETENCE).number == "00001/SERT-MASN/PGW/2019"


@pytest.mark.parametrize("pattern", ["SERT/{year}", "{seq}/{unknown}", "{seq:05}/{0}"])
def test_bad_number_patterns_are_refused(pattern):
    with pytest.raises(ValidationError):
        numbering.check_pattern(pattern)


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_gapless_and_unique_under_concurrent_issuance():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises every writer)")
    program = open_program_2019()
    results, errors = [], []

    def take():
        from django.db import connection as thread_connection
        from django.db import transaction

        try:
            for _ in range(10):
                with transaction.atomic():
                    results.append(numbering.take(program=program, kind=Kind.TRAINING))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == list(range(1, 61))


# -- issuance runs -------------------------------------------------------------------------

def test_run_issues_the_eligible_once_and_merges_a_print_pdf(world, batch4, organiser,
                                                             settings):
    settings.BACKGROUND_JOBS = "eager"
    people = _officials(world, batch4, 4)
    for person in people[:3]:
        make_eligible(person, Kind.COMPETENCE, organiser)
    run = services.run_issue(run_id=IssueRun.objects.create(
        program=world["program"], batch=batch4, kind=Kind.COMPETENCE).pk)
    assert (run.total, run.issued, run.skipped, run.status) == (3, 3, 0, "finished")
    assert Certificate.objects.count() == 3
    assert all(c.pdf for c in Certificate.objects.all())
    merged = PdfReader(run.merged_pdf.open("rb"))
    assert len(merged.pages) == 6  # two pages per competence certificate
    again = services.run_issue(run_id=IssueRun.objects.create(
        program=world["program"], batch=batch4, kind=Kind.COMPETENCE).pk)
    assert (again.total, again.issued) == (0, 0)
    assert Certificate.objects.count() == 3


def test_issue_page_asks_first_then_runs_in_the_background(
        client, world, batch4, organiser, settings, django_capture_on_commit_callbacks):
    settings.BACKGROUND_JOBS = "eager"
    person = _officials(world, batch4, 1)[0]
    make_eligible(person, Kind.TRAINING, organiser)
    client.force_login(organiser)
    url = reverse("certificates:issue_batch", args=[batch4.pk])
    asked = client.post(url, {"kind": "training"})
    assert asked.status_code == 200 and "1 sertifikat akan diterbitkan" in asked.content.decode()
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"kind": "training", "confirm": "1"})
    done = client.get(started.url)
    assert Certificate.objects.filter(registration=person).count() == 1
    assert "Selesai" in done.content.decode()


# -- correction and revocation -------------------------------------------------------------

def test_correction_reissues_a_new_version_and_revokes_the_old(official, organiser):
    old = issued(official, official.placement.batch, Kind.COMPETENCE, organiser)
    new = services.reissue(certificate=old, reason="Gelar salah tulis", by=organiser,
                           full_name="Dr. Agus Pratama, M.Si.")
    old.refresh_from_db()
    assert old.revoked_at and old.revoke_reason == "Gelar salah tulis"
    assert (new.version, new.replaces_id, new.full_name) == (2, old.pk,
                                                             "Dr. Agus Pratama, M.Si.")
    assert new.number != old.number and new.units == old.units
    assert Certificate.objects.count() == 2  # the revoked record is kept
    with pytest.raises(ValidationError):
        services.revoke(certificate=old, reason="lagi", by=organiser)


def test_revoked_certificate_pdf_and_badge_are_refused(client, official, organiser, users):
    certificate = issued(official, official.placement.batch, Kind.COMPETENCE, organiser)
    services.revoke(certificate=certificate, reason="Data tidak benar", by=organiser)
    client.force_login(users[Role.PARTICIPANT])
    refused = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert refused.status_code == 410 and "Data tidak benar" in refused.content.decode()
    client.logout()
    badge = client.get(reverse("certificates:badge", args=[certificate.public_id]))
    assert badge.status_code == 410
    status = client.get(reverse("certificates:status", args=[certificate.public_id])).json()
    assert status["status"] == "revoked" and status["revocationReason"] == "Data tidak benar"
    page = client.get(reverse("certificates:verify", args=[certificate.public_id]))
    text = page.content.decode()
    assert "DICABUT" in text and "Data tidak benar" in text


def test_participant_cannot_fetch_another_participants_certificate(client, world, batch4,
                                                                   organiser):
    other = _officials(world, batch4, 1)[0]
    certificate = issued(other, batch4, Kind.TRAINING, organiser, seat=2)
    client.force_login(world["users"][Role.PARTICIPANT])
    assert client.get(reverse("certificates:download", args=[certificate.pk])).status_code == 404
    operator_b = make_user(Role.OPERATOR, username="op-b", agency=world["agency_b"])
    client.force_login(operator_b)
    assert client.get(reverse("certificates:download", args=[certificate.pk])).status_code == 404


# -- public verification -------------------------------------------------------------------

def test_verify_page_shows_valid_with_masked_nip_and_logs_the_lookup(client, official,
                                                                      organiser):
    certificate = issued(official, official.placement.batch, Kind.COMPETENCE, organiser)
    page = client.get(reverse("certificates:verify", args=[certificate.public_id]))
    text = page.content.decode()
    assert "VALID" in text and certificate.number in text and official.full_name in text
    assert official.nip not in text and official.nip[:4] + "*" in text
    assert official.email not in text and official.phone not in text
    assert certificate.units[0]["code"] in text
    lookup = VerificationLookup.objects.get()
    assert (lookup.certificate, lookup.result, lookup.via) == (certificate, "valid", "qr")
    assert "127.0.0.1" not in lookup.client


@pytest.mark.parametrize("forged", ["x", "A" * 43, "A" * 64, "A-b_c", "A" * 200])
def test_forged_or_truncated_ids_are_not_found(client, official, organiser, forged):
    certificate = issued(official, official.placement.batch, Kind.TRAINING, organiser)
    for public_id in (forged, certificate.public_id[:-1]):
        page = client.get(reverse("certificates:verify", args=[public_id]))
        assert page.status_code == 200
        text = page.content.decode()
        assert "TIDAK DITEMUKAN" in text and certificate.number not in text
    assert set(VerificationLookup.objects.values_list("result", flat=True)) == {"not_found"}


@pytest.mark.django_db
def test_verification_is_rate_limited_per_address(client, settings):
    settings.CERT_VERIFY_PER_MINUTE = 3
    answers = [client.get(reverse("certificates:verify", args=["nope"])).status_code
               for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    assert VerificationLookup.objects.filter(result=LookupResult.LIMITED).count() == 2


def test_search_needs_the_number_and_the_name(client, official, organiser):
    certificate = issued(official, official.placement.batch, Kind.TRAINING, organiser)
    url = reverse("certificates:search")
    found = client.get(url, {"number": certificate.number, "name": "agus pratama"})
    assert "VALID" in found.content.decode()
    wrong = client.get(url, {"number": certificate.number, "name": "Budi"})
    assert "TIDAK DITEMUKAN" in wrong.content.decode()
    assert official.full_name not in wrong.content.decode()


def test_verify_certificate_command_reports_the_status(tmp_path, official, organiser):
    certificate = issued(official, official.placement.batch, Kind.TRAINING, organiser)
    path = tmp_path / "sertifikat.pdf"
    path.write_bytes(documents.read_pdf(certificate))
    out = io.StringIO()
    call_command("verify_certificate", str(path), stdout=out)
    assert f"Sertifikat: {certificate.number}" in out.getvalue()
    assert "Status: VALID" in out.getvalue()
    services.revoke(certificate=certificate, reason="Ganda", by=organiser)
    out = io.StringIO()
    call_command("verify_certificate", str(path), stdout=out)
    assert "Status: DICABUT" in out.getvalue()


def test_issue_certificates_command_is_idempotent(world, batch4, organiser):
    people = _officials(world, batch4, 2)
    for person in people:
        make_eligible(person, Kind.TRAINING, organiser)
    out = io.StringIO()
    call_command("issue_certificates", "--program", "2019", "--batch", "4", stdout=out)
    assert "2 sertifikat terbit" in out.getvalue()
    out = io.StringIO()
    call_command("issue_certificates", "--program", "2019", "--batch", "4", stdout=out)
    assert "0 sertifikat terbit" in out.getvalue()


# -- badges and export ---------------------------------------------------------------------

def test_open_badge_credential(official, organiser):
    certificate = issued(official, official.placement.batch, Kind.COMPETENCE, organiser)
    body = badges.credential(certificate, email=official.email)
    assert body["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "ob/v3p0" in body["@context"][1]
    assert body["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = body["credentialSubject"]
    assert official.email not in str(body) and official.nip not in str(body)
    assert subject["identifier"][0]["identityHash"].startswith("sha256$")
    alignment = subject["achievement"]["alignment"]
    assert [a["targetCode"] for a in alignment] == [u["code"] for u in certificate.units]
    assert body["credentialStatus"]["id"].endswith(
        reverse("certificates:status", args=[certificate.public_id]))


def test_siasn_export_is_scoped_to_the_operators_agency(client, world, batch4, organiser):
    own = issued(world["registration"], batch4, Kind.TRAINING, organiser)
    stranger = factories.accepted(world["program"], batch4.level, world["agency_b"])[0]
    other = issued(stranger, batch4, Kind.TRAINING, organiser, seat=3)
    from openpyxl import load_workbook

    def rows(user):
        client.force_login(user)
        response = client.get(reverse("certificates:siasn"), {"tahun": "2019"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [list(r) for r in sheet.iter_rows(values_only=True)]

    everything = rows(organiser)
    assert everything[0][:3] == ["nip", "nama", "instansi"]
    assert {r[7] for r in everything[1:]} == {own.number, other.number}
    mine = rows(world["users"][Role.OPERATOR])
    assert [r[0] for r in mine[1:]] == [own.nip]
    assert mine[1][6] == 21 and mine[1][8] == batch4.start_date.strftime("%d-%m-%Y")


# -- pages and PDF -------------------------------------------------------------------------

def test_participant_home_lists_own_certificates(client, official, organiser, users):
    certificate = issued(official, official.placement.batch, Kind.COMPETENCE, organiser)
    client.force_login(users[Role.PARTICIPANT])
    home = client.get(reverse("home")).content.decode()
    assert certificate.number in home
    assert reverse("certificates:download", args=[certificate.pk]) in home
    pdf = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 2


def test_batch_page_queries_stay_constant(client, world, batch4, organiser):
    client.force_login(organiser)
    url = reverse("certificates:batch", args=[batch4.pk])
    people = _officials(world, batch4, 2)
    for person in people:
        make_eligible(person, Kind.TRAINING, organiser)
    services.issue(registration=people[0], kind=Kind.TRAINING, by=organiser)
    small = count_queries(client, url)
    more = _officials(world, batch4, 12, start_seat=10)
    for person in more:
        make_eligible(person, Kind.COMPETENCE, organiser)
        services.issue(registration=person, kind=Kind.COMPETENCE, by=organiser)
    large = count_queries(client, url)
    assert large == small
    assert len(batch_rows(batch4)) == 15  # with the world's roomer


def _text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_has_the_seed_wording_and_survives_the_longest_inputs():
    long_name = ("Prof. Dr. Ir. H. " + "Mochammad Abdurrahman Wicaksono " * 6)[:190] + ", M.Si."
    facts = CertificateFacts(
        kind="competence", number="9" * 120, public_id="p" * 43, full_name=long_name,
        nip="198701012012121003", qualification="Q" * 100 + " " + "K" * 99, level="Pengawas",
        issued_on=timezone.localdate(), verify_url="https://kompeten.example/sertifikat/v/x/",
        signatory_name="N" * 150, signatory_title="Kepala " + "Pusat " * 24,
        signatory_nip="196501011990031001", place="P" * 60,
        units=tuple((f"M.{n:036d}", "Judul " * 41) for n in range(20)), units_k=20,
        units_total=20, photo=jpeg())
    data = render([facts])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    normal = render([CertificateFacts(
        kind="competence", number="00001/SERT-MASN/PGW/2026", public_id="p", full_name="Drs. AP",
        nip="1", qualification="Pengawas", level="Pengawas", issued_on=timezone.localdate(),
        verify_url="https://x/", signatory_name="Kepala", signatory_title="Kepala Pusat",
        units=(("A.1", "Unit satu"),), units_k=1, units_total=12)])
    text = _text(normal)
    for phrase in ("BADAN KEPEGAWAIAN NEGARA", "PUSAT PENGEMBANGAN APARATUR SIPIL NEGARA",
                   "SERTIFIKAT", "Dengan ini menyatakan bahwa",
                   "Telah memenuhi 1 Unit Kompetensi dari 12 Unit Kompetensi Kualifikasi",
                   "Pada Skema Sertifikasi", "MANAJEMEN APARATUR SIPIL NEGARA",
                   "Daftar Unit Kompetensi"):
        assert phrase in text, phrase
    fonts = {str(font) for page in PdfReader(io.BytesIO(normal)).pages
             for font in page["/Resources"].get("/Font", {}).values()}
    assert fonts is not None
    assert b"DejaVu" in normal and b"/FontFile2" in normal  # embedded TrueType


# -- signatures (the signing leaf) ---------------------------------------------------------

def test_issued_pdf_is_signed_and_the_verify_page_checks_it(client, official, organiser):
    certificate = issued(official, official.placement.batch, Kind.TRAINING, organiser)
    assert certificate.is_signed
    page = client.get(reverse("certificates:verify", args=[certificate.public_id]))
    assert "Tanda tangan elektronik sah" in page.content.decode()


def test_tampered_pdf_is_reported(tmp_path, official, organiser):
    certificate = issued(official, official.placement.batch, Kind.TRAINING, organiser)
    data = bytearray(documents.read_pdf(certificate))
    # Change the visible number in the (signed) document information.
    index = data.index(certificate.number.encode())
    data[index] = ord("9") if data[index] != ord("9") else ord("8")
    path = tmp_path / "diubah.pdf"
    path.write_bytes(bytes(data))
    out = io.StringIO()
    with pytest.raises(CommandError, match="berubah"):
        call_command("verify_certificate", str(path), stdout=out)
    assert "TIDAK UTUH" in out.getvalue()


def test_badge_is_a_verifiable_jwt_and_reports_revocation(client, official, organiser):
    from kompeten.signing.jwt import verify_jwt

    certificate = issued(official, official.placement.batch, Kind.COMPETENCE, organiser)
    response = client.get(reverse("certificates:badge", args=[certificate.public_id]))
    assert response["Content-Type"] == "application/vc+jwt"
    claims = verify_jwt(response.content.decode())
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["jti"] == badges.credential_id(certificate)
    keys = client.get(reverse("certificates:jwks")).json()["keys"]
    assert keys and keys[0]["kty"] in {"RSA", "EC"}
    issuer = client.get(reverse("certificates:issuer")).json()
    assert issuer["id"] == claims["iss"] and "Profile" in issuer["type"]
    status_url = claims["credentialStatus"]["id"]
    services.revoke(certificate=certificate, reason="Banding dikabulkan", by=organiser)
    status = client.get(status_url.split("127.0.0.1:8000", 1)[-1]).json()
    assert status["revoked"] is True


# -- competence from the assessment's released results -------------------------------------

def test_competence_follows_the_released_results(world, organiser):
    import datetime as dt

    from kompeten.assessment import decisions
    from kompeten.assessment import services as assessment
    from tests.assessment_samples import assessor, decide_all, placed_participants

    level = world["program"].batches.get(number=4).level
    batch = factories.batch(world["program"], level, 61, dt.date(2019, 8, 5))
    passed, partly = placed_participants(batch, world["agency_a"], 2)
    judge = assessor("asesor-sertifikat", batch)
    for person in (passed, partly):
        assessment.assign(registration=person, assessor=judge)
    decide_all(judge, passed)
    decide_all(judge, partly, {1: "BK"})
    assert not row_for(passed).competence.eligible  # not released before the sidang
    decisions.hold_sidang(batch=batch, held_on=dt.date(2019, 8, 6), decree_number="SK/1",
                          panel_members="Ketua\nAnggota", by=organiser)
    rows = {row.registration.pk: row for row in batch_rows(batch)}
    assert rows[passed.pk].competence.eligible
    assert not rows[partly.pk].competence.eligible
    certificate = services.issue(registration=passed, kind=Kind.COMPETENCE, by=organiser)
    assert certificate.units_k == certificate.units_total == len(certificate.units)
    assert "sidang penetapan" in certificate.basis
    CertificatePolicy.objects.create(program=world["program"],
                                     competence_rule=CompetenceRule.AT_LEAST, min_units_k=5)
    partial = services.issue(registration=partly, kind=Kind.COMPETENCE, by=organiser)
    assert partial.units_k == partial.units_total - 1
    first_unit = partly.qualification.units.order_by("order").first()
    assert first_unit.code not in [u["code"] for u in partial.units]


def test_english_catalog_of_the_app(client):
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Verifikasi sertifikat") == "Certificate verification"
    client.cookies["django_language"] = "en"
    page = client.get(reverse("certificates:search"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Check a certificate" in page.content.decode()


@pytest.fixture
def remote_signer(settings):
    from tests import signing_stub

    server, thread = signing_stub.start()
    settings.CERT_SIGNER = "remote"
    settings.CERT_REMOTE_URL = server.url
    settings.CERT_REMOTE_USER = signing_stub.NIK
    settings.CERT_REMOTE_TIMEOUT = 5
    yield signing_stub
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_issuing_with_the_remote_signer_asks_the_passphrase_and_keeps_none(
        client, world, batch4, organiser, settings, remote_signer,
        django_capture_on_commit_callbacks):
    settings.BACKGROUND_JOBS = "eager"
    person = _officials(world, batch4, 1)[0]
    make_eligible(person, Kind.TRAINING, organiser)
    client.force_login(organiser)
    url = reverse("certificates:issue_batch", args=[batch4.pk])
    asked = client.post(url, {"kind": "training"}).content.decode()
    assert 'name="passphrase"' in asked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "training", "confirm": "1",
                          "passphrase": remote_signer.PASSPHRASE})
    certificate = Certificate.objects.get(registration=person)
    assert certificate.is_signed
    from kompeten.common.models import BackgroundJob

    assert remote_signer.PASSPHRASE not in str(list(BackgroundJob.objects.values("kwargs")))
