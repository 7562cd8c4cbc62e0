"""Jury pages in two modules: juror.py for the jurors, organiser.py for the organisers (jury/urls.py names both)."""
