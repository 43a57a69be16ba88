"""Running on several nodes (issue 15): settings that refuse to start wrong, the client's
address behind proxies, private storage (local or S3) and stored files served as stored."""

import io
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from moto import mock_aws

from kompeten.accounts.models import Role
from kompeten.common.client_ip import client_ip
from kompeten.common.storage import private_storage
from kompeten.letters import services
from kompeten.letters.models import AnnouncementLetter
from tests.conftest import PASSWORD
from tests.upload_samples import pdf_bytes, upload

ROOT = Path(__file__).resolve().parent.parent


def _settings_process(tmp_path, code: str, **env) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME"}}
    base.update({"KOMPETEN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kompeten.settings",
                 **env})
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code],
                          cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


# -- settings --------------------------------------------------------------------------------

def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    result = _settings_process(tmp_path, "print('started')", DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()  # no key of its own was made
    started = _settings_process(tmp_path, "print('started')", DEBUG="0", SECRET_KEY="x" * 60)
    assert started.returncode == 0, started.stderr


def test_a_mistyped_trusted_proxy_refuses_to_start(tmp_path):
    result = _settings_process(tmp_path, "print('started')", TRUSTED_PROXIES="10.0.0.5,10.0.0")
    assert result.returncode != 0 and "TRUSTED_PROXIES: '10.0.0'" in result.stderr
    started = _settings_process(tmp_path, "print('started')",
                                TRUSTED_PROXIES="10.0.0.5, 10.1.0.0/16,::1")
    assert started.returncode == 0, started.stderr


def test_the_bucket_endpoint_and_region_reach_django_storages(tmp_path):
    result = _settings_process(
        tmp_path, "from kompeten.common.storage import private_storage as p; s = p(); "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.region_name, s.default_acl, "
        "s.querystring_auth, s.file_overwrite)",
        AWS_STORAGE_BUCKET_NAME="kompeten-arsip", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_S3_REGION_NAME="ap-southeast-3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "kompeten-arsip", "http://127.0.0.1:9000",
                                     "ap-southeast-3", "private", "False", "False"]


def test_celery_hands_back_the_task_of_a_dead_worker():
    from kompeten.celery import app

    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] <= 3600
    assert "reap-jobs" in app.conf.beat_schedule and "clear-sessions" in app.conf.beat_schedule


def test_an_email_timeout_is_set(settings):
    from django.core.mail import get_connection

    assert settings.EMAIL_TIMEOUT and settings.EMAIL_TIMEOUT <= 60
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert get_connection().timeout == settings.EMAIL_TIMEOUT


# -- the client's address --------------------------------------------------------------------

def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_proxy_header_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_the_proxy_header_counts_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "10.1.0.0/16"]
    assert client_ip(_request("10.0.0.5", "198.51.100.7")) == "198.51.100.7"
    # a client that writes the header itself, straight to the node
    assert client_ip(_request("198.51.100.8", "1.2.3.4")) == "198.51.100.8"
    # a forged entry left of the real client, through two proxies: the right-most untrusted
    assert client_ip(_request("10.0.0.5", "1.2.3.4, 198.51.100.7, 10.1.4.4")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.5", "garbage, 10.1.4.4")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.5")) == "10.0.0.5"


def _fail_login(client, username, *, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": "salah"}, **extra)


@pytest.mark.django_db
def test_behind_the_balancer_one_client_cannot_lock_out_another(client, users, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    for _ in range(settings.LOGIN_IP_FAILURE_LIMIT + 2):
        _fail_login(client, "tidak-ada", remote="10.0.0.5", forwarded="198.51.100.66")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    organiser = users[Role.ORGANISER]
    response = client.post(reverse("login"), {"username": organiser.username,
                                              "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 302  # the balancer's address is not locked


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_does_not_dodge_the_lock(client, users,
                                                                          settings):
    settings.TRUSTED_PROXIES = []
    for number in range(settings.AXES_FAILURE_LIMIT + 1):
        _fail_login(client, "u-operator", remote="203.0.113.5", forwarded=f"1.1.1.{number}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


# -- private storage -------------------------------------------------------------------------

def test_a_missing_stored_letter_is_a_404_with_a_message_never_redrawn(
        client, world, django_capture_on_commit_callbacks):
    client.force_login(world["users"][Role.ORGANISER])
    with django_capture_on_commit_callbacks(execute=True):
        services.start_send_job(program=world["program"], by=world["users"][Role.ORGANISER])
    letter = AnnouncementLetter.objects.get(pk=world["letter"].pk)
    url = reverse("letters:download", args=[letter.pk])
    stored = client.get(url)
    assert stored.status_code == 200
    assert b"".join(stored.streaming_content) == letter.pdf.open("rb").read()
    private_storage().delete(letter.pdf.name)
    missing = client.get(url)
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "Berkas tidak ditemukan di penyimpanan" in page and "tidak dibuat ulang" in page
    assert missing["Content-Type"].startswith("text/html")


def test_a_missing_uploaded_document_is_a_404_with_a_message(client, world):
    from kompeten.participants.document_services import replace_document

    participant = world["users"][Role.PARTICIPANT]
    document = replace_document(registration=world["registration"], kind="sp",
                                upload=upload("sp.pdf", pdf_bytes()), by=participant)
    client.force_login(participant)
    url = reverse("participants:download", args=[document.stored_id])
    assert client.get(url).status_code == 200
    private_storage().delete(document.stored.file.name)
    response = client.get(url)
    assert response.status_code == 404 and "sp.pdf" in response.content.decode()


@mock_aws
def test_on_s3_files_are_private_streamed_and_a_missing_one_is_reported(
        client, world, settings):
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="kompeten-uji")
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "kompeten-uji", "region_name": "us-east-1",
                    "default_acl": "private", "querystring_auth": False,
                    "file_overwrite": False}}}
    from kompeten.participants.document_services import replace_document

    participant = world["users"][Role.PARTICIPANT]
    document = replace_document(registration=world["registration"], kind="sp",
                                upload=upload("sp.pdf", pdf_bytes("di S3")), by=participant)
    name = document.stored.file.name
    s3 = boto3.client("s3", region_name="us-east-1")
    grants = s3.get_object_acl(Bucket="kompeten-uji", Key=name)["Grants"]
    assert [g["Grantee"]["Type"] for g in grants] == ["CanonicalUser"]
    client.force_login(participant)
    url = reverse("participants:download", args=[document.stored_id])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == s3.get_object(
        Bucket="kompeten-uji", Key=name)["Body"].read()
    s3.delete_object(Bucket="kompeten-uji", Key=name)
    response = client.get(url)
    assert response.status_code == 404
    assert "Berkas tidak ditemukan di penyimpanan" in response.content.decode()


@pytest.mark.django_db
def test_copy_files_to_storage_copies_what_the_database_names_once(settings, tmp_path):
    from kompeten.common.models import StoredFile

    source = Path(settings.MEDIA_ROOT)
    names = []
    for number in range(3):
        name = private_storage().save(f"uploads/2019/04/f{number}.pdf",
                                      ContentFile(b"%PDF isi " + bytes([48 + number])))
        StoredFile.objects.create(file=name, original_name=f"f{number}.pdf",
                                  content_type="application/pdf", size=10, sha256="0")
        names.append(name)
    (source / names[2]).unlink()  # recorded, but lost on this disk
    target = tmp_path / "bucket"
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(target)}}}
    out, err = io.StringIO(), io.StringIO()
    call_command("copy_files_to_storage", "--source", str(source), stdout=out, stderr=err)
    assert out.getvalue().strip() == "copied 2, already there 0, missing on disk 1"
    assert names[2] in err.getvalue()
    assert (target / names[0]).read_bytes() == b"%PDF isi 0"
    out = io.StringIO()
    call_command("copy_files_to_storage", "--source", str(source), stdout=out, stderr=err)
    assert out.getvalue().strip() == "copied 0, already there 2, missing on disk 1"


def test_every_file_field_of_the_app_uses_the_private_storage():
    from django.apps import apps
    from django.db.models import FileField

    fields = [(model, field) for model in apps.get_models()
              if model.__module__.startswith("kompeten.")
              for field in model._meta.get_fields() if isinstance(field, FileField)]
    assert len(fields) >= 2  # StoredFile.file and AnnouncementLetter.pdf at least
    for model, field in fields:
        assert getattr(field, "_storage_callable", None) is private_storage, \
            f"{model.__name__}.{field.name}: use storage=private_storage"
