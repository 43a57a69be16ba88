from django.contrib import admin

from kompeten.programs import models


class UnitInline(admin.TabularInline):
    model = models.CompetencyUnit
    extra = 0


class StageInline(admin.TabularInline):
    model = models.ProgramStage
    extra = 0
    show_change_link = True


class QuotaInline(admin.TabularInline):
    model = models.ProgramQuota
    extra = 0


class JPInline(admin.TabularInline):
    model = models.ProgramJP
    extra = 0


class StageDateInline(admin.TabularInline):
    model = models.StageDate
    extra = 0


@admin.register(models.Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "name")


@admin.register(models.Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "scope")
    inlines = [UnitInline]


@admin.register(models.Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("level", "order", "title")
    list_filter = ("level",)


@admin.register(models.Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "email", "is_demo")
    list_filter = ("kind", "province", "is_demo")
    search_fields = ("code", "name")


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "year", "name", "is_active", "is_current")
    inlines = [JPInline, StageInline, QuotaInline]


@admin.register(models.ProgramStage)
class ProgramStageAdmin(admin.ModelAdmin):
    list_display = ("program", "number", "kind", "date", "end_date", "activity")
    list_filter = ("program", "kind")
    inlines = [StageDateInline]


@admin.register(models.Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("number", "level", "start_date", "end_date", "capacity", "venue")
    list_filter = ("program", "level")
