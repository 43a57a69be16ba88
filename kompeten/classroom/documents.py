"""Class documents of a batch as PDF (A4, Indonesian): the class list, the attendance
sheet of one training day and the name plates (tent cards)."""

import datetime as dt
import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import Spacer

from kompeten import pdfkit
from kompeten.batching.models import Placement
from kompeten.pdfkit import para
from kompeten.programs.models import Batch
from kompeten.rumpun.selectors import topic_of

BRAND = pdfkit.BRAND
MARGINS = pdfkit.Margins(top=15 * mm, bottom=18 * mm)


def _dates(batch: Batch) -> str:
    if batch.start_date == batch.end_date:
        return date_format(batch.start_date, "l, j F Y")
    return f"{date_format(batch.start_date, 'j F Y')} – {date_format(batch.end_date, 'j F Y')}"


def _styles() -> dict[str, ParagraphStyle]:
    s = pdfkit.styles(size=9, leading=11)
    s["meta"] = ParagraphStyle("meta", parent=s["base"], fontSize=9.5, leading=12.5)
    return s


def _header(batch: Batch, title: str, styles, extra: list[tuple[str, str]] = ()) -> list:
    program = batch.program
    rows = [(_("Angkatan"), f"{batch.number} — {batch.level.name}"),
            (_("Tanggal"), _dates(batch)), (_("Tempat"), batch.venue or "-"), *extra]
    meta = pdfkit.layout([[para(label, styles["meta"]), para(f": {value}", styles["meta"])]
                          for label, value in rows], [28 * mm, None])
    return [para(title, styles["title"]),
            para(f"{program.name} {program.year}", styles["subtitle"]),
            para(_("Pusat Pengembangan ASN · Badan Kepegawaian Negara"), styles["subtitle"]),
            Spacer(1, 5 * mm), meta, Spacer(1, 4 * mm)]


def _table(data, widths, styles, **options):
    return pdfkit.table(data, widths=widths, style=styles["cell"], head_style=styles["head"],
                        extra=[("ALIGN", (0, 1), (0, -1), "CENTER"),
                               *options.pop("extra", ())], **options)


def _build(story: list, title: str) -> bytes:
    return pdfkit.build(story, title=title, footer=title, margins=MARGINS)


def class_list_title(batch: Batch) -> str:
    return _("Daftar Peserta Angkatan %(number)s") % {"number": batch.number}


def class_list_pdf(*, batch: Batch, placements: list[Placement]) -> bytes:
    """Daftar peserta: No, Nama, Instansi, Jabatan, Rumpun (in seating order)."""
    styles = _styles()
    title = class_list_title(batch)
    cell = styles["cell"]
    data = [[_("No."), _("Nama"), _("Instansi"), _("Jabatan"), _("Rumpun")]]
    for number, placement in enumerate(placements, 1):
        registration = placement.registration
        topic = topic_of(placement)
        data.append([str(number), para(registration.full_name, cell),
                     para(registration.agency.name, cell), para(registration.position, cell),
                     para(topic.name if topic else "-", cell)])
    if not placements:
        data.append(["", para(_("Belum ada peserta."), cell), "", "", ""])
    table = _table(data, [10 * mm, 48 * mm, 42 * mm, 50 * mm, 30 * mm], styles)
    count = _("Jumlah peserta: %(count)s") % {"count": len(placements)}
    story = [*_header(batch, title.upper(), styles), table, Spacer(1, 3 * mm),
             para(count, styles["meta"])]
    return _build(story, f"{title} — {batch.program.year}")


def attendance_title(batch: Batch, day: dt.date) -> str:
    return _("Daftar Hadir Angkatan %(number)s, %(date)s") % {
        "number": batch.number, "date": date_format(day, "j F Y")}


MARK_LETTERS = {"present": "H", "late": "T", "excused": "I", "absent": "A"}


def attendance_pdf(*, batch: Batch, day: dt.date, placements: list[Placement],
                   sessions: list | None = None,
                   marks: dict[tuple[int, int], str] | None = None) -> bytes:
    """Daftar hadir of one training day: No, Nama, Instansi, the presence recorded in each
    session of the day (``marks``: (session id, registration id) -> status) and the
    signature column split in two, odd numbers signing on the left and even on the right."""
    styles = _styles()
    cell = styles["cell"]
    sessions = sessions or []
    marks = marks or {}
    times = " ".join(f"{timezone.localtime(s.starts_at):%H.%M}" for s in sessions)
    data = [[_("No."), _("Nama"), _("Instansi"),
             " ".join([_("Tercatat"), times]).strip(),
             _("Tanda tangan"), ""]]
    for number, placement in enumerate(placements, 1):
        registration = placement.registration
        mark = f"{number}. .............."
        recorded = " ".join(MARK_LETTERS.get(marks.get((s.pk, registration.pk), ""), "–")
                            for s in sessions) or "-"
        data.append([str(number), para(registration.full_name, cell),
                     para(registration.agency.name, cell), recorded,
                     mark if number % 2 else "", "" if number % 2 else mark])
    heights = [None] + [11 * mm] * len(placements)
    if not placements:
        data.append(["", para(_("Belum ada peserta."), cell), "", "", "", ""])
        heights.append(None)
    table = _table(data, [10 * mm, 50 * mm, 42 * mm, 24 * mm, 27 * mm, 27 * mm], styles,
                   row_heights=heights, extra=[
                       ("SPAN", (4, 0), (5, 0)),
                       ("ALIGN", (3, 1), (3, -1), "CENTER"),
                       ("ALIGN", (4, 1), (5, -1), "LEFT"),
                       ("VALIGN", (4, 1), (5, -1), "BOTTOM"),
                       ("BOTTOMPADDING", (4, 1), (5, -1), 4),
                       ("LINEAFTER", (4, 1), (4, -1), 0.25, colors.HexColor("#999999"))])
    day_number = (day - batch.start_date).days + 1
    day_label = _("Hari ke-%(n)s, %(date)s") % {"n": day_number,
                                                 "date": date_format(day, "l, j F Y")}
    legend = _("Tercatat: kehadiran yang direkam sistem per sesi (H hadir, T terlambat, "
               "I izin, A tidak hadir, – belum tercatat).")
    story = [*_header(batch, _("DAFTAR HADIR PESERTA"), styles, [(_("Hari/tanggal"), day_label)]),
             table, Spacer(1, 2 * mm), para(legend, styles["cell"]), Spacer(1, 8 * mm),
             pdfkit.signature(style=styles["meta"], name_style=styles["meta"],
                              title=_("Panitia Penyelenggara"),
                              date=date_format(day, "j F Y"), width=70 * mm, space=12 * mm)]
    return _build(story, attendance_title(batch, day))


def name_plates_title(batch: Batch) -> str:
    return _("Papan Nama Angkatan %(number)s") % {"number": batch.number}


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and pdfmetrics.stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Words wrapped to the width, at most two lines (the second cut with an ellipsis)."""
    lines = _wrap(text, font, size, width)
    if len(lines) > 2:
        second = " ".join(lines[1:])
        while pdfmetrics.stringWidth(second + "…", font, size) > width and " " in second:
            second = second.rsplit(" ", 1)[0]
        lines = [lines[0], second + "…"]
    return lines


def _name_layout(name: str, font: str, width: float) -> tuple[float, list[str]]:
    """The largest size that shows the name on one line (down to 22 pt), else on two."""
    for size in range(34, 21, -1):
        if pdfmetrics.stringWidth(name, font, size) <= width:
            return size, [name]
    for size in range(26, 13, -1):
        if len(_wrap(name, font, size, width)) <= 2:
            return size, _wrap(name, font, size, width)
    return 14, _lines(name, font, 14, width)


def _plate_face(canv: canvas.Canvas, placement: Placement, batch: Batch, width: float,
                height: float) -> None:
    """One face of a tent card, drawn upright in a box (0, 0)–(width, height); its top edge
    is the fold."""
    regular, bold = pdfkit.sans().regular, pdfkit.sans().bold
    registration = placement.registration
    inner = width - 24 * mm
    name_size, name_lines = _name_layout(registration.full_name, bold, inner)
    agency_size = 14
    agency_lines = _lines(registration.agency.name, regular, agency_size, inner)
    canv.setFillColor(BRAND)
    canv.rect(0, height - 4 * mm, width, 4 * mm, stroke=0, fill=1)
    # the name and agency block, centred between the bar and the small label at the bottom
    name_leading, agency_leading, gap = name_size * 1.15, agency_size * 1.2, 3 * mm
    block = len(name_lines) * name_leading + gap + len(agency_lines) * agency_leading
    top, bottom = height - 4 * mm, 9 * mm
    y = (top + bottom) / 2 + block / 2 - name_size
    canv.setFillColor(colors.black)
    canv.setFont(bold, name_size)
    for line in name_lines:
        canv.drawCentredString(width / 2, y, line)
        y -= name_leading
    y += name_leading - name_size * 0.25 - gap - agency_size
    canv.setFont(regular, agency_size)
    for line in agency_lines:
        canv.drawCentredString(width / 2, y, line)
        y -= agency_leading
    canv.setFont(regular, 8)
    canv.setFillColor(colors.HexColor("#555555"))
    label = _("Angkatan %(number)s · %(level)s") % {"number": batch.number,
                                                     "level": batch.level.name}
    if topic := topic_of(placement):
        label += f" · {topic.name}"
    canv.drawCentredString(width / 2, 5 * mm, label)


def name_plates_pdf(*, batch: Batch, placements: list[Placement]) -> bytes:
    """Papan nama: A4 landscape, two tent cards per page (cut along the dashed line, fold
    along the dotted one). Each card shows the name on both faces, the upper one upside
    down, so the name reads from the front and from the back once folded."""
    page_width, page_height = pdfkit.LANDSCAPE
    buffer = io.BytesIO()
    canv = canvas.Canvas(buffer, pagesize=(page_width, page_height), invariant=1,
                         initialFontName=pdfkit.sans().regular, initialFontSize=10)
    canv.setTitle(name_plates_title(batch))
    canv.setAuthor(pdfkit.AUTHOR)
    canv.setCreator(pdfkit.CREATOR)
    card_height = page_height / 2
    face_height = card_height / 2
    for index, placement in enumerate(placements):
        slot = index % 2  # 0: upper card, 1: lower card
        if index and slot == 0:
            canv.showPage()
        base = card_height * (1 - slot)
        # lower face: upright
        canv.saveState()
        canv.translate(0, base)
        _plate_face(canv, placement, batch, page_width, face_height)
        canv.restoreState()
        # upper face: rotated half a turn
        canv.saveState()
        canv.translate(page_width, base + card_height)
        canv.rotate(180)
        _plate_face(canv, placement, batch, page_width, face_height)
        canv.restoreState()
        # fold line
        canv.saveState()
        canv.setStrokeColor(colors.HexColor("#999999"))
        canv.setDash(1, 3)
        canv.line(8 * mm, base + face_height, page_width - 8 * mm, base + face_height)
        canv.restoreState()
        if slot == 0:
            canv.saveState()
            canv.setStrokeColor(colors.HexColor("#666666"))
            canv.setDash(6, 4)
            canv.line(0, card_height, page_width, card_height)
            canv.restoreState()
    if not placements:
        canv.setFont(pdfkit.sans().regular, 14)
        canv.drawCentredString(page_width / 2, page_height / 2, _("Belum ada peserta."))
    canv.showPage()
    canv.save()
    return buffer.getvalue()
