"""The organisers' list as a tool: drafts on request, sortable columns (a whitelist: a hostile sort key changes
nothing), voivodeships in Polish order, an empty result that says so, and bulk actions (accept several, export the
selection) with CSRF and permission checks and the skipped entries named with their reason."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from applications import services
from applications.forms import OrganiserFilterForm
from applications.models import Application, Status
from contest.audit import history
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

UNITS = {"łódzkie": "1061011", "śląskie": "2469011", "świętokrzyskie": "2661011", "małopolskie": "1261011"}


def submitted(edition, unit="0201011", **fields):
    application = factories.complete_application(edition=edition, **fields)
    application.partners.filter(is_leader=True).update(territorial_unit=factories.unit(unit))
    services.submit(application, by=application.owner)
    application.refresh_from_db()
    return application


def codes(content):
    return re.findall(r'href="/wnioski/\d+/ocena-formalna/">(SLZ-[\d-]+)<', content)


def list_url(edition, **params):
    from urllib.parse import urlencode

    url = reverse("applications:organiser_list", args=[edition.year])
    return url + ("?" + urlencode(params) if params else "")


def test_drafts_are_shown_when_asked_for(org, edition_in_submissions):
    edition = edition_in_submissions
    draft = factories.ApplicationFactory(edition=edition, title="Szkic do przypomnienia")
    done = submitted(edition)
    only_drafts = org.get(list_url(edition, status=Status.DRAFT)).content.decode()
    everything = org.get(list_url(edition, status="any")).content.decode()
    default = org.get(list_url(edition)).content.decode()
    assert (draft.title in only_drafts, done.code in only_drafts) == (True, False)
    assert (draft.title in everything, done.code in everything) == (True, True)
    assert (draft.title in default, done.code in default) == (False, True)


def test_status_filter_offers_drafts(edition_in_submissions):
    choices = dict(OrganiserFilterForm(edition=edition_in_submissions).fields["status"].choices)
    assert choices[Status.DRAFT] == "draft"
    assert choices["any"] == "all, drafts included"


def test_voivodeships_in_polish_order(edition_in_submissions):
    names = [name for code, name in OrganiserFilterForm(edition=edition_in_submissions).fields["voivodeship"].choices]
    names = [n.lower() for n in names[1:]]
    assert names.index("lubuskie") < names.index("łódzkie") < names.index("małopolskie")
    assert names.index("pomorskie") < names.index("śląskie") < names.index("świętokrzyskie") < names.index(
        "warmińsko-mazurskie"
    )


def test_sort_by_voivodeship_is_polish_order(org, edition_in_submissions):
    edition = edition_in_submissions
    made = {name: submitted(edition, unit=code) for name, code in UNITS.items()}
    content = org.get(list_url(edition, sort="voivodeship")).content.decode()
    expected = [made[name].code for name in ("łódzkie", "małopolskie", "śląskie", "świętokrzyskie")]
    assert codes(content) == expected
    reverse_content = org.get(list_url(edition, sort="-voivodeship")).content.decode()
    assert codes(reverse_content) == expected[::-1]


def test_sort_by_title_and_the_header_says_so(org, edition_in_submissions):
    edition = edition_in_submissions
    b = submitted(edition, title="Bezpieczna szkoła")
    a = submitted(edition, title="Aktywna gmina")
    content = org.get(list_url(edition, sort="title")).content.decode()
    assert codes(content) == [a.code, b.code]
    assert re.search(r'<th scope="col" aria-sort="ascending"><a href="\?sort=-title">Title', content)


@pytest.mark.parametrize(
    "hostile", ["owner__password", "-owner__email", "title; DROP TABLE x", "?", "-", "__class__", "x" * 5000]
)
def test_hostile_sort_key_falls_back_to_the_default_order(org, edition_in_submissions, hostile):
    edition = edition_in_submissions
    first = submitted(edition, title="Zielona")
    second = submitted(edition, title="Aktywna")
    response = org.get(list_url(edition, sort=hostile))
    assert response.status_code == 200
    assert codes(response.content.decode()) == [first.code, second.code]
    assert "password" not in response.content.decode().split("<main", 1)[-1].split("sort=")[0]


def test_empty_result_says_so(org, edition_in_submissions):
    submitted(edition_in_submissions)
    content = org.get(list_url(edition_in_submissions, q="nic takiego nie ma")).content.decode()
    assert "No application matches these filters." in content
    assert "<table" not in content


def test_bulk_accept_accepts_submitted_and_names_the_skipped(
    org, organiser, edition_in_submissions, django_capture_on_commit_callbacks
):
    edition = edition_in_submissions
    one, two = submitted(edition), submitted(edition)
    services.accept(two, by=organiser)
    draft = factories.ApplicationFactory(edition=edition, title="Szkic")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = org.post(
            reverse("applications:organiser_bulk", args=[edition.year]),
            {"action": "accept", "ids": [one.pk, two.pk, draft.pk], "back": "?status=any", "confirmed": "1"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == list_url(edition, status="any")
    statuses = dict(Application.objects.filter(pk__in=[one.pk, two.pk, draft.pk]).values_list("pk", "status"))
    assert statuses == {one.pk: Status.ACCEPTED, two.pk: Status.ACCEPTED, draft.pk: Status.DRAFT}
    content = response.content.decode()
    assert f"Accepted formally: {one.code}." in content
    assert f"Skipped {two.code} (formally accepted): Only submitted applications can be reviewed." in content
    assert "Skipped Szkic (draft)" in content
    assert len(mail.outbox) == 1
    assert [e.to_state for e in history(one, action="application.status")][0] == Status.ACCEPTED


def test_bulk_ignores_ids_of_another_edition(org, edition_in_submissions):
    other = submitted(factories.EditionFactory(phase="submissions"))
    org.post(
        reverse("applications:organiser_bulk", args=[edition_in_submissions.year]),
        {"action": "accept", "ids": [other.pk]},
    )
    other.refresh_from_db()
    assert other.status == Status.SUBMITTED


def test_bulk_export_has_only_the_selection(org, edition_in_submissions):
    edition = edition_in_submissions
    chosen, left = submitted(edition), submitted(edition)
    response = org.post(
        reverse("applications:organiser_bulk", args=[edition.year]), {"action": "csv", "ids": [chosen.pk]}
    )
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert [line.split(";")[0] for line in lines[1:]] == [chosen.code]
    assert left.code not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "accept"}, "Select at least one application."),
        ({"action": "accept", "ids": ["abc"]}, "The selection is not valid"),
        ({"action": "delete", "ids": ["1"]}, "Select a valid choice"),
    ],
)
def test_bulk_with_bad_input_says_why_and_changes_nothing(org, edition_in_submissions, data, message):
    one = submitted(edition_in_submissions)
    response = org.post(reverse("applications:organiser_bulk", args=[edition_in_submissions.year]), data, follow=True)
    assert message in response.content.decode()
    one.refresh_from_db()
    assert one.status == Status.SUBMITTED


def test_bulk_needs_csrf(organiser, edition_in_submissions):
    one = submitted(edition_in_submissions)
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    url = reverse("applications:organiser_bulk", args=[edition_in_submissions.year])
    response = client.post(url, {"action": "accept", "ids": [one.pk]})
    assert response.status_code == 403
    one.refresh_from_db()
    assert one.status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["owner", "juror"])
def test_bulk_is_refused_to_applicants_and_jurors(client, edition_in_submissions, who):
    one = submitted(edition_in_submissions)
    user = one.owner if who == "owner" else factories.declared_juror(edition_in_submissions).user
    client.force_login(user)
    url = reverse("applications:organiser_bulk", args=[edition_in_submissions.year])
    response = client.post(url, {"action": "accept", "ids": [one.pk]})
    assert response.status_code in (403, 404)
    one.refresh_from_db()
    assert one.status == Status.SUBMITTED


def test_bulk_get_is_not_allowed(org, edition_in_submissions):
    assert org.get(reverse("applications:organiser_bulk", args=[edition_in_submissions.year])).status_code == 405


@pytest.mark.parametrize("sort", ["leader", "-status", "category", "-submitted"])
def test_every_sort_keeps_queries_flat(org, edition_in_submissions, django_assert_max_num_queries, sort):
    edition = edition_in_submissions
    for _ in range(3):
        submitted(edition)
    with django_assert_max_num_queries(14):
        response = org.get(list_url(edition, sort=sort))
    assert len(codes(response.content.decode())) == 3
