from django.contrib import admin

from kompeten.classroom.session_models import ClassroomPolicy, Facilitator, SessionTemplate


@admin.register(Facilitator)
class FacilitatorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "expertise", "user", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "expertise"]
    raw_id_fields = ["user"]


@admin.register(SessionTemplate)
class SessionTemplateAdmin(admin.ModelAdmin):
    """The programme's timetable; "Buat sesi untuk semua angkatan" copies it to batches."""

    list_display = ["program", "level", "day", "start", "end", "kind", "title", "jp"]
    list_filter = ["program", "level", "day"]
    raw_id_fields = ["module"]


@admin.register(ClassroomPolicy)
class ClassroomPolicyAdmin(admin.ModelAdmin):
    list_display = ["program", "min_jp"]
