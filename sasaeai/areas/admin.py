from django.contrib import admin

from .models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "path"]
    list_filter = ["kind"]
    search_fields = ["name", "kana", "code"]
    readonly_fields = ["path", "municipality"]
