from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kompeten.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "agency", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (("Kompeten", {"fields": ("role", "agency")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("Kompeten", {"fields": ("role", "agency")}),)
