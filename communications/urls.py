"""The organisers' Communications pages, mounted under organizator/<year>/komunikacja/ (config/urls.py)."""

from django.urls import path

from . import views

app_name = "communications"
urlpatterns = [
    path("", views.index, name="index"),
    path("wyslane/", views.log, name="log"),
    path("<slug:kind>/<slug:language>/", views.edit, name="edit"),
]
