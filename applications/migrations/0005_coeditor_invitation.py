"""Co-editor invitations: renamed (issue 8), hashed tokens, expiry and revocation (issue 7)."""

import datetime
import hashlib

import django.utils.timezone
from django.db import migrations, models

# Links e-mailed before this migration keep working for as long as new ones do.
EXPIRY = datetime.timedelta(days=14)


def hash_existing_tokens(apps, schema_editor):
    CoEditorInvitation = apps.get_model("applications", "CoEditorInvitation")
    for invitation in CoEditorInvitation.objects.all().iterator():
        invitation.token_hash = hashlib.sha256(invitation.token.encode()).hexdigest()
        invitation.expires_at = invitation.created_at + EXPIRY
        invitation.save(update_fields=["token_hash", "expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_attachment_jury_copy"),
    ]

    operations = [
        migrations.RenameModel("Invitation", "CoEditorInvitation"),
        migrations.AddField(
            model_name="coeditorinvitation",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="coeditorinvitation",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="coeditorinvitation",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="coeditorinvitation", name="token"),
        migrations.AlterField(
            model_name="coeditorinvitation",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="coeditorinvitation",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
        migrations.AlterField(
            model_name="coeditorinvitation",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AlterModelOptions(
            name="coeditorinvitation",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "co-editor invitation",
                "verbose_name_plural": "co-editor invitations",
            },
        ),
    ]
