"""The text import ("Vorlage aus Text importieren") as a page of the admin site,
at /admin/import/ and named "admin:paper-import"."""

from django.contrib import admin

from .views import PaperImportView

admin.site.register_page("import/", PaperImportView.as_view(), name="paper-import")
