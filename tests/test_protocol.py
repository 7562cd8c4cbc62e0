"""The protocol of the Komisja Konkursowa as PDF: members and signature places, the snapshot and its hash (or the
"not frozen" warning), the alpha, flagged disagreements with their decisions, every citation, the lock; who may
download it and when."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jury import services
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



@pytest.fixture
def ranked():
    return f.ranked_edition()


@pytest.fixture
def decided(ranked):
    edition, entries, jurors = ranked
    organiser = f.UserFactory(is_organiser=True)
    services.record_decision(
        entries[0],
        outcome="laureate",
        place=1,
        prize_tier="Nagroda główna",
        citation="Za wzorowe zarządzanie projektem.",
        by=organiser,
    )
    services.record_decision(
        entries[1], outcome="distinction", citation="Wyróżnienie za współpracę z mieszkańcami.", by=organiser
    )
    services.record_decision(entries[2], outcome="not_awarded", by=organiser)
    return edition, entries, jurors, organiser


def _url(edition):
    return reverse("jury:protocol", args=[edition.year])


def _text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _organiser_pdf(client, edition, organiser=None):
    client.force_login(organiser or f.UserFactory(is_organiser=True))
    return _text(client.get(_url(edition)))


def test_protocol_names_every_member_and_marks_the_chair(client, ranked):
    edition, _entries, _jurors = ranked

    text = _organiser_pdf(client, edition)

    for k in (1, 2, 3):
        assert f"Sędzia Nazwisko{k}" in text
    assert "Sędzia Nazwisko1 person presiding over the committee" in text


def test_protocol_has_a_signature_line_for_every_member(client, ranked):
    edition, _entries, _jurors = ranked

    text = _organiser_pdf(client, edition)

    signatures = text.split("Signatures of the committee")[1]
    for k in (1, 2, 3):
        assert f"Sędzia Nazwisko{k}" in signatures


def test_protocol_with_a_snapshot_gives_its_number_and_hash(client, decided):
    edition, _entries, _jurors, organiser = decided
    first = services.freeze_ranking(edition, by=organiser)
    latest = services.freeze_ranking(edition, by=organiser)

    text = _organiser_pdf(client, edition, organiser)

    assert latest.sha256 in text.replace(" ", "")
    assert f"frozen snapshot {latest.number} of" in text and latest.number == 2 and first.number == 1
    assert "NOT frozen" not in text


def test_protocol_without_a_snapshot_warns_it_is_not_frozen(client, ranked):
    edition, _entries, _jurors = ranked

    text = _organiser_pdf(client, edition)

    assert "The ranking is NOT frozen" in text


def test_protocol_without_a_lock_warns_decisions_may_change(client, decided):
    edition, _entries, _jurors, organiser = decided

    assert "The decisions are NOT locked" in _organiser_pdf(client, edition, organiser)


def test_protocol_gives_every_decisions_citation(client, decided):
    edition, _entries, _jurors, organiser = decided

    text = _organiser_pdf(client, edition, organiser)

    assert "Za wzorowe zarządzanie projektem." in text
    assert "Wyróżnienie za współpracę z mieszkańcami." in text
    assert "Nagroda główna" in text


def test_protocol_gives_the_alpha_and_its_reading(client, ranked):
    edition, _entries, _jurors = ranked
    alpha = services.ranking_for(edition).overall.reliability

    text = _organiser_pdf(client, edition)

    assert "Krippendorff" in text
    assert f"Krippendorff's alpha (interval): {alpha.alpha:.3f}." in text
    assert " ".join(alpha.text.split())[:30] in text


def test_protocol_lists_the_flagged_entry_with_its_decision(client, decided):
    edition, entries, _jurors, organiser = decided

    text = _organiser_pdf(client, edition, organiser)

    flagged = text.split("Flagged disagreements")[1].split("Decisions of the committee")[0]
    assert f"{entries[0].code} Gminy 11.00 laureate, place 1" in flagged
    assert entries[1].code not in flagged


def test_protocol_shows_the_lock_and_its_reason(client, decided):
    edition, _entries, _jurors, organiser = decided
    services.lock_decisions(edition, reason="Obrady zakończone.", by=organiser)

    text = _organiser_pdf(client, edition, organiser)

    assert "Reason: Obrady zakończone." in text
    assert "NOT locked" not in text


def test_protocol_chair_downloads_it(client, decided):
    edition, _entries, jurors, _organiser = decided
    client.force_login(jurors[0].user)

    text = _text(client.get(_url(edition)))

    assert "Za wzorowe zarządzanie projektem." in text


def test_protocol_juror_who_is_not_the_chair_gets_404(client, decided):
    edition, _entries, jurors, _organiser = decided
    client.force_login(jurors[1].user)

    response = client.get(_url(edition))

    assert response.status_code == 404
    assert response.get("Content-Type") != "application/pdf"


def test_protocol_during_scoring_is_refused_to_organisers(client):
    edition, _entries, _jurors = f.ranked_edition(phase="scoring")
    client.force_login(f.UserFactory(is_organiser=True))

    response = client.get(_url(edition))

    assert response.status_code == 403
    assert response.get("Content-Type") != "application/pdf"


def test_protocol_during_scoring_is_refused_to_the_chair(client):
    edition, _entries, jurors = f.ranked_edition(phase="scoring")
    client.force_login(jurors[0].user)

    assert client.get(_url(edition)).status_code == 403


def test_protocol_anonymous_is_sent_to_log_in(client, ranked):
    edition, _entries, _jurors = ranked

    response = client.get(_url(edition))

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.polish
def test_protocol_in_polish_names_the_committee_and_the_signatures(client, decided):
    edition, _entries, _jurors, organiser = decided

    text = _organiser_pdf(client, edition, organiser)

    assert "Protokół z posiedzenia Komisji Konkursowej" in text
    # The chair's role in a form that assumes no gender (not "przewodniczący" for everyone).
    assert "Sędzia Nazwisko1 osoba przewodnicząca komisji" in text
    assert ("przewodniczący" in text, "przewodnicząca komisji" in text) == (False, True)
    assert "Podpisy członków Komisji Konkursowej" in text
    assert "Ranking NIE jest zamrożony" in text


@pytest.mark.polish
def test_ranking_export_in_polish_has_polish_columns(client, decided):
    edition, _entries, _jurors, organiser = decided
    client.force_login(organiser)

    response = client.get(reverse("jury:ranking_export", args=[edition.year, "csv"]))

    header = response.content.decode("utf-8").splitlines()[0]
    assert header.startswith("\ufeffMiejsce;Ex aequo;Kod")
    assert "Do dyskusji" in header


def test_protocol_for_the_chair_renders_from_plain_values_only(client, decided):
    from django.test.signals import template_rendered

    from tests.test_jury_blind_context import model_paths

    edition, _entries, jurors, organiser = decided
    services.freeze_ranking(edition, by=organiser)
    services.lock_decisions(edition, reason="Koniec obrad.", by=organiser)
    contexts = []

    def capture(sender, template, context, **kwargs):
        contexts.append((template.name, context.flatten()))

    template_rendered.connect(capture)
    try:
        client.force_login(jurors[0].user)
        _text(client.get(_url(edition)))
    finally:
        template_rendered.disconnect(capture)

    protocol = [flat for name, flat in contexts if name == "jury/protocol.html"]
    assert len(protocol) == 1
    assert {"members", "snapshot", "categories", "flagged", "groups", "lock"} <= protocol[0].keys()
    assert model_paths(protocol[0]) == []


@pytest.mark.parametrize("language", ["pl", "en"])
def test_protocol_pdf_declares_the_language_it_is_written_in(client, decided, language):
    """Screen readers and hyphenation follow the document's language (the PDF's /Lang, from the HTML's lang)."""
    edition, _entries, _jurors, organiser = decided
    client.force_login(organiser)
    client.cookies["django_language"] = language

    response = client.get(_url(edition), HTTP_ACCEPT_LANGUAGE=language)

    assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == language
