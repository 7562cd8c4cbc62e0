"""Blindness as a data boundary: a juror crawling all they can reach finds no identity and no other juror's text."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.urls import reverse

from jury import services
from jury.models import Assignment
from tests import factories as f

pytestmark = pytest.mark.django_db

INFLECTED_MENTIONS = [
    "Spotkania odbywały się w Zbąszynku; pani Wąsikiewicz i biuro Wąsikiewicza koordynowały prace zbąszyneckie.",
    "W Wąchocku działa sołtys; wąchockie sołectwa i pani Przybyszewska prowadziły konsultacje.",
    "Mieszkańcy Pcimia i pan Kiełbasiński z Pcimianki zorganizowali festyn.",
]
INFLECTED_FORMS = [
    "Zbąszynk",
    "Wąsikiewicz",
    "zbąszyneck",
    "Wąchock",
    "wąchock",
    "Przybyszewsk",
    "Pcimi",
    "Kiełbasińsk",
]
OTHER_JUROR_COMMENT = "Komentarz-innego-jurora-XYZZY"
OTHER_JUROR_JUSTIFICATION = "Uzasadnienie-innego-jurora-PLUGH i dalszy tekst."


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.urls.append(attrs["action"])


@pytest.fixture
def scene(settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = f.EditionFactory(phase="scoring", min_justification_length=10)
    criterion = f.CriterionFactory(edition=edition, max_points=10, requires_justification=True)
    shown = f.AttachmentRequirementFactory(edition=edition, name="Materiały o rezultatach", visible_to_jury=True)
    hidden = f.AttachmentRequirementFactory(edition=edition, name="Porozumienie", visible_to_jury=False)
    entries = []
    for number, identity in enumerate(f.JURY_IDENTITIES, start=1):
        owner = f.UserFactory(
            email=f"owner{number}@{identity['contact_email'].split('@')[1]}", full_name=f"Właściciel{number} Nowak"
        )
        entry = f.identified_jury_entry(edition, identity, number, owner=owner)
        # Real texts name places and people in other grammatical cases, and surnames alone.
        entry.partner_roles = INFLECTED_MENTIONS[number - 1]
        entry.save(update_fields=["partner_roles"])
        f.AttachmentFactory(
            application=entry,
            requirement=shown,
            original_name=f"raport-{identity['partner_name']}.pdf",
        )
        f.AttachmentFactory(application=entry, requirement=hidden, original_name=f"umowa-{identity['nip']}.pdf")
        f.sign_off(entry)
        entries.append(entry)
    juror = f.declared_juror(edition, user=f.UserFactory(email="blind.juror@example.com"))
    other = f.declared_juror(edition, user=f.UserFactory(email="other.juror@example.com", full_name="Inny Juror"))
    for entry in entries:
        Assignment.objects.create(member=juror, application=entry)
        Assignment.objects.create(member=other, application=entry)
        services.submit_scorecard(
            other,
            entry,
            {criterion.pk: (9, OTHER_JUROR_JUSTIFICATION)},
            OTHER_JUROR_COMMENT,
            by=other.user,
        )
    services.save_scorecard_draft(
        juror, entries[0], {criterion.pk: (5, "Mój własny szkic uzasadnienia")}, by=juror.user
    )
    # The juror is conflicted with the third entry: an affiliation with the county around its municipality (the
    # juror's own affiliation page names the county, which is theirs to see, not the entry's).
    county = f.unit(f.JURY_IDENTITIES[2]["unit"][:4])
    f.recorded_affiliation(juror.user, territorial_unit=county, scope="county", role="adviser")
    forbidden = [s for identity in f.JURY_IDENTITIES for s in f.identifying_strings(identity)]
    forbidden += [e.owner.email for e in entries] + [e.owner.full_name for e in entries]
    forbidden += ["raport-", "umowa-", OTHER_JUROR_COMMENT, "PLUGH", other.user.email]
    forbidden += INFLECTED_FORMS
    return {"edition": edition, "juror": juror, "entries": entries, "forbidden": forbidden, "hidden": hidden}


def _crawl(client, start, limit=300):
    seen, queue, bodies = set(), deque([start]), {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            target = urljoin(url, response.url)
            if urlparse(target).netloc in ("", "testserver"):
                queue.append(urlparse(target).path + (f"?{urlparse(target).query}" if urlparse(target).query else ""))
            elif _is_presigned_storage_url(target):
                # With S3 the file view redirects to a short presigned URL: fetch it from the S3 server, as a
                # browser would, and check what it serves (body and headers, e.g. the download file name).
                with urlopen(target, timeout=10) as remote:
                    headers = " ".join(f"{k}: {v}" for k, v in remote.headers.items())
                    bodies[url] = (remote.status, remote.read(), headers + " " + target)
            continue
        if response.streaming:
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
        bodies[url] = (response.status_code, body, headers)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(body.decode("utf-8", "replace"))
        for link in parser.urls:
            absolute = urljoin(url, link)
            parsed = urlparse(absolute)
            if parsed.netloc not in ("", "testserver") or parsed.path.startswith(("/static/", "/i18n/")):
                continue
            if parsed.path.startswith("/accounts/logout"):
                continue
            queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return bodies


def _is_presigned_storage_url(url):
    endpoint = getattr(settings, "STORAGES", {}).get("default", {}).get("OPTIONS", {}).get("endpoint_url")
    return bool(endpoint) and url.startswith(endpoint)


def _variants(text):
    """The string as it may appear: raw, HTML-escaped, and digits without separators."""
    from django.utils.html import escape

    found = {text, escape(text)}
    if re.fullmatch(r"[\d\s+()-]+", text):
        found.add(re.sub(r"\D", "", text))
    return found


def test_juror_crawl_reveals_no_identity_and_no_other_juror(client, scene):
    client.force_login(scene["juror"].user)
    bodies = _crawl(client, reverse("jury:home"))
    jury_pages = [url for url in bodies if url.startswith("/jury/")]
    # The crawl really reached the entries, the scorecards and the files.
    assert any("/files/" in url for url in jury_pages)
    assert sum(1 for url in jury_pages if url.endswith("/scorecard/")) == 2
    leaks = []
    for url, (_status, body, headers) in bodies.items():
        text = body.decode("utf-8", "replace") + headers
        for secret in scene["forbidden"]:
            for variant in _variants(secret):
                if variant and variant.casefold() in text.casefold():
                    leaks.append((url, secret))
    assert leaks == []


def test_juror_never_reaches_hidden_attachments(client, scene):
    client.force_login(scene["juror"].user)
    entry = scene["entries"][0]
    hidden = entry.attachments.get(requirement=scene["hidden"])
    url = reverse("jury:attachment", args=[scene["edition"].year, entry.code, hidden.pk])
    assert client.get(url).status_code == 404


def test_attachment_of_another_entry_through_a_forged_url_is_404(client, scene):
    client.force_login(scene["juror"].user)
    first, second = scene["entries"][:2]
    foreign = second.attachments.get(requirement__visible_to_jury=True)
    url = reverse("jury:attachment", args=[scene["edition"].year, first.code, foreign.pk])
    assert client.get(url).status_code == 404


def test_conflicted_juror_gets_404_for_entry_files_and_scorecard(client, scene):
    client.force_login(scene["juror"].user)
    year = scene["edition"].year
    conflicted = scene["entries"][2]
    shown = conflicted.attachments.get(requirement__visible_to_jury=True)
    for url in [
        reverse("jury:entry", args=[year, conflicted.code]),
        reverse("jury:attachment", args=[year, conflicted.code, shown.pk]),
        reverse("jury:scorecard", args=[year, conflicted.code]),
        reverse("jury:declare_conflict", args=[year, conflicted.code]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("jury:scorecard", args=[year, conflicted.code]), {"submit": "1"}).status_code == 404


def test_conflicted_entry_is_not_listed(client, scene):
    client.force_login(scene["juror"].user)
    response = client.get(reverse("jury:dashboard", args=[scene["edition"].year]))
    codes = [row.code for row in response.context["rows"]]
    assert codes == [e.code for e in scene["entries"][:2]]


def test_juror_templates_never_receive_application_or_partner(client, scene):
    from applications.models import Application, Partner

    client.force_login(scene["juror"].user)
    year = scene["edition"].year
    entry = scene["entries"][0]
    for url in [
        reverse("jury:dashboard", args=[year]),
        reverse("jury:entry", args=[year, entry.code]),
        reverse("jury:scorecard", args=[year, entry.code]),
        reverse("jury:declare_conflict", args=[year, entry.code]),
    ]:
        response = client.get(url)
        for context in response.context:
            for value in context.flatten().values():
                assert not isinstance(value, (Application, Partner)), (url, value)


def test_other_jurors_scores_are_not_counted_on_the_dashboard(client, scene):
    client.force_login(scene["juror"].user)
    response = client.get(reverse("jury:dashboard", args=[scene["edition"].year]))
    assert [row.state for row in response.context["rows"]] == ["draft", "not_started"]
