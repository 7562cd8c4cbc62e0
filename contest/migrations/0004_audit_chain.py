"""The audit trail becomes a hash chain: sequence, prev_hash and hash for every event (existing ones chained in the
order they were written), the actor protected from deletion, and the database refusing UPDATE and DELETE."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from contest import audit_chain

REFUSE = "audit events are append-only"

POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION contest_auditevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSE}: % refused', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER contest_auditevent_append_only BEFORE UPDATE OR DELETE ON contest_auditevent
    FOR EACH ROW EXECUTE FUNCTION contest_auditevent_refuse()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS contest_auditevent_append_only ON contest_auditevent",
    "DROP FUNCTION IF EXISTS contest_auditevent_refuse()",
]

# SQLite's test flush empties tables with DELETE FROM (PostgreSQL's uses TRUNCATE, which row triggers never see).
# The flush command (contest/management/commands/flush.py) writes a row into contest_audit_maintenance inside its
# own transaction and removes it before commit; nothing else writes there.
SQLITE_TRIGGERS = [
    "CREATE TABLE contest_audit_maintenance (id integer PRIMARY KEY, reason text NOT NULL)",
    f"""
    CREATE TRIGGER contest_auditevent_no_update BEFORE UPDATE ON contest_auditevent
    BEGIN SELECT RAISE(ABORT, '{REFUSE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER contest_auditevent_no_delete BEFORE DELETE ON contest_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM contest_audit_maintenance)
    BEGIN SELECT RAISE(ABORT, '{REFUSE}: DELETE refused'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS contest_auditevent_no_update",
    "DROP TRIGGER IF EXISTS contest_auditevent_no_delete",
    "DROP TABLE IF EXISTS contest_audit_maintenance",
]


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("contest", "AuditEvent")
    previous = audit_chain.GENESIS
    events = AuditEvent.objects.using(schema_editor.connection.alias).select_related("target_type")
    for sequence, event in enumerate(events.order_by("at", "id").iterator(chunk_size=2000), start=1):
        target = event.target_type
        row = {
            "sequence": sequence,
            "at": event.at,
            "actor_id": event.actor_id,
            "action": event.action,
            "edition_id": event.edition_id,
            "target_type": f"{target.app_label}.{target.model}" if target else "",
            "target_id": event.target_id,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "reason": event.reason,
            "data": event.data,
            "prev_hash": previous,
        }
        previous = audit_chain.event_hash(row)
        AuditEvent.objects.using(schema_editor.connection.alias).filter(pk=event.pk).update(
            sequence=sequence, prev_hash=row["prev_hash"], hash=previous
        )


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


create_triggers = _run({"postgresql": POSTGRESQL_TRIGGERS, "sqlite": SQLITE_TRIGGERS})
drop_triggers = _run({"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("contest", "0003_allowed_types_help"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-sequence"], "verbose_name": "audit event", "verbose_name_plural": "audit events"},
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="sequence"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
