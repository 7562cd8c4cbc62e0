"""Each scorecard carries its criterion scores packed in one text, "criterion id,points,criterion id,points,..." with
-1 for a score without points, kept by triggers on jury_criterionscore on PostgreSQL and SQLite.

The ranking of a large edition spent two thirds of its time joining every criterion score to its card (1,000 entries ×
30 jurors × 7 criteria: 210,000 rows); reading one short text per counted card instead takes a third of that. The
triggers, not the scoring service, write the text, so a score written any way at all (the service, a bulk insert of
the demo, a raw statement) is in it: there is no second copy for Python to forget. Pairs are unordered; the ranking
places them by criterion id. The existing cards are packed once here.
"""

from django.db import migrations, models

# One statement per database that (re)packs the cards named by the placeholder rows' scorecard ids.
SQLITE_PACK = """
    UPDATE jury_scorecard SET packed_points = coalesce((
        SELECT group_concat(criterion_id || ',' || coalesce(points, -1), ',')
        FROM jury_criterionscore WHERE scorecard_id = jury_scorecard.id
    ), '') WHERE id = {card}
"""
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER jury_criterionscore_pack_insert AFTER INSERT ON jury_criterionscore BEGIN "
    f"{SQLITE_PACK.format(card='NEW.scorecard_id')}; END",
    f"CREATE TRIGGER jury_criterionscore_pack_update AFTER UPDATE ON jury_criterionscore BEGIN "
    f"{SQLITE_PACK.format(card='OLD.scorecard_id')}; {SQLITE_PACK.format(card='NEW.scorecard_id')}; END",
    f"CREATE TRIGGER jury_criterionscore_pack_delete AFTER DELETE ON jury_criterionscore BEGIN "
    f"{SQLITE_PACK.format(card='OLD.scorecard_id')}; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS jury_criterionscore_pack_insert",
    "DROP TRIGGER IF EXISTS jury_criterionscore_pack_update",
    "DROP TRIGGER IF EXISTS jury_criterionscore_pack_delete",
]

POSTGRESQL_PACK = """
    UPDATE jury_scorecard SET packed_points = coalesce((
        SELECT string_agg(criterion_id || ',' || coalesce(points, -1), ',' ORDER BY criterion_id)
        FROM jury_criterionscore WHERE scorecard_id = jury_scorecard.id
    ), '') WHERE id = {card};
"""
POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION jury_criterionscore_pack() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            {POSTGRESQL_PACK.format(card="OLD.scorecard_id")}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            {POSTGRESQL_PACK.format(card="NEW.scorecard_id")}
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER jury_criterionscore_pack AFTER INSERT OR UPDATE OR DELETE ON jury_criterionscore
    FOR EACH ROW EXECUTE FUNCTION jury_criterionscore_pack()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS jury_criterionscore_pack ON jury_criterionscore",
    "DROP FUNCTION IF EXISTS jury_criterionscore_pack()",
]

PACK_ALL = {
    "sqlite": SQLITE_PACK.format(card="jury_scorecard.id"),
    "postgresql": POSTGRESQL_PACK.format(card="jury_scorecard.id"),
}


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": POSTGRESQL_TRIGGERS, "sqlite": SQLITE_TRIGGERS}.get(vendor, []):
        schema_editor.execute(sql, params=None)
    if vendor in PACK_ALL:
        schema_editor.execute(PACK_ALL[vendor], params=None)


def drop_triggers(apps, schema_editor):
    for sql in {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("jury", "0008_ranking_snapshots_refuse_truncate"),
    ]

    operations = [
        migrations.AddField(
            model_name="scorecard",
            name="packed_points",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
