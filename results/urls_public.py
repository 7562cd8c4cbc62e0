"""Public URLs of the results: laureates by edition, a laureate's page and files, the archive, the map."""

from django.urls import path

from . import views_public as views

app_name = "results"
urlpatterns = [
    path("laureaci/<int:year>/", views.edition_results, name="edition"),
    path("laureaci/<int:year>/<slug:slug>/", views.entry_detail, name="entry"),
    path("laureaci/<int:year>/<slug:slug>/pliki/<int:pk>/", views.public_file, name="file"),
    path("dobre-praktyki/", views.archive, name="archive"),
    path("mapa/", views.voivodeship_map, name="map"),
]
