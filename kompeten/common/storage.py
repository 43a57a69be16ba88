"""Private storage of every file the app keeps, and how a stored file reaches a user.

Rules for every app (uploads, letters, materials, resumes, attendance sheets, certificates):

* Storage. A model's file field uses ``storage=private_storage`` (this module); code that
  writes without a field uses ``private_storage()``. It is ``STORAGES["private"]``: local disk
  under PRIVATE_MEDIA_ROOT (outside every served directory) by default, or a private
  S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (AWS_S3_ENDPOINT_URL,
  AWS_S3_REGION_NAME, credentials from the environment; ACL private, no signed URLs). With
  several app nodes, the bucket is the only option: each node's disk is its own.
* Names. A stored document is never overwritten: every version gets a new, unguessable name
  (``unique_name()``), and replacing a document never deletes the one that was sent or
  shown before (the letters keep every e-mailed PDF).
* Serving. Only a view that has checked the user's right to the object streams it, with
  ``serve()``: exactly the stored bytes, in chunks, ``Cache-Control: private, no-store``.
  When the stored file is missing the user gets a 404 page saying so; a document is never
  drawn again in its place (it could differ from the one that was sent).
* Moving to the bucket: ``python manage.py copy_files_to_storage`` copies the files that the
  database names from the local disk to the configured storage (idempotent).
"""

import logging
import secrets
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

log = logging.getLogger(__name__)


def private_storage() -> Storage:
    """The storage of every private file (a callable, so settings may change in tests)."""
    return storages["private"]


def unique_name(folder: str, *, suffix: str) -> str:
    """A new name that no earlier version can have: folder/YYYYMMDD-HHMMSS-<random>.suffix."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return f"{folder.strip('/')}/{stamp}-{secrets.token_hex(8)}.{suffix.lstrip('.')}"


def save_new(folder: str, data: bytes, *, suffix: str) -> str:
    """Store bytes under a new unique name; returns the name to record."""
    return private_storage().save(unique_name(folder, suffix=suffix), ContentFile(data))


class StoredFileMissing(Exception):
    """The database names a file that the storage does not have."""


def _is_missing(exc: Exception) -> bool:
    if isinstance(exc, FileNotFoundError):
        return True
    # boto3 reports a missing object as a ClientError with a 404 / NoSuchKey code.
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NotFound"}


def open_stored(file: FieldFile | str, *, storage: Storage | None = None):
    """An open binary handle on the stored file; StoredFileMissing when it is gone."""
    name = file if isinstance(file, str) else file.name
    if not name:
        raise StoredFileMissing(name)
    # Every file field of the app is private: read through the configured private storage
    # (the field holds the instance made at import, which a test's settings do not reach).
    store = storage or private_storage()
    try:
        handle = store.open(name, "rb")
        if hasattr(handle, "obj"):  # S3: opening is lazy; ask for the object now
            handle.obj.load()
    except Exception as exc:
        if _is_missing(exc):
            raise StoredFileMissing(name) from exc
        raise
    return handle


def missing_response(request: HttpRequest, *, name: str = "") -> HttpResponse:
    """The 404 page that tells the user the stored document is missing."""
    log.error("stored file missing: %s (%s)", name, request.path)
    return render(request, "common/file_missing.html", {"display_name": name}, status=404)


def serve(request: HttpRequest, file: FieldFile, *, filename: str, content_type: str,
          as_attachment: bool = True) -> HttpResponse:
    """Stream a stored file exactly as stored, after the caller's permission checks."""
    display = PurePosixPath(filename).name
    try:
        handle = open_stored(file)
    except StoredFileMissing:
        return missing_response(request, name=display)
    response = FileResponse(handle, as_attachment=as_attachment, filename=display,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
