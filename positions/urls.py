from django.urls import path

from . import exports, feeds, views

app_name = "positions"

urlpatterns = [
    path("stellen/", views.PositionListView.as_view(), name="position-list"),
    path(
        "stellen/export.<str:file_format>",
        exports.PositionExportView.as_view(),
        name="position-export",
    ),
    path(
        "stellen/kalender/",
        views.CalendarTokenView.as_view(),
        name="calendar-token",
    ),
    path(
        "stellen/kalender/<str:token>.ics",
        feeds.ExpiryCalendarView.as_view(),
        name="expiry-calendar",
    ),
    path(
        "stellen/kalender/<str:token>/dienststelle-<int:department>.ics",
        feeds.ExpiryCalendarView.as_view(),
        name="expiry-calendar-department",
    ),
    path(
        "stellen/<int:pk>/",
        views.PositionDetailView.as_view(),
        name="position-detail",
    ),
]
