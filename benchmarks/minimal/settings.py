"""Settings and URLs of the minimal view (one module): Django with DEBUG off, no database, no middleware, one
template, the floor that benchmarks/results_page.py compares the results page with."""

from pathlib import Path

from django.shortcuts import render
from django.urls import path

DEBUG = False
SECRET_KEY = "benchmark-minimal-view-not-a-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
USE_TZ = True
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [Path(__file__).parent]}]


def hello(request):
    return render(request, "minimal.html", {"title": "Samorządowy Lider Zarządzania", "items": range(10)})


urlpatterns = [path("", hello)]
