from django.urls import path

from . import committee_views, control_views, meeting_views, views
from .feeds import LatestPapersFeed

app_name = "council"

urlpatterns = [
    path("drucksachen/", views.PaperListView.as_view(), name="paper-list"),
    path("drucksachen/feed/", LatestPapersFeed(), name="paper-feed"),
    path(
        "drucksachen/<int:year>/<int:number>/",
        views.PaperDetailView.as_view(),
        name="paper-detail",
    ),
    path(
        "drucksachen/<int:year>/<int:number>/<str:suffix>/",
        views.PaperDetailView.as_view(),
        name="paper-detail",
    ),
    path(
        "anlagen/<int:pk>/",
        views.AttachmentView.as_view(),
        name="attachment",
    ),
    path("gremien/", views.CommitteeListView.as_view(), name="committee-list"),
    path(
        "gremien/kalender.ics",
        views.CommitteeCalendarView.as_view(),
        name="committee-calendar",
    ),
    path(
        "gremien/<slug:slug>/",
        committee_views.CommitteeDetailView.as_view(),
        name="committee-detail",
    ),
    path("beschlusskontrolle/", control_views.ItemListView.as_view(), name="item-list"),
    path("sitzungen/", meeting_views.MeetingListView.as_view(), name="meeting-list"),
    path(
        "sitzungen/<int:pk>/",
        meeting_views.MeetingDetailView.as_view(),
        name="meeting-detail",
    ),
    path(
        "sitzungen/<int:pk>.ics",
        meeting_views.MeetingCalendarView.as_view(),
        name="meeting-calendar",
    ),
    path(
        "gremien/<slug:slug>/sitzungen.ics",
        meeting_views.CommitteeMeetingsCalendarView.as_view(),
        name="committee-meetings-calendar",
    ),
]
