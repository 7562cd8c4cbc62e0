"""PostgreSQL: TRUNCATE of jury_rankingsnapshot is refused too. Row triggers (0007) never see a TRUNCATE, so one
statement could empty every snapshot of every edition; a statement trigger refuses it.

Django's flush (between transactional tests, `manage.py flush`) truncates every table at once: contest's flush command
sets the transaction-local setting slz.flush to "on" around it, and only then is the TRUNCATE let through. SQLite has
no TRUNCATE (its DELETE trigger from 0007 covers "DELETE FROM" without a WHERE).
"""

from django.db import migrations

REFUSE = "ranking snapshots are append-only"

POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION jury_rankingsnapshot_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('slz.flush', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{REFUSE}: TRUNCATE refused' USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER jury_rankingsnapshot_no_truncate BEFORE TRUNCATE ON jury_rankingsnapshot
    FOR EACH STATEMENT EXECUTE FUNCTION jury_rankingsnapshot_refuse_truncate()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS jury_rankingsnapshot_no_truncate ON jury_rankingsnapshot",
    "DROP FUNCTION IF EXISTS jury_rankingsnapshot_refuse_truncate()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


create_triggers = _run(POSTGRESQL_TRIGGERS)
drop_triggers = _run(POSTGRESQL_DROP)


class Migration(migrations.Migration):
    dependencies = [("jury", "0007_ranking_snapshots_append_only")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
