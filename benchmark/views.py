"""The yardstick of the benchmark: the site's base template, without a query.

Only mounted by benchmark/urls.py, which the benchmark command (in process) and the
load test's server (benchmark/settings.py) use as their URL configuration; the
site's own configuration (config/urls.py) never routes to it.
"""

from django.views.generic import TemplateView


class BaseTemplateView(TemplateView):
    """base.html with an empty content block: header, navigation, footer, the
    middleware of every page, and no database query for an anonymous visitor."""

    template_name = "base.html"
