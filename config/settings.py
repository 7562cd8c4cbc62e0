"""Settings for the competition platform, read from the environment with safe development defaults."""
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config import observability

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEV_SECRET_KEY = "dev-only-insecure-key-never-used-in-production-0123456789abcdef"
if not DEBUG:
    from django.core.exceptions import ImproperlyConfigured

    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # The secret signs sessions, password-reset links and invitations: a guessable one (the development key copied
    # from here, "changeme", Django's startproject key) hands out accounts. Django's own check (security.W009) only
    # warns, and a warning does not stop `make serve`.
    if (SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure-") or len(SECRET_KEY) < 50
            or len(set(SECRET_KEY)) < 5):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak for DJANGO_DEBUG off: use 50 or more random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "accounts",
    "contest",
    "communications",
    "applications",
    "jury",
    "results",
    "news",
    "privacy",
    "retention",
]

MIDDLEWARE = [
    # First: the request id is set before anything can log, and the access line measures the whole request.
    "config.observability.request_id_middleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.refuse_nul_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "applications.middleware.UploadGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSessionMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.site",
                "contest.context_processors.discovery",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other (up to 20 s) instead of failing at once with "database is locked": a transaction
    # takes the write lock when it begins, so it never has to upgrade a read lock while another one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if DEBUG and env_bool("DJANGO_WEAK_PASSWORDS", False):
    AUTH_PASSWORD_VALIDATORS = []

# allauth: e-mail is the login, confirmed before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SLZ] "
# One e-mail address per account, changed by confirming the new one: the account's address (the login, and where
# e-mails go) changes only once the new address is verified, and the old one is then removed.
ACCOUNT_CHANGE_EMAIL = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samorządowy Lider Zarządzania"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# Jurors and organisers must use two-factor authentication when DEBUG is off: every staff page needs a session that
# passed it (accounts.access). Sensitive changes need a login or reauthentication within the last 5 minutes.
REQUIRE_MFA_FOR_STAFF = env_bool("REQUIRE_MFA_FOR_STAFF", not DEBUG)
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Organisers can remind jurors with unfinished scorecards at most once per this many hours.
JURY_REMINDER_INTERVAL_HOURS = int(os.environ.get("JURY_REMINDER_INTERVAL_HOURS", "24"))
# Announcements by e-mail (news): recipients per task, days before the deadline for its reminder, the shortest
# interval between two confirmation e-mails to one address, subscription requests per network address per hour.
NEWS_BATCH_SIZE = int(os.environ.get("NEWS_BATCH_SIZE", "100"))
NEWS_DEADLINE_NOTICE_DAYS = int(os.environ.get("NEWS_DEADLINE_NOTICE_DAYS", "7"))
NEWS_CONFIRMATION_INTERVAL_MINUTES = int(os.environ.get("NEWS_CONFIRMATION_INTERVAL_MINUTES", "10"))
NEWS_SUBSCRIBE_PER_IP_PER_HOUR = int(os.environ.get("NEWS_SUBSCRIBE_PER_IP_PER_HOUR", "20"))
# Personal data (privacy): how many days a download link works. How long submitted entries are kept as the
# competition's record is each edition's retention policy (retention.RetentionPolicy), not a setting.
PRIVACY_EXPORT_DAYS = int(os.environ.get("PRIVACY_EXPORT_DAYS", "7"))
# Days the sent-mail log keeps rows of no edition (sign-up, password, announcements): privacy_cleanup deletes older.
SENT_EMAIL_LOG_DAYS = int(os.environ.get("SENT_EMAIL_LOG_DAYS", "365"))
# /healthz runs its full check (a probe file written to storage) only for callers presenting this token.
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]  # ours first; overrides: Django and libraries
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes what whitenoise serves with DEBUG off (a test of `make serve` points it elsewhere).
# An empty variable (`DJANGO_STATIC_ROOT=` in an env file) is the default, never Path("") (the working directory, whose
# every file whitenoise would then serve at /static/).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# Development and tests serve from the app folders as files change; production serves the collected, hashed files.
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files are private: there is no MEDIA_URL route, they are served only by checked views.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "private-media")
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
PRESIGNED_URL_SECONDS = 60
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "eu-central-1"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": PRESIGNED_URL_SECONDS,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


def _default_mailer():
    """E-mail goes to the console in development and through SMTP when DEBUG is off, so a production
    machine never drops confirmation e-mails silently; DJANGO_EMAIL_BACKEND overrides both."""
    backend = os.environ.get("DJANGO_EMAIL_BACKEND") or (
        "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
    )
    options = {}
    if backend.endswith(".smtp.EmailBackend"):
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 30,
        }
    elif backend.endswith(".filebased.EmailBackend"):
        options = {"file_path": os.environ.get("EMAIL_FILE_PATH") or str(BASE_DIR / "sent-emails")}
    return {"BACKEND": backend, "OPTIONS": options}


# Every e-mail goes through the sent-mail log (communications.backends), which hands it to the real mailer.
MAILERS = {
    "default": {"BACKEND": "communications.backends.LoggingBackend", "OPTIONS": {"delivery": "delivery"}},
    "delivery": _default_mailer(),
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samorządowy Lider Zarządzania <konkurs@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env_bool("DJANGO_TASKS_DATABASE", False)
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several deployments (staging, production) may share one Redis.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "slz"),
        }
    }
    # Sessions read from the shared cache, written through to the database: any web process serves any request,
    # and a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Room for the stored redactions of a large edition (jury.redaction_store) beside everything else.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Content-Security-Policy: everything is served from our own origin, no inline code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer probes /healthz over plain HTTP on the private network; a redirect would read as "down".
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Logs: standard output, one JSON object a line (DJANGO_LOG_FORMAT=text for people reading a terminal; the default
# with DEBUG on), each with the request id the response carries in X-Request-ID (config/observability.py).
LOGGING = observability.logging_config(
    level=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    log_format=os.environ.get("DJANGO_LOG_FORMAT") or ("text" if DEBUG else "json"),
)
# Server errors reach the technical contact: ADMINS by e-mail ("Name <address>" or addresses, comma-separated),
# and Sentry when SENTRY_DSN is set; neither report holds cookies, headers, form data or e-mail addresses.
ADMINS = env_list("DJANGO_ADMINS")
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    observability.init_sentry(
        SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
    )

# Contest code prefix, e.g. SLZ-2026-007.
APPLICATION_CODE_PREFIX = "SLZ"
# Absolute address of the site, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
