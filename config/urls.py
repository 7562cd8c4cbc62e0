"""Root URLs."""
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import admin_login

from .health import healthz

# One login page for everyone, with allauth's rate limits and second factor (the admin's own form has neither).
admin.site.login = admin_login
admin.site.site_header = _("Competition administration")
admin.site.site_title = "SLZ"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("konto/dane/", include("privacy.urls")),
    path("konto/", include("accounts.urls")),
    path("wnioski/", include("applications.urls")),
    path("jury/", include("jury.urls")),
    path("organizator/<int:year>/komunikacja/", include("communications.urls")),
    path("organizator/", include("jury.urls_organiser")),
    path("powiadomienia/", include("news.urls")),
    path("wyniki/organizator/<int:year>/", include("results.urls_organiser")),
    path("dane-osobowe/", include("retention.urls")),
    path("admin/", admin.site.urls),
    path("", include("results.opendata_urls")),
    path("", include("results.urls_public")),
    path("", include("contest.urls")),
]
