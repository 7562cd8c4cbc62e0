"""Second security review (issue 7), beyond the reviewer's reproductions: text-direction controls refused in the
applicant's text areas and dropped from jurors' texts, organiser-edited texts meeting terms added later, names glued
to other text, line-end hyphens and character references, and the ordinary text that must stay as written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.forms import ApplicationForm, PartnerForm
from applications.models import Partner
from contest.validators import validate_no_direction_controls
from jury import blind, services
from jury.redaction import MARK, Terms, compile_terms, redact
from tests import factories as f

ZBASZYNEK = Terms(names=("Gmina Zbąszynek",), place_names=("Zbąszynek",))
DIRECTION_MESSAGE = "Remove the invisible text-direction characters"
DIRECTION_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
DIRECTION_CONTROLS += ["\u200e", "\u200f"]


def _redact(text, terms=ZBASZYNEK):
    return redact(text, compile_terms(terms))


def _payload(application, **overrides):
    data = {
        "version": application.version,
        "category": application.category_id,
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "30",
        "action": "save",
    }
    for name, value in f.COMPLETE_FIELDS.items():
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update(overrides)
    return data


@pytest.fixture
def draft(applicant, edition_in_submissions):
    f.ensure_terc()
    return f.ApplicationFactory(edition=edition_in_submissions, owner=applicant, summary="Pierwsza wersja opisu.")


# 1. Text-direction controls --------------------------------------------------------------------------------------


@pytest.mark.parametrize("control", DIRECTION_CONTROLS)
def test_text_area_validator_refuses_every_direction_control(control):
    with pytest.raises(ValidationError, match=DIRECTION_MESSAGE):
        validate_no_direction_controls(f"Projekt gminy {control}kenyzsąbZ")


def test_text_area_validator_keeps_line_breaks_tabs_and_polish_letters():
    validate_no_direction_controls("Pierwszy akapit.\r\n\r\n\tDrugi: zażółć gęślą jaźń.")


@pytest.mark.django_db
def test_summary_with_a_right_to_left_override_is_refused_with_a_clear_error_and_not_saved(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(
        reverse("applications:edit", args=[draft.pk]),
        _payload(draft, summary="Projekt gminy \u202ekenyzsąbZ\u202c realizowany od 2021 r."),
    )

    draft.refresh_from_db()
    assert DIRECTION_MESSAGE in response.content.decode()
    assert draft.summary == "Pierwsza wersja opisu."


@pytest.mark.django_db
def test_application_form_refuses_a_direction_mark_in_every_text_area(draft):
    form = ApplicationForm(_payload(draft), application=draft)
    text_areas = [name for name, field in form.fields.items() if field.widget.__class__.__name__ == "Textarea"]
    data = _payload(draft, **{name: "Tekst \u200fze znakiem." for name in text_areas})

    form = ApplicationForm(data, application=draft)
    form.is_valid()

    assert text_areas and sorted(name for name in text_areas if name in form.errors) == sorted(text_areas)


@pytest.mark.django_db
def test_partner_role_with_a_bidi_isolate_is_refused():
    form = PartnerForm({"kind": Partner.Kind.NGO, "name": "Fundacja Rozwoju", "role": "Promocja \u2067abc\u2069"})

    assert (form.is_valid(), DIRECTION_MESSAGE in form.errors["role"][0]) == (False, True)


def test_redacted_text_keeps_no_direction_controls():
    redacted = _redact("Opis \u202bprojektu\u202c i \u2066rezultatów\u2069.\u200e")

    assert redacted == "Opis projektu i rezultatów."


def test_name_reversed_under_an_override_is_redacted_and_the_words_around_it_kept():
    redacted = _redact("Projekt w \u202ekenyzsąbZ\u202c realizowany od 2021 r.")

    assert redacted == f"Projekt w {MARK} realizowany od 2021 r."


def test_name_assembled_from_a_reversed_half_is_redacted():
    # "Zbą" + RLO "kenyzs" is drawn "Zbąszynek".
    assert "kenyzs" not in _redact("Gmina Zbą\u202ekenyzs\u202c realizuje projekt.")


# 2. Organiser-edited texts meet terms added later ----------------------------------------------------------------


def _edited_and_signed_off():
    f.ensure_terc()
    edition = f.EditionFactory(phase="scoring")
    entry = f.jury_entry(edition, 1, summary="Projekt prowadził wójt Hieronim Pstrokoński.")
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True)
    edited = blind.auto_redacted_fields(entry)
    edited["title"] = "Rower dla wszystkich"
    services.save_anonymised(entry, edited, by=organiser)
    f.sign_off(entry)
    return edition, entry, organiser


@pytest.mark.django_db
def test_extra_term_added_after_an_organiser_edit_voids_the_sign_off():
    edition, entry, organiser = _edited_and_signed_off()
    assert blind.checked_entry(entry) is not None

    services.set_redaction_terms(edition, "Hieronim Pstrokoński", by=organiser)

    assert blind.checked_entry(entry) is None


@pytest.mark.django_db
def test_extra_term_is_redacted_in_an_organiser_edit_and_the_organiser_text_kept():
    edition, entry, organiser = _edited_and_signed_off()

    services.set_redaction_terms(edition, "Hieronim Pstrokoński", by=organiser)

    shown = dict(blind.build_blind_entry(entry).fields)
    texts = list(shown.values())
    assert (texts[0], f"Projekt prowadził wójt {MARK}." in texts) == ("Rower dla wszystkich", True)


@pytest.mark.django_db
def test_organiser_edit_without_new_terms_keeps_its_sign_off():
    _edition, entry, _organiser = _edited_and_signed_off()

    assert blind.checked_entry(entry).title == "Rower dla wszystkich"


# 3. Names glued to other text, and the ordinary text that stays ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Zobacz x.pl/zbaszynek-aktualnosci i dalej.",
        "Strona gmina.zbaszynek.pl/projekty/rower ma opis.",
        "Konto @GminaZbąszynek publikuje co tydzień.",
        "Tag #zbąszynek_2024 był popularny.",
    ],
)
def test_place_name_in_a_handle_or_bare_address_is_redacted(text):
    assert "zb" not in _redact(text).casefold()


@pytest.mark.parametrize(
    "text",
    [
        "Koszt 12 tys.zł/rok na mieszkańca.",
        "Prędkość 30km/h na drogach gminnych.",
        "Dotacja 2024/2025 i wkład własny 15%.",
        "Projekt #RowerDlaWszystkich zgromadził 5 tys. osób.",
        "Wskaźnik CO2/mieszkańca spadł o 3%.",
        "Współpraca z firmą IT_Serwis i sp. z o.o.",
    ],
)
def test_ordinary_text_with_slashes_hashtags_and_digits_is_kept(text):
    assert _redact(text) == text


# 4. Line-end hyphens and character references ---------------------------------------------------------------------


def test_two_names_hyphenated_at_a_line_end_are_both_redacted():
    terms = Terms(place_names=("Ełk", "Sopot"))

    assert _redact("Partnerstwo Ełk-\nSopot działa.", terms) == f"Partnerstwo {MARK} działa."


def test_ordinary_word_hyphenated_at_a_line_end_is_kept_as_written():
    text = "Dobra współ-\npraca mieszkańców."

    assert _redact(text) == text


def test_name_written_with_a_named_character_reference_is_redacted():
    redacted = _redact("Miasto Krak&oacute;w i okolice.", Terms(place_names=("Kraków",)))

    assert redacted == f"Miasto {MARK} i okolice."


def test_name_written_with_a_hexadecimal_character_reference_is_redacted():
    assert "szynek" not in _redact("Gmina Zb&#x105;szynek.")


def test_text_with_ordinary_ampersands_is_kept_as_written():
    text = "Dział R&D oraz B&amp;R współpracują &copy 2024."

    assert _redact(text) == text
