from django.contrib import admin
from django.urls import include, path

from config.language import switch_language

urlpatterns = [
    # The admin site is composed in operations/admin_site.py (its titles, login,
    # pages): apps' own admin pages (the text import at /admin/import/) are
    # mounted by the site itself (AdminSite.register_page).
    path("admin/", admin.site.urls),
    path("i18n/sprache/", switch_language, name="switch_language"),
    path("oparl/v1/", include("oparl.urls")),
    path("", include("council.urls")),
    path("", include("positions.urls")),
    path("", include("funding.urls")),
    path("", include("portal.urls")),
    path("", include("follow.urls")),
]
