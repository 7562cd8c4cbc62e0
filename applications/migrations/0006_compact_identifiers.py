"""Store partners' NIP, REGON and KRS (and the partnership's KRS) as compact ASCII digits.

Earlier forms kept what people typed when it passed the check: full-width digits ("１２３４５６３２１８"), so the
number never matched a juror's affiliation. The rule is copied here, frozen, rather than imported from
contest.identifiers, so this migration keeps doing what it did when that module changes. Values that are not digits
even after compacting stay as they are; the form refuses them with a clear message at the next edit.
"""

import re
import unicodedata

from django.db import migrations

SEPARATORS = re.compile(r"[\s./\-‐‑‒–—―−]+")
LENGTHS = {"nip": {10}, "regon": {9, 14}, "krs": set(range(1, 11)), "partnership_krs": set(range(1, 11))}


def compact(name, value):
    """The compact ASCII form of a stored number, or the value unchanged when it cannot be one."""
    if not value:
        return value
    number = SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).upper()
    if name == "nip" and number.startswith("PL"):
        number = number[2:]
    if not (re.fullmatch(r"[0-9]+", number) and len(number) in LENGTHS[name]):
        return value
    return number.zfill(10) if name.endswith("krs") else number


def compact_rows(queryset, fields):
    changed = []
    for row in queryset.only("pk", *fields).iterator(chunk_size=500):
        before = [getattr(row, name) for name in fields]
        for name in fields:
            setattr(row, name, compact(name, getattr(row, name)))
        if [getattr(row, name) for name in fields] != before:
            changed.append(row)
    queryset.model.objects.bulk_update(changed, fields, batch_size=500)


def forwards(apps, schema_editor):
    Partner = apps.get_model("applications", "Partner")
    Application = apps.get_model("applications", "Application")
    compact_rows(Partner.objects.exclude(nip="", regon="", krs=""), ["nip", "regon", "krs"])
    compact_rows(Application.objects.exclude(partnership_krs=""), ["partnership_krs"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_coeditor_invitation"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
