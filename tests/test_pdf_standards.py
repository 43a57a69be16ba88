"""Every PDF the application makes embeds all its fonts (TrueType programs, /FontFile2: no
standard-14 font such as the canvas's default Helvetica or the letter's Times, which readers
substitute) and carries /Title, /Author and /Creator. The PDFs are those of every route of
the access matrix (later apps' included), read with pypdf; uploaded files are the
uploader's and are not checked."""

import datetime as dt

import pytest
from django.test import Client

from kompeten import pdfkit
from kompeten.letters import content, pdf
from kompeten.letters import services as letter_services
from kompeten.programs.models import Agency
from tests.access_matrix import ANONYMOUS, add_principals
from tests.matrix_pages import matrix_urls
from tests.pdf_fonts import fonts, info, unembedded

# Routes that serve a file as it was uploaded (a participant's document, a material, a
# resume, a scanned attendance sheet): not made here.
UPLOADED = {"participants:download", "elearning:material_download", "elearning:resume_file",
            "kelas:signed_sheet", "monev:evidence"}
# What the application makes on main; later apps add theirs through the matrix.
MADE_HERE = {"actionplans:my_action_plan_pdf", "actionplans:action_plan_pdf",
             "dormitory:room_night_pdf", "classroom:class_list_pdf", "classroom:attendance_pdf",
             "classroom:name_plates_pdf", "letters:preview", "letters:download"}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def matrix_pdfs(world: dict) -> dict[str, bytes]:
    """{url name: PDF} of every GET route of the matrix that answers with a PDF."""
    clients: dict[str, Client] = {}
    found: dict[str, bytes] = {}
    for name, principal, url in matrix_urls(world):
        if name in found or name in UPLOADED:
            continue
        if principal not in clients:
            clients[principal] = Client()
            if principal != ANONYMOUS:
                clients[principal].force_login(world["principals"][principal])
        response = clients[principal].get(url)
        if response.status_code == 200 and response["Content-Type"] == "application/pdf":
            found[name] = _body(response)
    return found


def _problems(label: str, data: bytes) -> list[str]:
    problems = [f"{label}: font not embedded: {name}" for name in unembedded(data)]
    if not fonts(data):
        problems.append(f"{label}: no font at all")
    meta = info(data)
    problems += [f"{label}: no /{key}" for key in ("Title", "Author", "Creator")
                 if not meta[key].strip()]
    return problems


@pytest.mark.django_db
def test_every_pdf_of_the_matrix_embeds_its_fonts(world, settings):
    pdfs = matrix_pdfs(add_principals(world))
    assert set(pdfs) >= MADE_HERE, sorted(MADE_HERE - set(pdfs))
    problems = [problem for name, data in pdfs.items() for problem in _problems(name, data)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_letter_in_times_metrics_embeds_liberation_serif(program, agency_a):
    letter_settings = letter_services.ensure_settings(program=program)
    facts = content.program_facts(program=program)
    letter = content.draft(letter_settings=letter_settings, facts=facts, agency=agency_a)
    data = pdf.render_letter(letter)
    names = {use.name.split("+")[-1] for use in fonts(data)}
    assert {"LiberationSerif", "LiberationSerif-Bold"} <= names, names
    assert not unembedded(data) and info(data)["Creator"] == "Kompeten"
    assert info(data)["Title"].startswith("Surat Pemberitahuan")


@pytest.mark.django_db
def test_a_letter_beyond_windows_1252_embeds_dejavu(program):
    agency = Agency.objects.create(code="KAB-77", name="BKPSDM Kabupaten Ŝamosir",
                                   kind="kabkota", province="Sumatera Utara",
                                   email="bkpsdm@samosir.example")
    letter_settings = letter_services.ensure_settings(program=program)
    data = pdf.render_letter(content.draft(letter_settings=letter_settings,
                                           facts=content.program_facts(program=program),
                                           agency=agency))
    assert not unembedded(data)
    assert any("DejaVuSerif" in use.name for use in fonts(data))


def test_the_kit_names_no_standard_font_even_on_an_empty_page():
    data = pdfkit.build([pdfkit.para("", pdfkit.styles()["base"])], title="Kosong",
                        page_numbers=False)
    assert not unembedded(data), fonts(data)
    assert info(data)["Title"] == "Kosong" and info(data)["Author"] == pdfkit.AUTHOR


def test_the_check_finds_a_standard_font():
    """The suite can fail: ReportLab's default canvas names Helvetica, unembedded."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 72, f"{dt.date(2019, 5, 6)}")
    page.save()
    assert unembedded(buffer.getvalue()) == ["Helvetica"]
