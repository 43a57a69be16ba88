"""A withdrawn registration gives back its dormitory beds (lifecycle on_enter callback)."""

from kompeten.accounts.models import User
from kompeten.dormitory import checks
from kompeten.dormitory.models import RoomAssignment
from kompeten.registration.models import Registration


def release_beds(*, registration: Registration, by: User | None) -> None:
    released, _by_model = RoomAssignment.objects.filter(
        placement__registration=registration).delete()
    if released:
        checks.program_changed(program_id=registration.program_id)
