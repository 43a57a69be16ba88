"""The participant's own profile and mentor."""

from django.core.exceptions import ValidationError
from django.db import transaction

from kompeten.registration.identity import normalise_phone, parse_nip, plain_name
from kompeten.registration.models import Registration


@transaction.atomic
def update_profile(*, registration: Registration, form) -> Registration:
    """Save the participant's profile; the phone is normalised, names keep their titles."""
    data = form.cleaned_data
    errors = {}
    if data.get("phone"):
        try:
            form.instance.phone = normalise_phone(data["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if data.get("mentor_nip"):
        try:
            parse_nip(data["mentor_nip"])
        except ValidationError as exc:
            errors["mentor_nip"] = exc.messages
    if errors:
        raise ValidationError(errors)
    form.instance.full_name = " ".join(data["full_name"].split())
    form.instance.plain_name = plain_name(form.instance.full_name)
    return form.save()
