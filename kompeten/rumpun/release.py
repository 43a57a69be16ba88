"""A withdrawn registration leaves its topic group (lifecycle on_enter callback)."""

from kompeten.accounts.models import User
from kompeten.common import pagecache
from kompeten.registration.models import Registration
from kompeten.rumpun.models import Membership


def release_group(*, registration: Registration, by: User | None) -> None:
    deleted, _by_model = Membership.objects.filter(placement__registration=registration).delete()
    if deleted:
        pagecache.bump(pagecache.ANNOUNCEMENT)
