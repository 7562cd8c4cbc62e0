"""The public read model of an edition's results: what is shown of each awarded entry, copied from its decision and
application when the decisions are locked, so later edits (or a RODO erasure of a contact) never change a result
that was published. Shown only while contest.phases.results_visible(edition) holds (see results.visibility)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Attachment
from contest.models import Category, Edition, TerritorialUnit


class PublishedEntry(models.Model):
    class Outcome(models.TextChoices):
        LAUREATE = "laureate", _("laureate")
        DISTINCTION = "distinction", _("distinction")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="published_entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="published_entry")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="published_entries")
    # Readable and stable: /laureaci/<year>/<slug>/, Polish letters transliterated (Łódź -> lodz).
    slug = models.SlugField(_("address"), max_length=120)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    prize_tier = models.CharField(_("prize tier"), max_length=100, blank=True)
    citation = models.TextField(_("jury's citation"), blank=True)
    partnership_name = models.CharField(_("partnership name"), max_length=300)
    title = models.CharField(_("project title"), max_length=300)
    public_summary = models.TextField(_("public summary"), blank=True)
    leader_name = models.CharField(_("leading unit"), max_length=300, blank=True)
    # Lower case, Polish letters transliterated, for search that ignores case and diacritics on any database.
    search_text = models.TextField(editable=False, blank=True)
    order = models.PositiveIntegerField(default=0)
    prepared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("published entry")
        verbose_name_plural = _("published entries")
        ordering = ["edition", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "slug"], name="unique_published_slug")]

    def __str__(self):
        return self.partnership_name or self.title


class PublishedPartner(models.Model):
    entry = models.ForeignKey(PublishedEntry, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=300)
    unit = models.ForeignKey(TerritorialUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The voivodeship unit (TERC woj code, kind voivodeship) for the map and the archive filter.
    voivodeship = models.ForeignKey(TerritorialUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_kind = models.CharField(_("kind of unit"), max_length=20, blank=True)
    is_leader = models.BooleanField(_("leading partner"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("published partner")
        verbose_name_plural = _("published partners")
        ordering = ["-is_leader", "order", "id"]

    def __str__(self):
        return self.name


class PublicFile(models.Model):
    """A public copy of an attachment whose requirement is published for awarded entries: pictures resized and
    stripped of metadata, documents (a presentation) copied as they are. Served only while the results are public."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("picture")
        DOCUMENT = "document", _("document")

    entry = models.ForeignKey(PublishedEntry, on_delete=models.CASCADE, related_name="files")
    attachment = models.ForeignKey(Attachment, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="public/", max_length=200)
    # A picture's small copy for the lists (results.pictures.SMALL_WIDTH wide); empty for documents and pictures
    # no wider than that, whose public copy serves.
    thumbnail = models.FileField(upload_to="public/", max_length=200, blank=True)
    label = models.CharField(_("label"), max_length=200)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("public file")
        verbose_name_plural = _("public files")
        ordering = ["order", "id"]

    def __str__(self):
        return self.label
