from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("finanzen/", views.FundingOverviewView.as_view(), name="funding-overview"),
]
