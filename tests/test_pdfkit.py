"""The PDF kit: shipped fonts, page frame, escaping, splitting tables, QR, photo, signature."""

import ast
from io import BytesIO
from pathlib import Path

import segno
from PIL import Image
from reportlab.lib.units import mm
from reportlab.platypus import NextPageTemplate, PageBreak

from kompeten import pdfkit
from tests import pdf_text

KIT = Path(pdfkit.__file__).parent
PROJECT = KIT.parent


def test_fonts_and_their_licence_ship_with_the_package():
    for family in (pdfkit.SANS, pdfkit.SERIF, pdfkit.TIMES):
        for face in {family.regular, family.bold, family.italic, family.bold_italic}:
            assert (KIT / "fonts" / f"{face}.ttf").stat().st_size > 100_000
    licence = (KIT / "fonts" / "LICENSE").read_text()
    assert "Bitstream" in licence and "Liberation" in licence and "SIL-OFL-1.1" in licence
    pyproject = (PROJECT.parent / "pyproject.toml").read_text()
    assert '"kompeten.pdfkit" = ["fonts/*.ttf", "fonts/LICENSE"]' in pyproject


def test_no_module_reads_fonts_from_a_system_path():
    for path in PROJECT.rglob("*.py"):
        assert "/usr/share/fonts" not in path.read_text(), path


def test_the_kit_imports_no_app_of_the_project():
    for path in KIT.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("kompeten.") or \
                    node.module.startswith("kompeten.pdfkit"), (path, node.module)


def test_serif_for_keeps_times_for_latin_text_only():
    assert pdfkit.serif_for("Kepala BKD Provinsi Aceh", "Rp 1.000 – “kutipan”") == pdfkit.TIMES
    assert pdfkit.serif_for("BKPSDM Kabupaten Ŋgada") == pdfkit.SERIF


def test_para_prints_markup_characters_as_typed():
    s = pdfkit.styles()
    pdf = pdfkit.build([pdfkit.para("<b>A & B</b>\nbaris <br/> dua ≤ 3", s["body"])],
                       title="uji")
    assert "<b>A & B</b> baris <br/> dua ≤ 3" in pdf_text.text(pdf)


def test_a_cell_taller_than_a_page_splits_and_the_header_repeats():
    s = pdfkit.styles()
    rows = [["Judul", "Isi"], ["Panjang", "\n".join(f"baris {n}" for n in range(1, 301))],
            ["Pendek", "akhir"]]
    pdf = pdfkit.build([pdfkit.table(rows, widths=[40 * mm, 120 * mm], style=s["cell"],
                                     head_style=s["head"])], title="uji", footer="kaki")
    pages = pdf_text.page_texts(pdf)
    assert len(pages) >= 4
    assert all("Judul" in page and "kaki" in page for page in pages)
    assert "Halaman 4" in pages[3]
    text = pdf_text.text(pdf)
    assert "baris 1 " in text and "baris 300" in text and "akhir" in text


def test_grouped_rows_split_across_pages():
    s = pdfkit.styles()
    rows = [["Jangka", "Kegiatan"]] + [["Pendek" if n == 1 else "", "kata " * 120]
                                       for n in range(1, 14)]
    pdf = pdfkit.build([pdfkit.table(rows, widths=[30 * mm, 150 * mm], style=s["cell"],
                                     head_style=s["head"], groups=[(1, 13)])], title="uji")
    assert len(pdf_text.page_sizes(pdf)) >= 2


def test_letterhead_on_the_first_page_and_landscape_pages_on_demand():
    s = pdfkit.styles(pdfkit.serif_for("Jl. Mayjen Sutoyo"))
    story = [pdfkit.para("halaman satu", s["body"]), NextPageTemplate(pdfkit.LANDSCAPE_PAGE),
             PageBreak(), pdfkit.para("halaman dua", s["body"])]
    pdf = pdfkit.build(story, title="uji", letterhead=pdfkit.Letterhead(
        address="Jl. Mayjen Sutoyo No. 12 " * 12), page_numbers=False)
    pages = pdf_text.page_texts(pdf)
    assert "BADAN KEPEGAWAIAN NEGARA" in pages[0] and "PUSAT PENGEMBANGAN" in pages[0]
    assert "BADAN KEPEGAWAIAN" not in pages[1] and "Halaman" not in pages[0]
    width, height = pdf_text.page_sizes(pdf)[1]
    assert width > height


def test_signature_block():
    s = pdfkit.styles()
    pdf = pdfkit.build([pdfkit.signature(style=s["centre"], name_style=s["bold"],
                                         place="Jakarta", date="5 April 2019",
                                         title="Kepala Pusat", name="Dr. A & B",
                                         nip="196102121985091001")], title="uji")
    assert "Jakarta, 5 April 2019 Kepala Pusat Dr. A & B NIP. 196102121985091001" in \
        pdf_text.text(pdf)


def test_qr_code_draws_every_dark_module():
    data = "https://kompeten.example/sertifikat/ABC-123"
    code = pdfkit.QRCode(data, size=30 * mm)
    assert (code.width, code.height) == (30 * mm, 30 * mm)
    pdf = pdfkit.build([code], title="uji", compress=False)
    dark = sum(1 for row in segno.make(data, error="m", micro=False).matrix
               for module in row if module)
    # runs of dark modules are drawn as one rectangle each, so there are fewer rectangles
    rects = pdf.count(b" re f")
    assert 0 < rects <= dark


def test_photo_fits_its_box_and_keeps_its_aspect():
    buffer = BytesIO()
    Image.new("RGB", (600, 300), "navy").save(buffer, format="PNG")
    photo = pdfkit.photo(buffer.getvalue(), max_width=40 * mm, max_height=40 * mm)
    assert (round(photo.drawWidth, 3), round(photo.drawHeight, 3)) == \
        (round(40 * mm, 3), round(20 * mm, 3))
    small = pdfkit.photo(buffer.getvalue(), max_width=400 * mm, max_height=400 * mm)
    assert (small.drawWidth, small.drawHeight) == (600, 300)  # never enlarged
    pdf = pdfkit.build([photo], title="uji")
    assert b"/Subtype /Image" in pdf
