"""Review of issue 8 ("one definition of each rule"), the jury's part: the affiliation date rule has one home
(jury.services), and jury form fields with an error are marked like applicants' (one form mixin)."""

import datetime

import pytest

from jury import services as jury_services
from jury.forms import AffiliationForm
from jury.models import Affiliation
from jury.services import JuryError


@pytest.mark.django_db
def test_add_affiliation_refuses_an_end_before_the_start(applicant):
    with pytest.raises(JuryError, match="end"):
        jury_services.add_affiliation(
            applicant,
            by=applicant,
            organisation_name="Fundacja Kamienna Dolina",
            role="board_member",
            started_on=datetime.date(2025, 1, 1),
            ended_on=datetime.date(2020, 1, 1),
        )
    assert Affiliation.objects.filter(user=applicant).count() == 0


@pytest.mark.django_db
def test_a_jury_field_with_an_error_is_marked_invalid_like_an_applicant_field():
    form = AffiliationForm(
        data={
            "scope": "unit",
            "role": "employee",
            "organisation_name": "Fundacja Kamienna Dolina",
            "started_on": "2025-01-01",
            "ended_on": "2020-01-01",
        }
    )
    assert not form.is_valid()
    # Bootstrap shows the red outline and the invalid-feedback text only with `is-invalid` (applicants' forms have it).
    assert "is-invalid" in str(form["ended_on"])
