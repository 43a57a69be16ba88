from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kompeten.common import mail
from kompeten.common.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Every e-mail the system sent or failed to send; failed ones can be queued again."""

    list_display = ("created_at", "subject", "recipients", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject", "to")
    readonly_fields = ("subject", "body", "to", "reply_to", "status", "attempts", "error",
                       "created_at", "sent_at")
    actions = ["send_again"]

    @admin.display(description=_("kepada"))
    def recipients(self, obj: OutgoingMail) -> str:
        return ", ".join(obj.to)

    @admin.action(description=_("Kirim ulang e-mail terpilih"))
    def send_again(self, request, queryset):
        queued = 0
        for outgoing in queryset:
            try:
                mail.retry(mail=outgoing)
            except ValidationError:
                continue
            queued += 1
        self.message_user(request, _("%(count)s e-mail diantrekan lagi.") % {"count": queued},
                          messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False
