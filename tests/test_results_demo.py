"""seed_demo publishes two finished editions (2024, 2025): laureates and distinctions with citations, public summaries,
photos whose public copies lost their EXIF, partnerships from many voivodeships, statuses moved; idempotent; the
editions still running (2026, 2027) show nothing."""

import io
import re

import pytest
from django.core.management import call_command
from PIL import ExifTags, Image

from applications.models import Application, Attachment, Status
from contest import phases
from contest.models import Edition
from jury.models import Decision
from results.models import PublicFile, PublishedEntry, PublishedPartner
from results.visibility import public_entries

pytestmark = pytest.mark.django_db

FINISHED = (2024, 2025)
OUTCOME_STATUS = {"laureate": "laureate", "distinction": "distinction", "finalist": "not_awarded"}


@pytest.fixture
def seeded(seeded_demo, settings):
    settings.DEBUG = True  # seed_demo runs only in development
    return seeded_demo


@pytest.fixture
def demo_files(seeded, settings, seeded_demo_storages):
    """The storage the demo wrote its files to."""
    settings.STORAGES = {**seeded_demo_storages, "staticfiles": settings.STORAGES["staticfiles"]}


def _exif(data):
    with Image.open(io.BytesIO(data)) as picture:
        exif = picture.getexif()
        return dict(exif), dict(exif.get_ifd(ExifTags.IFD.GPSInfo)), picture.size


@pytest.mark.parametrize("year", FINISHED)
def test_finished_edition_is_public_with_laureates_in_places_and_distinctions(seeded, year):
    edition = Edition.objects.get(year=year)
    assert phases.results_visible(edition)
    entries = public_entries().filter(edition=edition)
    laureates = list(entries.filter(outcome="laureate").order_by("place"))
    distinctions = list(entries.filter(outcome="distinction"))
    assert [entry.place for entry in laureates] == list(range(1, len(laureates) + 1)) and len(laureates) >= 2
    assert len(distinctions) >= 1
    for entry in laureates + distinctions:
        assert entry.citation.startswith("Za ") and len(entry.citation) > 40
        assert entry.partnership_name and entry.title and entry.leader_name
    # One published entry per awarded decision, nothing for finalists or the rest.
    awarded = Decision.objects.filter(edition=edition, outcome__in=["laureate", "distinction"])
    published = set(entries.values_list("application_id", flat=True))
    assert published == set(awarded.values_list("application_id", flat=True))
    assert len({entry.citation for entry in laureates + distinctions}) == len(laureates) + len(distinctions)


def test_2024_is_edition_8_with_its_own_jury(seeded):
    edition = Edition.objects.get(year=2024)
    assert edition.number == 8 and not edition.is_draft
    assert edition.results_at < Edition.objects.get(year=2025).results_at
    assert Application.objects.filter(edition=edition).count() == 10
    assert "2024 jury: 6 jurors, 10 entries" in seeded


@pytest.mark.parametrize("year", FINISHED)
def test_every_awarded_entry_has_its_own_public_summary(seeded, year):
    for entry in PublishedEntry.objects.filter(edition__year=year).select_related("application"):
        summary = entry.public_summary
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", summary.strip()) if s]
        assert 2 <= len(sentences) <= 4, summary
        assert summary != entry.application.summary and summary == entry.application.public_summary
        assert re.search("[ąćęłńóśźż]", summary)  # Polish, with its letters


@pytest.mark.parametrize("year", FINISHED)
def test_awarded_entries_have_public_photos_without_exif_and_a_presentation(demo_files, year):
    from django.core.files.storage import default_storage

    for entry in PublishedEntry.objects.filter(edition__year=year):
        photos = list(entry.files.filter(kind=PublicFile.Kind.IMAGE))
        assert len(photos) == 2 and {p.label.split(" (")[0] for p in photos} == {"Zdjęcia z realizacji projektu"}
        assert entry.files.filter(kind=PublicFile.Kind.DOCUMENT, mime="application/pdf").count() == 1
        for photo in photos:
            with photo.attachment.file.open("rb") as handle:
                original, original_gps, _size = _exif(handle.read())
            assert original.get(ExifTags.Base.Artist) and original_gps.get(ExifTags.GPS.GPSLatitude)
            with default_storage.open(photo.file.name, "rb") as handle:
                public, public_gps, size = _exif(handle.read())
            assert public == {} and public_gps == {}
            assert photo.mime == "image/jpeg" and (photo.width, photo.height) == size and max(size) <= 1600


def test_photos_are_asked_for_only_in_the_finished_editions(seeded):
    published = Attachment.objects.filter(requirement__published_for_awarded=True)
    assert set(published.values_list("application__edition__year", flat=True)) == set(FINISHED)
    # Every entry of a finished edition gave them (before anyone knew the outcome), not only the awarded ones.
    assert published.values("application").distinct().count() == Application.objects.filter(
        edition__year__in=FINISHED
    ).count()


def test_awarded_partnerships_come_from_many_voivodeships_and_every_kind_of_unit(seeded):
    partners = PublishedPartner.objects.filter(entry__in=public_entries())
    voivodeships = set(partners.exclude(voivodeship=None).values_list("voivodeship__name", flat=True))
    assert len(voivodeships) >= 5
    leaders = partners.filter(is_leader=True).values_list("voivodeship__name", flat=True)
    assert len(set(leaders)) >= 5
    kinds = set(partners.values_list("unit_kind", flat=True))
    assert {"urban", "rural", "urban_rural", "county", "voivodeship"} <= kinds


@pytest.mark.parametrize("year", FINISHED)
def test_publication_moved_every_entry_to_its_outcome(seeded, year):
    decisions = Decision.objects.filter(edition__year=year, stage="").select_related("application")
    assert decisions.count() == Application.objects.filter(edition__year=year).count()
    for decision in decisions:
        assert decision.application.status == OUTCOME_STATUS.get(decision.outcome, "not_awarded")
    statuses = set(Application.objects.filter(edition__year=year).values_list("status", flat=True))
    assert statuses == {Status.LAUREATE, Status.DISTINCTION, Status.NOT_AWARDED}


def test_running_editions_show_no_results(seeded):
    for year in (2026, 2027):
        edition = Edition.objects.get(year=year)
        assert not phases.results_visible(edition)
        assert not PublishedEntry.objects.filter(edition=edition).exists()
        assert not Application.objects.filter(edition=edition, status__in=Status.DECIDED).exists()
        assert not edition.attachment_requirements.filter(published_for_awarded=True).exists()
    assert set(public_entries().values_list("edition__year", flat=True)) == set(FINISHED)


def test_second_seed_changes_nothing_and_sends_no_email(seeded, mailoutbox, django_capture_on_commit_callbacks):
    def state():
        return (
            Application.objects.count(),
            Attachment.objects.count(),
            PublishedEntry.objects.count(),
            PublicFile.objects.count(),
            sorted(Application.objects.values_list("pk", "status")),
            sorted(Edition.objects.values_list("year", "results_at")),
            sorted(PublishedEntry.objects.values_list("slug", "outcome", "place")),
        )

    before = state()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert state() == before
    assert mailoutbox == []

