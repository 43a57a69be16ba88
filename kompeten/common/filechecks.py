"""Content checks of uploaded images and PDFs, done before anything is stored.

Images: the size in the header is checked before a single pixel is decoded (a
69-byte PNG can declare 1 × 49,999,999 pixels), then the image is decoded and
re-encoded. Re-encoding keeps only the pixels: EXIF with the phone's GPS position,
comments and anything appended after the image end are dropped (data minimisation,
UU PDP), and the EXIF orientation is applied so the stored photo stands upright.

PDFs: parsed with pypdf; a file pypdf cannot open, that has no page, is locked with
a password, or carries JavaScript or a launch action is refused. The walk only
follows objects reachable from the trailer, which is all a viewer would run.

This module imports no app of the project: it raises ValidationError and returns bytes.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# A 50-megapixel phone photo is the largest plausible image; more is a decompression bomb.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE = 10_000
# A scanned receipt is about 1:4; 1:8 leaves room, 1:49,999,999 does not.
MAX_ASPECT_RATIO = 8
JPEG_QUALITY = 90
# Objects visited when looking for scripts; a 5 MB scan has a few hundred.
MAX_PDF_OBJECTS = 200_000
# Action types that run something: scripts and programs.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript"})


@dataclass(frozen=True)
class CheckedImage:
    data: bytes  # re-encoded
    width: int
    height: int


def _too_large(width: int | str, height: int | str) -> ValidationError:
    return ValidationError(
        _("Resolusi gambar terlalu besar (%(w)s×%(h)s piksel). Perkecil gambarnya lalu "
          "unggah lagi.") % {"w": width, "h": height}, code="image_too_large")


def check_image_size(width: int, height: int) -> None:
    """Refuse sizes no camera or scanner makes, before any decoding."""
    if width < 1 or height < 1:
        raise ValidationError(_("Ukuran gambar tidak valid (%(w)s×%(h)s piksel).")
                              % {"w": width, "h": height}, code="broken_image")
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        raise _too_large(width, height)
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(
            _("Perbandingan sisi gambar tidak wajar (%(w)s×%(h)s piksel; paling banyak "
              "1:%(ratio)s). Potong gambarnya lalu unggah lagi.")
            % {"w": width, "h": height, "ratio": MAX_ASPECT_RATIO}, code="image_aspect")


def check_image(data: bytes, *, image_format: str) -> CheckedImage:
    """Check the header size, decode, and re-encode as image_format ("JPEG" or "PNG")."""
    broken = ValidationError(
        _("Gambar %(type)s rusak atau tidak utuh dan tidak dapat dibuka. Simpan ulang "
          "gambarnya lalu unggah lagi.") % {"type": image_format}, code="broken_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[image_format]) as image:
                check_image_size(*image.size)  # Image.open reads only the header
                image.verify()
            # verify() checks the structure; decoding finds truncated pixel data.
            with Image.open(io.BytesIO(data), formats=[image_format]) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                return _reencode(upright, image_format=image_format,
                                 icc_profile=image.info.get("icc_profile"))
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large("?", "?") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise broken from exc


def _reencode(image: Image.Image, *, image_format: str, icc_profile: bytes | None
              ) -> CheckedImage:
    out = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    # Pillow writes some of info back (a JPEG comment, PNG text); keep only transparency.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=JPEG_QUALITY, **options)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", **options)
    return CheckedImage(out.getvalue(), *image.size)


# -- PDF -------------------------------------------------------------------------------------

def check_pdf(data: bytes) -> int:
    """Parse the PDF and refuse what is no real, openable, script-free PDF; the page count."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    broken = ValidationError(
        _("Berkas ini bukan PDF yang dapat dibuka (isinya rusak atau hanya berpura-pura PDF). "
          "Simpan ulang atau cetak ulang sebagai PDF lalu unggah lagi."), code="broken_pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # pypdf needs extra packages for some ciphers
                opened = 0
            if not opened:
                raise ValidationError(
                    _("PDF terkunci kata sandi dan tidak dapat diperiksa. Simpan ulang tanpa "
                      "kata sandi lalu unggah lagi."), code="encrypted_pdf")
        pages = len(reader.pages)
        if pages < 1:
            raise broken
        found = _active_content(reader.trailer, ArrayObject, DictionaryObject, IndirectObject)
    except ValidationError:
        raise
    except RecursionError as exc:
        raise broken from exc
    except Exception as exc:  # pypdf raises many kinds for a broken file
        raise broken from exc
    if found:
        raise ValidationError(
            _("PDF berisi %(what)s yang dapat dijalankan saat dibuka; berkas seperti ini tidak "
              "diterima. Cetak ulang dokumennya ke PDF (Print → Save as PDF) lalu unggah lagi.")
            % {"what": found}, code="active_pdf")
    return pages


def _active_content(trailer, array_type, dict_type, indirect_type) -> str | None:
    """'JavaScript' or 'aksi /Launch' when a reachable object has one, else None."""
    seen: set[tuple[int, int]] = set()
    stack: list = [trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, indirect_type):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValueError("too many objects")
            item = item.get_object()
        if isinstance(item, dict_type):
            if ACTIVE_KEYS & set(dict.keys(item)):
                return "JavaScript"
            action = dict.get(item, "/S")
            if isinstance(action, indirect_type):
                action = action.get_object()
            if action in ACTIVE_ACTIONS:
                return "JavaScript" if action == "/JavaScript" else _("aksi %(name)s") % {
                    "name": action}
            stack.extend(dict.values(item))
        elif isinstance(item, array_type):
            stack.extend(list.__iter__(item))
    return None


# -- Office Open XML (DOCX, PPTX) ------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# The main part each format must declare in [Content_Types].xml.
OOXML_MAIN_PARTS = {
    DOCX: ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
           "application/vnd.ms-word.document.macroEnabled.main+xml"),
    PPTX: ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
           "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"),
}
OOXML_LABELS = {DOCX: "DOCX", PPTX: "PPTX"}
MB = 1024 * 1024
# A 100-slide deck with photos unpacks to a few hundred MB at most; the limits are those of
# kompeten.common.spreadsheets, sized for documents.
MAX_OOXML_MEMBERS = 2000
MAX_OOXML_MEMBER_BYTES = 64 * MB
MAX_OOXML_UNPACKED_BYTES = 200 * MB
MAX_OOXML_RATIO = 100
OOXML_RATIO_CHECKED_FROM = MB
MAX_CONTENT_TYPES_BYTES = MB


def ooxml_kind(data: bytes) -> str | None:
    """DOCX or PPTX when the zip declares that main part, else None (ValidationError when the
    zip is broken, too large unpacked, holds macros, or is no Office document)."""
    import re
    import zipfile

    broken = ValidationError(
        _("Berkas Office rusak atau bukan dokumen Word/PowerPoint (.docx/.pptx). Simpan ulang "
          "dari Word/PowerPoint lalu unggah lagi."), code="broken_ooxml")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise broken from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_OOXML_MEMBERS:
            raise broken
        total = 0
        for member in members:
            if (member.file_size > MAX_OOXML_MEMBER_BYTES
                    or (member.file_size > OOXML_RATIO_CHECKED_FROM
                        and member.file_size > MAX_OOXML_RATIO * max(member.compress_size, 1))):
                raise ValidationError(
                    _("Berkas Office tidak wajar: bagian %(part)s terlalu besar setelah dibuka. "
                      "Simpan ulang dokumennya lalu unggah lagi.") % {"part": member.filename},
                    code="ooxml_bomb")
            total += member.file_size
        if total > MAX_OOXML_UNPACKED_BYTES:
            raise ValidationError(
                _("Berkas Office tidak wajar: isinya terlalu besar setelah dibuka. Simpan ulang "
                  "dokumennya lalu unggah lagi."), code="ooxml_bomb")
        try:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                raise broken
            types = archive.read(info).decode("utf-8", "replace")
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise broken from exc
        if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
            raise ValidationError(
                _("Dokumen berisi makro (VBA) yang dapat dijalankan; berkas seperti ini tidak "
                  "diterima. Simpan sebagai .docx/.pptx tanpa makro lalu unggah lagi."),
                code="ooxml_macro")
        declared = set(re.findall(r'ContentType="([^"]+)"', types))
        for kind, (main, macro) in OOXML_MAIN_PARTS.items():
            if macro in declared:
                raise ValidationError(
                    _("Dokumen berisi makro (VBA) yang dapat dijalankan; berkas seperti ini "
                      "tidak diterima. Simpan sebagai .docx/.pptx tanpa makro lalu unggah "
                      "lagi."), code="ooxml_macro")
            if main in declared:
                return kind
    return None
