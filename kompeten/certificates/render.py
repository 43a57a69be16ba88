"""The certificate PDF in the layout of the guide's example (A4 landscape): BKN and Pusat
Pengembangan ASN, SERTIFIKAT, the number, the name with titles, the statement, the scheme,
place and date, the signatory, the photo and a QR code to the verification page; page 2
"Daftar Unit Kompetensi" for the competence certificate.

Drawn on the canvas, not laid out as a story: what is the same on every certificate of a
document (border, headings, signatory) is drawn once into a form XObject that every page
reuses, so a batch of 1,500 costs little more than its names. Independent of Django models
(plain facts in, bytes out) so the benchmark and worker processes can call it."""

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO

import segno
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kompeten.pdfkit import AUTHOR, BRAND, sans, serif

PAGE = landscape(A4)
WIDTH, HEIGHT = PAGE
CENTRE = WIDTH / 2
TEXT_WIDTH = 640
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
KEYWORD = "kompeten-certificate:"


def tanggal(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class CertificateFacts:
    kind: str  # "training" | "competence"
    number: str
    public_id: str
    full_name: str
    nip: str
    qualification: str
    level: str
    issued_on: dt.date
    verify_url: str
    signatory_name: str
    signatory_title: str
    signatory_nip: str = ""
    place: str = "Jakarta"
    scheme: str = "MANAJEMEN APARATUR SIPIL NEGARA"
    english: bool = True
    units: tuple[tuple[str, str], ...] = ()  # (code, title) of the units judged K
    units_k: int = 0
    units_total: int = 0
    period: str = ""  # the batch's dates, for the training certificate
    jp: int = 0
    photo: bytes | None = field(default=None, repr=False)


SERIF_REGULAR, SERIF_BOLD = "DejaVuSerif", "DejaVuSerif-Bold"
# Three faces only: every font embedded costs each single-certificate PDF its subset.
SANS_REGULAR, SANS_ITALIC = SERIF_REGULAR, "DejaVuSans-Oblique"


def _fonts() -> None:
    serif()
    sans()


def _fit(text: str, font: str, size: float, width: float, minimum: float) -> float:
    """The largest size ≤ size (≥ minimum) at which text fits the width."""
    actual = stringWidth(text, font, size)
    if actual <= width:
        return size
    return max(minimum, size * width / actual)


def _centred_lines(canvas: Canvas, text: str, *, font: str, size: float, y: float,
                   width: float = TEXT_WIDTH, max_lines: int = 2, minimum: float = 8,
                   leading: float = 1.2) -> float:
    """Text centred at y, wrapped into at most max_lines lines (shrinking the size until it
    fits); returns the y below the last line."""
    while True:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines or size <= minimum:
            break
        size = max(minimum, size - 0.5)
    if len(lines) > max_lines:
        # The longest inputs at the smallest size: the last line is shrunk to fit.
        lines = [*lines[:max_lines - 1], " ".join(lines[max_lines - 1:])]
    for line in lines:
        line_size = _fit(line, font, size, width, 0.5)
        canvas.setFont(font, line_size)
        canvas.drawCentredString(CENTRE, y, line)
        y -= size * leading
    return y


def _english(canvas: Canvas, text: str, y: float, *, x: float = CENTRE,
             size: float = 8.5) -> None:
    canvas.setFont(SANS_ITALIC, size)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawCentredString(x, y, text)
    canvas.setFillColor(colors.black)


class _Forms:
    """The static parts of a document's pages, each drawn once as a form XObject."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.names: dict[tuple, str] = {}

    def use(self, key: tuple, draw) -> None:
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = f"Static{len(self.names)}"
            self.canvas.beginForm(name)
            draw(self.canvas, *key[1:])
            self.canvas.endForm()
        self.canvas.doForm(name)


def _frame(canvas: Canvas) -> None:
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(16, 16, WIDTH - 32, HEIGHT - 32)
    canvas.setLineWidth(0.8)
    canvas.rect(23, 23, WIDTH - 46, HEIGHT - 46)
    canvas.setStrokeColor(colors.black)


def _signatory(canvas: Canvas, name: str, title: str, nip: str, x: float, y: float) -> None:
    """Title lines from y down, room to sign, the name underlined and the NIP."""
    canvas.setFont(SERIF_REGULAR, 10.5)
    # "Kepala" on a line of its own, as in the guide's example
    head, _, rest = title.partition(" ")
    lines = [head, *simpleSplit(rest, SERIF_REGULAR, 10.5, 270)] if (
        head.lower() == "kepala" and rest) else simpleSplit(title, SERIF_REGULAR, 10.5, 270)
    for line in lines[:3]:
        canvas.drawCentredString(x, y, line)
        y -= 13
    y -= 48
    size = _fit(name, SERIF_BOLD, 10.5, 250, 5)
    canvas.setFont(SERIF_BOLD, size)
    canvas.drawCentredString(x, y, name)
    half = stringWidth(name, SERIF_BOLD, size) / 2
    canvas.setLineWidth(0.6)
    canvas.line(x - half, y - 2, x + half, y - 2)
    if nip:
        canvas.setFont(SERIF_REGULAR, 10)
        canvas.drawCentredString(x, y - 14, f"NIP. {nip}")


SIGN_X, SIGN_TOP = WIDTH - 190, 150


def _static_front(canvas: Canvas, kind: str, english: bool, scheme: str, name: str,
                  title: str, nip: str) -> None:
    _frame(canvas)
    top = HEIGHT - 62
    canvas.setFont(SERIF_BOLD, 17)
    canvas.drawCentredString(CENTRE, top, "BADAN KEPEGAWAIAN NEGARA")
    canvas.setFont(SERIF_BOLD, 13)
    canvas.drawCentredString(CENTRE, top - 19, "PUSAT PENGEMBANGAN APARATUR SIPIL NEGARA")
    if english:
        _english(canvas, "National Civil Service Agency · Centre for Civil Service Development",
                 top - 31)
    canvas.setFillColor(BRAND)
    canvas.setFont(SERIF_BOLD, 32)
    canvas.drawCentredString(CENTRE, top - 72, "SERTIFIKAT")
    canvas.setFillColor(colors.black)
    if english:
        _english(canvas, "CERTIFICATE", top - 85, size=9)
    canvas.setFont(SERIF_REGULAR, 12)
    canvas.drawCentredString(CENTRE, top - 132, "Dengan ini menyatakan bahwa")
    if english:
        _english(canvas, "This is to certify that", top - 144)
    if kind == "competence":
        canvas.setFont(SERIF_REGULAR, 12)
        canvas.drawCentredString(CENTRE, 232, "Pada Skema Sertifikasi")
        if english:
            _english(canvas, "in the Certification Scheme", 221)
        size = _fit(scheme, SERIF_BOLD, 15, TEXT_WIDTH, 7)
        canvas.setFont(SERIF_BOLD, size)
        canvas.setFillColor(BRAND)
        canvas.drawCentredString(CENTRE, 202, scheme)
        canvas.setFillColor(colors.black)
    _signatory(canvas, name, title, nip, SIGN_X, SIGN_TOP - 16)
    canvas.setFont(SANS_REGULAR, 6.5)
    canvas.drawString(158, 40, "Pindai kode QR untuk memeriksa keaslian")
    if english:
        canvas.setFont(SANS_ITALIC, 6)
        canvas.drawString(158, 32, "Scan the QR code to verify")


def _static_units(canvas: Canvas, english: bool, name: str, title: str, nip: str) -> None:
    _frame(canvas)
    canvas.setFillColor(BRAND)
    canvas.setFont(SERIF_BOLD, 16)
    canvas.drawCentredString(CENTRE, HEIGHT - 62, "Daftar Unit Kompetensi")
    canvas.setFillColor(colors.black)
    if english:
        _english(canvas, "List of Competency Units", HEIGHT - 75)
    _signatory(canvas, name, title, nip, SIGN_X, SIGN_TOP - 16)


TABLE_X = 50
COLUMNS = (28, 150, WIDTH - 2 * TABLE_X - 178)  # No., code, title
TABLE_TOP = HEIGHT - 128
TABLE_BOTTOM = 170


def _jpeg_object(canvas: Canvas, photo: bytes):
    """The photo as an image XObject, its JPEG stream embedded as it is (ReportLab's own
    drawImage decodes every image to name it, the largest cost of a certificate)."""
    name = "Photo" + hashlib.blake2b(photo, digest_size=12).hexdigest()
    reg_name = canvas._doc.getXObjectName(name)
    image = canvas._doc.idToObject.get(reg_name)
    if image is None:
        image = pdfdoc.PDFImageXObject(name)
        if not image.loadImageFromJPEG(BytesIO(photo)):
            return None, None
        image.name = name
        canvas._setXObjects(image)
        canvas._doc.Reference(image, reg_name)
        canvas._doc.addForm(name, image)
    return image, reg_name


def _draw_any(canvas: Canvas, photo: bytes, x: float, y: float, width: float,
              height: float) -> bool:
    try:
        canvas.drawImage(ImageReader(BytesIO(photo)), x, y, width, height,
                         preserveAspectRatio=True, anchor="c")
    except Exception:  # noqa: BLE001 - an unreadable photo leaves the empty box
        return False
    return True


def _photo(canvas: Canvas, photo: bytes | None, x: float, y: float) -> None:
    box_w, box_h = 30 * mm, 40 * mm
    if photo and photo[:2] == b"\xff\xd8":
        image, reg_name = _jpeg_object(canvas, photo)
        if image is not None:
            scale = min(box_w / image.width, box_h / image.height)
            width, height = image.width * scale, image.height * scale
            canvas.saveState()
            canvas.translate(x + (box_w - width) / 2, y + (box_h - height) / 2)
            canvas.scale(width, height)
            canvas._code.append(f"/{reg_name} Do")
            canvas.restoreState()
            canvas._formsinuse.append(image.name)
            return
    if photo and _draw_any(canvas, photo, x, y, box_w, box_h):
        return
    canvas.setLineWidth(0.6)
    canvas.rect(x, y, box_w, box_h)
    canvas.setFont(SANS_REGULAR, 7)
    canvas.drawCentredString(x + box_w / 2, y + box_h / 2, "Pas foto 3x4")


def _qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    # A fixed mask skips segno's evaluation of all eight (most of its time); the modules
    # are written as integer rectangles in a scaled space, which ReportLab need not format.
    matrix = segno.make(data, error="m", micro=False, mask=0, boost_error=False).matrix
    border = 2
    count = len(matrix)
    unit = size / (count + 2 * border)
    rects = []
    for row_index, row in enumerate(matrix):
        top = count - 1 - row_index
        column = 0
        while column < count:
            if not row[column]:
                column += 1
                continue
            start = column
            while column < count and row[column]:
                column += 1
            rects.append(f"{start} {top} {column - start} 1 re")
    canvas.saveState()
    canvas.translate(x + border * unit, y + border * unit)
    canvas.scale(unit, unit)
    canvas.addLiteral(" ".join(rects) + " f")
    canvas.restoreState()


def _front(canvas: Canvas, forms: _Forms, facts: CertificateFacts) -> None:
    forms.use(("front", facts.kind, facts.english, facts.scheme, facts.signatory_name,
               facts.signatory_title, facts.signatory_nip), _static_front)
    top = HEIGHT - 62
    canvas.setFont(SERIF_REGULAR, 11)
    number = f"Nomor: {facts.number}"
    canvas.setFont(SERIF_REGULAR, _fit(number, SERIF_REGULAR, 11, TEXT_WIDTH, 5))
    canvas.drawCentredString(CENTRE, top - 105, number)
    y = _centred_lines(canvas, facts.full_name, font=SERIF_BOLD, size=22, y=top - 178,
                       max_lines=2, minimum=11)
    if facts.nip:
        canvas.setFont(SERIF_REGULAR, 11)
        canvas.drawCentredString(CENTRE, y + 4, f"NIP. {facts.nip}")
    if facts.kind == "competence":
        statement = (f"Telah memenuhi {facts.units_k} Unit Kompetensi dari "
                     f"{facts.units_total} Unit Kompetensi Kualifikasi {facts.qualification}")
        english = (f"has met {facts.units_k} of the {facts.units_total} competency units "
                   f"of the {facts.qualification} qualification")
        y = _centred_lines(canvas, statement, font=SERIF_REGULAR, size=12.5, y=282,
                           max_lines=3, minimum=7)
    else:
        statement = (f"telah mengikuti Pelatihan Manajemen Aparatur Sipil Negara "
                     f"Kualifikasi {facts.qualification}")
        english = (f"has attended the Civil Service Management Training, "
                   f"{facts.qualification} qualification")
        y = _centred_lines(canvas, statement, font=SERIF_REGULAR, size=12.5, y=282,
                           max_lines=3, minimum=7)
        detail = "yang diselenggarakan oleh Pusat Pengembangan ASN BKN"
        if facts.period:
            detail += f" pada {facts.period}"
        if facts.jp:
            detail += f" selama {facts.jp} jam pelajaran (JP)"
        canvas.setFont(SERIF_REGULAR, _fit(detail, SERIF_REGULAR, 11.5, TEXT_WIDTH, 6))
        canvas.drawCentredString(CENTRE, 222, detail)
    if facts.english:
        canvas.saveState()
        canvas.setFont(SANS_ITALIC, _fit(english, SANS_ITALIC, 8.5, TEXT_WIDTH, 4))
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawCentredString(CENTRE, max(y + 4, 240), english)
        canvas.restoreState()
    _place_and_date(canvas, facts)
    _photo(canvas, facts.photo, 60, 40)
    _qr(canvas, facts.verify_url, 152, 48, 30 * mm)


def _place_and_date(canvas: Canvas, facts: CertificateFacts) -> None:
    text = f"{facts.place}, {tanggal(facts.issued_on)}"
    canvas.setFont(SERIF_REGULAR, _fit(text, SERIF_REGULAR, 10.5, 250, 5))
    canvas.drawCentredString(SIGN_X, SIGN_TOP, text)


def _units_page(canvas: Canvas, forms: _Forms, facts: CertificateFacts) -> None:
    forms.use(("units", facts.english, facts.signatory_name, facts.signatory_title,
               facts.signatory_nip), _static_units)
    canvas.setFont(SERIF_REGULAR, 9.5)
    line = f"Nomor: {facts.number} · {facts.full_name}"
    canvas.setFont(SERIF_REGULAR, _fit(line, SERIF_REGULAR, 9.5, WIDTH - 2 * TABLE_X, 4))
    canvas.drawCentredString(CENTRE, HEIGHT - 95, line)
    # Officials of one qualification judged K on the same units share one drawn table.
    forms.use(("table", tuple(facts.units)), _units_table)
    _place_and_date(canvas, facts)


def _units_table(canvas: Canvas, units: Sequence[tuple[str, str]]) -> None:
    # The font shrinks as the list grows so every unit stays on the page.
    size = 10.0
    while True:
        leading = size * 1.25
        wrapped = [(simpleSplit(code, SANS_REGULAR, size, COLUMNS[1] - 8),
                    simpleSplit(title, SANS_REGULAR, size, COLUMNS[2] - 8))
                   for code, title in units]
        heights = [max(len(c), len(t), 1) * leading + 5 for c, t in wrapped]
        if sum(heights) + 20 <= TABLE_TOP - TABLE_BOTTOM or size <= 4:
            break
        size -= 0.5
    x = [TABLE_X, TABLE_X + COLUMNS[0], TABLE_X + COLUMNS[0] + COLUMNS[1],
         TABLE_X + sum(COLUMNS)]
    y = TABLE_TOP
    canvas.setFillColor(colors.HexColor("#dbe5f1"))
    canvas.rect(x[0], y - 18, x[3] - x[0], 18, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    canvas.setFont(SERIF_BOLD, 9)
    for index, head in enumerate(("No.", "Kode Unit Kompetensi", "Judul Unit Kompetensi")):
        canvas.drawString(x[index] + 4, y - 13, head)
    canvas.setLineWidth(0.5)
    rows = [y, y - 18]
    y -= 18
    canvas.setFont(SANS_REGULAR, size)
    for number, ((code_lines, title_lines), height) in enumerate(zip(wrapped, heights,
                                                                     strict=True), 1):
        text_y = y - size - 2
        canvas.drawString(x[0] + 4, text_y, str(number))
        for offset, part in enumerate(code_lines):
            canvas.drawString(x[1] + 4, text_y - offset * leading, part)
        for offset, part in enumerate(title_lines):
            canvas.drawString(x[2] + 4, text_y - offset * leading, part)
        y -= height
        rows.append(y)
    for row_y in rows:
        canvas.line(x[0], row_y, x[3], row_y)
    for column_x in x:
        canvas.line(column_x, rows[0], column_x, rows[-1])


def render(certificates: Sequence[CertificateFacts], *, title: str | None = None) -> bytes:
    """One PDF with every certificate (page 1, and page 2 for a competence certificate).
    The metadata carries the (single) certificate's number and public id."""
    _fonts()
    # ASCII85 makes streams a quarter bigger and costs a third of the time: binary streams.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        return _render(certificates, title=title)
    finally:
        rl_config.useA85 = a85


def _render(certificates: Sequence[CertificateFacts], *, title: str | None) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, invariant=1, pageCompression=1,
                    initialFontName=SANS_REGULAR)
    canvas.setAuthor(AUTHOR)
    canvas.setCreator("Kompeten")
    if len(certificates) == 1:
        only = certificates[0]
        canvas.setTitle(title or f"Sertifikat {only.number}")
        canvas.setSubject(only.number)
        canvas.setKeywords(f"{KEYWORD}{only.public_id}")
    else:
        canvas.setTitle(title or "Sertifikat")
    forms = _Forms(canvas)
    for facts in certificates:
        _front(canvas, forms, facts)
        canvas.showPage()
        if facts.kind == "competence":
            _units_page(canvas, forms, facts)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()
