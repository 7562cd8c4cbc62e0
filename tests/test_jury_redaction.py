"""Redaction of jury-visible text: names in their Polish forms, people, e-mails, phones and register numbers."""

import pytest

from jury.redaction import MARK, Terms, compile_terms, redact, stem


def _redact(text, **terms):
    return redact(text, compile_terms(Terms(**terms)))


@pytest.mark.parametrize(
    "form", ["Bolesławiec", "Bolesławca", "Bolesławcu", "Bolesławcem", "bolesławiecki", "bolesławieckiego"]
)
def test_redact_inflected_town_names(form):
    assert _redact(f"Projekt w mieście {form} trwał rok.", place_names=("Bolesławiec", "bolesławiecki")) == (
        f"Projekt w mieście {MARK} trwał rok."
    )


@pytest.mark.parametrize("form", ["Kraków", "Krakowa", "Krakowie", "Krakowem"])
def test_redact_o_with_stroke_alternation(form):
    assert _redact(f"Mieszkańcy: {form}.", place_names=("Kraków",)) == f"Mieszkańcy: {MARK}."


def test_redact_multi_word_unit_names():
    assert _redact("W Jeleniej Górze i okolicy.", place_names=("Jelenia Góra",)) == f"W {MARK} i okolicy."


def test_redact_short_names_with_endings():
    assert _redact("Z Ełku do Ełk.", place_names=("Ełk",)) == f"Z {MARK} do {MARK}."


def test_redact_partnership_name_and_its_proper_words():
    text = "Partnerstwo Doliny Bobru działa nad Bobrem."
    assert _redact(text, names=("Partnerstwo Doliny Bobru",)) == f"{MARK} działa nad {MARK}."


def test_redact_people_in_any_case():
    assert _redact("Kontakt: Jan Kowalski; pismo od Jana Kowalskiego.", people=("Jan Kowalski",)) == (
        f"Kontakt: {MARK}; pismo od {MARK}."
    )


def test_redact_any_email_url_and_phone():
    text = "Pisz na biuro@gmina-x.pl, www.gmina-x.pl, tel. 601 234 567 lub +48 75 612 34 56."
    result = _redact(text)
    assert "@" not in result
    assert "gmina-x" not in result
    assert "601" not in result
    assert "612" not in result


@pytest.mark.parametrize("written", ["1234563218", "123-456-32-18", "123 456 32 18"])
def test_redact_known_register_numbers_however_written(written):
    assert _redact(f"NIP {written}.", numbers=("1234563218",)) == f"NIP {MARK}."


def test_redact_leaves_ordinary_numbers_and_words():
    text = "Budżet 250 000 zł, 15% więcej pasażerów w 2023 roku; dolina rzeki."
    assert _redact(text, names=("Partnerstwo Doliny Bobru",), place_names=("Zbąszynek",)) == text


def test_stem_keeps_short_words_whole():
    assert stem("Ełk") is None
    assert stem("Zbąszynek") == "Zb[ąę]szyn"


def test_redact_adjective_forms_of_names():
    text = "Związek Ziemi Lubuskiej i Lubuska sieć; powiat bolesławiecki, w powiecie bolesławieckim."
    result = _redact(text, names=("Związek Celowy Gmin Ziemi Lubuskiej",), place_names=("bolesławiecki",))
    assert "ubusk" not in result
    assert "bolesławieck" not in result


def test_redact_organisation_words_only_when_capitalised():
    text = "Związek Celowy Gmin działa celowo."
    assert _redact(text, names=("Związek Celowy Gmin",)) == f"{MARK} działa celowo."


def test_redact_each_part_of_a_double_barrelled_name():
    text = "Pani Przybyszewska-Grzmot i pani Przybyszewska oraz pan Grzmot."
    assert _redact(text, people=("Eulalia Przybyszewska-Grzmot",)) == f"Pani {MARK} i pani {MARK} oraz pan {MARK}."
