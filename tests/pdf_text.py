"""Reading generated PDFs in tests: pypdf, so no system tool is needed and nothing is skipped."""

from io import BytesIO

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    return PdfReader(BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def text(pdf: bytes) -> str:
    """The text of every page, whitespace (line breaks of wrapped cells too) squeezed."""
    return " ".join(" ".join(page_texts(pdf)).split())


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(page.mediabox.width), float(page.mediabox.height))
            for page in reader(pdf).pages]
