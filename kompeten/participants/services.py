"""The participant's own profile and mentor."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompeten.accounts.models import User
from kompeten.common.mail import clean_address
from kompeten.registration import lifecycle
from kompeten.registration.identity import normalise_phone, parse_nip, plain_name
from kompeten.registration.models import Registration


@transaction.atomic
def update_profile(*, registration: Registration, form) -> Registration:
    """Save the participant's profile; the phone is normalised, names keep their titles.

    Only while the file may be edited. The e-mail is the account's e-mail (one per
    person): it is written to the user and to all of the person's registrations, so that
    password reset and every notice use the same address."""
    lifecycle.check_file_editable(registration, what=_("Profil"))
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
    try:
        form.instance.email = clean_address(data["email"])
    except ValidationError as exc:
        errors["email"] = exc.messages
    if errors:
        raise ValidationError(errors)
    form.instance.full_name = " ".join(data["full_name"].split())
    form.instance.plain_name = plain_name(form.instance.full_name)
    saved = form.save()
    if saved.user_id is not None:
        User.objects.filter(pk=saved.user_id).update(email=saved.email)
        Registration.objects.filter(user_id=saved.user_id).update(email=saved.email)
    return saved
