"""OParl 1.1 under /oparl/v1/: ids are built from primary keys, not references."""

from django.urls import path

from . import views

app_name = "oparl"

BODY = "body/<str:ags>/"


def obj(route, kind):
    return path(route, views.ObjectView.as_view(kind=kind), name=kind.url_name)


def listing(route, name, *kinds, **options):
    return path(BODY + route, views.ListView.as_view(kinds=kinds, **options), name=name)


urlpatterns = [
    path("system", views.SystemView.as_view(), name="system"),
    path("body", views.BodyListView.as_view(), name="body-list"),
    path("body/<str:ags>", views.BodyView.as_view(), name="body"),
    listing("organization", "organization-list", views.COMMITTEE, views.DEPARTMENT),
    listing("person", "person-list", views.PERSON),
    listing("meeting", "meeting-list", views.MEETING),
    listing("paper", "paper-list", views.PAPER, web_name="council:paper-list"),
    listing("agenda-item", "agenda-item-list", views.AGENDA_ITEM),
    listing("consultation", "consultation-list", views.CONSULTATION),
    # Attachments, then the papers' texts.
    listing("file", "file-list", views.FILE, views.PAPER_TEXT),
    listing("location", "location-list", views.LOCATION),
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
    obj("person/<int:pk>", views.PERSON),
    obj("meeting/<int:pk>", views.MEETING),
    obj("meeting/<int:pk>/location", views.LOCATION),
    obj("agenda-item/<int:pk>", views.AGENDA_ITEM),
    obj("paper/<int:pk>", views.PAPER),
    obj("paper/<int:pk>/text", views.PAPER_TEXT),
    path(
        "paper/<int:pk>/text/access",
        views.PaperTextView.as_view(),
        name="paper-text-access",
    ),
    path(
        "paper/<int:pk>/text/download",
        views.PaperTextView.as_view(as_attachment=True),
        name="paper-text-download",
    ),
    obj("consultation/<int:pk>", views.CONSULTATION),
    obj("file/<int:pk>", views.FILE),
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
    obj("resolution-item/<int:pk>", views.RESOLUTION_ITEM),
    obj("paper-section/<int:pk>", views.PAPER_SECTION),
    obj("position-decision/<int:pk>", views.POSITION_DECISION),
    obj("funding-line/<int:pk>", views.FUNDING_LINE),
    path("schema/<str:name>", views.VendorSchemaView.as_view(), name="vendor-schema"),
    path("<path:rest>", views.NotFoundView.as_view(), name="not-found"),
]
