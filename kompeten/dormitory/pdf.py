"""Printable room list of one night (A4): one block of rows per room."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer

from kompeten import pdfkit
from kompeten.batching.models import Placement
from kompeten.dormitory.selectors import Bed, roster_by_room
from kompeten.pdfkit import esc, para
from kompeten.pdfkit.flowables import PADDING
from kompeten.programs.models import Program

WIDTHS = [30 * mm, 8 * mm, 54 * mm, 9 * mm, 54 * mm, 10 * mm, 15 * mm]


def night_title(night: dt.date) -> str:
    return _("Daftar Kamar Asrama — malam %(date)s") % {"date": date_format(night, "l, j F Y")}


def room_list_pdf(*, program: Program, night: dt.date, beds: list[Bed],
                  without_bed: list[Placement]) -> bytes:
    s = pdfkit.styles(size=9, leading=11)
    small = s["base"]
    cell = ParagraphStyle("cell", parent=small, fontSize=8.5, leading=10)
    head = ParagraphStyle("head", parent=cell, fontName=s["bold"].fontName)
    men = sum(1 for b in beds if b.placement.registration.gender == "L")
    grouped = roster_by_room(beds)
    story = [
        para(night_title(night), ParagraphStyle("title", parent=s["title"], textColor="black",
                                                spaceAfter=2 * mm)),
        para(f"{program.name} {program.year}", small),
        para(_("%(people)s peserta (laki-laki %(men)s, perempuan %(women)s) di "
               "%(rooms)s kamar") % {"people": len(beds), "men": men,
                                    "women": len(beds) - men, "rooms": len(grouped)}, small),
        Spacer(1, 4 * mm),
    ]
    data = [[_("Kamar"), _("TT"), _("Nama"), _("L/P"), _("Instansi"), _("Akt."), _("Paraf")]]
    style = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
             ("ALIGN", (1, 0), (1, -1), "CENTER"), ("ALIGN", (3, 0), (3, -1), "CENTER"),
             ("ALIGN", (5, 0), (5, -1), "CENTER")]
    bold = ParagraphStyle("room", parent=cell, fontName=s["bold"].fontName)
    # the room column in bold: a plain string when it fits (fast), else a bold paragraph
    style.append(("FONT", (0, 1), (0, -1), bold.fontName, bold.fontSize, bold.leading))

    def room_cell(room):
        text = f"{room.building} {room.number}"
        if stringWidth(text, bold.fontName, bold.fontSize) <= WIDTHS[0] - 2 * PADDING:
            return text
        return Paragraph(f"<b>{esc(room.building)} {esc(room.number)}</b>", cell)

    groups = []
    for room, room_beds in grouped:
        first = len(data)
        for index, bed in enumerate(room_beds):
            registration = bed.placement.registration
            data.append([
                room_cell(room) if index == 0 else "",
                # plain strings: pdfkit.table wraps only those that do not fit their column
                str(bed.bed), registration.full_name, registration.gender,
                registration.agency.name,
                str(bed.placement.batch.number) if bed.placement.batch else "", "",
            ])
        groups.append((first, len(data) - 1))
        style.append(("LINEABOVE", (0, first), (-1, first), 1.1, colors.black))
    if len(data) == 1:
        data.append(["", "", _("Belum ada penempatan kamar untuk malam ini."), "", "", "", ""])
    story.append(pdfkit.table(data, widths=WIDTHS, style=cell, head_style=head,
                              grid=colors.HexColor("#9aa5b1"), grid_width=0.4, extra=style,
                              groups=groups))
    if without_bed:
        story += [Spacer(1, 5 * mm),
                  para(_("Belum mendapat kamar (%(count)s)") % {"count": len(without_bed)},
                       ParagraphStyle("h", parent=s["bold"], fontSize=10)),
                  para("; ".join(f"{p.registration.full_name} ({p.registration.gender}, "
                                 f"{_('Akt.')} {p.batch.number})" for p in without_bed), small)]
    return pdfkit.build(story, title=night_title(night), footer=night_title(night),
                        margins=pdfkit.Margins(top=15 * mm))
