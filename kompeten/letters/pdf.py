"""The announcement letter as a PDF (A4), in the layout of the 2019 letter of Pusbang ASN
BKN: letterhead with a double rule, Nomor/Lampiran/Perihal, place and date, addressee, body,
signature, Tembusan, Catatan; then Lampiran I, the schedule table.

An official letter is always in Indonesian, whatever the reader's UI language: its fixed
words are therefore plain strings here, not translatable messages.
"""

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, NextPageTemplate, PageBreak, Spacer

from kompeten import pdfkit
from kompeten.letters.content import LetterContent
from kompeten.pdfkit import layout, para

MARGINS = pdfkit.Margins(left=25 * mm, right=20 * mm, top=14 * mm, bottom=16 * mm)
WIDTH = MARGINS.width()


def _styles(family: pdfkit.Family) -> dict[str, ParagraphStyle]:
    s = pdfkit.styles(family, size=11.5, leading=15)
    base = s["base"]
    s.update({
        "body": ParagraphStyle("body", parent=base, alignment=TA_JUSTIFY,
                               firstLineIndent=12.5 * mm, spaceAfter=7),
        "small": ParagraphStyle("small", parent=base, fontSize=10, leading=12.5),
        "note": ParagraphStyle("note", parent=base, fontSize=10, leading=12.5,
                               alignment=TA_JUSTIFY, leftIndent=6 * mm, bulletIndent=0,
                               bulletFontName=family.regular, bulletFontSize=10),
        "title": ParagraphStyle("title", parent=s["bold"], fontSize=12, leading=15,
                                alignment=TA_CENTER, spaceBefore=8, spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=11.5),
        "head": ParagraphStyle("head", parent=s["bold"], fontSize=9, leading=11,
                               alignment=TA_CENTER),
        "sign": s["centre"],
        "sign_name": ParagraphStyle("sign_name", parent=s["bold"], alignment=TA_CENTER),
    })
    return s


def _signature(content: LetterContent, s):
    return pdfkit.signature(style=s["sign"], name_style=s["sign_name"],
                            title=content.signatory_title, name=content.signatory_name,
                            nip=content.signatory_nip)


def _numbered(title: str, items, s) -> list:
    return [para(title, s["small"]), *pdfkit.numbered(items, s["note"])]


def _letter_page(content: LetterContent, s) -> list:
    label_widths = [22 * mm, 4 * mm, 74 * mm]
    reference = layout([[para(label, s["base"]), para(":", s["base"]), para(value, s["base"])]
                        for label, value in (("Nomor", content.number),
                                             ("Lampiran", content.attachment),
                                             ("Perihal", content.subject))], label_widths)
    top = layout([[reference, para(f"{content.place}, {content.date}", s["right"])]],
                 [sum(label_widths), WIDTH - sum(label_widths)])
    flow = [top, Spacer(1, 9 * mm), para("Yang terhormat,", s["base"]),
            para(content.addressee, s["base"]), para("di tempat", s["base"]), Spacer(1, 7 * mm)]
    flow += [para(paragraph, s["body"]) for paragraph in content.body]
    flow += [Spacer(1, 4 * mm), KeepTogether([_signature(content, s)])]
    if content.tembusan:
        flow += [Spacer(1, 5 * mm),
                 KeepTogether(_numbered("Tembusan Kepada Yth:", content.tembusan, s))]
    if content.notes:
        flow += [Spacer(1, 3 * mm), KeepTogether(_numbered("Catatan:", content.notes, s))]
    return flow


def _schedule(content: LetterContent, s):
    heads = ["No", "Nama Pelatihan", "Hari Pelatihan", "Jumlah Peserta",
             f"Tanggal Pelaksanaan {content.year}"]
    data = [heads] + [[str(row.no), row.name, str(row.days), str(row.participants), row.dates]
                      for row in content.schedule]
    return pdfkit.table(data, widths=[9 * mm, 98 * mm, 18 * mm, 17 * mm, 23 * mm],
                        style=s["cell"], head_style=s["head"], grid=colors.black,
                        header_bg=colors.HexColor("#e6e6e6"),
                        extra=[("ALIGN", (0, 1), (0, -1), "CENTER"),
                               ("ALIGN", (2, 1), (-1, -1), "CENTER"),
                               ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])


def _attachment_pages(content: LetterContent, s) -> list:
    small = s["small"]
    header = layout([
        [para(f"Lampiran I Surat {content.signatory_title}", small), "", ""],
        *([para(label, small), para(":", small), para(value, small)]
          for label, value in (("Nomor", content.number), ("Perihal", content.subject),
                               ("Tanggal", content.date))),
    ], [18 * mm, 4 * mm, 63 * mm], extra=[("SPAN", (0, 0), (-1, 0))], h_align="RIGHT")
    if content.schedule:
        table = _schedule(content, s)
    else:
        table = para("Jadwal angkatan belum ditetapkan.", s["base"])
    return [NextPageTemplate(pdfkit.PORTRAIT_PAGE), PageBreak(), header, Spacer(1, 6 * mm),
            para(f"JADWAL PELATIHAN DAN SERTIFIKASI MANAJEMEN KEPEGAWAIAN {content.year}",
                 s["title"]),
            table, *([Spacer(1, 3 * mm), para(content.schedule_note, s["small"])]
                     if content.schedule_note else []),
            Spacer(1, 8 * mm), KeepTogether([_signature(content, s)])]


def render_letter(content: LetterContent, *, compress: bool = True) -> bytes:
    """The letter and its Lampiran as PDF bytes (compress=False keeps text searchable)."""
    family = pdfkit.serif_for(
        content.number, content.addressee, content.subject, content.agency_name,
        content.signatory_name, content.letterhead_address, content.place, content.attachment,
        *content.body, *content.tembusan, *content.notes,
        content.schedule_note, *(row.name for row in content.schedule))
    styles = _styles(family)
    story = [*_letter_page(content, styles), *_attachment_pages(content, styles)]
    return pdfkit.build(
        story, title=f"Surat Pemberitahuan {content.number}", family=family,
        subject=content.agency_name, margins=MARGINS, page_numbers=False,
        letterhead=pdfkit.Letterhead(address=content.letterhead_address), compress=compress)


def filename(*, agency_code: str, year: int) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in agency_code)
    return f"surat-pemberitahuan-{year}-{safe}.pdf"
