"""Views of e-learning; shared helpers."""

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect

from kompeten.common.models import StoredFile


def stream(stored: StoredFile) -> FileResponse:
    """The private file, streamed in chunks (never read whole), as an attachment."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def back(request, fallback: str) -> HttpResponse:
    """Back to the page the form was on (same site only), else the fallback."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = fallback
    return HttpResponseRedirect(target)
