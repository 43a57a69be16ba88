"""What a withdrawn registration gives back in batching: its batch seat (or waiting-list
place). Called by the lifecycle (registration.lifecycle.on_enter) in the withdrawal's
transaction; rumpun and dormitory release their parts first."""

from kompeten.accounts.models import User
from kompeten.batching.models import Placement
from kompeten.registration.models import Registration


def release_seat(*, registration: Registration, by: User | None) -> None:
    Placement.objects.filter(registration=registration).delete()
