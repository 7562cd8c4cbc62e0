"""A stable number per juror and edition ("Juror 3"), given to existing members in the order they joined."""

from django.db import migrations, models


def number_members(apps, schema_editor):
    JuryMember = apps.get_model("jury", "JuryMember")
    numbers = {}
    for member in JuryMember.objects.order_by("edition_id", "joined_at", "id"):
        numbers[member.edition_id] = numbers.get(member.edition_id, 0) + 1
        member.number = numbers[member.edition_id]
        member.save(update_fields=["number"])


class Migration(migrations.Migration):

    dependencies = [
        ("jury", "0004_decisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="jurymember",
            name="number",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="juror number"),
        ),
        migrations.RunPython(number_members, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="jurymember",
            name="number",
            field=models.PositiveIntegerField(editable=False, verbose_name="juror number"),
        ),
        migrations.AddConstraint(
            model_name="jurymember",
            constraint=models.UniqueConstraint(fields=("edition", "number"), name="unique_jury_member_number"),
        ),
    ]
