"""The action plan as a PDF, in the layout of the examples in the 2019 guide:
1.a identity, 1.b the plan, 1.c milestones by horizon, 1.d the week timeline."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kompeten.actionplans import plans as action_plans
from kompeten.actionplans.models import ActionPlan
from kompeten.registration.models import Registration

BRAND = colors.HexColor("#0b3d68")
HEADER_BG = colors.HexColor("#dbe5f1")
GRID = colors.HexColor("#555555")
MARGIN = 15 * mm
# More weeks than this and the timeline gets a landscape page of its own.
PORTRAIT_MAX_WEEKS = 16


def _register_fonts() -> str:
    """Bitstream Vera ships with ReportLab and has ≤ and the dashes; Helvetica has not."""
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        for name, file in (("Vera", "Vera.ttf"), ("Vera-Bold", "VeraBd.ttf"),
                           ("Vera-Italic", "VeraIt.ttf"), ("Vera-BoldItalic", "VeraBI.ttf")):
            pdfmetrics.registerFont(TTFont(name, file))
        pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold",
                                      italic="Vera-Italic", boldItalic="Vera-BoldItalic")
    return "Vera"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=11.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=8.5,
                                textColor=colors.HexColor("#444444")),
        "label": ParagraphStyle("label", parent=base, fontName=f"{font}-Bold"),
        "head": ParagraphStyle("head", parent=base, fontName=f"{font}-Bold", fontSize=8,
                               leading=10, alignment=1),
        "title": ParagraphStyle("title", parent=base, fontName=f"{font}-Bold", fontSize=14,
                                leading=18, spaceAfter=2, textColor=BRAND),
        "section": ParagraphStyle("section", parent=base, fontName=f"{font}-Bold", fontSize=10.5,
                                  leading=14, spaceBefore=10, spaceAfter=4, textColor=BRAND),
        "point": ParagraphStyle("point", parent=base, leftIndent=11, bulletIndent=0,
                                bulletFontName=font, bulletFontSize=9),
        "week": ParagraphStyle("week", parent=base, fontSize=6, leading=7, alignment=1),
    }


def _text(value: str) -> str:
    return escape(value or "").replace("\n", "<br/>")


def _numbered(text: str, s) -> list[Paragraph]:
    """Points as a numbered list with a hanging indent (a single point stays plain)."""
    items = action_plans.points(text)
    if len(items) == 1:
        return [Paragraph(escape(items[0]), s["body"])]
    return [Paragraph(escape(item), s["point"], bulletText=f"{number}.")
            for number, item in enumerate(items, 1)]


def _box(data, widths, extra=()) -> Table:
    table = Table(data, colWidths=widths, repeatRows=0)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *extra,
    ]))
    return table


def _identity(registration: Registration, s, width) -> Table:
    unit = ", ".join(part for part in (registration.work_unit, registration.agency.name) if part)
    contact = " / ".join(part for part in (registration.phone, registration.email) if part)
    mentor = registration.mentor_name or "—"
    if registration.mentor_position:
        mentor = f"{mentor}, {registration.mentor_position}"
    rows = [(_("Nama"), registration.full_name), (_("NIP"), registration.nip),
            (_("Jabatan"), registration.position), (_("Unit Kerja/Instansi"), unit),
            (_("HP/Email"), contact), (_("Mentor/Atasan Langsung"), mentor)]
    data = [[Paragraph(escape(label), s["label"]), Paragraph(escape(value or "—"), s["body"])]
            for label, value in rows]
    return _box(data, [48 * mm, width - 48 * mm],
                [("BACKGROUND", (0, 0), (0, -1), HEADER_BG)])


def _plan_table(plan: ActionPlan, s, width) -> Table:
    rows = [(_("Judul"), [Paragraph(escape(plan.title), s["body"])]),
            (_("Latar Belakang"), _numbered(plan.background, s)),
            (_("Pokok Permasalahan"), [Paragraph(_text(plan.problem), s["body"])]),
            (_("Tujuan"), _numbered(plan.goals, s)),
            (_("Manfaat"), _numbered(plan.benefits, s))]
    data = [[Paragraph(escape(label), s["label"]), value] for label, value in rows]
    return _box(data, [48 * mm, width - 48 * mm],
                [("BACKGROUND", (0, 0), (0, -1), HEADER_BG)])


def _milestone_table(plan: ActionPlan, s, width) -> Table:
    heads = [_("JANGKA WAKTU"), _("KEGIATAN"), _("DURASI* (Hari/Minggu/Bulan)"),
             _("TARGET CAPAIAN/OUTPUT")]
    data = [[Paragraph(escape(head), s["head"]) for head in heads]]
    extra = [("BACKGROUND", (0, 0), (-1, 0), HEADER_BG), ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]
    for run in action_plans.horizon_runs(plan):
        first = len(data)
        for index, milestone in enumerate(run.milestones):
            weeks = _("minggu %(start)s–%(end)s") % {"start": milestone.start_week,
                                                      "end": milestone.end_week}
            data.append([
                Paragraph(escape(run.label), s["label"]) if index == 0 else "",
                Paragraph(escape(milestone.activity), s["body"]),
                [Paragraph(escape(action_plans.duration_text(milestone)), s["body"]),
                 Paragraph(escape(weeks), s["small"])],
                Paragraph(escape(milestone.output), s["body"]),
            ])
        extra.append(("SPAN", (0, first), (0, len(data) - 1)))
    widths = [34 * mm, None, 27 * mm, None]
    rest = (width - 34 * mm - 27 * mm) / 2
    widths[1] = widths[3] = rest
    return _box(data, widths, extra)


def _timeline(plan: ActionPlan, s, width) -> Table:
    chart = action_plans.gantt(plan)
    activity_width, horizon_width = 62 * mm, 20 * mm
    week_width = (width - activity_width - horizon_width) / len(chart.weeks)
    head = [Paragraph(escape(_("Kegiatan")), s["head"]), Paragraph(escape(_("Jangka")), s["head"]),
            Paragraph(escape(_("Minggu")), s["head"])] + [""] * (len(chart.weeks) - 1)
    numbers = ["", ""] + [Paragraph(str(week), s["week"]) for week in chart.weeks]
    data = [head, numbers]
    short_names = {key: str(name).replace("Jangka ", "").capitalize()
                   for key, name in action_plans.HORIZON_NAMES.items()}
    style = [
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), HEADER_BG),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"), ("VALIGN", (0, 2), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (2, 1), (-1, -1), 0), ("RIGHTPADDING", (2, 1), (-1, -1), 0),
    ]
    for row_index, row in enumerate(chart.rows, start=2):
        data.append([Paragraph(f"{row.milestone.order}. {escape(row.milestone.activity)}",
                               s["small"]),
                     Paragraph(escape(short_names[row.horizon]), s["small"])]
                    + [""] * len(chart.weeks))
        for column, filled in enumerate(row.cells, start=2):
            if filled:
                style.append(("BACKGROUND", (column, row_index), (column, row_index), BRAND))
    for week in chart.horizon_ends:
        style.append(("LINEAFTER", (week + 1, 1), (week + 1, -1), 1.6, colors.black))
    table = Table(data, colWidths=[activity_width, horizon_width]
                  + [week_width] * len(chart.weeks), repeatRows=2)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GRID), *style]))
    return table


def _decorate(title: str):
    def draw(canvas, doc):
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFont("Vera-Bold", 8)
        canvas.setFillColor(BRAND)
        canvas.drawRightString(width - MARGIN, height - 10 * mm,
                               "PUSAT PENGEMBANGAN APARATUR SIPIL NEGARA")
        canvas.setFont("Vera", 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, 9 * mm, title)
        canvas.drawRightString(width - MARGIN, 9 * mm, _("Halaman %(page)s") % {"page": doc.page})
        canvas.restoreState()
    return draw


def action_plan_pdf(*, registration: Registration, plan: ActionPlan | None) -> bytes:
    """The plan of one registration as PDF bytes (a blank plan says so)."""
    font = _register_fonts()
    s = _styles(font)
    buffer = BytesIO()
    portrait_size, landscape_size = A4, landscape(A4)
    footer = f"{registration.program} · {_('jenjang')} {registration.level.name} · " \
             f"{_('dicetak')} {timezone.localtime():%d-%m-%Y %H:%M}"
    doc = BaseDocTemplate(
        buffer, pagesize=portrait_size, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=16 * mm, bottomMargin=15 * mm,
        title=_("Rencana Tindak Lanjut %(name)s") % {"name": registration.full_name},
        author="Pusbang ASN BKN", creator="Kompeten")

    def frame(size, name):
        return Frame(MARGIN, 15 * mm, size[0] - 2 * MARGIN, size[1] - 31 * mm, id=name,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    doc.addPageTemplates([
        PageTemplate("portrait", [frame(portrait_size, "p")], onPage=_decorate(footer),
                     pagesize=portrait_size),
        PageTemplate("landscape", [frame(landscape_size, "l")], onPage=_decorate(footer),
                     pagesize=landscape_size),
    ])
    width = portrait_size[0] - 2 * MARGIN
    story = [Paragraph(_("Rencana Tindak Lanjut (<i>Action Plan</i>)"), s["title"]),
             Paragraph(escape(f"{registration.program} · {_('jenjang')} "
                              f"{registration.level.name}"), s["small"]),
             Paragraph(escape(_("1.a. Identitas Peserta")), s["section"]),
             _identity(registration, s, width),
             Paragraph(_("1.b. Rencana Tindak Lanjut (<i>Action Plan</i>)"), s["section"])]
    if plan is None:
        story.append(Paragraph(escape(_("Peserta belum menyusun rencana tindak lanjut.")),
                               s["body"]))
    else:
        story += [_plan_table(plan, s, width),
                  Paragraph(escape(_("1.c. Langkah Kerja/Milestones")), s["section"]),
                  _milestone_table(plan, s, width),
                  Spacer(1, 2 * mm),
                  Paragraph(escape(_("* Durasi berbasis harian, mingguan dan bulanan serta "
                                     "dibuat dalam bentuk timeline (1 bulan = 52/12 minggu, "
                                     "dibulatkan ke atas).")), s["small"])]
        chart_weeks = len(action_plans.gantt(plan).weeks)
        timeline_width = width
        if chart_weeks > PORTRAIT_MAX_WEEKS:
            story += [NextPageTemplate("landscape"), PageBreak()]
            timeline_width = landscape_size[0] - 2 * MARGIN
        story += [Paragraph(escape(_("1.d. Timeline Langkah Kerja/Milestones")), s["section"]),
                  _timeline(plan, s, timeline_width),
                  Spacer(1, 2 * mm),
                  Paragraph(escape(_("Kotak berwarna: minggu pelaksanaan kegiatan. Garis tebal: "
                                     "batas jangka pendek (minggu ke-13) dan jangka menengah "
                                     "(minggu ke-26).")), s["small"])]
    doc.build(story)
    return buffer.getvalue()
