"""The database itself refuses to change a posted ledger entry (a door the app does not guard:
someone with SQL access). PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE (its test
flushes delete rows, PostgreSQL's truncate). The hash chain still catches whoever disables this."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION funds_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_entry is append-only: add a reversing entry instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_entry_append_only BEFORE UPDATE OR DELETE ON funds_entry
    FOR EACH ROW EXECUTE FUNCTION funds_entry_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS funds_entry_append_only ON funds_entry;
DROP FUNCTION IF EXISTS funds_entry_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER funds_entry_append_only BEFORE UPDATE ON funds_entry
BEGIN SELECT RAISE(ABORT, 'funds_entry is append-only: add a reversing entry instead'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS funds_entry_append_only;"


def up(apps, schema_editor):
    sql = {"postgresql": PG_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def down(apps, schema_editor):
    sql = {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
