"""Personal-data pages, mounted under konto/dane/ (config/urls.py)."""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("pobranie/", views.request_export, name="request_export"),
    path("pobranie/<uuid:public_id>/", views.download, name="download"),
    path("usuniecie/", views.request_erasure, name="request_erasure"),
    path("wnioski/", views.erasure_list, name="erasure_list"),
    path("wnioski/<int:pk>/", views.erasure_detail, name="erasure_detail"),
]
