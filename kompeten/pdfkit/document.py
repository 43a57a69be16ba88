"""The page frame every PDF shares: A4 portrait (and landscape pages on demand), margins,
an optional BKN letterhead on the first page, a running head and a footer with the page
number; plus the paragraph styles drawn from one font family."""

from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate

from kompeten.pdfkit.fonts import Family, sans

AUTHOR = "Pusbang ASN BKN"
CREATOR = "Kompeten"
BRAND = colors.HexColor("#0b3d68")
HEADER_BG = colors.HexColor("#dbe5f1")
GRID = colors.HexColor("#555555")
MUTED = colors.HexColor("#555555")
PORTRAIT, LANDSCAPE = A4, landscape(A4)
# Names of the page templates; switch with NextPageTemplate(...) + PageBreak() in a story.
PORTRAIT_PAGE, LANDSCAPE_PAGE, LETTERHEAD_PAGE = "portrait", "landscape", "letterhead"


@dataclass(frozen=True)
class Margins:
    left: float = 15 * mm
    right: float = 15 * mm
    top: float = 16 * mm
    bottom: float = 15 * mm

    def width(self, page=PORTRAIT) -> float:
        return page[0] - self.left - self.right


STANDARD = Margins()


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: the two names of the office, an address line and a double rule."""

    address: str = ""
    height: float = 31 * mm
    lines: tuple[tuple[str, float], ...] = (("BADAN KEPEGAWAIAN NEGARA", 15),
                                            ("PUSAT PENGEMBANGAN APARATUR SIPIL NEGARA", 13.5))


def styles(family: Family | None = None, *, size: float = 9,
           leading: float | None = None) -> dict[str, ParagraphStyle]:
    """The usual paragraph styles at one base size; derive others with
    ParagraphStyle(name, parent=styles[...], ...)."""
    family = family or sans()
    leading = leading or round(size * 1.27, 1)
    base = ParagraphStyle("base", fontName=family.regular, fontSize=size, leading=leading)
    small = ParagraphStyle("small", parent=base, fontSize=size - 2, leading=leading - 3,
                           textColor=colors.HexColor("#444444"))
    return {
        "base": base,
        "body": base,
        "bold": ParagraphStyle("bold", parent=base, fontName=family.bold),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "centre": ParagraphStyle("centre", parent=base, alignment=TA_CENTER),
        "justify": ParagraphStyle("justify", parent=base, alignment=TA_JUSTIFY),
        "small": small,
        "cell": ParagraphStyle("cell", parent=base, fontSize=size - 0.5, leading=leading - 1),
        "head": ParagraphStyle("head", parent=base, fontName=family.bold, fontSize=size - 0.5,
                               leading=leading - 1, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontName=family.bold, fontSize=14,
                                leading=18, alignment=TA_CENTER, textColor=BRAND),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=size + 1,
                                   leading=leading + 1.5, alignment=TA_CENTER),
        "section": ParagraphStyle("section", parent=base, fontName=family.bold,
                                  fontSize=size + 1.5, leading=leading + 2.5, spaceBefore=10,
                                  spaceAfter=4, textColor=BRAND),
        "point": ParagraphStyle("point", parent=base, leftIndent=11, bulletIndent=0,
                                bulletFontName=family.regular, bulletFontSize=size),
    }


def _decorations(*, family: Family, margins: Margins, footer: str | None, page_numbers: bool,
                 running_head: str | None):
    def draw(canvas, doc) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        if running_head:
            canvas.setFont(family.bold, 8)
            canvas.setFillColor(BRAND)
            canvas.drawRightString(width - margins.right, height - 10 * mm, running_head)
        canvas.setFont(family.regular, 7.5)
        canvas.setFillColor(MUTED)
        if footer:
            canvas.drawString(margins.left, 9 * mm, footer)
        if page_numbers:
            canvas.drawRightString(width - margins.right, 9 * mm,
                                   _("Halaman %(page)s") % {"page": doc.page})
        canvas.restoreState()
    return draw


def _letterhead(letterhead: Letterhead, family: Family, margins: Margins, decorate):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        centre = margins.left + margins.width() / 2
        y = PORTRAIT[1] - margins.top
        for offset, (text, size) in zip((7 * mm, 13.5 * mm), letterhead.lines, strict=False):
            canvas.setFont(family.bold, size)
            canvas.drawCentredString(centre, y - offset, text)
        if letterhead.address:
            # a long address shrinks to the width instead of running off the page
            size = min(9.5, 9.5 * margins.width() / canvas.stringWidth(
                letterhead.address, family.regular, 9.5))
            canvas.setFont(family.regular, size)
            canvas.drawCentredString(centre, y - 19 * mm, letterhead.address)
        rule = y - 22 * mm
        canvas.setLineWidth(2.2)
        canvas.line(margins.left, rule, PORTRAIT[0] - margins.right, rule)
        canvas.setLineWidth(0.6)
        canvas.line(margins.left, rule - 1.6 * mm, PORTRAIT[0] - margins.right, rule - 1.6 * mm)
        canvas.restoreState()
        decorate(canvas, doc)
    return draw


def build(story: list, *, title: str, family: Family | None = None, author: str = AUTHOR,
          subject: str = "", margins: Margins = STANDARD, footer: str | None = None,
          page_numbers: bool = True, running_head: str | None = None,
          letterhead: Letterhead | None = None, first_landscape: bool = False,
          compress: bool = True) -> bytes:
    """Lay the story out on A4 pages and return the PDF bytes (deterministic for the same
    story). compress=False keeps the text streams readable in the raw bytes."""
    family = family or sans()
    decorate = _decorations(family=family, margins=margins, footer=footer,
                            page_numbers=page_numbers, running_head=running_head)

    def template(name: str, page, head: float = 0) -> PageTemplate:
        frame = Frame(margins.left, margins.bottom, page[0] - margins.left - margins.right,
                      page[1] - margins.top - margins.bottom - head, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        return PageTemplate(name, [frame], onPage=decorate, pagesize=page)

    templates = [template(PORTRAIT_PAGE, PORTRAIT), template(LANDSCAPE_PAGE, LANDSCAPE)]
    if first_landscape:
        templates.reverse()
    if letterhead:
        first = template(LETTERHEAD_PAGE, PORTRAIT, letterhead.height)
        first.onPage = _letterhead(letterhead, family, margins, decorate)
        templates.insert(0, first)
        story = [NextPageTemplate(PORTRAIT_PAGE), *story]
    buffer = BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=templates[0].pagesize, title=title, author=author,
                          subject=subject, creator=CREATOR, invariant=1,
                          # the canvas's own default (Helvetica, a standard-14 font that is
                          # never embedded) would be named on every page
                          initialFontName=family.regular, initialFontSize=10,
                          pageCompression=1 if compress else 0, leftMargin=margins.left,
                          rightMargin=margins.right, topMargin=margins.top,
                          bottomMargin=margins.bottom)
    doc.addPageTemplates(templates)
    doc.build(story)
    return buffer.getvalue()
