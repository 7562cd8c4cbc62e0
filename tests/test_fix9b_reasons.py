"""Fixes of review 9b, findings 1–3: the contact-details check reads text as a person does (look-alike "@", spelt-out
addresses, any spaces and dashes between the digits) without tripping over ordinary reasons."""

import pytest

from contest.validators import find_email, find_phone


@pytest.mark.parametrize(
    "text",
    [
        "jan.kowalski\uff20example.com",
        "jan.kowalski\ufe6bexample.com",
        "jan (at) example.com",
        "jan[at]example[dot]com",
        "jan @ example.com",
        "jan.kowalski małpa gmina kropka pl",
        "jan(małpa)gmina.pl",
    ],
)
def test_find_email_sees_an_address_however_it_is_written(text):
    assert find_email(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "The jury met at example.com offices at 12.30.",
        "Spotkanie @ 12.30 w sali 5.",
        "Komisja (at the chair's request) przerwała obrady.",
        "Małpa w logo partnera nie jest znakiem towarowym.",
    ],
)
def test_find_email_leaves_at_and_monkeys_in_prose_alone(text):
    assert find_email(text) is None


@pytest.mark.parametrize(
    "text",
    ["tel. \uff16\uff10\uff10 \uff17\uff10\uff10 \uff18\uff10\uff10", "600\u2014700\u2014800", "600 _ 700 _ 800"],
)
def test_find_phone_sees_full_width_digits_and_any_dash(text):
    assert find_phone(text) is not None
