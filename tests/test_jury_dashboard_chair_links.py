"""The chair's links on the juror dashboard (issue 9): "Ranking" once scoring has ended, "Decisions" always; other
jurors see neither. The context stays plain (the blind-context guard finds no model instance)."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.test_jury_blind_context import Rendered, model_paths

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



def _dashboard(client, member):
    client.force_login(member.user)
    return client.get(reverse("jury:dashboard", args=[member.edition.year]))


def test_dashboard_chair_after_scoring_sees_ranking_and_decisions_links(client):
    edition, _entries, jurors = f.ranked_edition(phase="deliberation")

    response = _dashboard(client, jurors[0])

    text = response.text
    assert reverse("jury:ranking", args=[edition.year]) in text
    assert reverse("jury:decisions", args=[edition.year]) in text


def test_dashboard_chair_link_opens_the_ranking(client):
    edition, _entries, jurors = f.ranked_edition(phase="deliberation")
    _dashboard(client, jurors[0])

    response = client.get(reverse("jury:ranking", args=[edition.year]))

    assert response.status_code == 200


def test_dashboard_chair_during_scoring_sees_decisions_but_no_ranking_link(client):
    edition, _entries, jurors = f.ranked_edition(phase="scoring")

    response = _dashboard(client, jurors[0])

    text = response.text
    assert response.status_code == 200
    assert reverse("jury:ranking", args=[edition.year]) not in text
    assert reverse("jury:decisions", args=[edition.year]) in text


def test_dashboard_other_juror_sees_neither_link(client):
    edition, _entries, jurors = f.ranked_edition(phase="deliberation")

    text = _dashboard(client, jurors[1]).text

    assert reverse("jury:ranking", args=[edition.year]) not in text
    assert reverse("jury:decisions", args=[edition.year]) not in text


def test_dashboard_chair_context_holds_plain_booleans_and_no_model(client):
    _edition, _entries, jurors = f.ranked_edition(phase="deliberation")

    with Rendered() as rendered:
        _dashboard(client, jurors[0])

    layers = [layer for name, found in rendered.captured if name == "jury/dashboard.html" for layer in found]
    flags = {key: layer[key] for layer in layers for key in ("show_ranking", "show_decisions") if key in layer}
    assert flags == {"show_ranking": True, "show_decisions": True}
    assert [path for layer in layers for path in model_paths(layer)] == []
