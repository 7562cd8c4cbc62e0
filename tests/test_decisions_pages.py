"""The decisions page: who may open it, what the chair sees (no titles, no model instances), recording through the
form (clear errors, nothing saved), the lock with its reason and recent re-authentication, query counts; and the
applicant's view of an accepted entry during jury work ("in jury review", stored status untouched)."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import access
from applications.models import Status
from applications.templatetags.applications_tags import applicant_status
from contest.models import AuditEvent
from jury import services
from jury.models import Decision, DecisionLock
from jury.services.decisions import decision_version
from tests import factories as f
from tests.test_jury_blind_context import Rendered, model_paths

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

TITLE = "Wspólny transport gminny"
CITATION = "Za wzorową współpracę gmin."



@pytest.fixture
def edition():
    return f.EditionFactory(phase="deliberation")


@pytest.fixture
def entry(edition):
    return f.jury_entry(edition, 1, title=TITLE)


@pytest.fixture
def organiser():
    return f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True)


@pytest.fixture
def chair(edition):
    return f.declared_juror(edition, user=f.UserFactory(email="chair@example.com"), is_chair=True)


@pytest.fixture
def juror(edition):
    return f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))


def _url(name, edition, *args):
    return reverse(f"jury:{name}", args=[edition.year, *args])


def _post(client, edition, entry, **fields):
    data = {f"{entry.code}-{name}": value for name, value in fields.items()}
    return client.post(_url("decision_record", edition, entry.code), data)


# Who ---------------------------------------------------------------------------------------------------------------


def test_decisions_page_organiser_sees_code_category_and_title(client, organiser, entry, edition):
    client.force_login(organiser)

    response = client.get(_url("decisions", edition))

    html = response.content.decode()
    assert (response.status_code, entry.code in html, entry.category.name in html, TITLE in html) == (
        200,
        True,
        True,
        True,
    )


def test_decisions_page_chair_sees_code_and_category_but_no_title(client, chair, entry, edition):
    client.force_login(chair.user)

    response = client.get(_url("decisions", edition))

    html = response.content.decode()
    assert (response.status_code, entry.code in html, entry.category.name in html, TITLE in html) == (
        200,
        True,
        True,
        False,
    )
    assert entry.partnership_name not in html


def test_decisions_page_chair_context_holds_no_model_instance(client, chair, entry, edition):
    client.force_login(chair.user)

    with Rendered() as rendered:
        client.get(_url("decisions", edition))
        _post(client, edition, entry, outcome="laureate", place="", citation="")  # a refused form too

    found = [path for _name, layers in rendered.captured for path in model_paths(layers, "context")]
    assert found == []


def test_decisions_page_juror_not_chair_gets_404(client, juror, entry, edition):
    client.force_login(juror.user)

    assert client.get(_url("decisions", edition)).status_code == 404


def test_decision_post_by_juror_not_chair_404_nothing_saved(client, juror, entry, edition):
    client.force_login(juror.user)

    response = _post(client, edition, entry, outcome="not_awarded")

    assert (response.status_code, Decision.objects.count()) == (404, 0)


def test_decisions_page_chair_of_another_edition_gets_404(client, entry, edition):
    other = f.declared_juror(f.EditionFactory(phase="deliberation"), is_chair=True)
    client.force_login(other.user)

    assert client.get(_url("decisions", edition)).status_code == 404


def test_decision_post_by_chair_with_a_conflict_refused_nothing_saved(client, chair, entry, edition, organiser):
    services.add_conflict(chair, entry, "Pracuje w gminie partnerskiej.", by=organiser)
    client.force_login(chair.user)

    response = _post(client, edition, entry, outcome="not_awarded")

    assert (response.status_code, Decision.objects.count()) == (403, 0)


def test_decisions_lock_by_chair_refused(client, chair, edition):
    client.force_login(chair.user)

    response = client.post(_url("decisions_lock", edition), {"reason": "Koniec obrad."})

    assert (response.status_code, DecisionLock.objects.count()) == (403, 0)


# Recording ----------------------------------------------------------------------------------------------------------


def test_decision_post_by_chair_saved_no_status_change_no_email(client, chair, entry, edition):
    client.force_login(chair.user)

    response = _post(client, edition, entry, outcome="laureate", place="1", prize_tier="", citation=CITATION)

    entry.refresh_from_db()
    decision = Decision.objects.get()
    assert (response.status_code, decision.outcome, decision.recorded_by, entry.status, len(mail.outbox)) == (
        302,
        "laureate",
        chair.user,
        Status.ACCEPTED,
        0,
    )


def test_decision_post_change_by_organiser_no_status_change_no_email(client, organiser, entry, edition):
    decision = services.record_decision(entry, outcome="laureate", place=1, citation=CITATION, by=organiser)
    client.force_login(organiser)

    _post(client, edition, entry, outcome="finalist", place="", citation="", version=decision_version(decision))

    entry.refresh_from_db()
    assert (Decision.objects.get().outcome, entry.status, len(mail.outbox)) == ("finalist", Status.ACCEPTED, 0)


def test_decision_post_laureate_without_place_shows_error_nothing_saved(client, organiser, entry, edition):
    client.force_login(organiser)

    response = _post(client, edition, entry, outcome="laureate", place="", citation=CITATION)

    html = response.content.decode()
    assert (response.status_code, "A laureate needs a place." in html, Decision.objects.count()) == (400, True, 0)
    assert CITATION in html  # what was typed is kept


def test_decision_post_laureate_without_citation_shows_error_nothing_saved(client, organiser, entry, edition):
    client.force_login(organiser)

    response = _post(client, edition, entry, outcome="laureate", place="2", citation="")

    assert response.status_code == 400
    assert "A laureate or a distinction needs a citation" in response.content.decode()
    assert Decision.objects.count() == 0


def test_decision_post_when_locked_refused_with_clear_message(client, organiser, entry, edition):
    services.record_decision(entry, outcome="finalist", by=organiser)
    services.lock_decisions(edition, reason="Protokół podpisany.", by=organiser)
    client.force_login(organiser)

    response = _post(client, edition, entry, outcome="not_awarded")

    assert response.status_code == 400
    assert "The decisions of this edition are locked" in response.content.decode()
    assert Decision.objects.get().outcome == "finalist"


def test_decision_post_for_entry_not_accepted_gets_404(client, organiser, edition):
    draft = f.jury_entry(edition, 7, status=Status.SUBMITTED)
    client.force_login(organiser)

    response = _post(client, edition, draft, outcome="not_awarded")

    assert (response.status_code, Decision.objects.count()) == (404, 0)


def test_decisions_page_locked_shows_reason_and_no_decision_forms(client, organiser, entry, edition):
    services.lock_decisions(edition, reason="Protokół podpisany.", by=organiser)
    client.force_login(organiser)

    html = client.get(_url("decisions", edition)).content.decode()

    assert ("Protokół podpisany." in html, _url("decision_record", edition, entry.code) in html) == (True, False)


# Lock and unlock ----------------------------------------------------------------------------------------------------


def test_decisions_lock_by_organiser_audited_with_reason(client, organiser, edition):
    client.force_login(organiser)

    response = client.post(_url("decisions_lock", edition), {"reason": "Koniec obrad."})

    event = AuditEvent.objects.get(action="jury.decisions_locked")
    assert (response.status_code, DecisionLock.objects.count(), event.reason) == (302, 1, "Koniec obrad.")


def test_decisions_lock_without_reason_shows_error(client, organiser, edition):
    client.force_login(organiser)

    response = client.post(_url("decisions_lock", edition), {"reason": ""})

    assert (response.status_code, DecisionLock.objects.count()) == (400, 0)
    assert "This field is required." in response.content.decode()


def test_decisions_unlock_with_fresh_login_audited_with_reason(client, organiser, edition):
    services.lock_decisions(edition, reason="Koniec obrad.", by=organiser)
    client.force_login(organiser)

    response = client.post(_url("decisions_unlock", edition), {"reason": "Błąd w uzasadnieniu."})

    event = AuditEvent.objects.get(action="jury.decisions_unlocked")
    assert (response.status_code, DecisionLock.objects.count(), event.reason) == (302, 0, "Błąd w uzasadnieniu.")


def test_decisions_unlock_later_asks_to_reauthenticate_lock_stays(client, organiser, edition):
    services.lock_decisions(edition, reason="Koniec obrad.", by=organiser)
    client.force_login(organiser)
    session = client.session
    session[access.LOGIN_AT_SESSION_KEY] -= 3600
    session.save()

    response = client.post(_url("decisions_unlock", edition), {"reason": "Błąd w uzasadnieniu."})

    assert (response.status_code, response["Location"].split("?")[0], DecisionLock.objects.count()) == (
        302,
        reverse("account_reauthenticate"),
        1,
    )


def test_decisions_unlock_without_reason_shows_error_lock_stays(client, organiser, edition):
    services.lock_decisions(edition, reason="Koniec obrad.", by=organiser)
    client.force_login(organiser)

    response = client.post(_url("decisions_unlock", edition), {"reason": "  "})

    assert (response.status_code, DecisionLock.objects.count()) == (400, 1)


# Query counts -------------------------------------------------------------------------------------------------------


def _queries_for_page(client, edition, count, organiser):
    for number in range(1, count + 1):
        entry = f.jury_entry(edition, number)
        if number % 2:
            services.record_decision(entry, outcome="laureate", place=number, citation=CITATION, by=organiser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url("decisions", edition))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["organiser", "chair"])
def test_decisions_page_query_count_does_not_grow(client, organiser, who):
    counts = []
    for size in (2, 20):
        edition = f.EditionFactory(phase="deliberation")
        user = organiser if who == "organiser" else f.declared_juror(edition, is_chair=True).user
        client.force_login(user)
        counts.append(_queries_for_page(client, edition, size, organiser))
    assert counts[0] == counts[1] and counts[1] <= 15, counts


# The applicant's view ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "shown"),
    [
        ("formal_review", Status.ACCEPTED),
        ("scoring", Status.IN_JURY_REVIEW),
        ("deliberation", Status.IN_JURY_REVIEW),
        ("results", Status.ACCEPTED),
    ],
)
def test_applicant_status_accepted_entry_by_phase(phase, shown):
    entry = f.jury_entry(f.EditionFactory(phase=phase), 1)

    assert applicant_status(entry) == shown


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN])
def test_applicant_status_other_statuses_unchanged_during_scoring(status):
    entry = f.jury_entry(f.EditionFactory(phase="scoring"), 1, status=status)

    assert applicant_status(entry) == status


def test_applicant_dashboard_accepted_entry_during_scoring_reads_in_jury_review(client):
    entry = f.jury_entry(f.EditionFactory(phase="scoring"), 1)
    client.force_login(entry.owner)

    html = client.get(reverse("applications:dashboard")).content.decode()

    entry.refresh_from_db()
    assert ("in jury review" in html, "formally accepted" in html, entry.status) == (True, False, Status.ACCEPTED)


def test_applicant_detail_accepted_entry_during_deliberation_reads_in_jury_review(client, organiser):
    entry = f.jury_entry(f.EditionFactory(phase="deliberation"), 1)
    services.record_decision(entry, outcome="not_awarded", by=organiser)
    client.force_login(entry.owner)

    html = client.get(reverse("applications:detail", args=[entry.pk])).content.decode()

    assert ("in jury review" in html, "not awarded" in html, "formally accepted" in html) == (True, False, False)


def test_applicant_detail_accepted_entry_in_formal_review_reads_formally_accepted(client):
    entry = f.jury_entry(f.EditionFactory(phase="formal_review"), 1)
    client.force_login(entry.owner)

    html = client.get(reverse("applications:detail", args=[entry.pk])).content.decode()

    assert ("formally accepted" in html, "in jury review" in html) == (True, False)


@pytest.mark.polish
def test_decision_laureate_without_place_error_in_polish(client, organiser, entry, edition):
    client.force_login(organiser)

    response = _post(client, edition, entry, outcome="laureate", place="", citation=CITATION)

    html = response.content.decode()
    assert ("Dla laureata podaj miejsce." in html, "Rozstrzygnięcia Komisji Konkursowej" in html) == (True, True)


@pytest.mark.polish
def test_applicant_dashboard_in_polish_reads_w_ocenie_jury(client):
    entry = f.jury_entry(f.EditionFactory(phase="scoring"), 1)
    client.force_login(entry.owner)

    html = client.get(reverse("applications:dashboard")).content.decode()

    assert ("w ocenie jury" in html, "przyjęty formalnie" in html) == (True, False)


def test_organiser_jury_pages_link_to_the_decisions(client, organiser, edition):
    client.force_login(organiser)

    html = client.get(_url("board", edition)).content.decode()

    assert f'href="{_url("decisions", edition)}"' in html
