"""WSGI entry point of the minimal view for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.minimal.settings"
application = get_wsgi_application()
