"""The juror's scoring workspace: save and next, errors that name their criterion, inline attachments, states."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from jury import services
from jury.models import Assignment, Scorecard
from tests import factories as f
from tests.conftest import download_disposition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

JUSTIFICATION = "Problem dobrze zdiagnozowany, rezultaty zmierzone."


@pytest.fixture
def edition():
    edition = f.EditionFactory(phase="scoring", min_justification_length=20)
    f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, weight=2, requires_justification=True, order=1)
    f.CriterionFactory(edition=edition, name="Trwałość", max_points=5, requires_justification=False, order=2)
    return edition


@pytest.fixture
def juror(edition):
    return f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))


@pytest.fixture
def entries(edition, juror):
    found = []
    for number in (1, 2, 3, 4):
        entry = f.jury_entry(edition, number)
        Assignment.objects.create(member=juror, application=entry)
        f.sign_off(entry)
        found.append(entry)
    return found


def _url(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


def _card_data(edition, points=("7", "4"), justification=JUSTIFICATION, **action):
    data = {"overall_comment": "Solidny projekt."}
    for criterion, value in zip(edition.criteria.all(), points, strict=True):
        data[f"points_{criterion.pk}"] = value
        data[f"justification_{criterion.pk}"] = justification
    return {**data, **action}


def _card(juror, entry):
    return Scorecard.objects.filter(member=juror, application=entry).first()


def _submit(juror, entry, edition):
    values = {c.pk: (3, JUSTIFICATION) for c in edition.criteria.all()}
    services.submit_scorecard(juror, entry, values, by=juror.user)


# Save and next ------------------------------------------------------------------------------------------------------


def test_save_and_next_keeps_a_draft_and_opens_the_next_entry(client, edition, juror, entries):
    client.force_login(juror.user)
    response = client.post(_url("scorecard", edition, entries[0].code), _card_data(edition, save="next"))
    assert response.status_code == 302
    assert response.url == _url("scorecard", edition, entries[1].code)
    card = _card(juror, entries[0])
    assert (card.status, sorted(card.scores.values_list("points", flat=True))) == ("draft", [4, 7])


def test_save_and_next_skips_entries_already_submitted(client, edition, juror, entries):
    _submit(juror, entries[1], edition)
    client.force_login(juror.user)
    response = client.post(_url("scorecard", edition, entries[0].code), _card_data(edition, save="next"))
    assert response.url == _url("scorecard", edition, entries[2].code)


def test_submit_goes_on_to_the_next_entry_to_score(client, edition, juror, entries):
    client.force_login(juror.user)
    response = client.post(_url("scorecard", edition, entries[2].code), _card_data(edition, submit="1"))
    assert response.url == _url("scorecard", edition, entries[3].code)
    assert _card(juror, entries[2]).status == "submitted"


def test_save_and_next_on_the_last_entry_goes_back_to_the_dashboard(client, edition, juror, entries):
    client.force_login(juror.user)
    response = client.post(_url("scorecard", edition, entries[3].code), _card_data(edition, save="next"), follow=True)
    assert response.redirect_chain == [(_url("dashboard", edition), 302)]
    assert _card(juror, entries[3]).status == "draft"
    assert "No entry after this one is left to score" in response.text


def test_save_and_next_passes_over_conflicted_and_unchecked_entries(client, edition, juror, entries):
    organiser = f.UserFactory(is_organiser=True)
    services.add_conflict(juror, entries[1], "Rodzina", by=organiser)
    entries[2].title = "Nowy tytuł po sprawdzeniu"  # the sign-off no longer matches: "being prepared"
    entries[2].save()
    client.force_login(juror.user)
    response = client.post(_url("scorecard", edition, entries[0].code), _card_data(edition, save="next"))
    assert response.url == _url("scorecard", edition, entries[3].code)


def test_plain_save_stays_on_the_entry(client, edition, juror, entries):
    client.force_login(juror.user)
    response = client.post(_url("scorecard", edition, entries[0].code), _card_data(edition, save="1"))
    assert response.url == _url("scorecard", edition, entries[0].code)


def test_save_and_next_cannot_write_another_jurors_entry(client, edition, juror, entries):
    other = f.declared_juror(edition)
    theirs = f.jury_entry(edition, 9)
    Assignment.objects.create(member=other, application=theirs)
    f.sign_off(theirs)
    client.force_login(juror.user)
    response = client.post(_url("scorecard", edition, theirs.code), _card_data(edition, save="next"))
    assert response.status_code == 404
    assert Scorecard.objects.filter(application=theirs).count() == 0


def test_save_and_next_cannot_write_a_conflicted_entry(client, edition, juror, entries):
    services.add_conflict(juror, entries[0], "Rodzina", by=f.UserFactory(is_organiser=True))
    client.force_login(juror.user)
    for action in ({"save": "next"}, {"submit": "1"}):
        response = client.post(_url("scorecard", edition, entries[0].code), _card_data(edition, **action))
        assert response.status_code == 404
    assert _card(juror, entries[0]) is None


# Validation that says where ---------------------------------------------------------------------------------------


def test_errors_name_their_criterion_and_keep_what_was_typed(client, edition, juror, entries):
    client.force_login(juror.user)
    data = _card_data(edition, points=("12", ""), justification="Za krótko.", submit="1")
    response = client.post(_url("scorecard", edition, entries[0].code), data)
    assert response.status_code == 400
    diagnosis, durability = edition.criteria.all()
    errors = response.context["form"].errors
    assert errors[f"points_{diagnosis.pk}"] == ["Diagnoza – points: give between 0 and 10."]
    assert _card(juror, entries[0]) is None
    assert "Za krótko." in response.text  # nothing typed is lost


def test_short_justification_reads_how_many_of_how_many(client, edition, juror, entries):
    client.force_login(juror.user)
    data = _card_data(edition, justification="Za krótko tu.", submit="1")
    response = client.post(_url("scorecard", edition, entries[0].code), data)
    diagnosis = edition.criteria.first()
    assert response.context["form"].errors[f"justification_{diagnosis.pk}"] == [
        "Diagnoza – justification: 13 of at least 20 characters."
    ]


@pytest.mark.polish
def test_short_justification_in_polish(client, edition, juror, entries):
    client.force_login(juror.user)
    data = _card_data(edition, points=("7", ""), justification="Za krótko tu.", submit="1")
    response = client.post(_url("scorecard", edition, entries[0].code), data)
    diagnosis, durability = edition.criteria.all()
    errors = response.context["form"].errors
    assert errors[f"justification_{diagnosis.pk}"] == ["Diagnoza – uzasadnienie: 13 z co najmniej 20 znaków."]
    assert errors[f"points_{durability.pk}"] == ["Trwałość – punkty: podaj liczbę punktów za to kryterium."]
    # The live counter's words come from the page, in the reader's language.
    assert 'data-counter-many="{now} z co najmniej 20 znaków"' in response.text


def test_workspace_shows_the_weighted_total_without_javascript(client, edition, juror, entries):
    services.save_scorecard_draft(
        juror, entries[0], {c.pk: (p, "") for c, p in zip(edition.criteria.all(), (7, 4), strict=True)}, by=juror.user
    )
    client.force_login(juror.user)
    response = client.get(_url("scorecard", edition, entries[0].code))
    # 7 × 2 + 4 × 1 of 10 × 2 + 5 × 1
    assert response.context["total"] == (18, 25)
    assert "<strong>18</strong> of 25" in response.text


# Attachments shown in place ----------------------------------------------------------------------------------------


def _attachment(edition, entry, content, content_type, name):
    requirement = f.AttachmentRequirementFactory(edition=edition, name="Materiały", visible_to_jury=True)
    attachment = f.AttachmentFactory(
        application=entry,
        requirement=requirement,
        file=ContentFile(content, name=name),
        original_name=name,
        content_type=content_type,
    )
    f.sign_off(entry)
    return attachment


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 61, 110)).save(buffer, "PNG")
    return buffer.getvalue()


def test_pdf_is_shown_inline_embeddable_only_by_our_pages(client, edition, juror, entries):
    attachment = _attachment(edition, entries[0], f.pdf_bytes(), "application/pdf", "Gmina Bobrowice wniosek.pdf")
    client.force_login(juror.user)
    response = client.get(_url("attachment", edition, entries[0].code, attachment.pk) + "?view=inline")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert f"''{entries[0].code}-Materia%C5%82y_1.pdf" in response["Content-Disposition"]
    assert "Bobrowice" not in response["Content-Disposition"]
    assert (response["X-Content-Type-Options"], response["X-Frame-Options"]) == ("nosniff", "SAMEORIGIN")
    assert response["Content-Security-Policy"] == "frame-ancestors 'self'"


def test_picture_is_shown_inline_in_a_sandbox(client, edition, juror, entries):
    attachment = _attachment(edition, entries[0], _png(), "image/png", "zdjecie.png")
    client.force_login(juror.user)
    response = client.get(_url("attachment", edition, entries[0].code, attachment.pk) + "?view=inline")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'; sandbox"


def test_other_types_stay_downloads_even_when_asked_inline(client, edition, juror, entries):
    from tests.test_upload_hardening import docx_bytes

    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    attachment = _attachment(edition, entries[0], docx_bytes(), docx, "opis.docx")
    client.force_login(juror.user)
    response = client.get(_url("attachment", edition, entries[0].code, attachment.pk) + "?view=inline")
    assert download_disposition(response).startswith("attachment;")
    if response.status_code == 200:  # served by us (local files); on S3 a redirect to the file as an attachment
        assert response["X-Frame-Options"] == "DENY"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_inline_view_of_a_conflicted_entry_is_refused_like_a_download(client, edition, juror, entries):
    attachment = _attachment(edition, entries[0], f.pdf_bytes(), "application/pdf", "porozumienie.pdf")
    services.add_conflict(juror, entries[0], "Rodzina", by=f.UserFactory(is_organiser=True))
    client.force_login(juror.user)
    response = client.get(_url("attachment", edition, entries[0].code, attachment.pk) + "?view=inline")
    assert response.status_code == 404


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml"])
def test_markup_is_never_shown_inline(client, edition, juror, entries, content_type):
    # Uploads are typed by their content and markup is refused; were one stored anyway, it is still no inline view.
    markup = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    attachment = _attachment(edition, entries[0], markup, content_type, "obraz.svg")
    client.force_login(juror.user)
    response = client.get(_url("attachment", edition, entries[0].code, attachment.pk) + "?view=inline")
    assert not response.get("Content-Disposition", "").startswith("inline")
    assert b"<script>" not in (b"".join(response.streaming_content) if response.streaming else response.content)


def test_plain_download_of_a_pdf_stays_a_download(client, edition, juror, entries):
    attachment = _attachment(edition, entries[0], f.pdf_bytes(), "application/pdf", "porozumienie.pdf")
    client.force_login(juror.user)
    response = client.get(_url("attachment", edition, entries[0].code, attachment.pk))
    assert download_disposition(response).startswith("attachment;")
    assert response["X-Frame-Options"] == "DENY"


def test_workspace_embeds_pdfs_and_pictures_and_links_the_rest(client, edition, juror, entries):
    pdf = _attachment(edition, entries[0], f.pdf_bytes(), "application/pdf", "porozumienie.pdf")
    png = _attachment(edition, entries[0], _png(), "image/png", "zdjecie.png")
    client.force_login(juror.user)
    response = client.get(_url("scorecard", edition, entries[0].code))
    inline = {a: _url("attachment", edition, entries[0].code, a.pk) + "?view=inline" for a in (pdf, png)}
    assert f'<iframe class="attachment-frame" src="{inline[pdf]}"' in response.text
    assert f'<img class="attachment-picture" src="{inline[png]}"' in response.text


# Visible states ------------------------------------------------------------------------------------------------------


@pytest.mark.polish
def test_dashboard_is_titled_for_a_juror_with_states_agreeing_with_karta(client, edition, juror, entries):
    _submit(juror, entries[0], edition)
    services.save_scorecard_draft(juror, entries[1], {}, by=juror.user)
    client.force_login(juror.user)
    response = client.get(_url("dashboard", edition))
    labels = [row.state_label for row in response.context["rows"]]
    assert labels == ["złożona", "wersja robocza", "nierozpoczęta", "nierozpoczęta"]
    assert "<title>Wnioski do oceny" in response.text
    assert "<h1>Wnioski do oceny" in response.text


@pytest.mark.polish
def test_chair_sees_a_neutral_label(client, edition, entries):
    chair = f.declared_juror(edition, is_chair=True, user=f.UserFactory(email="chair@example.com"))
    f.declared_juror(f.EditionFactory(phase="scoring"), user=chair.user)  # two editions: the jury home lists them
    client.force_login(chair.user)
    response = client.get(reverse("jury:home"))
    assert "przewodnictwo komisji" in response.text
    assert "przewodniczący" not in response.text
