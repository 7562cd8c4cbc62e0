"""NIP, REGON, KRS and organisation names (contest/identifiers.py), and the forms that store them: what people type
becomes compact ASCII digits, so a partner's number and a juror's affiliation compare equal; anything else is refused
with a clear message and nothing is saved."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import Partner, Status
from contest import identifiers
from contest.identifiers import clean_krs, clean_nip, clean_regon, normalise_name
from jury import redaction, services
from jury.models import Affiliation, ConflictOfInterest
from tests import factories as f

FULL_WIDTH_NIP = "１２３４５６３２１８"  # 1234563218, a valid NIP typed on a full-width keyboard


# NIP ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "5260250274",
        "526-025-02-74",
        "526 025 02 74",
        "526.025.02.74",
        "PL5260250274",
        "pl 526-025-02-74",
        " 5260250274\u00a0",
        "526–025–02–74",  # en dashes pasted from a document
        "５２６０２５０２７４",
    ],
)
def test_clean_nip_gives_compact_ascii_digits(typed):
    assert clean_nip(typed) == "5260250274"


def test_clean_nip_folds_full_width_digits():
    assert clean_nip(FULL_WIDTH_NIP) == "1234563218"


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_clean_nip_of_nothing_is_empty(typed):
    assert clean_nip(typed) == ""


@pytest.mark.parametrize(
    "typed",
    [
        "52602502A4",
        "٥٢٦٠٢٥٠٢٧٤",  # Arabic-Indic digits: digits, but not 0–9
        "5260250274x",
        "PL",
        "526_025_02_74",
    ],
)
def test_clean_nip_refuses_anything_but_digits(typed):
    with pytest.raises(ValidationError, match="A NIP has 10 digits 0–9, e.g. 5260250274; letters and other signs"):
        clean_nip(typed)


@pytest.mark.parametrize("typed", ["526025027", "52602502741"])
def test_clean_nip_refuses_the_wrong_length(typed):
    with pytest.raises(ValidationError, match=r"^\['A NIP has 10 digits, e.g. 5260250274.'\]$"):
        clean_nip(typed)


def test_clean_nip_refuses_a_wrong_check_digit():
    with pytest.raises(ValidationError, match=r"This NIP is not valid \(check the digits\)"):
        clean_nip("5260250275")


@pytest.mark.polish
def test_clean_nip_error_is_translated():
    with pytest.raises(ValidationError, match="NIP ma 10 cyfr 0–9, np. 5260250274; litery i inne znaki"):
        clean_nip("52602502A4")


# REGON -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("000001258", "000001258"),
        ("000-001-258", "000001258"),
        ("０００００１２５８", "000001258"),
        ("12345678512347", "12345678512347"),
    ],
)
def test_clean_regon_gives_compact_ascii_digits(typed, stored):
    assert clean_regon(typed) == stored


def test_clean_regon_refuses_letters():
    with pytest.raises(ValidationError, match="A REGON has 9 or 14 digits 0–9; letters and other signs"):
        clean_regon("00000125B")


def test_clean_regon_refuses_the_wrong_length():
    with pytest.raises(ValidationError, match=r"^\['A REGON has 9 or 14 digits.'\]$"):
        clean_regon("0000012580")


def test_clean_regon_refuses_a_wrong_check_digit():
    with pytest.raises(ValidationError, match=r"This REGON is not valid \(check the digits\)"):
        clean_regon("000001259")


# KRS ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0000121976", "121976", "0000 121 976", "１２１９７６"])
def test_clean_krs_gives_ten_ascii_digits(typed):
    assert clean_krs(typed) == "0000121976"


def test_clean_krs_refuses_letters():
    with pytest.raises(ValidationError, match="A KRS number has 10 digits 0–9, e.g. 0000123456; letters"):
        clean_krs("12345678A0")


def test_clean_krs_refuses_more_than_ten_digits():
    with pytest.raises(ValidationError, match=r"^\['A KRS number has 10 digits, e.g. 0000123456.'\]$"):
        clean_krs("00001219761")


# Names -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("Fundacja Rozwoju Demokracji Lokalnej", "rozwoju demokracji lokalnej"),
        ("FUNDACJI „Rozwoju Demokracji Lokalnej”", "rozwoju demokracji lokalnej"),
        ("Wodkan Sp. z o.o.", "wodkan"),
        ("Wodkan spółka z ograniczoną odpowiedzialnością", "wodkan"),
        ("Wodkan S.A.", "wodkan"),
        ("Urząd Gminy Pcim", "pcim"),
        ("Gmina Miejsko-Wiejska Wąchock", "wąchock"),
        ("Stowarzyszenie  Dolina   Baryczy", "dolina baryczy"),
        ("", ""),
    ],
)
def test_normalise_name_drops_legal_forms_kinds_of_unit_and_punctuation(written, normal):
    assert normalise_name(written) == normal


def test_normalise_name_folds_full_width_letters():
    assert normalise_name("Ｗｏｄｋａｎ") == normalise_name("Wodkan")


def test_organisation_words_are_the_ones_redaction_never_hides_alone():
    assert identifiers.ORGANISATION_WORDS <= redaction.GENERIC_WORDS


# The partner form --------------------------------------------------------------------------------------------------


def _partner_payload(**overrides):
    data = {
        "kind": "ngo",
        "terc_code": "",
        "name": "Stowarzyszenie Razem",
        "nip": "",
        "regon": "",
        "krs": "",
        "role": "Animacja",
        "action": "save",
    }
    return {**data, **overrides}


@pytest.fixture
def draft(db, applicant):
    f.ensure_terc()
    return f.ApplicationFactory(edition=f.EditionFactory(phase="submissions"), owner=applicant)


def _post_partner(client, application, **fields):
    client.force_login(application.owner)
    return client.post(reverse("applications:partners", args=[application.pk]), _partner_payload(**fields))


def test_partner_nip_typed_in_full_width_digits_is_stored_as_ascii(client, draft):
    response = _post_partner(client, draft, nip=FULL_WIDTH_NIP, regon="０００００１２５８", krs="１２１９７６")
    assert response.status_code == 302
    partner = draft.partners.get()
    assert (partner.nip, partner.regon, partner.krs) == ("1234563218", "000001258", "0000121976")


def test_partner_nip_typed_in_full_width_matches_the_jurors_nip(client, draft):
    _post_partner(client, draft, nip=FULL_WIDTH_NIP)
    member = f.declared_juror(draft.edition)
    services.add_affiliation(member.user, by=member.user, organisation_name="Razem", nip="123-456-32-18", role="board")
    type(draft).objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    services.detect_conflicts(draft.edition)
    conflict = ConflictOfInterest.objects.get(member=member, application=draft)
    assert (conflict.source, conflict.matched) == ("auto", ["nip:1234563218"])


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("12345632I8", "A NIP has 10 digits 0–9, e.g. 5260250274; letters and other signs are not allowed."),
        ("٥٢٦٠٢٥٠٢٧٤", "A NIP has 10 digits 0–9, e.g. 5260250274; letters and other signs are not allowed."),
        ("1234563219", "This NIP is not valid (check the digits)."),
    ],
)
def test_partner_with_a_bad_nip_is_refused_and_nothing_is_saved(client, draft, nip, message):
    response = _post_partner(client, draft, nip=nip)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Partner.objects.count() == 0
    assert "Stowarzyszenie Razem" in response.content.decode()


# The juror's affiliation form --------------------------------------------------------------------------------------


@pytest.fixture
def juror(db, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    # Not signed yet: a juror who signed the declaration during scoring can no longer change their affiliations.
    return f.JuryMemberFactory(edition=f.EditionFactory(phase="scoring"))


def test_affiliation_nip_typed_in_full_width_is_stored_as_ascii_and_detected(client, juror):
    entry = f.jury_entry(juror.edition, 1)
    f.PartnerFactory(
        application=entry, kind=Partner.Kind.NGO, territorial_unit=None, name="Fundacja X", nip="1234563218"
    )
    client.force_login(juror.user)
    response = client.post(reverse("jury:affiliations"), {"nip": FULL_WIDTH_NIP, "scope": "unit", "role": "employee"})
    assert response.status_code == 302
    assert Affiliation.objects.get(user=juror.user).nip == "1234563218"
    assert ConflictOfInterest.objects.get(member=juror, application=entry).matched == ["nip:1234563218"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nip", "12345632I8", "A NIP has 10 digits 0–9, e.g. 5260250274; letters and other signs are not allowed."),
        ("nip", "1234563219", "This NIP is not valid (check the digits)."),
        ("regon", "000001259", "This REGON is not valid (check the digits)."),
        ("krs", "KRS 121976", "A KRS number has 10 digits 0–9, e.g. 0000123456; letters and other signs"),
    ],
)
def test_affiliation_with_a_bad_number_is_refused_and_nothing_is_saved(client, juror, field, value, message):
    client.force_login(juror.user)
    response = client.post(reverse("jury:affiliations"), {field: value, "scope": "unit", "role": "employee"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Affiliation.objects.count() == 0


def test_add_affiliation_service_refuses_a_bad_nip_with_the_clear_error(juror):
    with pytest.raises(services.JuryError, match="A NIP has 10 digits 0–9"):
        services.add_affiliation(juror.user, by=juror.user, nip="12345632I8", role="employee")
    assert Affiliation.objects.count() == 0


def test_add_affiliation_service_stores_compact_numbers(juror):
    affiliation = services.add_affiliation(
        juror.user, by=juror.user, nip="PL 123-456-32-18", regon="０００００１２５８", krs="121976", role="employee"
    )
    assert (affiliation.nip, affiliation.regon, affiliation.krs) == ("1234563218", "000001258", "0000121976")


# The data migration ------------------------------------------------------------------------------------------------

MIGRATION = importlib.import_module("applications.migrations.0006_compact_identifiers")
JURY_MIGRATION = importlib.import_module("jury.migrations.0003_compact_identifiers")


def test_migration_compacts_stored_partner_numbers(db):
    f.ensure_terc()
    partner = f.PartnerFactory(nip=FULL_WIDTH_NIP, regon="000-001-258", krs="121976")
    MIGRATION.forwards(apps, None)
    partner.refresh_from_db()
    assert (partner.nip, partner.regon, partner.krs) == ("1234563218", "000001258", "0000121976")


def test_migration_compacts_the_partnership_krs(db):
    application = f.ApplicationFactory(partnership_krs="１２１９７６")
    MIGRATION.forwards(apps, None)
    application.refresh_from_db()
    assert application.partnership_krs == "0000121976"


def test_migration_compacts_stored_affiliation_numbers(db):
    affiliation = f.AffiliationFactory(nip=FULL_WIDTH_NIP, regon="", krs="１２１ ９７６")
    JURY_MIGRATION.forwards(apps, None)
    affiliation.refresh_from_db()
    assert (affiliation.nip, affiliation.krs) == ("1234563218", "0000121976")


def test_migration_leaves_a_value_it_cannot_make_digits_unchanged(db):
    f.ensure_terc()
    partner = f.PartnerFactory(nip="12345632I8")
    MIGRATION.forwards(apps, None)
    partner.refresh_from_db()
    assert partner.nip == "12345632I8"
