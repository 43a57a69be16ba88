"""Signing benchmark: python bench/signing.py [--count 300] [--processes 2]

How many typical certificates (2 pages, A4 landscape, a JPEG photo, about 150 KB) per
second kompeten.signing signs (PAdES B-B, RSA-2048 demo key) and verifies on this machine,
against a baseline measured in the same run: rendering the same certificate naively with
ReportLab, one PDF per certificate. Figures:

* render: the baseline, ReportLab canvas, one document per certificate;
* sign x1: sign_pdf one after another in this process;
* sign_many xN: sign_many(processes=N), the way issuance signs a batch;
* verify: verify_pdf of the signed PDFs (what the public verify page does);
* projected seconds for 1,500 certificates and the ratio to the baseline.

The demo key is generated in a temporary directory; nothing else is touched.
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
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from io import BytesIO  # noqa: E402

_TEMP = tempfile.TemporaryDirectory(prefix="kompeten-bench-signing-")
os.environ["KOMPETEN_VAR_DIR"] = _TEMP.name
os.environ["CERT_SIGNING_DIR"] = str(Path(_TEMP.name) / "signing")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from kompeten.signing.keys import signer_info  # noqa: E402
from kompeten.signing.pdf import sign_many, sign_pdf, verify_pdf  # noqa: E402


def photo_jpeg(seed: int = 7) -> bytes:
    """A 440x580 noisy "photo" that compresses like a real one (~150 KB)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (440, 580), (200, 30, 30))
    pixels = image.load()
    for x in range(440):
        for y in range(580):
            pixels[x, y] = (rng.randrange(150, 256), rng.randrange(0, 120),
                            rng.randrange(0, 120))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def render_certificate(number: int, photo: bytes) -> bytes:
    buffer = BytesIO()
    width, height = landscape(A4)
    document = canvas.Canvas(buffer, pagesize=(width, height))
    document.setFont("Helvetica-Bold", 16)
    document.drawCentredString(width / 2, height - 60, "BADAN KEPEGAWAIAN NEGARA")
    document.drawCentredString(width / 2, height - 80, "PUSAT PENGEMBANGAN ASN")
    document.setFont("Helvetica-Bold", 28)
    document.drawCentredString(width / 2, height - 140, "SERTIFIKAT")
    document.setFont("Helvetica", 12)
    document.drawCentredString(width / 2, height - 165, f"Nomor: {number:05d}/SERT-MASN/2026")
    document.setFont("Helvetica-Bold", 18)
    document.drawCentredString(width / 2, height - 220, f"Drs. Peserta Nomor {number}, M.Si.")
    document.setFont("Helvetica", 12)
    document.drawCentredString(width / 2, height - 250, "Telah memenuhi 9 Unit Kompetensi "
                               "dari 9 Unit Kompetensi Kualifikasi Pengawas")
    document.drawImage(ImageReader(BytesIO(photo)), 80, 60, width=90, height=120)
    document.drawString(width - 300, 120, "Jakarta, 27 November 2026")
    document.drawString(width - 300, 60, "NIP 197001012000031001")
    document.showPage()
    document.setFont("Helvetica-Bold", 14)
    document.drawString(60, height - 60, "Daftar Unit Kompetensi")
    document.setFont("Helvetica", 10)
    for row in range(9):
        document.drawString(60, height - 90 - 18 * row,
                            f"M.70KEP00.{row:03d}.1   Unit kompetensi nomor {row + 1}")
    document.showPage()
    document.save()
    return buffer.getvalue()


def timed(label: str, count: int, function) -> tuple[str, float, float, object]:
    """Wall seconds and CPU seconds (this process and its finished children)."""
    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    start, start_cpu = time.perf_counter(), cpu()
    result = function()
    return label, time.perf_counter() - start, cpu() - start_cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    count = args.count

    photo = photo_jpeg()
    info = signer_info()
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs; signer: {info['common_name']} ({info['key_type']})")
    sign_pdf(render_certificate(0, photo), reason="warm-up")

    rows = []
    label, render_s, cpu_s, pdfs = timed("render (baseline)", count, lambda: [
        render_certificate(number, photo) for number in range(count)])
    rows.append((label, render_s, cpu_s))
    size = sum(len(pdf) for pdf in pdfs) / count
    label, serial_s, cpu_s, signed = timed("sign x1", count, lambda: [
        sign_pdf(pdf, reason="Sertifikat Kompetensi") for pdf in pdfs])
    rows.append((label, serial_s, cpu_s))
    label, many_s, cpu_s, signed_many = timed(
        f"sign_many x{args.processes}", count, lambda: list(
            sign_many(iter(pdfs), reason="Sertifikat Kompetensi", processes=args.processes)))
    rows.append((label, many_s, cpu_s))
    label, verify_s, cpu_s, checks = timed("verify", count, lambda: [
        verify_pdf(pdf) for pdf in signed_many])
    rows.append((label, verify_s, cpu_s))
    assert all(check.valid for check in checks), "a signed certificate did not verify"

    print(f"{count} certificates, {size / 1024:.0f} KB each unsigned, "
          f"{sum(len(pdf) for pdf in signed) / count / 1024:.0f} KB signed")
    print(f"{'step':<18} {'seconds':>8} {'per s':>8} {'ms each':>8} {'CPU ms':>7} "
          f"{'1500 in s':>10} {'vs render':>10}")
    for label, seconds, cpu_seconds in rows:
        print(f"{label:<18} {seconds:8.2f} {count / seconds:8.1f} {1000 * seconds / count:8.2f} "
              f"{1000 * cpu_seconds / count:7.2f} {1500 * seconds / count:10.1f} "
              f"{seconds / render_s:9.2f}x")
    print("(CPU ms: CPU time per certificate, the figure to trust when the machine is busy; "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(f"sign_many x{args.processes} speed-up over sign x1: {serial_s / many_s:.2f}x")
    print(f"render + sign_many for 1500: {1500 * (render_s + many_s) / count:.1f} s "
          f"(render alone {1500 * render_s / count:.1f} s)")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: this process {peak_self:.0f} MB, largest signing process "
          f"{peak_children:.0f} MB")


if __name__ == "__main__":
    try:
        main()
    finally:
        _TEMP.cleanup()
