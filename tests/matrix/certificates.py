"""Access-matrix entries of the certificates app (objects: tests/certificates_samples.py).

The organiser runs everything; the participant (agency A) downloads their own certificate,
as does agency A's operator; the verification pages, the issuer profile, keys and status
are public."""

from tests.access_matrix import ANY, BOTH, GET, OP_A, OPS, ORG, PART, PARTS, POST, PUBLIC, Entry
from tests.certificates_samples import matrix_certificate, matrix_run, matrix_siasn_export


def _batch(ctx):
    return {"pk": ctx["batch_x"].pk}


def _certificate(ctx):
    return {"pk": matrix_certificate(ctx).pk}


def _public(ctx):
    return {"public_id": matrix_certificate(ctx).public_id}


def _run(ctx):
    return {"pk": matrix_run(ctx).pk}


def _siasn_export(ctx):
    return {"pk": matrix_siasn_export(ctx).pk}


def _eligibility(ctx):
    from tests.certificates_samples import qualify, seat_in

    qualify(ctx["registration"])
    seat_in(ctx["registration"], ctx["batch_x"])
    return {"pk": ctx["registration"].pk, "kind": "competence"}


ENTRIES = {
    "certificates:overview": Entry(ORG, ANY),
    "certificates:settings": Entry(ORG, BOTH),
    "certificates:batch": Entry(ORG, ANY, kwargs=_batch),
    "certificates:issue_batch": Entry(ORG, POST, kwargs=_batch),
    "certificates:issue_program": Entry(ORG, POST),
    "certificates:run": Entry(ORG, ANY, kwargs=_run),
    "certificates:run_progress": Entry(ORG, ANY, kwargs=_run),
    "certificates:run_pdf": Entry(ORG, ANY, kwargs=_run),
    "certificates:eligibility": Entry(ORG, BOTH, kwargs=_eligibility),
    "certificates:detail": Entry(ORG, ANY, kwargs=_certificate),
    "certificates:revoke": Entry(ORG, POST, kwargs=_certificate),
    "certificates:download": Entry(ORG | OP_A | PART, ANY, kwargs=_certificate),
    "certificates:mine": Entry(PARTS, ANY),
    "certificates:siasn": Entry(ORG | OPS, ANY),
    "certificates:siasn_start": Entry(ORG | OPS, POST),
    # An export job's file is its creator's (here the organiser's); anyone else: 404.
    "certificates:siasn_file": Entry(ORG, ANY, kwargs=_siasn_export),
    "certificates:verify": Entry(PUBLIC, GET, kwargs=_public),
    "certificates:badge": Entry(PUBLIC, GET, kwargs=_public),
    "certificates:search": Entry(PUBLIC, GET),
    "certificates:issuer": Entry(PUBLIC, GET),
    "certificates:jwks": Entry(PUBLIC, GET),
    "certificates:status": Entry(PUBLIC, GET, kwargs=_public),
}
