"""Views of e-learning; shared helpers."""

from django.http import HttpResponse, HttpResponseRedirect

from kompeten.common.models import StoredFile
from kompeten.common.storage import serve


def stream(request, stored: StoredFile) -> HttpResponse:
    """The private file, streamed in chunks (never read whole), as an attachment; a 404 page
    saying so when the storage has lost it."""
    return serve(request, stored.file, filename=stored.original_name,
                 content_type=stored.content_type)


def back(request, fallback: str) -> HttpResponse:
    """Back to the page the form was on (same site only), else the fallback."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = fallback
    return HttpResponseRedirect(target)
