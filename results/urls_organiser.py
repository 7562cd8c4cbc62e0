"""The organisers' publication pages, mounted under wyniki/organizator/<year>/ (config/urls.py)."""

from django.urls import path

from . import views_organiser

app_name = "results_organiser"
urlpatterns = [
    path("", views_organiser.publication, name="publication"),
    path("publish/", views_organiser.publish_now, name="publish"),
    path("unpublish/", views_organiser.unpublish, name="unpublish"),
]
