"""The site's URLs plus the benchmark's base-template view (benchmark/views.py).

Used only by the benchmark command and the load test's server; production uses
config/urls.py, where this view does not exist.
"""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

from .views import BaseTemplateView

BASE_VIEW_PATH = "/benchmark-basis/"

urlpatterns = [
    path(
        BASE_VIEW_PATH.strip("/") + "/",
        BaseTemplateView.as_view(),
        name="benchmark-base",
    ),
    *site_urlpatterns,
]
