"""What a PDF embeds, read with pypdf: every font of every page (and of the forms drawn on
it) and the document information."""

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

STANDARD_14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
               "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
               "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol",
               "ZapfDingbats"}


@dataclass(frozen=True)
class FontUse:
    name: str
    subtype: str
    embedded: bool  # a /FontFile2 (TrueType program) in its descriptor


def _fonts_of(resources, seen: set[int]) -> list[FontUse]:
    found = []
    if not isinstance(resources, DictionaryObject):
        return found
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) in seen:
            continue
        seen.add(id(font))
        subtype = str(font.get("/Subtype"))
        described = font
        if subtype == "/Type0":
            described = font["/DescendantFonts"][0].get_object()
        descriptor = described.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        found.append(FontUse(str(font.get("/BaseFont", "")).lstrip("/"), subtype,
                             "/FontFile2" in descriptor))
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            found += _fonts_of(xobject.get("/Resources"), seen)
    return found


def fonts(data: bytes) -> list[FontUse]:
    reader = PdfReader(io.BytesIO(data))
    seen: set[int] = set()
    return [use for page in reader.pages for use in _fonts_of(page.get("/Resources"), seen)]


def unembedded(data: bytes) -> list[str]:
    """Fonts without an embedded font program, standard-14 fonts (a subset prefix
    ABCDEF+ dropped) and Type 3 fonts included."""
    return sorted({use.name for use in fonts(data)
                   if not use.embedded or use.name.split("+")[-1] in STANDARD_14})


def info(data: bytes) -> dict[str, str]:
    meta = PdfReader(io.BytesIO(data)).metadata or {}
    return {key: str(meta.get(f"/{key}", "")) for key in ("Title", "Author", "Creator",
                                                          "Producer")}
