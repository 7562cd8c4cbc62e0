"""The ranking page names the tie rules in words, translated (issue 9), not by their stored keys."""

import pytest
from django.urls import reverse
from django.utils import translation

from jury.ranking import tie_rules_text
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



def _page(client, edition):
    client.force_login(f.UserFactory(is_organiser=True))
    return client.get(reverse("jury:ranking", args=[edition.year])).text


@pytest.mark.polish
def test_ranking_page_names_the_tie_rules_in_polish(client):
    edition, _entries, _jurors = f.ranked_edition()
    edition.ranking_tie_rules = "criteria,min"
    edition.save(update_fields=["ranking_tie_rules"])

    text = _page(client, edition)

    assert "Remisy rozstrzygają po kolei: średnia punktów w kolejnych kryteriach, wyższa najniższa suma." in text


def test_ranking_page_does_not_show_the_raw_tie_rule_keys(client):
    edition, _entries, _jurors = f.ranked_edition()
    edition.ranking_tie_rules = "criteria,median"
    edition.save(update_fields=["ranking_tie_rules"])

    text = _page(client, edition)

    assert "criteria, median" not in text and "in their order, median." in text


def test_tie_rules_text_in_english_keeps_the_order():
    with translation.override("en"):
        text = tie_rules_text(("min", "trimmed", "criteria"))

    assert text == "higher lowest total, trimmed mean, mean points per criterion, in their order"
