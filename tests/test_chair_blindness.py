"""The chair is a juror: no names beside juror numbers, no model in the ranking page's context, and other jurors
get nothing of the ranking or the protocol."""

import io

import pytest
from django.urls import reverse

from tests import factories as f
from tests.test_jury_blind_context import Rendered, model_paths

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



@pytest.fixture
def ranked():
    return f.ranked_edition()


@pytest.fixture
def organiser():
    return f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)


def _url(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


def _post(client, edition, entry, **fields):
    data = {f"{entry.code}-{name}": value for name, value in fields.items()}
    return client.post(_url("decision_record", edition, entry.code), data)


# Who sees what ------------------------------------------------------------------------------------------------------


def test_ranking_page_juror_not_chair_gets_404(client, ranked):
    edition, _entries, jurors = ranked
    client.force_login(jurors[1].user)

    assert client.get(_url("ranking", edition)).status_code == 404


def test_protocol_juror_not_chair_gets_404(client, ranked):
    edition, _entries, jurors = ranked
    client.force_login(jurors[1].user)

    assert client.get(_url("protocol", edition)).status_code == 404


@pytest.mark.parametrize("name", ["scores_export", "ranking_export", "decisions_export"])
def test_exports_chair_is_refused(client, ranked, name):
    edition, _entries, jurors = ranked
    client.force_login(jurors[0].user)

    assert client.get(_url(name, edition, "csv")).status_code in (403, 404)


def test_ranking_page_chair_context_holds_no_model_instance(client, ranked):
    """jury.blind's rule: a juror's page (the chair is a juror) gets frozen values only, never a model instance."""
    edition, _entries, jurors = ranked
    client.force_login(jurors[0].user)

    with Rendered() as rendered:
        response = client.get(_url("ranking", edition))

    found = [path for _name, layers in rendered.captured for path in model_paths(layers, "context")]
    assert (response.status_code, found) == (200, [])


def test_ranking_page_chair_cannot_switch_names_on(client, ranked):
    edition, _entries, jurors = ranked
    client.force_login(jurors[0].user)

    html = client.get(_url("ranking", edition) + "?names=1").content.decode()

    assert [j.user.email for j in jurors[1:] if j.user.email in html] == []


def test_protocol_chair_cannot_map_juror_numbers_to_names(client, ranked):
    """The ranking page shows the chair each juror's distribution of totals by number ("Juror 2") and the protocol
    lists which juror numbers scored each entry. If the protocol the chair downloads also prints "2 | name", the
    chair learns whose totals are whose: the numbers stop hiding anyone."""
    from pypdf import PdfReader

    edition, _entries, jurors = ranked
    other = jurors[1]
    other.user.full_name = "Zenobia Surowa"
    other.user.save(update_fields=["full_name"])
    client.force_login(jurors[0].user)

    response = client.get(_url("protocol", edition))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # "<number> Zenobia Surowa" in the members table = the number is tied to the name
    assert f"{other.number} Zenobia Surowa" not in text

