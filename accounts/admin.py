from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from operations.admin_site import ChangelistMixin

from .models import User


@admin.register(User)
class UserAdmin(ChangelistMixin, DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
