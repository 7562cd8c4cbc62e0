"""Public URLs of the contest."""
from django.urls import path

from . import views

app_name = "contest"
urlpatterns = [
    path("", views.home, name="home"),
    path("edycje/", views.archive, name="archive"),
    path("edycje/<int:year>/", views.edition_detail, name="edition"),
    path("edycje/<int:year>/regulamin.pdf", views.rules_document, name="rules"),
]
