"""Open data URLs: each edition's results beside its results page, the schema and the documentation under /dane/."""
from django.urls import path

from . import opendata_views as views

app_name = "opendata"
urlpatterns = [
    path("laureaci/<int:year>/dane.json", views.edition_json, name="edition_json"),
    path("laureaci/<int:year>/dane.csv", views.edition_csv, name="edition_csv"),
    path("dane/schemat-wynikow.json", views.schema, name="schema"),
    path("dane/", views.docs, name="docs"),
]
