"""OParl 1.1 under /oparl/v1/: ids are built from primary keys, not references."""

from django.urls import path

from . import views

app_name = "oparl"

BODY = "body/<str:ags>/"

urlpatterns = [
    path("system", views.SystemView.as_view(), name="system"),
    path("body", views.BodyListView.as_view(), name="body-list"),
    path("body/<str:ags>", views.BodyView.as_view(), name="body"),
    path(
        BODY + "organization",
        views.ListView.as_view(kinds=(views.COMMITTEE, views.DEPARTMENT)),
        name="organization-list",
    ),
    path(BODY + "person", views.PersonListView.as_view(), name="person-list"),
    path(
        BODY + "meeting",
        views.ListView.as_view(kinds=(views.MEETING,)),
        name="meeting-list",
    ),
    path(
        BODY + "paper",
        views.ListView.as_view(kinds=(views.PAPER,), web_name="council:paper-list"),
        name="paper-list",
    ),
    path(
        BODY + "agenda-item",
        views.ListView.as_view(kinds=(views.AGENDA_ITEM,)),
        name="agenda-item-list",
    ),
    path(
        BODY + "consultation",
        views.ListView.as_view(kinds=(views.CONSULTATION,)),
        name="consultation-list",
    ),
    path(
        BODY + "file",
        views.ListView.as_view(kinds=(views.FILE,)),
        name="file-list",
    ),
    path(
        BODY + "legislative-term",
        views.EmptyListView.as_view(),
        name="legislative-term-list",
    ),
    path(BODY + "membership", views.EmptyListView.as_view(), name="membership-list"),
    path(
        "organization/gremium/<int:pk>",
        views.ObjectView.as_view(kind=views.COMMITTEE),
        name="committee",
    ),
    path(
        "organization/dienststelle/<int:pk>",
        views.ObjectView.as_view(kind=views.DEPARTMENT),
        name="department",
    ),
    path("person/<slug:key>", views.PersonView.as_view(), name="person"),
    path(
        "meeting/<int:pk>", views.ObjectView.as_view(kind=views.MEETING), name="meeting"
    ),
    path(
        "meeting/<int:pk>/location",
        views.LocationView.as_view(),
        name="meeting-location",
    ),
    path(
        "agenda-item/<int:pk>",
        views.ObjectView.as_view(kind=views.AGENDA_ITEM),
        name="agenda-item",
    ),
    path("paper/<int:pk>", views.ObjectView.as_view(kind=views.PAPER), name="paper"),
    path(
        "consultation/<int:pk>",
        views.ObjectView.as_view(kind=views.CONSULTATION),
        name="consultation",
    ),
    path("file/<int:pk>", views.ObjectView.as_view(kind=views.FILE), name="file"),
    path(
        "file/<int:pk>/access",
        views.FileContentView.as_view(),
        name="file-access",
    ),
    path(
        "file/<int:pk>/download",
        views.FileContentView.as_view(as_attachment=True),
        name="file-download",
    ),
    path("<path:rest>", views.NotFoundView.as_view(), name="not-found"),
]
