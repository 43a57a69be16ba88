"""The PDF kit: shipped fonts, the A4 page frame, styles, tables, QR, photo and signature.
A leaf package: it imports no app of the project."""

from kompeten.pdfkit.document import (
    AUTHOR,
    BRAND,
    CREATOR,
    GRID,
    HEADER_BG,
    LANDSCAPE,
    LANDSCAPE_PAGE,
    LETTERHEAD_PAGE,
    MUTED,
    PORTRAIT,
    PORTRAIT_PAGE,
    STANDARD,
    Letterhead,
    Margins,
    build,
    styles,
)
from kompeten.pdfkit.flowables import (
    QRCode,
    esc,
    layout,
    numbered,
    para,
    photo,
    signature,
    table,
)
from kompeten.pdfkit.fonts import SANS, SERIF, TIMES, Family, sans, serif, serif_for

__all__ = [
    "AUTHOR", "BRAND", "CREATOR", "GRID", "HEADER_BG", "LANDSCAPE", "LANDSCAPE_PAGE",
    "LETTERHEAD_PAGE",
    "MUTED", "PORTRAIT", "PORTRAIT_PAGE", "SANS", "SERIF", "STANDARD", "TIMES", "Family",
    "Letterhead", "Margins", "QRCode", "build", "esc", "layout", "numbered", "para", "photo",
    "sans", "serif", "serif_for", "signature", "styles", "table",
]
