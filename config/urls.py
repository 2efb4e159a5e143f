from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.language import switch_language

admin.site.site_header = "Ratsregister"
admin.site.site_title = "Ratsregister"
admin.site.index_title = _("Verwaltung der Drucksachen, Stellen und Finanzen")

urlpatterns = [
    # Apps' own admin pages (the text import at /admin/import/) are mounted by
    # the admin site itself (operations.admin_site.AdminSite.register_page).
    path("admin/", admin.site.urls),
    path("i18n/sprache/", switch_language, name="switch_language"),
    path("oparl/v1/", include("oparl.urls")),
    path("", include("council.urls")),
    path("", include("positions.urls")),
    path("", include("funding.urls")),
    path("", include("portal.urls")),
    path("", include("follow.urls")),
]
