"""Upload size limits enforced while the request body is parsed.

Django's default handlers spool an upload of any size to a temporary file before
a form can look at its size, so a 300 MB "import" fills the disk first and is
refused afterwards. CappedUploadHandler keeps at most limit+1 bytes of each file,
counts the rest and reports the real size, so the form's size check still gives
the exact figure.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Keeps at most limit+1 bytes of each uploaded file but counts them all."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = self.limit + 1 - self.received
        if room > 0:
            self.file.write(raw_data[:room])
        self.received += len(raw_data)
        return None

    def file_complete(self, file_size: int):
        self.file.seek(0)
        self.file.size = self.received
        return self.file


def capped_uploads(view: Callable[..., HttpResponse] | None = None, *,
                   setting: str = "UPLOAD_MAX_BYTES"):
    """Parse the view's body with CappedUploadHandler at settings.<setting> bytes.

    Upload handlers must be set before anything reads request.POST, which the CSRF
    middleware does; so the view is exempted from the middleware and protected here.
    Use as @capped_uploads or @capped_uploads(setting="IMPORT_MAX_BYTES").
    """
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            request.upload_handlers = [
                CappedUploadHandler(request, limit=getattr(settings, setting))]
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapped)

    return decorate(view) if view is not None else decorate
