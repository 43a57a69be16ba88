"""The participant's personal data as a PDF (pdfkit): the same content as the JSON export."""

import json

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from kompeten import pdfkit
from kompeten.pdfkit import para
from kompeten.reports.selectors.personal import PersonalData

WIDTH = 180 * mm
LABEL = 55 * mm
# A value longer than this is cut in the PDF (the JSON export keeps it whole).
VALUE_MAX = 3000


def _text(value) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= VALUE_MAX else text[:VALUE_MAX] + " …"


def _pairs(data: dict, s) -> list:
    if not data:
        return []
    rows = [[para(str(key), s["bold"]), _text(value)] for key, value in data.items()]
    return [pdfkit.table(rows, widths=[LABEL, WIDTH - LABEL], style=s["cell"], header_rows=0,
                         h_align="LEFT")]


def personal_data_pdf(data: PersonalData, *, name: str) -> bytes:
    s = pdfkit.styles(size=8.5)
    story = [para(_("Data pribadi yang disimpan Kompeten"), s["title"]),
             para(_("%(name)s · dibuat %(when)s") % {
                 "name": name, "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
                 s["subtitle"]),
             para(_("Akun"), s["section"]), *_pairs(data.account, s)]
    for program, fields, sections in data.registrations:
        if program:
            story += [para(_("Pendaftaran: %(program)s") % {"program": program}, s["section"]),
                      *_pairs(fields, s)]
        for section in sections:
            story.append(para(section.title, s["section"]))
            for row in section.rows:
                if "__bagian__" in row:
                    story.append(para(row["__bagian__"], s["bold"]))
                    for child in row["baris"]:
                        story += _pairs({k: v for k, v in child.items()
                                         if k != "__bagian__"}, s)
                else:
                    story += _pairs(row, s)
    return pdfkit.build(story, title=_("Data pribadi"), footer=_("Rahasia — data pribadi"))
