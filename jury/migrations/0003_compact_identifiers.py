"""Store jurors' affiliation NIP, REGON and KRS as compact ASCII digits, as the partners' numbers are.

Uses the frozen rule of applications.migrations.0006_compact_identifiers.py, so both sides compare equal.
"""

import importlib

from django.db import migrations


def forwards(apps, schema_editor):
    rule = importlib.import_module("applications.migrations.0006_compact_identifiers")
    Affiliation = apps.get_model("jury", "Affiliation")
    rule.compact_rows(Affiliation.objects.exclude(nip="", regon="", krs=""), ["nip", "regon", "krs"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_compact_identifiers"),
        ("jury", "0002_redaction_terms_and_anonymisation_checks"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
