"""What a withdrawn registration gives back in batching: its batch seat (or waiting-list
place). Called by the lifecycle (registration.lifecycle.on_enter) in the withdrawal's
transaction; rumpun and dormitory release their parts first."""

from kompeten.accounts.models import User
from kompeten.batching.models import Placement
from kompeten.batching.services import note_placements_changed
from kompeten.registration.models import Registration


def release_seat(*, registration: Registration, by: User | None) -> None:
    removed, _by_model = Placement.objects.filter(registration=registration).delete()
    if removed:
        note_placements_changed(program=registration.program)


def note_acceptance(*, registration: Registration, by: User | None) -> None:
    """An accepted official is one more to place: the stored check (and the overview's
    "belum ditempatkan" figure) is refreshed in the background."""
    note_placements_changed(program=registration.program, placements=False)
