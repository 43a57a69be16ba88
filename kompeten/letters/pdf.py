"""The announcement letter as a PDF (ReportLab, A4), in the layout of the 2019 letter of
Pusbang ASN BKN: letterhead with a double rule, Nomor/Lampiran/Perihal, place and date,
addressee, body, signature, Tembusan, Catatan; then Lampiran I, the schedule table.

An official letter is always in Indonesian, whatever the reader's UI language: its fixed
words are therefore plain strings here, not translatable messages.
"""

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kompeten.letters.content import LetterContent

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 20 * mm, 14 * mm, 16 * mm
WIDTH = PAGE_WIDTH - LEFT - RIGHT
LETTERHEAD_HEIGHT = 31 * mm
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
HEADER_BG = colors.HexColor("#e6e6e6")


def _fonts(content: LetterContent) -> tuple[str, str]:
    """Times (the usual face of Indonesian official letters) when every character of the
    letter exists in it; DejaVu Serif otherwise (e.g. names with letters beyond Latin-1)."""
    text = " ".join([content.number, content.addressee, content.subject, content.agency_name,
                     content.signatory_name, content.letterhead_address, content.place,
                     content.attachment, *content.body, *content.tembusan, *content.notes,
                     *(row.name for row in content.schedule)])
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    else:
        return "Times-Roman", "Times-Bold"
    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT_DIR / "DejaVuSerif.ttf")))
            pdfmetrics.registerFont(TTFont("DejaVuSerif-Bold",
                                           str(FONT_DIR / "DejaVuSerif-Bold.ttf")))
        except Exception:  # noqa: BLE001 - any font problem: keep the built-in face
            return "Times-Roman", "Times-Bold"
    return "DejaVuSerif", "DejaVuSerif-Bold"


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=regular, fontSize=11.5, leading=15)
    return {
        "base": base,
        "bold": ParagraphStyle("bold", parent=base, fontName=bold),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "body": ParagraphStyle("body", parent=base, alignment=TA_JUSTIFY,
                               firstLineIndent=12.5 * mm, spaceAfter=7),
        "item": ParagraphStyle("item", parent=base, leftIndent=6 * mm, bulletIndent=0),
        "small": ParagraphStyle("small", parent=base, fontSize=10, leading=12.5),
        "note": ParagraphStyle("note", parent=base, fontSize=10, leading=12.5,
                               alignment=TA_JUSTIFY, leftIndent=6 * mm, bulletIndent=0,
                               bulletFontName=regular, bulletFontSize=10),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=12, leading=15,
                                alignment=TA_CENTER, spaceBefore=8, spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=11.5),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=9, leading=11,
                               alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_CENTER),
        "sign_name": ParagraphStyle("sign_name", parent=base, fontName=bold,
                                    alignment=TA_CENTER),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _plain(data, widths, extra=(), h_align="LEFT") -> Table:
    table = Table(data, colWidths=widths, hAlign=h_align)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        *extra,
    ]))
    return table


def _letterhead(content: LetterContent, regular: str, bold: str):
    def draw(canvas, _doc) -> None:
        canvas.saveState()
        centre = LEFT + WIDTH / 2
        top = PAGE_HEIGHT - TOP
        canvas.setFont(bold, 15)
        canvas.drawCentredString(centre, top - 7 * mm, "BADAN KEPEGAWAIAN NEGARA")
        canvas.setFont(bold, 13.5)
        canvas.drawCentredString(centre, top - 13.5 * mm,
                                 "PUSAT PENGEMBANGAN APARATUR SIPIL NEGARA")
        if content.letterhead_address:
            canvas.setFont(regular, 9.5)
            canvas.drawCentredString(centre, top - 19 * mm, content.letterhead_address)
        rule = top - 22 * mm
        canvas.setLineWidth(2.2)
        canvas.line(LEFT, rule, PAGE_WIDTH - RIGHT, rule)
        canvas.setLineWidth(0.6)
        canvas.line(LEFT, rule - 1.6 * mm, PAGE_WIDTH - RIGHT, rule - 1.6 * mm)
        canvas.restoreState()
    return draw


def _signature(content: LetterContent, s) -> Table:
    block = [[_p(content.signatory_title, s["sign"])], [Spacer(1, 22 * mm)],
             [Paragraph(f"<u>{escape(content.signatory_name)}</u>", s["sign_name"])],
             [_p(f"NIP. {content.signatory_nip}", s["sign"])]]
    return _plain(block, [80 * mm], h_align="RIGHT")


def _numbered(title: str, items, title_style, item_style) -> list:
    flow = [_p(title, title_style)]
    flow += [Paragraph(escape(item), item_style, bulletText=f"{n}.")
             for n, item in enumerate(items, start=1)]
    return flow


def _letter_page(content: LetterContent, s) -> list:
    label_widths = [22 * mm, 4 * mm, 74 * mm]
    reference = _plain([
        [_p("Nomor", s["base"]), _p(":", s["base"]), _p(content.number, s["base"])],
        [_p("Lampiran", s["base"]), _p(":", s["base"]), _p(content.attachment, s["base"])],
        [_p("Perihal", s["base"]), _p(":", s["base"]), _p(content.subject, s["base"])],
    ], label_widths)
    top = _plain([[reference, _p(f"{content.place}, {content.date}", s["right"])]],
                 [sum(label_widths), WIDTH - sum(label_widths)])
    flow = [top, Spacer(1, 9 * mm), _p("Yang terhormat,", s["base"]),
            _p(content.addressee, s["base"]), _p("di tempat", s["base"]), Spacer(1, 7 * mm)]
    flow += [_p(paragraph, s["body"]) for paragraph in content.body]
    flow += [Spacer(1, 4 * mm), KeepTogether([_signature(content, s)])]
    if content.tembusan:
        flow += [Spacer(1, 5 * mm),
                 KeepTogether(_numbered("Tembusan Kepada Yth:", content.tembusan,
                                        s["small"], s["note"]))]
    if content.notes:
        flow += [Spacer(1, 3 * mm),
                 KeepTogether(_numbered("Catatan:", content.notes, s["small"], s["note"]))]
    return flow


def _schedule(content: LetterContent, s) -> Table:
    heads = ["No", "Nama Pelatihan", "Hari Pelatihan", "Jumlah Peserta",
             f"Tanggal Pelaksanaan {content.year}"]
    widths = [9 * mm, 98 * mm, 18 * mm, 17 * mm, 23 * mm]
    font, size = s["cell"].fontName, s["cell"].fontSize
    room = widths[1] - 2 * 3  # minus the cell padding
    # Plain strings are several times faster to lay out than Paragraphs; wrap only if needed.
    data = [[_p(head, s["head"]) for head in heads]]
    data += [[str(row.no),
              row.name if pdfmetrics.stringWidth(row.name, font, size) <= room
              else _p(row.name, s["cell"]),
              str(row.days), str(row.participants), row.dates] for row in content.schedule]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("FONT", (0, 1), (-1, -1), font, size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (2, 1), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _attachment_pages(content: LetterContent, s) -> list:
    widths = [18 * mm, 4 * mm, 63 * mm]
    header = _plain([
        [_p(f"Lampiran I Surat {content.signatory_title}", s["small"]), "", ""],
        [_p("Nomor", s["small"]), _p(":", s["small"]), _p(content.number, s["small"])],
        [_p("Perihal", s["small"]), _p(":", s["small"]), _p(content.subject, s["small"])],
        [_p("Tanggal", s["small"]), _p(":", s["small"]), _p(content.date, s["small"])],
    ], widths, extra=[("SPAN", (0, 0), (-1, 0))], h_align="RIGHT")
    if content.schedule:
        table = _schedule(content, s)
    else:
        table = _p("Jadwal angkatan belum ditetapkan.", s["base"])
    return [NextPageTemplate("later"), PageBreak(), header, Spacer(1, 6 * mm),
            _p(f"JADWAL PELATIHAN DAN SERTIFIKASI MANAJEMEN KEPEGAWAIAN {content.year}",
               s["title"]),
            table, Spacer(1, 8 * mm), KeepTogether([_signature(content, s)])]


def render_letter(content: LetterContent, *, compress: bool = True) -> bytes:
    """The letter and its Lampiran as PDF bytes (compress=False keeps text searchable)."""
    regular, bold = _fonts(content)
    styles = _styles(regular, bold)
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
        bottomMargin=BOTTOM, title=f"Surat Pemberitahuan {content.number}",
        author="Pusat Pengembangan ASN BKN", subject=content.agency_name,
        pageCompression=1 if compress else 0, invariant=0)
    frame_height = PAGE_HEIGHT - TOP - BOTTOM
    doc.addPageTemplates([
        PageTemplate(id="first", onPage=_letterhead(content, regular, bold), frames=[
            Frame(LEFT, BOTTOM, WIDTH, frame_height - LETTERHEAD_HEIGHT, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)]),
        PageTemplate(id="later", frames=[
            Frame(LEFT, BOTTOM, WIDTH, frame_height, id="later",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)]),
    ])
    doc.build([NextPageTemplate("later"), *_letter_page(content, styles),
               *_attachment_pages(content, styles)])
    return buffer.getvalue()


def filename(*, agency_code: str, year: int) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in agency_code)
    return f"surat-pemberitahuan-{year}-{safe}.pdf"
