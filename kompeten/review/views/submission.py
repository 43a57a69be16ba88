from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role
from kompeten.participants.views.profile import own_registration_or_404
from kompeten.review import submission


@require_POST
@role_required(Role.PARTICIPANT)
def submit(request: HttpRequest) -> HttpResponse:
    registration = own_registration_or_404(request)
    try:
        submission.submit_registration(registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pendaftaran Anda lengkap dan dikirim untuk direview."))
    return redirect("participants:my_registration")
