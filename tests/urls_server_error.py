"""The project's URLs plus one view that fails, for the server-error reporting tests."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def fail(request):
    # The message carries personal data, as a real error's might (an IntegrityError's detail, say).
    raise RuntimeError(f"could not save the profile of {request.user.email}")


urlpatterns = [path("test-server-error/", fail), *project_urlpatterns]
