"""Building blocks of a story: escaped paragraphs, tables whose rows split across pages, a
QR code, a photo and a signature block."""

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Image, Paragraph, Spacer, Table, TableStyle

from kompeten.pdfkit.document import GRID, HEADER_BG
from kompeten.pdfkit.fonts import sans

PADDING = 3


def esc(text: object) -> str:
    """Text as paragraph markup: <, > and & escaped, line breaks kept."""
    return escape(str(text or "")).replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle, *, bullet: str | None = None) -> Paragraph:
    """A paragraph of plain text (never markup: whatever a user typed is shown as typed)."""
    return Paragraph(esc(text), style, bulletText=bullet)


def numbered(items: Sequence[str], style: ParagraphStyle) -> list[Paragraph]:
    """Items as "1.", "2.", … with the style's hanging indent."""
    return [para(item, style, bullet=f"{number}.") for number, item in enumerate(items, 1)]


def _fits(text: str, style: ParagraphStyle, width: float | None) -> bool:
    return (width is not None and "\n" not in text
            and pdfmetrics.stringWidth(text, style.fontName, style.fontSize)
            <= width - 2 * PADDING)


def _cell(value, style: ParagraphStyle, width: float | None):
    # Plain strings are several times faster to lay out than Paragraphs; wrap only if needed.
    if isinstance(value, str) and not _fits(value, style, width):
        return para(value, style)
    return value


def table(rows: Sequence[Sequence], *, widths: Sequence[float | None], style: ParagraphStyle,
          head_style: ParagraphStyle | None = None, header_rows: int = 1,
          header_bg=HEADER_BG, grid=GRID, grid_width: float = 0.5, valign: str = "MIDDLE",
          extra: Sequence[tuple] = (), h_align: str = "CENTER",
          row_heights: Sequence[float | None] | None = None,
          groups: Sequence[tuple[int, int]] = (), group_column: int = 0) -> Table:
    """A grid table: header rows repeated on every page, string cells wrapped as paragraphs
    when they do not fit their column, and rows that split across pages (a cell taller than
    a page no longer stops the document).

    groups: (first, last) row ranges drawn as one box in group_column (its cell filled in
    the first row only), in place of SPAN, which ReportLab 5.1 cannot split inside rows."""
    head_style = head_style or style
    data = []
    for index, row in enumerate(rows):
        cell_style = head_style if index < header_rows else style
        if index < header_rows:
            data.append([para(v, head_style) if isinstance(v, str) and v else v for v in row])
        else:
            data.append([_cell(v, cell_style, w) for v, w in zip(row, widths, strict=True)])
    result = Table(data, colWidths=list(widths), rowHeights=row_heights,
                   repeatRows=header_rows, splitInRow=1, hAlign=h_align)
    columns = len(widths)
    if groups:
        lines = [("GRID", (0, 0), (group_column - 1, -1), grid_width, grid)] \
            if group_column else []
        if group_column < columns - 1:
            lines.append(("GRID", (group_column + 1, 0), (-1, -1), grid_width, grid))
        grouped = {row for first, last in groups for row in range(first, last + 1)}
        lines += [("BOX", (group_column, first), (group_column, last), grid_width, grid)
                  for first, last in [*groups, *((row, row) for row in range(len(data))
                                                 if row not in grouped)]]
    else:
        lines = [("GRID", (0, 0), (-1, -1), grid_width, grid)]
    commands = [
        *lines,
        # every cell names a kit font: a cell left to Table's default (an empty header
        # cell too) would name Helvetica, a standard-14 font that is never embedded
        ("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize, style.leading),
        *([("FONT", (0, 0), (-1, header_rows - 1), head_style.fontName, head_style.fontSize,
            head_style.leading)] if header_rows else []),
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]
    if header_rows:
        commands += [("BACKGROUND", (0, 0), (-1, header_rows - 1), header_bg),
                      ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE")]
    result.setStyle(TableStyle([*commands, *extra]))
    return result


def _first_font(rows: Sequence[Sequence]) -> str:
    for row in rows:
        for cell in row:
            if isinstance(cell, Paragraph):
                return cell.style.fontName
            if isinstance(cell, Table) and cell._cellvalues:
                return _first_font(cell._cellvalues)
    return sans().regular


def layout(rows: Sequence[Sequence], widths: Sequence[float | None], *,
           extra: Sequence[tuple] = (), h_align: str = "LEFT") -> Table:
    """An invisible table that places blocks side by side (labels, colons, values)."""
    result = Table([list(row) for row in rows], colWidths=list(widths), hAlign=h_align,
                   splitInRow=1)
    result.setStyle(TableStyle([
        # Table sets its cells' font even where a cell holds no text: the font of the first
        # paragraph, not Table's default Helvetica (a standard-14 font, never embedded)
        ("FONT", (0, 0), (-1, -1), _first_font(rows)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        *extra,
    ]))
    return result


def signature(*, style: ParagraphStyle, name_style: ParagraphStyle, title: str,
              name: str = "", nip: str = "", place: str = "", date: str = "",
              width: float = 80 * mm, space: float = 22 * mm, h_align: str = "RIGHT") -> Table:
    """Place and date, title, room to sign, the name underlined and the NIP; without a name
    a dotted line to write it on."""
    block = []
    if place or date:
        block.append([para(", ".join(part for part in (place, date) if part), style)])
    block += [[para(title, style)], [Spacer(1, space)]]
    if name:
        block.append([Paragraph(f"<u>{esc(name)}</u>", name_style)])
    else:
        block.append([para("(" + "." * 36 + ")", style)])
    if nip:
        block.append([para(f"NIP. {nip}", style)])
    return layout(block, [width], h_align=h_align)


class QRCode(Flowable):
    """A QR code (segno) drawn as vector squares, `size` wide including the quiet zone."""

    def __init__(self, data: str, *, size: float = 30 * mm, error: str = "m", border: int = 2,
                 colour=colors.black):
        super().__init__()
        self.qr = segno.make(data, error=error, micro=False)
        self.size, self.border, self.colour = size, border, colour
        self.width = self.height = size

    def draw(self) -> None:
        matrix = list(self.qr.matrix)
        modules = len(matrix) + 2 * self.border
        unit = self.size / modules
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.colour)
        for row_index, row in enumerate(matrix):
            y = self.size - (row_index + self.border + 1) * unit
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                canvas.rect((start + self.border) * unit, y, (column - start) * unit, unit,
                            stroke=0, fill=1)
        canvas.restoreState()


def photo(source: str | Path | bytes | IO[bytes], *, max_width: float = 30 * mm,
          max_height: float = 40 * mm, h_align: str = "CENTER") -> Image:
    """An image file scaled to fit the box, its aspect ratio kept (never enlarged)."""
    if isinstance(source, bytes):
        source = BytesIO(source)
    if isinstance(source, Path):
        source = str(source)
    reader = ImageReader(source)
    width, height = reader.getSize()
    scale = min(max_width / width, max_height / height, 1.0)
    if hasattr(source, "seek"):
        source.seek(0)
    image = Image(source, width=width * scale, height=height * scale)
    image.hAlign = h_align
    return image
