"""Views of the certificates app; shared helpers."""

from django.http import HttpResponse


def file_response(data: bytes, name: str, *, content_type: str = "application/pdf",
                  attachment: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    kind = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{kind}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def safe_name(number: str) -> str:
    return "sertifikat-" + "".join(c if c.isalnum() else "-" for c in number).strip("-")
