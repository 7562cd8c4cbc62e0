"""Names the register does not know: acronyms, adjectives from place names, softened stems and an edition's terms."""

import pytest

from jury.redaction import (
    MARK,
    Terms,
    acronym,
    compile_terms,
    highlight,
    marked,
    place_adjective_stems,
    redact,
)

METROPOLIS = "Gdańsko-Gdyńsko-Sopocki Obszar Metropolitalny"


def _redact(text, **terms):
    return redact(text, compile_terms(Terms(**terms)))


# Acronyms ----------------------------------------------------------------------------------------------------------


def test_acronym_takes_each_capitalised_part_of_a_hyphenated_word():
    assert acronym(METROPOLIS) == "GGSOM"


def test_acronym_skips_lower_case_words():
    assert acronym("Obszar Metropolitalny Gdańsk i Gdynia w Sopocie") == "OMGGS"


@pytest.mark.parametrize("name", ["Partnerstwo LOF", "Związek Gmin", "Lokalna Grupa Działania"])
def test_acronym_is_none_when_too_short_or_only_generic_words(name):
    assert acronym(name) is None


@pytest.mark.parametrize("form", ["GGSOM", "GGSOM-u", "GGSOM-em", "GGSOMie", "GGSOM-owi"])
def test_redact_acronym_of_the_partnership_in_any_case(form):
    assert _redact(f"Projekt {form} trwał rok.", names=(METROPOLIS,)) == f"Projekt {MARK} trwał rok."


def test_redact_acronym_only_in_capitals():
    text = "Skrót ggsom nic nie znaczy, a GGSOMX to inny skrót."
    assert _redact(text, names=(METROPOLIS,)) == text


def test_redact_acronym_of_a_partner_name():
    text = "Umowę podpisało SPZ, a potem SPZ-u nie było."
    expected = f"Umowę podpisało {MARK}, a potem {MARK} nie było."
    assert _redact(text, names=("Stowarzyszenie Przyjaciół Zbąszynka",)) == expected


# Adjectives from place names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "adjective"),
    [
        ("Gdańsk", "gdańsk"),  # -sk stays
        ("Kock", "kock"),  # -ck stays
        ("Ełk", "ełck"),  # -k gives -cki
        ("Zbąszynek", "zbąszyneck"),
        ("Nowy Targ", "nowotarsk"),  # -g gives -ski, the first word joins with -o-
        ("Brzeg", "brzesk"),
        ("Kalisz", "kalisk"),  # -sz drops
        ("Wałbrzych", "wałbrzysk"),  # -ch drops
        ("Tychy", "tysk"),
        ("Bełchatów", "bełchatowsk"),
        ("Sopot", "sopock"),
        ("Gdynia", "gdyńsk"),
        ("Sieradz", "sieradzk"),
        ("Łódź", "łódzk"),
        ("Jelenia Góra", "jeleniogórsk"),
        ("Ostrów Wielkopolski", "ostrowsk"),
    ],
)
def test_place_adjective_stems(place, adjective):
    assert place_adjective_stems(place) == [adjective]


@pytest.mark.parametrize(
    "form",
    [
        "sopocki",
        "sopocka",
        "sopockie",
        "sopockiego",
        "sopockiej",
        "sopockim",
        "sopockich",
        "sopockimi",
        "sopocką",
        "sopoccy",
        "Sopockie",
    ],
)
def test_redact_every_form_of_a_cki_adjective(form):
    assert _redact(f"Radni {form} głosowali.", place_names=("Sopot",)) == f"Radni {MARK} głosowali."


@pytest.mark.parametrize(
    "form",
    [
        "kaliski",
        "kaliska",
        "kaliskie",
        "kaliskiego",
        "kaliskiej",
        "kaliskim",
        "kaliskich",
        "kaliskimi",
        "kaliską",
        "kaliscy",
    ],
)
def test_redact_every_form_of_a_ski_adjective(form):
    assert _redact(f"Radni {form} głosowali.", place_names=("Kalisz",)) == f"Radni {MARK} głosowali."


@pytest.mark.parametrize(
    ("place", "text", "expected"),
    [
        ("Ełk", "ełckie przedszkola", f"{MARK} przedszkola"),
        ("Nowy Targ", "powiat nowotarski", f"powiat {MARK}"),
        ("Wałbrzych", "wałbrzyscy radni", f"{MARK} radni"),
        ("Gdynia", "gdyńskiego portu", f"{MARK} portu"),
        ("Bełchatów", "bełchatowską kopalnię", f"{MARK} kopalnię"),
    ],
)
def test_redact_adjectives_with_consonant_change(place, text, expected):
    assert _redact(text, place_names=(place,)) == expected


def test_redact_leaves_words_that_only_share_letters_with_an_adjective():
    text = "Sopel lodu, sopelki, kalina, kalendarz, gdyby."
    assert _redact(text, place_names=("Sopot", "Kalisz", "Gdynia")) == text


# Softened stems in the locative ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "form"),
    [("Sopot", "Sopocie"), ("Poznań", "Poznaniu"), ("Łódź", "Łodzi"), ("Trójmiasto", "Trójmieście")],
)
def test_redact_locative_with_softened_consonant(place, form):
    assert _redact(f"Spotkanie w {form}.", place_names=(place,)) == f"Spotkanie w {MARK}."


# An edition's own terms -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    ["Metropolitalny rower Trójmiasta", "Metropolitalnego Roweru Trójmiasta", "metropolitalnym rowerem Trójmiasta"],
)
def test_redact_extra_term_as_a_phrase_in_any_case(form):
    text = f"Projekt {form} ruszył."
    assert _redact(text, extra=("Metropolitalny rower Trójmiasta",)) == f"Projekt {MARK} ruszył."


def test_redact_extra_term_leaves_its_words_alone():
    text = "Każdy rower miejski jest metropolitalny."
    assert _redact(text, extra=("Metropolitalny rower Trójmiasta",)) == text


@pytest.mark.parametrize("form", ["Trójmiasto", "Trójmiasta", "Trójmiastu", "Trójmieście"])
def test_redact_one_word_extra_term_in_any_case(form):
    assert _redact(f"Cel: {form}.", extra=("Trójmiasto",)) == f"Cel: {MARK}."


# Showing what was redacted -----------------------------------------------------------------------------------------


def test_highlight_cuts_the_original_at_every_redacted_span():
    compiled = compile_terms(Terms(place_names=("Sopot",)))
    assert highlight("W Sopocie, sopocki port i biuro@sopot.pl.", compiled) == [
        ("W ", False),
        ("Sopocie, sopocki", True),
        (" port i ", False),
        ("biuro@sopot.pl", True),
        (".", False),
    ]


def test_highlight_of_text_without_names_is_one_plain_piece():
    assert highlight("Zwykły tekst.", compile_terms(Terms(place_names=("Sopot",)))) == [("Zwykły tekst.", False)]


def test_marked_cuts_the_redacted_text_at_every_mark():
    assert marked(f"W {MARK} i {MARK}.") == [("W ", False), (MARK, True), (" i ", False), (MARK, True), (".", False)]
