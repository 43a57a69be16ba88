"""Printable room list of one night (ReportLab, A4): one block of rows per room."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kompeten.batching.models import Placement
from kompeten.dormitory.selectors import Bed, roster_by_room
from kompeten.programs.models import Program

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    """DejaVu Sans (all of Unicode in names) when installed, else Helvetica."""
    try:
        registered = pdfmetrics.getRegisteredFontNames()
        for name, file in (("DejaVuSans", "DejaVuSans.ttf"),
                           ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf")):
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    except Exception:  # noqa: BLE001 - any font problem: fall back to a built-in font
        return "Helvetica", "Helvetica-Bold"
    # so that <b> in a paragraph uses the bold face
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                  italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
    return "DejaVuSans", "DejaVuSans-Bold"


def night_title(night: dt.date) -> str:
    return _("Daftar Kamar Asrama — malam %(date)s") % {"date": date_format(night, "l, j F Y")}


def room_list_pdf(*, program: Program, night: dt.date, beds: list[Bed],
                  without_bed: list[Placement]) -> bytes:
    regular, bold = _fonts()
    styles = getSampleStyleSheet()
    title = ParagraphStyle("t", parent=styles["Title"], fontName=bold, fontSize=14,
                           spaceAfter=2 * mm)
    small = ParagraphStyle("s", parent=styles["Normal"], fontName=regular, fontSize=9,
                           leading=11)
    cell = ParagraphStyle("c", parent=small, fontSize=8.5, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm,
                            title=night_title(night), author="Pusbang ASN BKN")
    men = sum(1 for b in beds if b.placement.registration.gender == "L")
    grouped = roster_by_room(beds)
    story = [
        Paragraph(night_title(night), title),
        Paragraph(f"{program.name} {program.year}", small),
        Paragraph(_("%(people)s peserta (laki-laki %(men)s, perempuan %(women)s) di "
                    "%(rooms)s kamar") % {"people": len(beds), "men": men,
                                         "women": len(beds) - men, "rooms": len(grouped)},
                  small),
        Spacer(1, 4 * mm),
    ]
    header = [_("Kamar"), _("TT"), _("Nama"), _("L/P"), _("Instansi"), _("Akt."), _("Paraf")]
    data = [header]
    style = [
        ("FONT", (0, 0), (-1, 0), bold, 8.5),
        ("FONT", (0, 1), (-1, -1), regular, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (1, -1), "CENTER"),
        ("ALIGN", (3, 0), (3, -1), "CENTER"),
        ("ALIGN", (5, 0), (5, -1), "CENTER"),
    ]
    for room, room_beds in grouped:
        first = len(data)
        for index, bed in enumerate(room_beds):
            registration = bed.placement.registration
            data.append([
                Paragraph(f"<b>{room.building} {room.number}</b>", cell) if index == 0 else "",
                str(bed.bed),
                Paragraph(_escape(registration.full_name), cell),
                registration.gender,
                Paragraph(_escape(registration.agency.name), cell),
                str(bed.placement.batch.number) if bed.placement.batch else "",
                "",
            ])
        last = len(data) - 1
        if last > first:
            style.append(("SPAN", (0, first), (0, last)))
        style.append(("LINEABOVE", (0, first), (-1, first), 1.1, colors.black))
    if len(data) == 1:
        data.append(["", "", _("Belum ada penempatan kamar untuk malam ini."), "", "", "", ""])
    table = Table(data, repeatRows=1,
                  colWidths=[30 * mm, 8 * mm, 54 * mm, 9 * mm, 54 * mm, 10 * mm, 15 * mm])
    table.setStyle(TableStyle(style))
    story.append(table)
    if without_bed:
        story += [Spacer(1, 5 * mm),
                  Paragraph(_("Belum mendapat kamar (%(count)s)") % {"count": len(without_bed)},
                            ParagraphStyle("h", parent=small, fontName=bold, fontSize=10)),
                  Paragraph("; ".join(
                      f"{_escape(p.registration.full_name)} ({p.registration.gender}, "
                      f"{_('Akt.')} {p.batch.number})" for p in without_bed), small)]

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.drawString(15 * mm, 9 * mm, night_title(night))
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm,
                               _("Halaman %(page)s") % {"page": document.page})
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
