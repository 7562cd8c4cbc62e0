"""The organisers' pages about personal data, mounted under dane-osobowe/ (config/urls.py)."""

from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("<int:year>/", views.edition, name="edition"),
    path("rejestr/", views.register, name="register"),
    path("rejestr/nowa/", views.activity, name="activity_add"),
    path("rejestr/<int:pk>/", views.activity, name="activity_edit"),
]
