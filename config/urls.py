from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Ratsregister"
admin.site.site_title = "Ratsregister"
admin.site.index_title = "Verwaltung der Drucksachen, Stellen und Finanzen"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Until the public pages exist, the start page leads to the admin.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
