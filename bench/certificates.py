"""Certificate benchmark: python bench/certificates.py [--count 1500] [--naive 150]
[--processes 2] [--no-signed]

Renders --count two-page competence certificates (A4 landscape, a distinct JPEG photo per
official, a QR code to the verification URL, 15 units on page 2) with
kompeten.certificates.render, and measures in the same run:

* naive: the same content laid out one PDF per certificate with the PDF kit's story
  (platypus paragraphs, tables, photo and QR flowables): the baseline; measured on --naive
  certificates and projected to --count;
* batch PDFs: the print-ready PDF per batch of 30 (static parts drawn once per document),
  on --processes cores;
* own PDFs: one PDF per certificate (what is stored and signed), on --processes cores;
* signed: one PDF per certificate rendered and signed (PAdES, kompeten.signing) in each
  worker process.

Prints certificates per second, seconds for --count, the ratio to the naive baseline and
the peak RSS of this process and of the largest worker. A demo signing key is generated in
a temporary directory; nothing else is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import multiprocessing  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import secrets  # noqa: E402
import time  # noqa: E402
from io import BytesIO  # noqa: E402

_TEMP = tempfile.TemporaryDirectory(prefix="kompeten-bench-certificates-")
os.environ["KOMPETEN_VAR_DIR"] = _TEMP.name
os.environ["CERT_SIGNING_DIR"] = str(Path(_TEMP.name) / "signing")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import PageBreak, Spacer  # noqa: E402

from kompeten import pdfkit  # noqa: E402
from kompeten.certificates.render import CertificateFacts, render, tanggal  # noqa: E402

BATCH = 30
UNITS = tuple((f"M.70ASN00.{n:03d}.1", f"Melaksanakan Prosedur Manajemen ASN Bagian {n}")
              for n in range(1, 16))


def photo_jpeg(seed: int = 7) -> bytes:
    """A 300x400 noisy "pas foto" that compresses like a real one."""
    rng = random.Random(seed)
    image = Image.new("RGB", (300, 400), (200, 30, 30))
    pixels = image.load()
    for x in range(0, 300, 2):
        for y in range(0, 400, 2):
            colour = (rng.randrange(150, 256), rng.randrange(0, 120), rng.randrange(0, 120))
            for dx in (0, 1):
                for dy in (0, 1):
                    pixels[x + dx, y + dy] = colour
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def distinct(photo: bytes, number: int) -> bytes:
    """The photo with a JPEG comment segment of its own: another file for every official
    (nothing can be shared between certificates)."""
    comment = f"peserta {number}".encode()
    return photo[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + photo[2:]


def facts(count: int, photo: bytes) -> list[CertificateFacts]:
    today = dt.date(2026, 12, 12)
    return [CertificateFacts(
        kind="competence", number=f"{n:05d}/SERT-MASN/PGW/2026",
        public_id=secrets.token_urlsafe(32), full_name=f"Drs. Peserta Uji Nomor {n}, M.Si.",
        nip=f"19800101200501{n % 2 + 1}{n % 1000:03d}", qualification="Pengawas",
        level="Pengawas", issued_on=today,
        verify_url=f"https://kompeten.bkn.go.id/sertifikat/v/{secrets.token_urlsafe(32)}/",
        signatory_name="Dr. Ahmad Jalis, M.A.", signatory_nip="196805021994031002",
        signatory_title="Kepala Pusat Pengembangan Aparatur Sipil Negara",
        units=UNITS, units_k=15, units_total=15, photo=distinct(photo, n))
        for n in range(1, count + 1)]


def naive(item: CertificateFacts) -> bytes:
    """The same content as a platypus story, one document per certificate."""
    family = pdfkit.serif()
    style = pdfkit.styles(family, size=12)
    story = [pdfkit.para("BADAN KEPEGAWAIAN NEGARA", style["title"]),
             pdfkit.para("PUSAT PENGEMBANGAN APARATUR SIPIL NEGARA", style["subtitle"]),
             pdfkit.para("SERTIFIKAT", style["title"]),
             pdfkit.para(f"Nomor: {item.number}", style["centre"]),
             pdfkit.para("Dengan ini menyatakan bahwa", style["centre"]),
             pdfkit.para(item.full_name, style["title"]),
             pdfkit.para(f"NIP. {item.nip}", style["centre"]),
             pdfkit.para(f"Telah memenuhi {item.units_k} Unit Kompetensi dari "
                         f"{item.units_total} Unit Kompetensi Kualifikasi {item.qualification}",
                         style["centre"]),
             pdfkit.para("Pada Skema Sertifikasi", style["centre"]),
             pdfkit.para(item.scheme, style["title"]), Spacer(1, 6 * mm),
             pdfkit.layout([[pdfkit.photo(item.photo), pdfkit.QRCode(item.verify_url),
                             pdfkit.signature(style=style["centre"], name_style=style["bold"],
                                              title=item.signatory_title,
                                              name=item.signatory_name, nip=item.signatory_nip,
                                              place=item.place,
                                              date=tanggal(item.issued_on))]],
                           [40 * mm, 40 * mm, 90 * mm]),
             PageBreak(), pdfkit.para("Daftar Unit Kompetensi", style["title"]),
             pdfkit.table([["No.", "Kode Unit Kompetensi", "Judul Unit Kompetensi"],
                           *[[str(i), code, title] for i, (code, title) in
                             enumerate(item.units, 1)]],
                          widths=[12 * mm, 45 * mm, 180 * mm], style=style["cell"],
                          head_style=style["head"])]
    return pdfkit.build(story, title=f"Sertifikat {item.number}", family=family,
                        first_landscape=True, page_numbers=False)


# -- work done in the worker processes -----------------------------------------------------

def _batch_pdf(chunk: list[CertificateFacts]) -> tuple[int, float]:
    start = time.process_time()
    return len(render(chunk, title="Sertifikat angkatan")), time.process_time() - start


def _own_pdfs(chunk: list[CertificateFacts]) -> tuple[int, float]:
    start = time.process_time()
    return sum(len(render([item])) for item in chunk), time.process_time() - start


def _signed_pdfs(chunk: list[CertificateFacts]) -> tuple[int, float]:
    from kompeten.signing.pdf import sign_local

    start = time.process_time()
    size = sum(len(sign_local(render([item]), reason="Sertifikat Pusbang ASN BKN"))
               for item in chunk)
    return size, time.process_time() - start


def _peak_worker(_ignored) -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def in_pool(pool, function, items: list[CertificateFacts], size: int) -> tuple[int, float]:
    """(bytes written, CPU seconds of the workers)."""
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    results = list(pool.imap_unordered(function, chunks))
    return sum(r[0] for r in results), sum(r[1] for r in results)


def timed(function) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds (this process's, plus the workers' when the function
    returns (bytes, cpu))."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    cpu = time.process_time() - start_cpu
    if isinstance(result, tuple):
        result, worker_cpu = result
        cpu += worker_cpu
    return time.perf_counter() - start, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--naive", type=int, default=150,
                        help="certificates rendered naively (projected to --count)")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--no-signed", action="store_true")
    args = parser.parse_args()
    count = args.count
    items = facts(count, photo_jpeg())
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; {count} two-page certificates, "
          f"photo {len(items[0].photo) // 1024} KB each (distinct files)")
    # Warm-up: fonts parsed and the demo signing key generated before any clock starts.
    render(items[:1])
    naive(items[0])
    if not args.no_signed:
        from kompeten.signing.keys import signer_info
        from kompeten.signing.pdf import local_signer

        local_signer()
        print(f"signer: {signer_info()['common_name']}")

    rows = []
    sample = items[:args.naive]
    seconds, cpu_s, size = timed(lambda: sum(len(naive(item)) for item in sample))
    naive_per_s = len(sample) / seconds
    rows.append(("naive, 1 process", count / naive_per_s, cpu_s / len(sample),
                 f"measured on {len(sample)}, {size / len(sample) / 1024:.0f} KB each"))
    context = multiprocessing.get_context("fork")
    with context.Pool(args.processes) as pool:
        seconds, cpu_s, size = timed(lambda: in_pool(pool, _batch_pdf, items, BATCH))
        rows.append((f"batch PDFs x{args.processes}", seconds, cpu_s / count,
                     f"{count // BATCH} PDFs of {BATCH}, {size / count / 1024:.0f} KB per "
                     f"certificate"))
        seconds, cpu_s, size = timed(lambda: in_pool(pool, _own_pdfs, items, BATCH))
        rows.append((f"own PDFs x{args.processes}", seconds, cpu_s / count,
                     f"{size / count / 1024:.0f} KB each"))
        if not args.no_signed:
            seconds, cpu_s, size = timed(lambda: in_pool(pool, _signed_pdfs, items, BATCH))
            rows.append((f"signed PDFs x{args.processes}", seconds, cpu_s / count,
                         f"{size / count / 1024:.0f} KB each"))
        worker_peak = max(pool.map(_peak_worker, range(args.processes)))
    naive_total, naive_cpu = rows[0][1], rows[0][2]
    print(f"{'step':<20} {'s for ' + str(count):>11} {'per s':>8} {'CPU ms':>7} "
          f"{'vs naive':>9} {'idle s':>7}  note")
    for index, (label, total, cpu_each, note) in enumerate(rows):
        cores = 1 if index == 0 else args.processes
        print(f"{label:<20} {total:11.2f} {count / total:8.1f} {1000 * cpu_each:7.2f} "
              f"{naive_cpu / cpu_each:8.1f}x {count * cpu_each / cores:7.1f}  {note}")
    print("(CPU ms: CPU time per certificate over all processes, the figure to trust on a "
          "shared machine; vs naive: CPU per certificate against the naive rendering; idle s: "
          f"{count} certificates at that CPU cost on the cores used, i.e. on an idle machine)")
    print(f"wall-clock ratio batch PDFs vs naive: {naive_total / rows[1][1]:.1f}x")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: this process {peak_self:.0f} MB (holds the {count} certificates' facts "
          f"and photos), largest worker {worker_peak / 1024:.0f} MB")


if __name__ == "__main__":
    try:
        main()
    finally:
        _TEMP.cleanup()
