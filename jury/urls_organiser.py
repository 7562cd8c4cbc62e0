"""The organiser's home (mounted at /organizator/): the page that picks the edition, and each edition's home."""

from django.urls import path

from .views import overview

app_name = "organiser"
urlpatterns = [
    path("", overview.index, name="index"),
    path("<int:year>/", overview.home, name="home"),
]
