"""The site's URLs plus the benchmark's base-template view (benchmark/views.py).

Used only by the benchmark command and the load test's server; production uses
config/urls.py, where this view does not exist.
"""

from django.urls import path

from benchmark import BASE_VIEW_PATH
from config.urls import urlpatterns as site_urlpatterns

from .views import BaseTemplateView

__all__ = ["BASE_VIEW_PATH", "urlpatterns"]

urlpatterns = [
    path(
        BASE_VIEW_PATH.strip("/") + "/",
        BaseTemplateView.as_view(),
        name="benchmark-base",
    ),
    *site_urlpatterns,
]
