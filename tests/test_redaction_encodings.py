"""Redaction whatever way a name is typed: without Polish letters, decomposed, with invisible or look-alike
characters, full-width; register numbers as people write them; demonyms; contact address local parts; the cap on an
edition's terms; single-line fields refusing invisible format characters."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contest.validators import validate_single_line
from jury import blind, services
from jury.forms import AnonymisedForm, RedactionTermsForm
from jury.models import Assignment, RedactionTerm
from jury.redaction import MARK, Terms, compile_terms, highlight, redact
from jury.services import MAX_TERMS, JuryError
from tests import factories as f

ZBASZYNEK = Terms(names=("Gmina Zbąszynek",), place_names=("Zbąszynek",))
CITIES = Terms(place_names=("Gdańsk", "Łódź", "Kraków", "Zbąszynek"))


def _redact(text, terms):
    return redact(text, compile_terms(terms))


# The reviewer's tests (issue 7), unchanged -------------------------------------------------------------------------


pytestmark = pytest.mark.usefixtures("staff_without_mfa")


def _juror_entry_page(client, summary, unit_code="0808063"):  # Zbąszynek
    f.ensure_terc()
    edition = f.EditionFactory(phase="scoring")
    entry = f.jury_entry(edition, 1, summary=summary)
    f.PartnerFactory(application=entry, territorial_unit=f.unit(unit_code), is_leader=True)
    f.sign_off(entry)
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    Assignment.objects.create(member=juror, application=entry)
    client.force_login(juror.user)
    response = client.get(reverse("jury:entry", args=[edition.year, entry.code]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_review_place_name_typed_without_polish_letters_is_redacted(client):
    # People without a Polish keyboard, URLs and e-mail addresses write "Zbaszynek" for "Zbąszynek".
    page = _juror_entry_page(client, "Projekt opisany na stronie www.zbaszynek.pl, Urzad Gminy Zbaszynek.")
    assert "zbaszynek" not in page.lower()


@pytest.mark.django_db
def test_review_place_name_in_decomposed_unicode_is_redacted(client):
    # Text copied from a PDF on macOS arrives decomposed (NFD): "ą" is "a" + U+0328. It looks identical.
    summary = unicodedata.normalize("NFD", "Mieszkańcy gminy Zbąszynek korzystają z linii.")
    page = _juror_entry_page(client, summary)
    assert "zbąszynek" not in unicodedata.normalize("NFC", page).lower()


@pytest.mark.django_db
def test_review_place_name_with_soft_hyphen_is_redacted(client):
    # Word's automatic hyphenation leaves U+00AD (invisible) inside words pasted from a document.
    page = _juror_entry_page(client, "Mieszkańcy gminy Zbą\u00adszynek korzystają z linii.")
    assert "zbąszynek" not in page.replace("\u00ad", "").replace("&shy;", "").lower()


@pytest.mark.django_db
def test_review_place_name_in_fullwidth_letters_is_redacted(client):
    page = _juror_entry_page(client, "Mieszkańcy gminy ＺＢĄＳＺＹＮＥＫ korzystają z linii.")
    assert "zbąszynek" not in unicodedata.normalize("NFKC", page).lower()


@pytest.mark.django_db
def test_review_krs_written_without_leading_zeros_is_redacted(client):
    # KRS numbers are stored with their 10 digits ("0000412345") but are usually written without the zeros.
    f.ensure_terc()
    edition = f.EditionFactory(phase="scoring")
    entry = f.jury_entry(edition, 1, summary="Stowarzyszenie wpisane do rejestru pod numerem KRS 412345.")
    f.PartnerFactory(application=entry, kind="ngo", territorial_unit=None, name="Stowarzyszenie X", krs="0000412345")
    f.sign_off(entry)
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    Assignment.objects.create(member=juror, application=entry)
    client.force_login(juror.user)
    page = client.get(reverse("jury:entry", args=[edition.year, entry.code])).content.decode()
    assert "412345" not in page


# Names without Polish letters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        "Zbaszynek",
        "Zbaszynka",
        "Zbaszynku",
        "zbaszynecki",
        "zbaszyneckiego",
        "Gdansk",
        "Gdanska",
        "Gdansku",
        "gdanski",
        "gdanskiej",
        "gdanscy",
        "Lodz",
        "Lodzi",
        "lodzki",
        "Krakow",
        "Krakowie",
        "krakowski",
    ],
)
def test_redact_place_name_typed_without_polish_letters_in_any_form(form):
    assert _redact(f"Projekt: {form} i okolice.", CITIES) == f"Projekt: {MARK} i okolice."


def test_redact_web_address_and_organisation_name_without_polish_letters():
    assert _redact("Strona www.zbaszynek.pl, Urzad Gminy Zbaszynek.", ZBASZYNEK) == f"Strona {MARK} Urzad {MARK}."


def test_redact_keeps_the_text_outside_the_marks_exactly_as_written():
    text = unicodedata.normalize("NFD", "Łąka w mieście Zbąszynek, źródło ")
    assert _redact(text, ZBASZYNEK) == unicodedata.normalize("NFD", "Łąka w mieście ") + MARK + ", " + (
        unicodedata.normalize("NFD", "źródło ")
    )


def test_redact_leaves_ordinary_polish_text_alone_after_folding():
    text = "Łódka pływa po jeziorze, a budżet wzrósł o 15% w 2023 roku; gdzie indziej krakanie wron."
    assert _redact(text, CITIES) == text


# Invisible, decomposed, full-width and look-alike characters ---------------------------------------------------------


def test_redact_decomposed_name_leaves_no_combining_mark_behind():
    text = unicodedata.normalize("NFD", "Miasto Poznań i Zbąszynek.")
    result = _redact(text, Terms(place_names=("Poznań", "Zbąszynek")))
    assert result == f"Miasto {MARK} i {MARK}."


@pytest.mark.parametrize(
    "invisible", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\U000e0041"]
)
def test_redact_name_with_an_invisible_format_character_inside(invisible):
    result = _redact(f"Gmina Zbą{invisible}szy{invisible}nek dba o linie.", ZBASZYNEK)
    assert result == f"{MARK} dba o linie."


def test_redact_name_glued_to_the_word_before_by_a_zero_width_space():
    result = _redact("Mieszkańcy:\u200bZbąszynka i okolic.", ZBASZYNEK)
    assert result == f"Mieszkańcy:\u200b{MARK} i okolic."


@pytest.mark.parametrize("written", ["ＺＢĄＳＺＹＮＥＫ", "Ｚｂąｓｚｙｎｅｋ", "𝐙𝐛𝐚𝐬𝐳𝐲𝐧𝐞𝐤"])
def test_redact_name_in_compatibility_letters(written):
    assert _redact(f"Gmina {written} dba o linie.", ZBASZYNEK) == f"{MARK} dba o linie."


@pytest.mark.parametrize(
    "written",
    [
        "Zbąszynеk",  # Cyrillic е
        "Zbąszуnek",  # Cyrillic у
        "Zbąѕzynek",  # Cyrillic ѕ
        "ΖΒĄSΖΥΝΕΚ",  # Greek capitals
        "Gdаńsk",  # Cyrillic а
        "Krakοwie",  # Greek ο
        "Gdańsк",  # Cyrillic к
    ],
)
def test_redact_name_with_cyrillic_or_greek_look_alike_letters(written):
    terms = Terms(place_names=("Zbąszynek", "Gdańsk", "Kraków"))
    assert _redact(f"Projekt: {written} i okolice.", terms) == f"Projekt: {MARK} i okolice."


def test_redact_extra_term_typed_with_look_alike_letters_matches_plain_text():
    assert _redact("Rower Mevo jeździ.", Terms(extra=("Меvо",))) == f"Rower {MARK} jeździ."


@pytest.mark.parametrize(
    "text",
    [
        unicodedata.normalize("NFD", "Gmina Zbąszynek, www.zbaszynek.pl, tel. 601 234 567, +48 61 384 01 00."),
        "Zbą\u00adszynek i Gmina\u200bZbąszynek, ＺＢĄＳＺＹＮＥＫ; Gdаńsk.",
        "Zwykły tekst bez nazw.",
        "KRS 412345, NIP 123-456-32-18; gdańszczanie.",
    ],
)
def test_highlighted_spans_are_exactly_what_is_redacted(text):
    compiled = compile_terms(
        Terms(names=("Gmina Zbąszynek",), place_names=("Zbąszynek", "Gdańsk"), numbers=("0000412345", "1234563218"))
    )
    pieces = highlight(text, compiled)
    assert "".join(piece for piece, _redacted in pieces) == text
    assert "".join(MARK if redacted else piece for piece, redacted in pieces) == redact(text, compiled)


# Register numbers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["KRS 412345", "KRS: 412 345", "KRS 0000412345", "nr 412345", "412-345"])
def test_redact_krs_with_or_without_its_leading_zeros(written):
    result = _redact(f"Wpis: {written}.", Terms(numbers=("0000412345",)))
    assert "412" not in result and "345" not in result


def test_redact_short_krs_without_zeros_only_after_the_word_krs():
    result = _redact("KRS 1234, a w projekcie 1234 osoby.", Terms(numbers=("0000001234",)))
    # The short number is found by the word before it, so the mark takes both.
    assert result == f"{MARK}, a w projekcie 1234 osoby."


@pytest.mark.parametrize(
    "written",
    ["1234563218", "123-456-32-18", "123 - 456 - 32 - 18", "123.456.32.18", "PL1234563218", "１２３４５６３２１８"],
)
def test_redact_nip_however_separated(written):
    result = _redact(f"NIP {written} gminy.", Terms(numbers=("1234563218",)))
    assert result in (f"NIP {MARK} gminy.", f"NIP PL{MARK} gminy.")


@pytest.mark.parametrize("written", ["012345678", "01 23 45 678", "012-345-678", "12345678"])
def test_redact_regon_however_separated(written):
    result = _redact(f"REGON {written}.", Terms(numbers=("012345678",)))
    assert result == f"REGON {MARK}."


# Demonyms and contact addresses -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "demonym"),
    [
        ("Gdańsk", "gdańszczanie"),
        ("Gdańsk", "Gdańszczanin"),
        ("Gdańsk", "gdańszczanek"),
        ("Gdańsk", "gdanszczanom"),
        ("Słupsk", "słupszczanie"),
        ("Płock", "płocczanie"),
        ("Kołobrzeg", "kołobrzeżanie"),
        ("Wałbrzych", "wałbrzyszanie"),
        ("Zbąszynek", "zbąszynczanie"),
        ("Sopot", "sopocianie"),
        ("Kraków", "krakowianka"),
        ("Gdynia", "gdynianie"),
    ],
)
def test_redact_inhabitants_of_the_place(place, demonym):
    assert _redact(f"Ankieta: {demonym} chwalą linię.", Terms(place_names=(place,))) == (
        f"Ankieta: {MARK} chwalą linię."
    )


def test_redact_local_part_of_a_contact_address_alone():
    terms = Terms(emails=("bozydar.wasikiewicz@zbaszynek.pl",))
    assert _redact("Skype: bozydar.wasikiewicz, pytania.", terms) == f"Skype: {MARK}, pytania."


def test_redact_long_local_part_without_a_dot_alone():
    assert _redact("Login: bwasikiewicz.", Terms(emails=("bwasikiewicz@gmina.pl",))) == f"Login: {MARK}."


@pytest.mark.parametrize("email", ["sekretariat@gmina.pl", "kontakt@gmina.pl", "jan@gmina.pl"])
def test_everyday_or_short_local_part_stays_in_the_text(email):
    text = "Sekretariat przyjmuje wnioski; kontakt z jan odbywa się listownie."
    assert _redact(text, Terms(emails=(email,))) == text


# Compiled patterns ------------------------------------------------------------------------------------------------


def test_compiled_terms_are_reused_for_the_same_entry():
    terms = Terms(place_names=("Zbąszynek",), extra=tuple(f"Marka{n:03d}" for n in range(MAX_TERMS)))
    first, second = compile_terms(terms), compile_terms(Terms(place_names=("Zbąszynek",), extra=terms.extra))
    assert all(a is b for a, b in zip(first.regexes, second.regexes, strict=True))


def test_edition_terms_are_compiled_once_for_every_entry():
    extra = tuple(f"Marka{n:03d}" for n in range(MAX_TERMS))
    first = compile_terms(Terms(place_names=("Zbąszynek",), extra=extra))
    second = compile_terms(Terms(place_names=("Gdańsk",), extra=extra))
    assert first.regexes[-1] is second.regexes[-1]
    assert _redact("Marka299 i Marka000 w Gdańsku.", Terms(place_names=("Gdańsk",), extra=extra)) == (
        f"{MARK} i {MARK} w {MARK}."
    )


# The cap on an edition's terms ------------------------------------------------------------------------------------


def _terms_text(count):
    return "\n".join(f"Marka {n}" for n in range(count))


@pytest.fixture
def organiser():
    return f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)


@pytest.mark.django_db
def test_terms_form_refuses_more_than_the_cap():
    form = RedactionTermsForm({"terms": _terms_text(MAX_TERMS + 1)})
    assert not form.is_valid()
    assert form.errors["terms"] == [
        f"An edition can have at most {MAX_TERMS} redaction terms; this list has {MAX_TERMS + 1}. Nothing was saved."
    ]


@pytest.mark.django_db
def test_terms_form_accepts_exactly_the_cap():
    assert RedactionTermsForm({"terms": _terms_text(MAX_TERMS)}).is_valid()


@pytest.mark.django_db
def test_set_redaction_terms_refuses_more_than_the_cap_and_keeps_the_old_ones(organiser):
    edition = f.EditionFactory(phase="scoring")
    services.set_redaction_terms(edition, "Trójmiasto", by=organiser)
    with pytest.raises(JuryError, match="at most 300 redaction terms; this list has 20000"):
        services.set_redaction_terms(edition, _terms_text(20_000), by=organiser)
    assert list(RedactionTerm.objects.filter(edition=edition).values_list("term", flat=True)) == ["Trójmiasto"]


@pytest.mark.django_db
def test_terms_page_with_too_many_terms_shows_the_error_and_saves_nothing(client, organiser):
    edition = f.EditionFactory(phase="scoring")
    services.set_redaction_terms(edition, "Trójmiasto", by=organiser)
    client.force_login(organiser)
    response = client.post(reverse("jury:redaction_terms", args=[edition.year]), {"terms": _terms_text(20_000)})
    assert response.status_code == 400
    assert "this list has 20000" in response.text
    assert list(RedactionTerm.objects.filter(edition=edition).values_list("term", flat=True)) == ["Trójmiasto"]


# The organiser's check page ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_page_highlights_the_spans_jurors_get_as_marks():
    f.ensure_terc()
    edition = f.EditionFactory(phase="scoring")
    summary = unicodedata.normalize("NFD", "Gmina Zbąszynek i zbą\u00adszyneccy mieszkańcy, www.zbaszynek.pl.")
    entry = f.jury_entry(edition, 1, summary=summary)
    f.PartnerFactory(application=entry, territorial_unit=f.unit("0808063"), is_leader=True)
    shown, fields = blind.review(entry)
    [field] = [field for field in fields if field.label == "Summary"]
    highlighted = "".join(MARK if redacted else piece for piece, redacted in field.original)
    assert highlighted == dict(shown.fields)["Summary"]
    assert "".join(piece for piece, _redacted in field.original) == summary


# Single-line fields -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "invisible",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u00ad"],
)
def test_single_line_refuses_invisible_format_characters(invisible):
    with pytest.raises(ValidationError, match="Remove the invisible formatting characters"):
        validate_single_line(f"Rower{invisible} miejski")


def test_single_line_keeps_polish_letters_and_a_non_breaking_space():
    validate_single_line("Zażółć gęślą jaźń\u00a0— ŁÓDŹ")


@pytest.mark.django_db
def test_single_line_form_field_with_a_bidi_override_is_refused_with_the_reason():
    form = AnonymisedForm({"title": "Rower \u202eyzcsąbZ", "summary": "Tekst\u200b."})
    assert not form.is_valid()
    assert sorted(form.errors) == ["title"]
    assert "invisible formatting characters" in form.errors["title"][0]
