"""Juror pages' templates get no ORM objects: every context of every template a juror's page renders holds none.

The guard walks each template context captured with the `template_rendered` signal (partials included): dicts,
lists, tuples, sets, dataclass fields, forms (their initial, fields, cleaned data and any attribute), bound fields,
form fields and widgets, and objects of the project's own classes. A model instance, a queryset or a manager anywhere
fails. Left out is only what the configured context processors add to every page (the logged-in `user`, `perms`,
`messages`, ...): it is the same on every page and says nothing about an entry.
"""

import dataclasses
import datetime
import decimal
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django import forms
from django.db.models import Model, QuerySet
from django.db.models.manager import BaseManager
from django.template.context import RequestContext
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils.functional import Promise

from jury import services
from jury.models import Assignment, Scorecard
from tests import factories as f

pytestmark = pytest.mark.django_db

PROJECT_MODULES = ("accounts.", "applications.", "contest.", "jury.", "config.")
PLAIN = (str, bytes, int, float, bool, type(None), decimal.Decimal, datetime.date, datetime.time, datetime.timedelta)


def model_paths(value, path="context", seen=None):
    """Where in `value` a model instance, a queryset or a manager hides, as readable paths."""
    seen = set() if seen is None else seen
    if isinstance(value, (Model, QuerySet, BaseManager)):
        return [f"{path}: {type(value).__module__}.{type(value).__name__}"]
    if isinstance(value, PLAIN) or isinstance(value, Promise) or id(value) in seen:
        return []
    seen.add(id(value))
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += model_paths(key, f"{path}[key {key!r}]", seen)
            found += model_paths(item, f"{path}[{key!r}]", seen)
    elif isinstance(value, (list, tuple, set, frozenset, deque)):
        for index, item in enumerate(value):
            found += model_paths(item, f"{path}[{index}]", seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            found += model_paths(getattr(value, field.name), f"{path}.{field.name}", seen)
    elif isinstance(value, forms.BoundField):
        found += model_paths(value.form, f"{path}.form", seen)
        found += model_paths(value.field, f"{path}.field", seen)
        found += model_paths(value.initial, f"{path}.initial", seen)
    elif isinstance(value, (forms.BaseForm, forms.Field, forms.Widget, forms.models.ModelChoiceIterator)) or (
        type(value).__module__.startswith(PROJECT_MODULES)
    ):
        for name, item in vars(value).items():
            found += model_paths(item, f"{path}.{name}", seen)
    return found


# The guard itself can fail -------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Holder:
    items: tuple


class ModelChoiceForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, **kwargs):
        from contest.models import TerritorialUnit

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = TerritorialUnit.objects.none()


class CriteriaForm(forms.Form):
    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)


def test_guard_finds_a_model_nested_in_a_dataclass_in_a_list():
    edition = f.EditionFactory()
    assert model_paths({"rows": [Holder(items=({"x": edition},))]}) == [
        "context['rows'][0].items[0]['x']: contest.models.Edition"
    ]


def test_guard_finds_a_queryset_and_a_manager():
    edition = f.EditionFactory()
    assert len(model_paths({"a": edition.criteria.all(), "b": edition.criteria})) == 2


def test_guard_finds_a_model_in_a_form_initial():
    edition = f.EditionFactory()
    assert model_paths({"form": forms.Form(initial={"edition": edition})}) == [
        "context['form'].initial['edition']: contest.models.Edition"
    ]


def test_guard_finds_a_queryset_behind_a_model_choice_field():
    assert model_paths({"form": ModelChoiceForm()}) != []


def test_guard_finds_models_a_form_keeps_as_attributes():
    criterion = f.CriterionFactory()
    assert model_paths({"form": CriteriaForm(criteria=[criterion])}) == [
        "context['form'].criteria[0]: contest.models.Criterion"
    ]


def test_guard_passes_a_plain_form_and_plain_values():
    assert model_paths({"form": CriteriaForm(), "n": 3, "when": datetime.date(2026, 1, 1), "x": [("a", 1)]}) == []


# Every page a juror reaches -------------------------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.urls.append(attrs["href"])


class Rendered:
    """Every template rendered while it listens, with a snapshot of its context's layers at that moment."""

    def __init__(self):
        self.captured = []

    def __enter__(self):
        template_rendered.connect(self.receive)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self.receive)

    def receive(self, sender, template, context, **kwargs):
        skip = getattr(context, "_processors_index", None) if isinstance(context, RequestContext) else None
        layers = [dict(layer) for index, layer in enumerate(context.dicts) if index != skip]
        self.captured.append((template.name, layers))


def _crawl(client, start, limit=200):
    """GET every /jury/ page reachable by links from `start`; {url: [(template name, context layers), ...]}."""
    seen, queue, pages = set(), deque([start]), {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        with Rendered() as rendered:
            response = client.get(url)
        pages[url] = (response.status_code, rendered.captured)
        if response.status_code in (301, 302):
            target = urlparse(urljoin(url, response.url))
            if target.path.startswith("/jury/"):
                queue.append(target.path)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode("utf-8", "replace"))
        for link in parser.urls:
            target = urlparse(urljoin(url, link))
            if target.netloc in ("", "testserver") and target.path.startswith("/jury/"):
                queue.append(target.path)
    return pages


@pytest.fixture
def scene(settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = f.EditionFactory(phase="scoring", min_justification_length=10)
    criterion = f.CriterionFactory(edition=edition, max_points=10, requires_justification=True)
    shown = f.AttachmentRequirementFactory(edition=edition, visible_to_jury=True)
    juror = f.declared_juror(edition, user=f.UserFactory(email="context.juror@example.com"))
    entries = []
    for number, identity in enumerate(f.JURY_IDENTITIES, start=1):
        entry = f.identified_jury_entry(edition, identity, number)
        f.AttachmentFactory(application=entry, requirement=shown)
        Assignment.objects.create(member=juror, application=entry)
        entries.append(entry)
    for entry in entries[:2]:
        f.sign_off(entry)  # the third stays unchecked: "being prepared"
    services.save_scorecard_draft(juror, entries[0], {criterion.pk: (5, "Mój szkic uzasadnienia")}, by=juror.user)
    services.submit_scorecard(juror, entries[1], {criterion.pk: (7, "Pełne uzasadnienie oceny")}, by=juror.user)
    f.recorded_affiliation(juror.user, territorial_unit=f.unit("1209042"), role="adviser")
    f.recorded_affiliation(juror.user, organisation_name="Fundacja Przykładowa", role="other")
    # A second edition, not yet declared: the home page lists both and the declaration form is reachable.
    f.JuryMemberFactory(edition=f.EditionFactory(phase="scoring"), user=juror.user)
    return {"edition": edition, "juror": juror, "entries": entries, "criterion": criterion}


def _leaks(pages):
    return [
        (url, template, found)
        for url, (_status, rendered) in pages.items()
        for template, layers in rendered
        for found in model_paths(layers, "context")
    ]


def test_juror_crawl_reaches_every_kind_of_juror_page(client, scene):
    client.force_login(scene["juror"].user)
    pages = _crawl(client, reverse("jury:home"))
    templates = {name for _status, rendered in pages.values() for name, _layers in rendered}
    assert {
        "jury/home.html",
        "jury/dashboard.html",
        "jury/declaration.html",
        "jury/entry.html",
        "jury/scorecard.html",
        "jury/affiliations.html",
        "jury/_entry_content.html",
        "partials/_field.html",
        "jury/_juror_nav.html",
    } <= templates


def test_juror_pages_hold_no_model_instance_anywhere_in_their_context(client, scene):
    client.force_login(scene["juror"].user)
    pages = _crawl(client, reverse("jury:home"))
    year, code = scene["edition"].year, scene["entries"][0].code
    with Rendered() as rendered:
        client.get(reverse("jury:declare_conflict", args=[year, code]))
    pages["conflict"] = (200, rendered.captured)
    # The score sheets are a PDF: no page links to them as HTML, so they are asked for here.
    with Rendered() as rendered:
        response = client.get(reverse("jury:juror_score_sheets", args=[year]))
    assert response.status_code == 200
    assert [name for name, _layers in rendered.captured] == ["jury/sheets/score_sheets.html"]
    pages["score_sheets"] = (200, rendered.captured)
    assert len(pages) > 10
    assert _leaks(pages) == []


def test_juror_pages_refusing_input_hold_no_model_instance(client, scene):
    client.force_login(scene["juror"].user)
    year, code = scene["edition"].year, scene["entries"][0].code
    criterion = scene["criterion"]
    posts = [
        (reverse("jury:scorecard", args=[year, code]), {"submit": "1", f"points_{criterion.pk}": "99"}),
        (reverse("jury:declare_conflict", args=[year, code]), {"reason": ""}),
        (reverse("jury:declaration", args=[year]), {}),
    ]
    pages = {}
    for url, data in posts:
        with Rendered() as rendered:
            response = client.post(url, data)
        pages[url] = (response.status_code, rendered.captured)
    # The affiliation form, from a juror who has not signed yet (a signed one, during scoring, gets no form).
    # A unit that exists with a NIP that does not: the form keeps the unit it found while refusing the NIP.
    client.force_login(f.JuryMemberFactory(edition=scene["edition"]).user)
    with Rendered() as rendered:
        response = client.post(
            reverse("jury:affiliations"), {"unit_code": "1209042", "nip": "123", "role": "adviser", "scope": "unit"}
        )
    pages["affiliations"] = (response.status_code, rendered.captured)
    assert [status for status, _rendered in pages.values()] == [400, 400, 200, 400]
    assert _leaks(pages) == []


def test_scorecard_template_gets_the_juror_card_state_only(client, scene):
    client.force_login(scene["juror"].user)
    year, code = scene["edition"].year, scene["entries"][1].code
    response = client.get(reverse("jury:scorecard", args=[year, code]))
    card = response.context["card"]
    assert not isinstance(card, Scorecard)
    assert (card.status, card.revision) == ("submitted", 1)
    assert not hasattr(card, "application")
