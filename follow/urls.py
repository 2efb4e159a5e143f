from django.urls import path

from . import feeds, views
from .models import Subscription

app_name = "follow"

Kind = Subscription.Kind

urlpatterns = [
    path("abo/", views.MySubscriptionsView.as_view(), name="mine"),
    path(
        "abo/neu/drucksache/<int:key>/",
        views.FollowView.as_view(kind=Kind.PAPER),
        name="follow-paper",
    ),
    path(
        "abo/neu/gremium/<slug:key>/",
        views.FollowView.as_view(kind=Kind.COMMITTEE),
        name="follow-committee",
    ),
    path(
        "abo/neu/stelle/<int:key>/",
        views.FollowView.as_view(kind=Kind.POSITION),
        name="follow-position",
    ),
    path(
        "abo/neu/suche/",
        views.FollowView.as_view(kind=Kind.SEARCH),
        name="follow-search",
    ),
    path("abo/bestaetigen/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path(
        "abo/abbestellen/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
    path("abo/verwalten/<str:token>/", views.ManageView.as_view(), name="manage"),
    path(
        "abo/feed/gremium/<slug:slug>/",
        feeds.CommitteeFeed(),
        name="committee-feed",
    ),
    path("abo/feed/suche/", feeds.SearchFeed(), name="search-feed"),
]
