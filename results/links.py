"""Addresses of the public results pages, in one place for every surface that links to them (sitemap, feed, open
data, Open Graph): the results pages' own URL names when they are installed, their documented paths otherwise."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def edition_results_path(year):
    try:
        return reverse("results:edition", args=[year])
    except NoReverseMatch:
        return f"/laureaci/{year}/"


def entry_path(year, slug):
    try:
        return reverse("results:entry", args=[year, slug])
    except NoReverseMatch:
        return f"/laureaci/{year}/{slug}/"


def absolute(path):
    """The public address of a path, built from SITE_URL, never from the request's Host header."""
    return settings.SITE_URL + path
