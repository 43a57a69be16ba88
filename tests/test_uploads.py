"""Safe uploads: type by content, size limits, sanitised names, nothing stored on refusal."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image

from kompeten.accounts.models import Role
from kompeten.common.models import StoredFile
from kompeten.common.upload_limits import CappedUploadHandler
from kompeten.common.uploads import (
    ANY_DOCUMENT,
    IMAGES,
    PDF_ONLY,
    clean_name,
    store_upload,
)
from tests.conftest import make_user
from tests.upload_samples import image_bytes, pdf_bytes, upload

MB = 1024 * 1024


def files_on_disk() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def uploader(db):
    return make_user(Role.PARTICIPANT, username="pengunggah")


def refused(name: str, data: bytes, *, allowed=ANY_DOCUMENT, by=None,
            max_bytes: int = 5 * MB) -> str:
    with pytest.raises(ValidationError) as caught:
        store_upload(upload=upload(name, data), allowed=allowed, max_bytes=max_bytes, by=by)
    assert StoredFile.objects.count() == 0
    assert files_on_disk() == []
    return " ".join(caught.value.messages)


class CountingFile(io.BytesIO):
    """A file that remembers how many bytes were read from it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


# --- bad files: a clear message and nothing stored ---------------------------------------

def test_exe_renamed_pdf_is_refused(uploader):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 2000 + b"PE\x00\x00"
    message = refused("surat-perintah.pdf", exe, by=uploader)
    assert "Berkas bukan PDF/JPEG/PNG yang valid" in message
    assert "bukan dari nama" in message


def test_exe_renamed_pdf_for_a_pdf_only_letter_names_only_pdf(uploader):
    message = refused("surat-usulan.pdf", b"MZ" + b"\x00" * 100, allowed=PDF_ONLY, by=uploader)
    assert "Berkas bukan PDF yang valid" in message


def test_truncated_pdf_is_refused(uploader):
    whole = pdf_bytes()
    message = refused("sp.pdf", whole[: len(whole) // 2], by=uploader)
    assert "PDF tidak utuh" in message


def test_pdf_header_only_is_refused(uploader):
    assert "PDF tidak utuh" in refused("sp.pdf", b"%PDF-1.7\n", by=uploader)


def test_fifty_megabyte_photo_is_refused_without_reading_it(uploader):
    data = b"\xff\xd8\xff\xe0" + b"\x00" * (50 * MB)
    stream = CountingFile(data)
    big = UploadedFile(file=stream, name="pas-foto.jpg", content_type="image/jpeg",
                       size=len(data))
    with pytest.raises(ValidationError) as caught:
        store_upload(upload=big, allowed=IMAGES, max_bytes=5 * MB, by=uploader)
    message = caught.value.messages[0]
    assert "pas-foto.jpg" in message and "50" in message and "melebihi batas 5 MB" in message
    assert stream.bytes_read == 0
    assert StoredFile.objects.count() == 0 and files_on_disk() == []


def test_a_file_lying_about_its_size_is_read_only_one_byte_past_the_limit(uploader):
    data = b"%PDF-1.4\n" + b"0" * (3 * MB)
    stream = CountingFile(data)
    liar = UploadedFile(file=stream, name="sp.pdf", content_type="application/pdf", size=10)
    with pytest.raises(ValidationError) as caught:
        store_upload(upload=liar, allowed=ANY_DOCUMENT, max_bytes=1 * MB, by=uploader)
    assert "melebihi batas 1 MB" in caught.value.messages[0]
    assert stream.bytes_read == 1 * MB + 1
    assert StoredFile.objects.count() == 0 and files_on_disk() == []


def test_html_pretending_to_be_png_is_refused(uploader):
    html = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
    assert "Berkas bukan JPEG/PNG yang valid" in refused("foto.png", html, allowed=IMAGES,
                                                          by=uploader)


def test_png_signature_with_garbage_is_a_broken_image(uploader):
    fake = b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 20
    assert "Gambar PNG rusak" in refused("foto.png", fake, allowed=IMAGES, by=uploader)


def test_truncated_jpeg_is_a_broken_image(uploader):
    whole = image_bytes("JPEG", size=(600, 800))
    assert "Gambar JPEG rusak" in refused("foto.jpg", whole[: len(whole) // 2], by=uploader)


def test_empty_file_is_refused(uploader):
    assert "kosong" in refused("kosong.pdf", b"", by=uploader)


def test_a_pdf_where_only_images_are_allowed_says_which_types(uploader):
    message = refused("foto.pdf", pdf_bytes(), allowed=IMAGES, by=uploader)
    assert "Berkas ini PDF, sedangkan yang diterima hanya JPEG/PNG" in message


def test_an_image_where_only_pdf_is_allowed_says_which_types(uploader):
    message = refused("surat.jpg", image_bytes(), allowed=PDF_ONLY, by=uploader)
    assert "Berkas ini JPEG, sedangkan yang diterima hanya PDF" in message


def test_decompression_bomb_is_refused_by_its_header(uploader):
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")
    assert "Resolusi gambar terlalu besar (8000×8000" in refused(
        "bom.png", out.getvalue(), allowed=IMAGES, by=uploader)


# --- good files ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "data", "content_type", "stored_name"), [
    ("../../etc/Surat Perintah (final).PDF", pdf_bytes(), "application/pdf",
     "Surat_Perintah_final.pdf"),
    ("C:\\Users\\agus\\Pas Foto Merah.jpeg", image_bytes("JPEG"), "image/jpeg",
     "Pas_Foto_Merah.jpg"),
    ("kartu<script>.png", image_bytes("PNG"), "image/png", "kartuscript.png"),
    # the content decides: a JPEG named .png is kept as .jpg, a PDF named .exe as .pdf
    ("foto.png", image_bytes("JPEG"), "image/jpeg", "foto.jpg"),
    ("portofolio.exe", pdf_bytes(), "application/pdf", "portofolio.pdf"),
    ("....pdf", pdf_bytes(), "application/pdf", "berkas.pdf"),
])
def test_good_files_are_stored_privately_with_a_sanitised_name(uploader, name, data,
                                                                 content_type, stored_name):
    stored = store_upload(upload=upload(name, data), allowed=ANY_DOCUMENT, max_bytes=5 * MB,
                          by=uploader)
    assert stored.original_name == stored_name
    assert stored.content_type == content_type
    assert stored.uploaded_by == uploader
    path = Path(stored.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "uploads")
    kept = path.read_bytes()
    assert stored.size == len(kept)
    assert stored.sha256 == hashlib.sha256(kept).hexdigest()
    if content_type == "application/pdf":
        assert kept == data
    else:  # images are kept re-encoded: same picture, same type, nothing else
        with Image.open(io.BytesIO(kept)) as image, Image.open(io.BytesIO(data)) as original:
            assert (image.format, image.size) == (original.format, original.size)
    # a random path: nothing of the user's name reaches the disk
    assert stored_name.rsplit(".", 1)[0] not in path.name
    assert files_on_disk() == [path]


def test_long_names_are_cut():
    name = clean_name("a" * 300 + ".pdf", content_type="application/pdf")
    assert name == "a" * 100 + ".pdf"


def test_a_file_exactly_at_the_limit_is_accepted(uploader):
    data = pdf_bytes()
    stored = store_upload(upload=upload("sp.pdf", data), allowed=PDF_ONLY, max_bytes=len(data),
                          by=uploader)
    assert stored.size == len(data)


# --- the upload handler keeps at most limit+1 bytes but reports the real size -------------

def test_capped_upload_handler_keeps_only_limit_plus_one_bytes():
    handler = CappedUploadHandler(None, limit=1000)
    handler.new_file("file", "foto.jpg", "image/jpeg", 50 * MB)
    chunk = b"x" * (64 * 1024)
    for start in range(0, 50 * MB, len(chunk)):
        assert handler.receive_data_chunk(chunk, start) is None
    received = handler.file_complete(50 * MB)
    assert received.size == 50 * MB
    assert len(received.read()) == 1001
    received.close()
