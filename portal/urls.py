from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "portal"


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for without a page's <link rel="icon">."""

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]
