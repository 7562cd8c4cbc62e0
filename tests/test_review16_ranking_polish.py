"""Review 16: the Polish ranking page showed the numbers in its SVG charts with a decimal point ("najniższa 15.00",
axis "7.5") beside tables that say "15,00"."""

import re

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def _svgs(client, edition):
    response = client.get(reverse("jury:ranking", args=[edition.year]))
    assert response.status_code == 200
    return re.findall(r"<svg.*?</svg>", response.content.decode(), flags=re.S)


@pytest.mark.polish
def test_polish_charts_write_decimal_commas_like_the_tables(client):
    edition, entries, jurors = f.ranked_edition()
    client.force_login(jurors[0].user)  # the chair

    spread, by_juror = _svgs(client, edition)

    assert f"{entries[0].code}: 16,00–27,00, średnia 21,67" in spread
    assert ">7,5</text>" in spread
    assert "najniższa 15,00" in by_juror
    assert not re.search(r"\d\.\d", re.sub(r'="[^"]*"', "", spread + by_juror))  # no "15.00" in any text


def test_english_charts_keep_the_decimal_point(client):
    edition, entries, jurors = f.ranked_edition()
    client.force_login(jurors[0].user)

    spread, by_juror = _svgs(client, edition)

    assert ">7.5</text>" in spread
    assert "lowest 15.00" in by_juror
