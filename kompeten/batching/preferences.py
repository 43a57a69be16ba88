"""Agency date preferences: the window in which an agency's officials can attend."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompeten.batching.models import AgencyDatePreference
from kompeten.batching.services import note_placements_changed
from kompeten.programs.models import Agency, Program


@transaction.atomic
def set_date_preference(*, program: Program, agency: Agency, earliest: dt.date | None,
                        latest: dt.date | None) -> AgencyDatePreference | None:
    """Save (or, with both dates empty, remove) the agency's window for this programme."""
    if earliest is None and latest is None:
        removed, _by_model = AgencyDatePreference.objects.filter(program=program,
                                                                 agency=agency).delete()
        if removed:
            note_placements_changed(program=program)
        return None
    if earliest is None or latest is None:
        raise ValidationError(_("Isi kedua tanggal, atau kosongkan keduanya."))
    if latest < earliest:
        raise ValidationError({"latest": [_("Tanggal paling akhir tidak boleh sebelum tanggal "
                                            "paling awal.")]})
    bounds = program.batches.order_by("start_date").values_list("start_date", flat=True)
    first, last = bounds.first(), program.batches.order_by("-end_date").values_list(
        "end_date", flat=True).first()
    if first and (latest < first or earliest > last):
        raise ValidationError(_("Rentang tanggal di luar jadwal angkatan (%(first)s – %(last)s).")
                              % {"first": first.strftime("%d-%m-%Y"),
                                 "last": last.strftime("%d-%m-%Y")})
    preference, _created = AgencyDatePreference.objects.update_or_create(
        program=program, agency=agency, defaults={"earliest": earliest, "latest": latest})
    note_placements_changed(program=program)
    return preference
