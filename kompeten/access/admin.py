from django.contrib import admin

from kompeten.access.models import BatchStaff


@admin.register(BatchStaff)
class BatchStaffAdmin(admin.ModelAdmin):
    list_display = ("batch", "role", "user")
    list_filter = ("role", "batch__program")
    raw_id_fields = ("user", "batch")
