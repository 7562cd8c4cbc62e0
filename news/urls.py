"""Public URLs of the announcements by e-mail (mounted under powiadomienia/)."""

from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("sprawdz-skrzynke/", views.check_inbox, name="check_inbox"),
    path("potwierdz/<str:token>/", views.confirm, name="confirm"),
    path("wypisz/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
