"""Images are measured before decoding and stored re-encoded; PDFs are parsed with pypdf."""

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from kompeten.accounts.models import Role
from kompeten.common import filechecks
from kompeten.common.models import StoredFile
from kompeten.common.uploads import ANY_DOCUMENT, IMAGES, PDF_ONLY, store_upload
from kompeten.nominations.letters import upload_nomination_letter
from kompeten.participants.document_services import replace_document
from kompeten.participants.models import Document
from tests.conftest import make_user
from tests.spreadsheet_samples import forged_png
from tests.upload_samples import image_bytes, pdf_bytes, upload

MB = 1024 * 1024
GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture
def uploader(db):
    return make_user(Role.PARTICIPANT, username="pengunggah")


def refused(name: str, data: bytes, *, allowed=ANY_DOCUMENT, by=None) -> str:
    with pytest.raises(ValidationError) as caught:
        store_upload(upload=upload(name, data), allowed=allowed, max_bytes=5 * MB, by=by)
    assert StoredFile.objects.count() == 0
    root = Path(settings.MEDIA_ROOT)
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
    return " ".join(caught.value.messages)


# -- images ----------------------------------------------------------------------------------

def test_a_69_byte_png_claiming_50_million_pixels_is_refused_without_decoding(uploader):
    data = forged_png(1, 49_999_999)
    assert len(data) == 69
    tracemalloc.start()
    message = refused("foto.png", data, allowed=IMAGES, by=uploader)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "Resolusi gambar terlalu besar (1×49999999 piksel)" in message
    assert peak < 5 * MB


@pytest.mark.parametrize(("size", "message"), [
    ((12_000, 10), "Resolusi gambar terlalu besar (12000×10"),
    ((4000, 400), "Perbandingan sisi gambar tidak wajar (4000×400"),
])
def test_images_of_implausible_shape_are_refused_by_their_header(uploader, size, message):
    assert message in refused("scan.png", forged_png(*size), allowed=IMAGES, by=uploader)


def _phone_photo(size=(400, 300), orientation=6) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Samsung"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "S", 2: (6.0, 35.0, 48.0), 3: "E", 4: (106.0, 48.0, 1.0)})
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="JPEG", exif=exif,
                                                comment=b"Jl. Merdeka 7")
    return out.getvalue()


def test_photos_are_stored_re_encoded_without_exif_and_upright(uploader):
    data = _phone_photo()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the sample really has a position
    stored = store_upload(upload=upload("foto.jpg", data), allowed=IMAGES, max_bytes=5 * MB,
                          by=uploader)
    kept = Path(stored.file.path).read_bytes()
    assert b"Jl. Merdeka" not in kept and b"Samsung" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (300, 400)  # orientation 6 applied: the portrait photo stands


def test_a_sideways_phone_photo_counts_as_portrait_for_the_pas_foto(world):
    registration = world["registration"]
    document = replace_document(registration=registration, kind="photo",
                                upload=upload("pas-foto.jpg", _phone_photo()),
                                by=world["users"][Role.PARTICIPANT])
    with Image.open(document.stored.file.path) as image:
        assert image.size == (300, 400) and not image.getexif()


def test_photos_are_decoded_outside_the_transaction(world, monkeypatch):
    depths = []
    real = filechecks.check_image

    def spy(data, **kwargs):
        depths.append(len(connection.atomic_blocks))
        return real(data, **kwargs)

    monkeypatch.setattr(filechecks, "check_image", spy)
    outside = len(connection.atomic_blocks)
    replace_document(registration=world["registration"], kind="photo",
                     upload=upload("foto.png", image_bytes("PNG")),
                     by=world["users"][Role.PARTICIPANT])
    assert depths == [outside]
    assert Document.objects.filter(kind="photo", is_current=True).count() == 1


# -- PDFs ------------------------------------------------------------------------------------

def _pdf(build=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(action: dict):
    def build(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject(key): value for key, value in action.items()})
    return build


def _names_js(code: str):
    def build(writer: PdfWriter) -> None:
        action = writer._add_object(DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(code)}))
        tree = DictionaryObject({NameObject("/Names"): ArrayObject(
            [TextStringObject("init"), action])})
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)})
    return build


def _zip_polyglot() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\0" * 100)
    return b"%PDF-1.4\n" + out.getvalue() + b"\n%%EOF\n"


@pytest.mark.parametrize(("data", "message"), [
    (b"%PDF-1.4\n%%EOF", "bukan PDF yang dapat dibuka"),
    (b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF",
     "bukan PDF yang dapat dibuka"),
    (b'%PDF-1.7\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n%%EOF',
     "bukan PDF yang dapat dibuka"),
    (_zip_polyglot(), "bukan PDF yang dapat dibuka"),
    (_pdf(_open_action({"/S": NameObject("/JavaScript"),
                        "/JS": TextStringObject("app.alert(1)")})), "PDF berisi JavaScript"),
    (_pdf(_names_js("this.print();")), "PDF berisi JavaScript"),
    (_pdf(_open_action({"/S": NameObject("/Launch"), "/F": TextStringObject("cmd.exe")})),
     "PDF berisi aksi /Launch"),
    (_pdf(lambda writer: writer.encrypt(user_password="rahasia", algorithm="RC4-128")),
     "PDF terkunci kata sandi"),
], ids=["14-byte-fake", "html", "svg", "zip", "open-action-js", "names-js", "launch",
        "password"])
def test_fake_and_active_pdfs_are_refused(uploader, data, message):
    assert message in refused("surat.pdf", data, allowed=PDF_ONLY, by=uploader)


def test_a_javascript_name_written_with_hex_escapes_is_found(uploader):
    data = _pdf(_open_action({"/S": NameObject("/JavaScript"),
                              "/JS": TextStringObject("app.alert(1)")}))
    disguised = data.replace(b"/JavaScript", b"/J#61vaScript")
    assert "PDF berisi JavaScript" in refused("surat.pdf", disguised, allowed=PDF_ONLY,
                                              by=uploader)


@pytest.mark.parametrize("data", [
    pdf_bytes(), _pdf(),
    _pdf(lambda writer: writer.encrypt(user_password="", owner_password="pemilik",
                                       algorithm="RC4-128")),
], ids=["hand-made", "pypdf", "owner-password-only"])
def test_plain_pdfs_are_accepted_unchanged(uploader, data):
    stored = store_upload(upload=upload("surat.pdf", data), allowed=PDF_ONLY, max_bytes=5 * MB,
                          by=uploader)
    assert Path(stored.file.path).read_bytes() == data


def test_a_nomination_letter_with_javascript_is_refused(world):
    import datetime as dt

    operator = world["users"][Role.OPERATOR]
    data = _pdf(_names_js("app.launchURL('http://x');"))
    with pytest.raises(ValidationError) as caught:
        upload_nomination_letter(program=world["program"], agency=operator.agency,
                                 number="800/1/BKD", date=dt.date(2019, 3, 1),
                                 upload=upload("surat-usulan.pdf", data), by=operator,
                                 today=dt.date(2019, 3, 2))
    assert "PDF berisi JavaScript" in " ".join(caught.value.message_dict["document"])
    assert StoredFile.objects.count() == 0
