"""PostgreSQL: TRUNCATE of the audit trail is refused too. The row triggers of 0004 never see a TRUNCATE, so one
statement (or a TRUNCATE ... CASCADE of a table the events point to, such as the users) could empty the trail, and
verify_audit, finding no event, would report nothing wrong. A statement trigger refuses it, as the ranking snapshots'
does (jury 0008): only contest's flush command, which sets the transaction-local slz.flush to "on", gets through.
SQLite has no TRUNCATE (its DELETE trigger covers "DELETE FROM" without a WHERE).
"""

from django.db import migrations

REFUSE = "audit events are append-only"

POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION contest_auditevent_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('slz.flush', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{REFUSE}: TRUNCATE refused' USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER contest_auditevent_no_truncate BEFORE TRUNCATE ON contest_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION contest_auditevent_refuse_truncate()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS contest_auditevent_no_truncate ON contest_auditevent",
    "DROP FUNCTION IF EXISTS contest_auditevent_refuse_truncate()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("contest", "0011_checklist_item_system_check")]

    operations = [migrations.RunPython(_run(POSTGRESQL_TRIGGERS), _run(POSTGRESQL_DROP))]
