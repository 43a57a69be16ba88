from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kompeten.common import jobs, mail
from kompeten.common.models import BackgroundJob, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Every e-mail the system sent or failed to send; failed ones can be queued again."""

    list_display = ("created_at", "subject", "recipients", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject", "to")
    readonly_fields = ("key", "subject", "body", "to", "reply_to", "status", "attempts",
                       "error", "created_at", "claimed_at", "sent_at")
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


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """Every background job with its claim and heartbeat; the organiser cancels or retries
    (the admin asks for confirmation of an action first)."""

    list_display = ("pk", "task", "status", "attempts", "created_at", "heartbeat_at",
                    "finished_at")
    list_filter = ("status", "task")
    readonly_fields = ("task", "kwargs", "status", "attempts", "run_after", "created_at",
                       "started_at", "finished_at", "heartbeat_at", "claim_token",
                       "dispatched_at", "error")
    actions = ["cancel_jobs", "retry_jobs"]

    @admin.action(description=_("Batalkan tugas terpilih"))
    def cancel_jobs(self, request, queryset):
        count = sum(jobs.cancel(job_id=job.pk) for job in queryset)
        self.message_user(request, _("%(count)s tugas dibatalkan.") % {"count": count},
                          messages.SUCCESS)

    @admin.action(description=_("Ulangi tugas terpilih (yang gagal atau dibatalkan)"))
    def retry_jobs(self, request, queryset):
        count = sum(jobs.retry(job_id=job.pk) for job in queryset)
        self.message_user(request, _("%(count)s tugas diantrekan lagi.") % {"count": count},
                          messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False
