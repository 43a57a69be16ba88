"""The assessment report of one batch (AK.05 style): units × participants with K/BK, then
per participant the notes per unit and the assessor's observations; as PDF and Excel."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph, Spacer

from kompeten import pdfkit
from kompeten.assessment import selectors
from kompeten.assessment.decision_models import Decision
from kompeten.pdfkit import esc, para
from kompeten.programs.models import Batch, ProgramUnit
from kompeten.registration.models import Registration


@dataclass
class Group:
    """Participants of one qualification and its units (a batch of JPT Pratama may hold
    two qualifications)."""

    name: str
    units: list[ProgramUnit]
    rows: list[tuple[Registration, list[Decision | None]]]


def report_data(batch: Batch) -> tuple[list[Group], object]:
    participants, units, latest = selectors.batch_matrix(batch)
    groups: dict[int, Group] = {}
    for unit in units:
        groups.setdefault(unit.qualification_id,
                          Group(unit.qualification.name, [], [])).units.append(unit)
    for registration in participants:
        group = groups.get(registration.qualification_id)
        if group is not None:
            group.rows.append((registration, [latest.get((registration.pk, u.pk))
                                              for u in group.units]))
    return list(groups.values()), getattr(batch, "sidang", None) if hasattr(
        batch, "sidang") else None


def title(batch: Batch) -> str:
    return _("Laporan Asesmen Angkatan %(number)s (%(level)s)") % {
        "number": batch.number, "level": batch.level.name}


def _verdict(decision: Decision | None) -> str:
    if decision is None:
        return "-"
    return decision.verdict if decision.signed_at else f"({decision.verdict})"


def _assessor(registration: Registration) -> str:
    assignment = getattr(registration, "assessment_assignment", None)
    if assignment is None:
        return "-"
    return assignment.assessor.get_full_name() or assignment.assessor.username


def report_pdf(batch: Batch) -> bytes:
    groups, sidang = report_data(batch)
    s = pdfkit.styles(size=8.5, leading=10.5)
    cell = ParagraphStyle("cell", parent=s["cell"], fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=s["head"], fontSize=7.5, leading=9)
    story = [
        para(title(batch), s["title"]),
        para(f"{batch.program.name} · {date_format(batch.start_date, 'j F Y')} – "
             f"{date_format(batch.end_date, 'j F Y')} · {batch.venue or '-'}", s["subtitle"]),
    ]
    if sidang is not None:
        story.append(para(_("Ditetapkan dalam sidang penetapan %(date)s, SK nomor %(sk)s. "
                            "Panel: %(panel)s.") % {
            "date": date_format(sidang.held_on, "j F Y"), "sk": sidang.decree_number,
            "panel": "; ".join(sidang.members)}, s["centre"]))
    else:
        story.append(para(_("Belum ditetapkan dalam sidang penetapan: keputusan dalam kurung "
                            "belum ditandatangani."), s["centre"]))
    for group in groups:
        story += [Spacer(1, 4 * mm), para(group.name, s["section"])]
        unit_width = min(11 * mm, 160 * mm / max(len(group.units), 1))
        widths = [8 * mm, 70 * mm, 20 * mm] + [unit_width] * len(group.units) + [14 * mm]
        data = [[_("No."), _("Nama / NIP / instansi"), _("Asesor"),
                 *[str(u.order) for u in group.units], _("K")]]
        for index, (registration, row) in enumerate(group.rows, 1):
            data.append([str(index), Paragraph(
                f"{esc(registration.full_name)}<br/>{esc(registration.nip)} · "
                f"{esc(registration.agency.name)}", cell), _assessor(registration),
                         *[_verdict(d) for d in row],
                         f"{sum(1 for d in row if d and d.signed_at and d.verdict == 'K')}"
                         f"/{len(row)}"])
        story.append(pdfkit.table(data, widths=widths, style=cell, head_style=head,
                                  extra=[("ALIGN", (3, 1), (-1, -1), "CENTER")]))
        story.append(Spacer(1, 2 * mm))
        story.append(para("; ".join(f"{u.order}. {u.code} {u.title}" for u in group.units),
                          s["small"]))
    story += [NextPageTemplate(pdfkit.PORTRAIT_PAGE), PageBreak(),
              para(_("Catatan per peserta"), s["section"])]
    for group in groups:
        for registration, row in group.rows:
            story.append(para(f"{registration.full_name} ({registration.nip}) — "
                              f"{registration.agency.name}", s["bold"]))
            assignment = getattr(registration, "assessment_assignment", None)
            story.append(para(_("Asesor: %(name)s · Pengamatan: %(text)s") % {
                "name": _assessor(registration),
                "text": (assignment.observation if assignment else "") or "-"},
                ParagraphStyle("observation", parent=s["base"], spaceAfter=2 * mm)))
            data = [[_("Unit"), _("K/BK"), _("Versi"), _("Catatan asesor")]]
            for unit, decision in zip(group.units, row, strict=True):
                data.append([f"{unit.code} {unit.title}", _verdict(decision),
                             str(decision.version) if decision else "-",
                             (decision.note if decision else "") or "-"])
            story.append(pdfkit.table(data, widths=[60 * mm, 14 * mm, 12 * mm, 94 * mm],
                                      style=cell, head_style=head))
            story.append(Spacer(1, 4 * mm))
    return pdfkit.build(story, title=title(batch), footer=title(batch),
                        first_landscape=True)


def report_xlsx(batch: Batch) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    groups, sidang = report_data(batch)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rekap")
    bold = Font(bold=True)
    sheet.append([title(batch)])
    sheet["A1"].font = bold
    if sidang is not None:
        sheet.append([_("SK sidang penetapan"), sidang.decree_number,
                      sidang.held_on.isoformat()])
    for group in groups:
        sheet.append([])
        sheet.append([group.name])
        sheet.append([_("No."), _("NIP"), _("Nama"), _("Instansi"), _("Asesor"),
                      *[f"{u.order}. {u.code}" for u in group.units], _("Jumlah K")])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for index, (registration, row) in enumerate(group.rows, 1):
            _append(sheet, [index, registration.nip, registration.full_name,
                          registration.agency.name, _assessor(registration),
                          *[_verdict(d) for d in row],
                          sum(1 for d in row if d and d.signed_at and d.verdict == "K")])
    notes = workbook.create_sheet(_("Catatan"))
    notes.append([_("NIP"), _("Nama"), _("Unit"), _("K/BK"), _("Versi"), _("Catatan asesor"),
                  _("Pengamatan asesor"), _("Ditandatangani"), _("Sidik isi (SHA-256)")])
    for cell in notes[1]:
        cell.font = bold
    for group in groups:
        for registration, row in group.rows:
            assignment = getattr(registration, "assessment_assignment", None)
            for unit, decision in zip(group.units, row, strict=True):
                signed = (timezone.localtime(decision.signed_at).replace(tzinfo=None)
                          if decision and decision.signed_at else None)
                _append(notes, [registration.nip, registration.full_name,
                              f"{unit.code} {unit.title}", _verdict(decision),
                              decision.version if decision else None,
                              decision.note if decision else "",
                              assignment.observation if assignment else "", signed,
                              decision.content_hash if decision else ""])
    for column, width in zip("ABCDEFGHI", (21, 32, 40, 8, 7, 60, 40, 18, 66), strict=True):
        notes.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet, values: list) -> None:
    """Typed text stays text: "=..." entered by a user must not become an Excel formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
