"""The action plan as a PDF, in the layout of the examples in the 2019 guide:
1.a identity, 1.b the plan, 1.c milestones by horizon, 1.d the week timeline."""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph, Spacer

from kompeten import pdfkit
from kompeten.actionplans import plans as action_plans
from kompeten.actionplans.models import ActionPlan
from kompeten.pdfkit import esc, para
from kompeten.registration.models import Registration

# More weeks than this and the timeline gets a landscape page of its own.
PORTRAIT_MAX_WEEKS = 16
LABEL_WIDTH = 48 * mm


def _styles() -> dict[str, ParagraphStyle]:
    s = pdfkit.styles(size=9, leading=11.5)
    s["label"] = s["bold"]
    s["head"] = ParagraphStyle("head", parent=s["head"], fontSize=8, leading=10)
    s["title"] = ParagraphStyle("title", parent=s["title"], alignment=0, spaceAfter=2)
    s["week"] = ParagraphStyle("week", parent=s["body"], fontSize=6, leading=7, alignment=1)
    return s


def _numbered(text: str, s) -> list[Paragraph]:
    """Points as a numbered list with a hanging indent (a single point stays plain)."""
    items = action_plans.points(text)
    if len(items) == 1:
        return [para(items[0], s["body"])]
    return pdfkit.numbered(items, s["point"])


def _labelled(rows, s, width):
    data = [[para(label, s["label"]), value] for label, value in rows]
    return pdfkit.table(data, widths=[LABEL_WIDTH, width - LABEL_WIDTH], style=s["body"],
                        header_rows=0, valign="TOP",
                        extra=[("BACKGROUND", (0, 0), (0, -1), pdfkit.HEADER_BG),
                               ("LEFTPADDING", (0, 0), (-1, -1), 4),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4)])


def _identity(registration: Registration, s, width):
    unit = ", ".join(part for part in (registration.work_unit, registration.agency.name) if part)
    contact = " / ".join(part for part in (registration.phone, registration.email) if part)
    mentor = registration.mentor_name or "—"
    if registration.mentor_position:
        mentor = f"{mentor}, {registration.mentor_position}"
    rows = [(_("Nama"), registration.full_name), (_("NIP"), registration.nip),
            (_("Jabatan"), registration.position), (_("Unit Kerja/Instansi"), unit),
            (_("HP/Email"), contact), (_("Mentor/Atasan Langsung"), mentor)]
    return _labelled([(label, para(value or "—", s["body"])) for label, value in rows], s,
                     width)


def _plan_table(plan: ActionPlan, s, width):
    return _labelled([(_("Judul"), para(plan.title, s["body"])),
                      (_("Latar Belakang"), _numbered(plan.background, s)),
                      (_("Pokok Permasalahan"), para(plan.problem, s["body"])),
                      (_("Tujuan"), _numbered(plan.goals, s)),
                      (_("Manfaat"), _numbered(plan.benefits, s))], s, width)


def _milestone_table(plan: ActionPlan, s, width):
    heads = [_("JANGKA WAKTU"), _("KEGIATAN"), _("DURASI* (Hari/Minggu/Bulan)"),
             _("TARGET CAPAIAN/OUTPUT")]
    data = [heads]
    extra = [("VALIGN", (0, 1), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
             ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    groups = []
    for run in action_plans.horizon_runs(plan):
        first = len(data)
        for index, milestone in enumerate(run.milestones):
            weeks = _("minggu %(start)s–%(end)s") % {"start": milestone.start_week,
                                                      "end": milestone.end_week}
            data.append([
                para(run.label, s["label"]) if index == 0 else "",
                para(milestone.activity, s["body"]),
                [para(action_plans.duration_text(milestone), s["body"]),
                 para(weeks, s["small"])],
                para(milestone.output, s["body"]),
            ])
        groups.append((first, len(data) - 1))
    rest = (width - 34 * mm - 27 * mm) / 2
    return pdfkit.table(data, widths=[34 * mm, rest, 27 * mm, rest], style=s["body"],
                        head_style=s["head"], extra=extra, groups=groups)


def _timeline(plan: ActionPlan, s, width):
    chart = action_plans.gantt(plan)
    activity_width, horizon_width = 62 * mm, 20 * mm
    week_width = (width - activity_width - horizon_width) / len(chart.weeks)
    head = [_("Kegiatan"), _("Jangka"), _("Minggu")] + [""] * (len(chart.weeks) - 1)
    numbers = ["", ""] + [Paragraph(str(week), s["week"]) for week in chart.weeks]
    data = [head, numbers]
    short_names = {key: str(name).replace("Jangka ", "").capitalize()
                   for key, name in action_plans.HORIZON_NAMES.items()}
    style = [
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), pdfkit.HEADER_BG), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (1, -1), 4), ("RIGHTPADDING", (0, 0), (1, -1), 4),
        ("LEFTPADDING", (2, 1), (-1, -1), 0), ("RIGHTPADDING", (2, 1), (-1, -1), 0),
    ]
    for row_index, row in enumerate(chart.rows, start=2):
        data.append([Paragraph(f"{row.milestone.order}. {esc(row.milestone.activity)}",
                               s["small"]),
                     para(short_names[row.horizon], s["small"])] + [""] * len(chart.weeks))
        for column, filled in enumerate(row.cells, start=2):
            if filled:
                style.append(("BACKGROUND", (column, row_index), (column, row_index),
                              pdfkit.BRAND))
    for week in chart.horizon_ends:
        style.append(("LINEAFTER", (week + 1, 1), (week + 1, -1), 1.6, "black"))
    return pdfkit.table(data, widths=[activity_width, horizon_width]
                        + [week_width] * len(chart.weeks), style=s["small"],
                        head_style=s["head"], header_rows=2, grid_width=0.4, extra=style)


def action_plan_pdf(*, registration: Registration, plan: ActionPlan | None) -> bytes:
    """The plan of one registration as PDF bytes (a blank plan says so)."""
    s = _styles()
    programme = f"{registration.program} · {_('jenjang')} {registration.level.name}"
    footer = f"{programme} · {_('dicetak')} {timezone.localtime():%d-%m-%Y %H:%M}"
    width = pdfkit.STANDARD.width()
    story = [Paragraph(_("Rencana Tindak Lanjut (<i>Action Plan</i>)"), s["title"]),
             para(programme, s["small"]),
             para(_("1.a. Identitas Peserta"), s["section"]),
             _identity(registration, s, width),
             Paragraph(_("1.b. Rencana Tindak Lanjut (<i>Action Plan</i>)"), s["section"])]
    if plan is None:
        story.append(para(_("Peserta belum menyusun rencana tindak lanjut."), s["body"]))
    else:
        story += [_plan_table(plan, s, width),
                  para(_("1.c. Langkah Kerja/Milestones"), s["section"]),
                  _milestone_table(plan, s, width),
                  Spacer(1, 2 * mm),
                  para(_("* Durasi berbasis harian, mingguan dan bulanan serta "
                         "dibuat dalam bentuk timeline (1 bulan = 52/12 minggu, "
                         "dibulatkan ke atas)."), s["small"])]
        timeline_width = width
        if len(action_plans.gantt(plan).weeks) > PORTRAIT_MAX_WEEKS:
            story += [NextPageTemplate(pdfkit.LANDSCAPE_PAGE), PageBreak()]
            timeline_width = pdfkit.STANDARD.width(pdfkit.LANDSCAPE)
        story += [para(_("1.d. Timeline Langkah Kerja/Milestones"), s["section"]),
                  _timeline(plan, s, timeline_width),
                  Spacer(1, 2 * mm),
                  para(_("Kotak berwarna: minggu pelaksanaan kegiatan. Garis tebal: "
                         "batas jangka pendek (minggu ke-13) dan jangka menengah "
                         "(minggu ke-26)."), s["small"])]
    return pdfkit.build(
        story, title=_("Rencana Tindak Lanjut %(name)s") % {"name": registration.full_name},
        footer=footer, running_head="PUSAT PENGEMBANGAN APARATUR SIPIL NEGARA")
