"""Points typed by a juror are read by one rule (jury.services.scoring.parse_points): a whole number too long for
Python to convert (over 4,300 digits, pasted by mistake or sent on purpose) is refused like any other bad number,
not answered with a server error."""

import pytest
from django.urls import reverse

from jury.models import Assignment, Scorecard
from jury.services.scoring import parse_points
from tests import factories

pytestmark = pytest.mark.django_db

LONG = "1" * 5000


def test_parse_points_refuses_a_number_too_long_to_convert_and_reads_leading_zeros_as_the_live_total_does():
    # static/js/jury.js: parseInt("000…07") is 7; a 5,000-digit number is out of every criterion's range.
    assert (parse_points(LONG), parse_points("-" + LONG), parse_points("0" * 5000 + "7")) == (None, None, 7)


def test_a_scorecard_with_a_five_thousand_digit_number_is_refused_with_the_fields_error(client, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = factories.EditionFactory(phase="scoring")
    criterion = factories.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, order=1)
    juror = factories.declared_juror(edition)
    entry = factories.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    factories.sign_off(entry)
    client.force_login(juror.user)

    response = client.post(
        reverse("jury:scorecard", args=[edition.year, entry.code]),
        {f"points_{criterion.pk}": LONG, f"justification_{criterion.pk}": "Opis"},
    )

    assert response.status_code in (200, 400)
    assert "Diagnoza – points: give a whole number." in response.text
    assert Scorecard.objects.filter(status=Scorecard.Status.SUBMITTED).count() == 0
