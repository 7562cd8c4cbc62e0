"""Public URLs of the contest."""
from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .feeds import AnnouncementsFeed

app_name = "contest"
urlpatterns = [
    path("", views.home, name="home"),
    path("edycje/", views.archive, name="archive"),
    path("edycje/<int:year>/", views.edition_detail, name="edition"),
    path("edycje/<int:year>/regulamin.pdf", views.rules_document, name="rules"),
    path("edycje/<int:year>/terminy.ics", views.edition_calendar, name="edition_calendar"),
    path("aktualnosci.atom", require_safe(AnnouncementsFeed()), name="feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("deklaracja-dostepnosci/", views.accessibility, name="accessibility"),
    path("ochrona-danych/", views.privacy, name="privacy"),
]
