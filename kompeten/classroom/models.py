from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Program


class Publication(models.Model):
    """The organiser published the class lists of a programme on the public page."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="publication")
    published_at = models.DateTimeField(_("diumumkan pada"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    def __str__(self) -> str:
        return f"{self.program} ({self.published_at:%Y-%m-%d})"


# Defined in their own modules to keep this one short; imported so Django registers them.
from kompeten.classroom.attendance_models import (  # noqa: E402, F401
    AttendanceMark,
    ConductAcknowledgement,
    EvaluationRating,
    EvaluationSubmission,
    MarkCorrection,
    SignedSheet,
)
from kompeten.classroom.session_models import (  # noqa: E402, F401
    ClassroomPolicy,
    ClassSession,
    Facilitator,
    SessionAssignment,
    SessionTemplate,
)
