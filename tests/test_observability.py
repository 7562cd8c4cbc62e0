"""Production logs and error reports: one JSON object a line with the request id the response carries, hostile
request ids replaced, server errors mailed to ADMINS without the session or personal data, Sentry events scrubbed,
settings that stop with a clear message."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from config import observability
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def log_lines():
    """The JSON lines the access and error loggers write, with the formatter and filter production uses."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(observability.JsonFormatter())
    handler.addFilter(observability.RequestIdFilter())
    loggers = [logging.getLogger("slz.request"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_request_writes_one_json_line_with_the_request_id_of_the_response(db, client, log_lines):
    response = client.get("/edycje/")
    (line,) = log_lines()
    assert line["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32
    assert {key: line[key] for key in ("level", "logger", "method", "path", "status")} == {
        "level": "INFO",
        "logger": "slz.request",
        "method": "GET",
        "path": "/edycje/",
        "status": response.status_code,
    }
    assert isinstance(line["duration_ms"], float)
    assert line["message"] == f"GET /edycje/ {response.status_code}"


def test_a_sane_request_id_from_the_proxy_is_kept(db, client, log_lines):
    response = client.get("/edycje/", headers={"X-Request-ID": "3f2c9a7e-proxy-0001"})
    assert response["X-Request-ID"] == "3f2c9a7e-proxy-0001"
    assert log_lines()[0]["request_id"] == "3f2c9a7e-proxy-0001"


@pytest.mark.parametrize(
    "hostile",
    [
        "a" * 300,
        "abcdefgh\r\nSet-Cookie: sessionid=stolen",
        "abcdefgh\x00\x1b[31m",
        "<script>alert(1)</script>",
        "short",
        "ąęśćżźółń-polish-letters",
        '"},{"level":"CRITICAL',
    ],
)
def test_a_hostile_request_id_is_replaced(db, client, log_lines, hostile):
    response = client.get("/edycje/", headers={"X-Request-ID": hostile})
    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32
    (line,) = log_lines()
    assert line["request_id"] == response["X-Request-ID"]


def test_a_token_in_the_path_does_not_reach_the_log(db, client, log_lines):
    client.get("/powiadomienia/wypisz/" + "Zx9" * 15 + "/")
    assert log_lines()[0]["path"] == "/powiadomienia/wypisz/<token>/"


def test_healthz_stays_cheap_and_quiet(db, client, log_lines, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["X-Request-ID"]
    assert log_lines() == []


@pytest.mark.urls("tests.urls_server_error")
def test_a_server_error_mails_the_admins_without_the_session_or_personal_data(db, settings, mailoutbox, log_lines):
    settings.ADMINS = ["tech@example.com"]
    user = f.UserFactory(email="anna.nowak@example.com", full_name="Anna Nowak")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.get(
        "/test-server-error/?email=anna.nowak@example.com",
        headers={"X-Forwarded-For": "203.0.113.7", "Authorization": "Bearer secret-token-123"},
    )
    assert response.status_code == 500
    (mail,) = mailoutbox
    assert mail.to == ["tech@example.com"]
    report = mail.subject + "\n" + mail.body
    assert f"Request ID: {response['X-Request-ID']}" in report
    assert "Request: GET /test-server-error/" in report
    assert f"Account id: {user.pk}" in report
    assert "RuntimeError: could not save the profile of <e-mail>" in report
    for secret in (session_key, "anna.nowak", "Anna Nowak", "203.0.113.7", "secret-token-123", "csrftoken"):
        assert secret not in report
    # The same error in the logs, with the same request id.
    lines = log_lines()
    assert {line["logger"] for line in lines} == {"django.request", "slz.request"}
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert all(line["level"] == "ERROR" for line in lines)


@pytest.mark.urls("tests.urls_server_error")
def test_without_admins_a_server_error_sends_nothing(db, settings, mailoutbox):
    settings.ADMINS = []
    user = f.UserFactory()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    assert client.get("/test-server-error/").status_code == 500
    assert mailoutbox == []


def test_a_sentry_event_loses_cookies_headers_form_data_and_e_mails():
    event = {
        "message": "failed for jan@example.com",
        "request": {
            "url": "https://slz.example.com/powiadomienia/wypisz/" + "Zx9" * 15 + "/?email=jan@example.com",
            "cookies": {"sessionid": "abc"},
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "Firefox", "X-Forwarded-For": "203.0.113.7"},
            "data": {"password": "p"},
            "query_string": "email=jan@example.com",
            "env": {"REMOTE_ADDR": "203.0.113.7"},
        },
        "user": {"id": 7, "email": "jan@example.com", "ip_address": "203.0.113.7"},
        "exception": {
            "values": [{"stacktrace": {"frames": [{"function": "f", "vars": {"email": "jan@example.com"}}]}}]
        },
    }
    scrubbed = observability.scrub_event(event)
    text = json.dumps(scrubbed)
    for secret in ("sessionid", "jan@example.com", "203.0.113.7", "password", "Zx9Zx9"):
        assert secret not in text
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}
    assert scrubbed["message"] == "failed for <e-mail>"


def _settings_in_a_fresh_process(env, code):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )


def test_production_settings_without_a_secret_stop_with_a_clear_message():
    result = _settings_in_a_fresh_process({"DJANGO_DEBUG": "0"}, "print('started')")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr
    assert "started" not in result.stdout


def test_production_settings_log_json_and_read_admins_from_the_environment():
    result = _settings_in_a_fresh_process(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "tq3V8-xQe_2LrPzN0mWkYb7sFj4HcUaD9gRvE1oTiK6yMnBwZl5",
            "DJANGO_ADMINS": "Tech <tech@example.com>, ops@example.com",
        },
        "print(settings.LOGGING['handlers']['console']['formatter'], settings.ADMINS)",
    )
    assert result.stdout.strip() == "json ['Tech <tech@example.com>', 'ops@example.com']"
