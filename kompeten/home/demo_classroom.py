"""Demo classroom days: sessions for every batch of the current programme, a facilitator
register of the seed's five kinds, the demo facilitator teaching the sessions of the first
batch of the demo participant's level, and the demo participant placed in that batch."""

from django.db import transaction
from django.db.models import Max

from kompeten.accounts.models import User
from kompeten.batching.models import Placement
from kompeten.classroom import sessions
from kompeten.classroom.session_models import ClassSession, Facilitator, FacilitatorKind
from kompeten.home.demo_registrations import PESERTA_USERNAME
from kompeten.programs.models import Program
from kompeten.registration.models import Registration

FACILITATOR_USERNAME = "fasilitator"
REGISTER = [
    ("Dr. NH", FacilitatorKind.WIDYAISWARA, "Manajemen ASN, pengembangan kompetensi"),
    ("Dr. Ir. Bambang Suryadi, M.M.", FacilitatorKind.JPT_MADYA, "Kebijakan manajemen ASN"),
    ("Dra. Lestari Widodo, M.Si.", FacilitatorKind.JPT_PRATAMA, "Manajemen kinerja"),
    ("Agus Hermawan, S.E., M.A.P.", FacilitatorKind.ADMINISTRATOR, "Pengadaan dan mutasi"),
    ("Prof. Dr. Rahmat Hidayat", FacilitatorKind.PRACTITIONER, "Sistem merit, SDM sektor publik"),
]


@transaction.atomic
def load_demo_classroom(*, program: Program) -> int:
    """Idempotent; returns the sessions created."""
    user = User.objects.filter(username=FACILITATOR_USERNAME).first()
    for name, kind, expertise in REGISTER:
        if not Facilitator.objects.filter(name=name).exists():
            Facilitator.objects.create(name=name, kind=kind, expertise=expertise,
                                       user=user if name == "Dr. NH" else None)
    created = sessions.generate_sessions(program=program)
    registration = (Registration.objects.filter(program=program, user__username=PESERTA_USERNAME)
                    .select_related("level").first())
    batches = program.batches.order_by("start_date", "number")
    if registration is not None:
        batches = batches.filter(level=registration.level)
    batch = batches.first()
    if batch is None:
        return created
    demo = Facilitator.objects.get(name="Dr. NH")
    for session in ClassSession.objects.filter(batch=batch).order_by("starts_at"):
        if not session.assignments.exists():
            sessions.assign(session=session, facilitator=demo)
    if registration is not None and not Placement.objects.filter(
            registration=registration).exists():
        seat = (Placement.objects.filter(batch=batch).aggregate(m=Max("seat"))["m"] or 0) + 1
        Placement.objects.create(registration=registration, batch=batch, seat=seat,
                                 is_manual=True)
    return created
