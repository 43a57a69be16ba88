"""The typefaces of every PDF: DejaVu, shipped in fonts/ (licence in fonts/LICENSE), so that
a document never depends on what the server happens to have installed."""

from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class Family:
    """A family usable in paragraph markup (<b>, <i>) and on the canvas."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


SANS = Family("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique")
# DejaVu Serif has no italic in the kit: <i> falls back to the upright face.
SERIF = Family("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif", "DejaVuSerif-Bold")
# The face of Indonesian official letters: Liberation Serif has the metrics of Times New Roman
# and is embedded like every font (a reader's own Times would be a standard-14 font, not
# embedded, drawn differently per reader). Used for Windows-1252 text (see serif_for).
TIMES = Family("LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationSerif-Italic",
               "LiberationSerif-BoldItalic")


def _register(family: Family) -> Family:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in {family.regular, family.bold, family.italic, family.bold_italic} - registered:
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(family.regular, normal=family.regular, bold=family.bold,
                                  italic=family.italic, boldItalic=family.bold_italic)
    return family


def sans() -> Family:
    """DejaVu Sans, registered on first use: every letter of Indonesian names, ≤ and dashes."""
    return _register(SANS)


def serif() -> Family:
    return _register(SERIF)


def serif_for(*texts: str) -> Family:
    """Times (the usual face of Indonesian official letters: Liberation Serif) when every
    character of the texts is in Windows-1252; DejaVu Serif otherwise (e.g. names with
    letters beyond Latin-1)."""
    try:
        " ".join(texts).encode("cp1252")
    except UnicodeEncodeError:
        return serif()
    return _register(TIMES)
