"""Knowing what happens in production: a request id on every request and log line, logs as one JSON object a line
on standard output, server errors mailed to ADMINS (or sent to Sentry) without personal data.

- `request_id_middleware` (first in MIDDLEWARE) takes a sane `X-Request-ID` from the proxy or makes one, answers it
  in the response's `X-Request-ID`, and logs one access line per request (`slz.request`: method, path, route,
  status, duration) except successful `/healthz` probes and static files.
- `RequestIdFilter` puts the current request id on every log record, whichever logger wrote it.
- `JsonFormatter` writes a record as one JSON object: time, level, logger, message, request_id and the request's
  fields when present, the traceback as text.
- `AdminMailHandler` mails ADMINS one short report per server error: request id, method, path, route, account id,
  the traceback; no cookies, headers, form data, local variables or e-mail addresses.
- `init_sentry` starts sentry-sdk only when SENTRY_DSN is set, with `send_default_pii=False` and `scrub_event`.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import traceback
import uuid

from django.conf import settings

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's id may look like (nginx's $request_id, a UUID, AWS's "Root=1-…"): 8 to 128 printable characters
# without spaces, quotes or anything a log reader could mistake for markup. Anything else is replaced.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{7,127}")
# A path segment that looks like a secret (an invitation or unsubscribe token) is not written to the logs.
TOKEN_SEGMENT = re.compile(r"[A-Za-z0-9_\-:]{20,}")
EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[A-Za-z]{2,}")
# The same secrets inside free text: Django's "Internal Server Error: /zaproszenie/<token>/" names request.path.
PATH_TOKEN = re.compile(r"(?<=/)[A-Za-z0-9_\-:]{20,}(?=/|$|[\s?#\"'])")
# Successful probes and static files (whitenoise, cached for a year by browsers) would drown the other lines.
QUIET_PREFIXES = ("/healthz", "/static/")

_request_id = contextvars.ContextVar("request_id", default="")
_request_fields = contextvars.ContextVar("request_fields", default=None)
access_log = logging.getLogger("slz.request")


def current_request_id():
    return _request_id.get()


def request_id_from(value):
    """The proxy's id when it is sane, else a new one."""
    if value and SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def safe_path(path):
    """The path with token-like segments and e-mail addresses masked (secrets in links and personal data must not
    reach the logs)."""
    return "/".join("<token>" if TOKEN_SEGMENT.fullmatch(part) else EMAIL.sub("<e-mail>", part) for part in
                    path.split("/"))


def scrub_text(text):
    """Free text (a log message, a traceback) without e-mail addresses or token-like path segments."""
    return PATH_TOKEN.sub("<token>", EMAIL.sub("<e-mail>", text))


def request_id_middleware(get_response):
    def middleware(request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER, ""))
        request.request_id = request_id
        fields = {"method": request.method, "path": safe_path(request.path)}
        id_token, fields_token = _request_id.set(request_id), _request_fields.set(fields)
        started = time.perf_counter()
        try:
            response = get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            match = getattr(request, "resolver_match", None)
            route = match.route if match else ""
            user_id = getattr(getattr(request, "user", None), "pk", None)
            if not (request.path.startswith(QUIET_PREFIXES) and response.status_code < 400):
                level = logging.ERROR if response.status_code >= 500 else logging.INFO
                access_log.log(
                    level,
                    "%s %s %s",
                    request.method,
                    fields["path"],
                    response.status_code,
                    extra={"status": response.status_code, "duration_ms": duration_ms, "route": route,
                           "user_id": user_id},
                )
            return response
        finally:
            _request_id.reset(id_token)
            _request_fields.reset(fields_token)

    return middleware


class RequestIdFilter(logging.Filter):
    """Every record gets the current request id (empty outside a request) and the request's method and path."""

    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = _request_id.get()
        for name, value in (_request_fields.get() or {}).items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


# Attributes of every LogRecord: anything else on a record was passed in `extra` and goes into the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request", "server_time"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub_text(record.getMessage()),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in entry:
                entry[name] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            entry["exception"] = scrub_text("".join(traceback.format_exception(*record.exc_info)))
        return json.dumps(entry, ensure_ascii=False)


class AdminMailHandler(logging.Handler):
    """One short e-mail to ADMINS per server error, with nothing of the person who met it: Django's own report
    carries the cookies (the session), every header, the form data and local variables."""

    def emit(self, record):
        if not settings.ADMINS:
            return
        from django.core.mail import mail_admins

        try:
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            lines = [
                f"Request ID: {getattr(record, 'request_id', '') or _request_id.get()}",
                f"Time (UTC): {datetime.datetime.fromtimestamp(record.created, datetime.UTC):%Y-%m-%d %H:%M:%S}",
            ]
            if request is not None:
                match = getattr(request, "resolver_match", None)
                lines += [
                    f"Request: {request.method} {safe_path(request.path)}",
                    f"Route: {match.route if match else '-'}",
                    f"Account id: {getattr(user, 'pk', None) or '-'}",
                ]
            lines += ["", scrub_text(record.getMessage())]
            if record.exc_info:
                lines += ["", scrub_text("".join(traceback.format_exception(*record.exc_info)))]
            subject = scrub_text(f"{record.levelname}: {record.getMessage()}")[:200].replace("\n", " ")
            mail_admins(subject, "\n".join(lines))
        except Exception:
            self.handleError(record)


def logging_config(level="WARNING", log_format="json"):
    """LOGGING for settings: everything to standard output in `log_format` ("json" or "text"), access lines at INFO,
    server errors also to AdminMailHandler (when DEBUG is off and ADMINS is set)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "config.observability.RequestIdFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "json": {"()": "config.observability.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": log_format,
                "filters": ["request_id"],
            },
            "mail_admins": {
                "class": "config.observability.AdminMailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false", "request_id"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Replaces Django's default "django" logger, whose mail_admins handler would mail the full report.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            # 4xx are in the access lines already; 5xx with their traceback, and to the technical contact.
            "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "slz.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


# --- Sentry ------------------------------------------------------------------------------------------------------

# Headers that say nothing about the person; every other header (cookies, authorisation, forwarded addresses) goes.
SENTRY_HEADERS = {"content-type", "content-length", "host", "x-request-id", "accept", "user-agent"}


def _scrub(value):
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event, hint=None):
    """Sentry's before_send: no cookies, form data, query strings, addresses or e-mails; the account only by id."""
    request = event.get("request") or {}
    request.pop("cookies", None)
    request.pop("data", None)
    request.pop("query_string", None)
    request.pop("env", None)
    if "url" in request:
        request["url"] = safe_path(str(request["url"]).split("?", 1)[0])
    if "headers" in request:
        request["headers"] = {k: v for k, v in request["headers"].items() if k.lower() in SENTRY_HEADERS}
    if request:
        event["request"] = request
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if "id" in user else {}
    request_id = _request_id.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    for frame_list in _frames(event):
        for frame in frame_list:
            frame.pop("vars", None)
    return _scrub(event)


def _frames(event):
    for exception in (event.get("exception") or {}).get("values", []) or []:
        yield (exception.get("stacktrace") or {}).get("frames", []) or []
    for thread in (event.get("threads") or {}).get("values", []) or []:
        yield (thread.get("stacktrace") or {}).get("frames", []) or []


def init_sentry(dsn, environment="production", release=None):
    """Start sentry-sdk (imported only here, only when SENTRY_DSN is set)."""
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SENTRY_DSN is set but sentry-sdk is not installed.") from None
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        traces_sample_rate=0.0,
        environment=environment,
        release=release,
    )
