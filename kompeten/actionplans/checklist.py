"""The action plan's item of the registration checklist."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kompeten.actionplans.models import Horizon
from kompeten.registration.checklist import ChecklistItem, Rule
from kompeten.registration.models import Registration


def _items(registration: Registration) -> list[ChecklistItem]:
    plan = getattr(registration, "action_plan", None)
    horizons = {m.horizon for m in plan.milestones.all()} if plan else set()
    return [ChecklistItem("action_plan", _("Rencana tindak lanjut dengan langkah kerja jangka "
                                           "pendek, menengah dan panjang"),
                          plan is not None and horizons == set(Horizon.values))]


def _prefetch(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    return registrations.prefetch_related("action_plan__milestones")


RULE = Rule("action_plan", 40, _items, _prefetch)
