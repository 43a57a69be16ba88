"""A BSrE-style remote signer: the PDF goes out unsigned and comes back signed.

Expected API (CERT_REMOTE_URL, e.g. https://esign.example.go.id/api/sign/pdf):

    POST CERT_REMOTE_URL
    Content-Type: multipart/form-data
    Authorization: Basic …            (only when CERT_REMOTE_AUTH = "user:password" is set)
    fields:
        file        the unsigned PDF (filename "dokumen.pdf", application/pdf)
        nik         the signing official's id at the service (CERT_REMOTE_USER or per call)
        passphrase  the official's passphrase: passed per call, never stored or logged
        tampilan    "invisible" (no visible signature field)
        reason      the reason of the signature, e.g. "Sertifikat Kompetensi"
        location    e.g. "Jakarta"

    200 with Content-Type application/pdf: the body is the signed PDF.
    4xx/5xx with a JSON body {"error": "…"} (or "message" / "detail"): refused, e.g. a wrong
    passphrase or an unknown NIK; the message is shown to the official.

Anything else (a timeout, a refused connection, a body that is not a signed, intact PDF)
is a SigningError too. The passphrase only ever lives in this call's memory.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from kompeten.signing.pdf import SigningError, verify_pdf

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 50 * 1024 * 1024


def _multipart(fields: dict[str, str], file_data: bytes) -> tuple[bytes, str]:
    boundary = "kompeten-" + secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="dokumen.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + file_data + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _error_message(body: bytes) -> str:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if isinstance(payload, dict):
        for key in ("error", "message", "detail"):
            if isinstance(payload.get(key), str):
                return payload[key][:300]
    return ""


def sign_remote(data: bytes, *, reason: str, location: str = "Jakarta",
                passphrase: str | None, user_id: str | None = None,
                url: str | None = None, timeout: float | None = None) -> bytes:
    url = url or settings.CERT_REMOTE_URL
    user_id = user_id or settings.CERT_REMOTE_USER
    timeout = timeout if timeout is not None else settings.CERT_REMOTE_TIMEOUT
    if urlsplit(url).scheme not in ("http", "https"):
        raise SigningError(_("Layanan tanda tangan jarak jauh belum dikonfigurasi "
                             "(CERT_REMOTE_URL)."))
    if not passphrase:
        raise SigningError(_("Passphrase penandatangan wajib diisi."))
    if not user_id:
        raise SigningError(_("NIK penandatangan pada layanan tanda tangan belum diisi."))
    body, content_type = _multipart(
        {"nik": user_id, "passphrase": passphrase, "tampilan": "invisible",
         "reason": reason[:200], "location": location[:100]},
        data,
    )
    # The scheme is checked above: http or https only.
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": content_type, "Accept": "application/pdf, application/json",
    })
    if settings.CERT_REMOTE_AUTH:
        token = base64.b64encode(settings.CERT_REMOTE_AUTH.encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    logger.info("Remote signing of %d bytes at %s", len(data), urlsplit(url).netloc)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            signed = response.read(MAX_RESPONSE_BYTES + 1)
            response_type = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        message = _error_message(exc.read(64 * 1024))
        logger.warning("Remote signer refused (HTTP %s): %s", exc.code, message)
        raise SigningError(
            _("Layanan tanda tangan menolak (HTTP %(code)s): %(message)s")
            % {"code": exc.code, "message": message or _("tanpa keterangan")}
        ) from None
    except TimeoutError as exc:
        logger.warning("Remote signer timed out after %ss", timeout)
        raise SigningError(_("Layanan tanda tangan tidak menjawab dalam %(seconds)s detik.")
                           % {"seconds": f"{timeout:g}"}) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason_text = getattr(exc, "reason", exc)
        if isinstance(reason_text, TimeoutError):
            logger.warning("Remote signer timed out after %ss", timeout)
            raise SigningError(_("Layanan tanda tangan tidak menjawab dalam %(seconds)s "
                                 "detik.") % {"seconds": f"{timeout:g}"}) from None
        logger.warning("Remote signer unreachable: %s", reason_text)
        raise SigningError(_("Layanan tanda tangan tidak dapat dihubungi.")) from None
    if len(signed) > MAX_RESPONSE_BYTES or not signed.startswith(b"%PDF-") \
            or response_type not in ("application/pdf", "application/octet-stream"):
        raise SigningError(_("Layanan tanda tangan tidak mengembalikan PDF."))
    # The service may sign with a certificate outside our trust roots; it must have signed.
    check = verify_pdf(signed, roots=[])
    if not (check.signed and check.intact):
        raise SigningError(_("PDF dari layanan tanda tangan tidak bertanda tangan utuh."))
    return signed
