"""Load the TERC register shipped in contest/data so every database starts with real units."""
from django.db import migrations


def load(apps, schema_editor):
    from contest.teryt import load_register

    load_register(model=apps.get_model("contest", "TerritorialUnit"))


class Migration(migrations.Migration):
    dependencies = [("contest", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
