from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Ratsregister"
admin.site.site_title = "Ratsregister"
admin.site.index_title = "Verwaltung der Drucksachen, Stellen und Finanzen"

urlpatterns = [
    # The text import lives under /admin/ but is its own app; it comes first so that
    # the admin's catch-all patterns do not shadow it.
    path("admin/import/", include("importer.urls")),
    path("admin/", admin.site.urls),
    path("oparl/v1/", include("oparl.urls")),
    path("", include("council.urls")),
    path("", include("positions.urls")),
    path("", include("funding.urls")),
    path("", include("portal.urls")),
]
