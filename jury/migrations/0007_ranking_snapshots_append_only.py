"""Frozen ranking snapshots become append-only in the database itself: triggers refuse UPDATE and DELETE on
jury_rankingsnapshot, on PostgreSQL and SQLite, the way contest 0004 does for the audit trail.

A later freeze makes a new snapshot; nothing ever changes or removes one, so the triggers refuse every change. On
SQLite the test flush empties tables with DELETE FROM: the same maintenance row that lets contest's flush command
(contest/management/commands/flush.py) empty the audit table lets it empty this one. PostgreSQL's flush uses TRUNCATE,
which row triggers never see.
"""

from django.db import migrations

REFUSE = "ranking snapshots are append-only"

POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION jury_rankingsnapshot_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSE}: % refused', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER jury_rankingsnapshot_append_only BEFORE UPDATE OR DELETE ON jury_rankingsnapshot
    FOR EACH ROW EXECUTE FUNCTION jury_rankingsnapshot_refuse()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS jury_rankingsnapshot_append_only ON jury_rankingsnapshot",
    "DROP FUNCTION IF EXISTS jury_rankingsnapshot_refuse()",
]

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER jury_rankingsnapshot_no_update BEFORE UPDATE ON jury_rankingsnapshot
    BEGIN SELECT RAISE(ABORT, '{REFUSE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER jury_rankingsnapshot_no_delete BEFORE DELETE ON jury_rankingsnapshot
    WHEN NOT EXISTS (SELECT 1 FROM contest_audit_maintenance)
    BEGIN SELECT RAISE(ABORT, '{REFUSE}: DELETE refused'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS jury_rankingsnapshot_no_update",
    "DROP TRIGGER IF EXISTS jury_rankingsnapshot_no_delete",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


create_triggers = _run({"postgresql": POSTGRESQL_TRIGGERS, "sqlite": SQLITE_TRIGGERS})
drop_triggers = _run({"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [
        # contest_audit_maintenance, which the SQLite DELETE trigger reads.
        ("contest", "0004_audit_chain"),
        ("jury", "0006_ranking_snapshots"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
