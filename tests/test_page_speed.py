"""The caches behind the fast pages (issue 12) never show what is no longer true: a stored redaction is never served
for changed texts or terms, the home page shows a set-up change at once; and the juror's pages and the home page make
the same number of queries whatever the size of the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Partner
from contest.models import Category
from jury import redaction, redaction_store, services
from jury.models import Assignment
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

NICKNAME = "Szybka Strzała"


@pytest.fixture
def edition():
    edition = f.EditionFactory(phase="scoring")
    f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, order=1)
    return edition


@pytest.fixture
def juror(edition):
    return f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))


@pytest.fixture
def organiser():
    return f.UserFactory(email="checker@example.com", is_organiser=True)


@pytest.fixture
def entry(edition, juror, organiser):
    entry = f.jury_entry(edition, 1, summary=f"Autobusy {NICKNAME} łączą wsie gminy.")
    Assignment.objects.create(member=juror, application=entry)
    f.sign_off(entry, by=organiser)
    return entry


def _entry_url(edition, entry):
    return reverse("jury:entry", args=[edition.year, entry.code])


def test_a_new_redaction_term_hides_the_name_even_after_the_entry_was_shown(client, edition, juror, entry, organiser):
    client.force_login(juror.user)
    before = client.get(_entry_url(edition, entry))
    assert NICKNAME in before.content.decode()  # shown (and its redaction stored) before the organisers knew the name

    services.set_redaction_terms(edition, NICKNAME, by=organiser)
    voided = client.get(_entry_url(edition, entry))
    f.sign_off(entry, by=organiser)
    after = client.get(_entry_url(edition, entry))

    assert (voided.status_code, after.status_code) == (404, 200)  # the changed view voided the sign-off
    assert NICKNAME not in after.content.decode()
    assert redaction.MARK in after.content.decode()


def test_an_organisers_edit_is_what_the_juror_sees_next(client, edition, juror, entry, organiser):
    client.force_login(juror.user)
    client.get(_entry_url(edition, entry))
    fields = {"title": entry.title, "summary": "Autobusy łączą wsie gminy."}
    services.save_anonymised(entry, fields, by=organiser)
    f.sign_off(entry, by=organiser)

    page = client.get(_entry_url(edition, entry)).content.decode()

    assert ("Autobusy łączą wsie gminy." in page, NICKNAME in page) == (True, False)


def test_a_renamed_partner_is_redacted_by_its_new_name(client, edition, juror, entry, organiser):
    client.force_login(juror.user)
    client.get(_entry_url(edition, entry))
    Partner.objects.create(application=entry, kind=Partner.Kind.NGO, name=NICKNAME, order=5)
    f.sign_off(entry, by=organiser)

    page = client.get(_entry_url(edition, entry)).content.decode()

    assert NICKNAME not in page


def test_stored_redactions_are_keyed_by_texts_terms_and_code():
    texts = (f"Autobusy {NICKNAME}.",)
    plain = redaction.Terms(names=("Gmina Nowa",))
    named = redaction.Terms(names=("Gmina Nowa",), extra=(NICKNAME,))

    first = redaction_store.redacted_many([(texts, plain), (texts, named)])
    redaction_store.forget_local()
    again = redaction_store.redacted_many([(texts, named), (texts, plain)])

    assert (first[(texts, plain)], first[(texts, named)]) == (texts, (f"Autobusy {redaction.MARK}.",))
    assert again == first
    assert redaction_store.fingerprint(texts, plain) != redaction_store.fingerprint(texts, named)


def test_a_tampered_stored_value_of_another_length_is_recomputed():
    from django.core.cache import cache

    texts = ("Jeden", "Dwa")
    terms = redaction.Terms()
    cache.set(redaction_store.KEY_PREFIX + redaction_store.fingerprint(texts, terms), ("x",))

    assert redaction_store.redacted_many([(texts, terms)])[(texts, terms)] == texts


@pytest.mark.django_db
def test_home_shows_a_changed_category_at_once(client):
    edition = f.EditionFactory(phase="submissions")
    category = Category.objects.create(edition=edition, name="Gminy miejskie", order=1)
    assert "Gminy miejskie" in client.get("/").content.decode()

    category.name = "Gminy wiejskie"
    category.save()

    page = client.get("/").content.decode()
    assert ("Gminy wiejskie" in page, "Gminy miejskie" in page) == (True, False)


@pytest.mark.django_db
def test_home_shows_the_next_phase_the_second_it_starts(client, monkeypatch):
    from django.utils import timezone

    edition = f.EditionFactory(phase="submissions")
    start = reverse("applications:start", args=[edition.year])
    assert start in client.get("/").content.decode()
    after_deadline = edition.submission_deadline + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after_deadline)

    page = client.get("/").content.decode()

    assert start not in page  # the cached call is per phase, decided at each request


# Query counts at two sizes --------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(edition, entry, juror, partners, entries):
    for number in range(partners):
        Partner.objects.create(application=entry, kind=Partner.Kind.NGO, name=f"Fundacja {number}", order=10 + number)
    for number in range(entries):
        other = f.jury_entry(edition, 100 + number)
        Assignment.objects.create(member=juror, application=other)
        f.sign_off(other)
    f.sign_off(entry)


def test_entry_page_queries_do_not_grow_with_partners_or_entries(
    client, edition, juror, entry, django_assert_max_num_queries
):
    client.force_login(juror.user)
    url = _entry_url(edition, entry)
    small = _queries(client, url)
    _grow(edition, entry, juror, partners=12, entries=15)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


def test_juror_home_queries_do_not_grow_with_editions(client, juror, django_assert_max_num_queries):
    url = reverse("jury:home")
    f.declared_juror(f.EditionFactory(phase="results"), user=juror.user)
    client.force_login(juror.user)
    small = _queries(client, url)
    for phase in ("results", "results", "results"):
        f.declared_juror(f.EditionFactory(phase=phase), user=juror.user)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("editions", [1, 8])
def test_home_costs_no_query_when_the_set_up_is_cached(client, editions, django_assert_max_num_queries):
    for _ in range(editions):
        edition = f.EditionFactory(phase="submissions")
        f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, order=1)
    client.get("/")
    with django_assert_max_num_queries(0):
        assert client.get("/").status_code == 200
