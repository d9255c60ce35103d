"""The database's own guard of the ledger, for someone who bypasses the app (SQL access).

- `funds_entry` and `funds_checkpoint` refuse UPDATE and DELETE (row triggers) and, on
  PostgreSQL, TRUNCATE (a statement trigger: row triggers do not see a truncate). SQLite has no
  TRUNCATE statement (its `DELETE FROM t` without WHERE is refused by the row trigger).
- `funds_fund` refuses to move a ledger's tip backwards or to swap it in place: rolling the tip
  back is how a deleted last entry would otherwise pass unnoticed.

The table owner (or a PostgreSQL superuser, or whoever holds the SQLite file) can still switch these
off; that is what the seals (`LEDGER_KEY`) and the published checkpoints are for (`chain`).

Beware on SQLite: a migration that rebuilds one of these tables (`_remake_table`) drops its
triggers; `test_guard_is_installed` fails then, and the migration must call `install` again.
"""

APPEND_ONLY = ("funds_entry", "funds_checkpoint")

PG_INSTALL = """
CREATE OR REPLACE FUNCTION funds_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: add a reversing entry instead', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION funds_tip_forward() RETURNS trigger AS $$
BEGIN
    IF NEW.last_seq < OLD.last_seq
       OR (NEW.last_seq = OLD.last_seq AND NEW.last_hash IS DISTINCT FROM OLD.last_hash) THEN
        RAISE EXCEPTION 'funds_fund: a ledger tip only moves forward';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
{tables}
CREATE TRIGGER funds_fund_tip_forward BEFORE UPDATE ON funds_fund
    FOR EACH ROW EXECUTE FUNCTION funds_tip_forward();
"""
PG_TABLE = """
CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t}
    FOR EACH ROW EXECUTE FUNCTION funds_append_only();
CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t}
    FOR EACH STATEMENT EXECUTE FUNCTION funds_append_only();
"""
PG_REMOVE = """
{tables}
DROP TRIGGER IF EXISTS funds_fund_tip_forward ON funds_fund;
DROP FUNCTION IF EXISTS funds_tip_forward();
DROP FUNCTION IF EXISTS funds_append_only();
"""
PG_TABLE_REMOVE = """
DROP TRIGGER IF EXISTS {t}_append_only ON {t};
DROP TRIGGER IF EXISTS {t}_no_truncate ON {t};
"""

SQLITE_TABLE = """
CREATE TRIGGER {t}_append_only BEFORE UPDATE ON {t}
BEGIN SELECT RAISE(ABORT, '{t} is append-only: add a reversing entry instead'); END;
CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t}
BEGIN SELECT RAISE(ABORT, '{t} is append-only: add a reversing entry instead'); END;
"""
SQLITE_FUND = """
CREATE TRIGGER funds_fund_tip_forward BEFORE UPDATE OF last_seq, last_hash ON funds_fund
WHEN NEW.last_seq < OLD.last_seq OR (NEW.last_seq = OLD.last_seq AND NEW.last_hash <> OLD.last_hash)
BEGIN SELECT RAISE(ABORT, 'funds_fund: a ledger tip only moves forward'); END;
"""
SQLITE_TABLE_REMOVE = """
DROP TRIGGER IF EXISTS {t}_append_only;
DROP TRIGGER IF EXISTS {t}_no_delete;
"""

# The triggers each database must have (the test that the guard is in place reads them back).
TRIGGERS = {
    "postgresql": {f"{t}_{k}" for t in APPEND_ONLY for k in ("append_only", "no_truncate")}
    | {"funds_fund_tip_forward"},
    "sqlite": {f"{t}_{k}" for t in APPEND_ONLY for k in ("append_only", "no_delete")}
    | {"funds_fund_tip_forward"},
}


def _statements(sql: str) -> list[str]:
    """SQLite's cursor runs one statement at a time; a trigger body holds a `;` before END."""
    out, current = [], []
    for line in sql.strip().splitlines():
        current.append(line)
        if line.rstrip().endswith(";") and (
            not current[0].startswith("CREATE TRIGGER") or line.rstrip().endswith("END;")
        ):
            out.append("\n".join(current))
            current = []
    return [s for s in out if s.strip()]


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        tables = "".join(PG_TABLE.format(t=t) for t in APPEND_ONLY)
        return [PG_INSTALL.format(tables=tables)]
    if vendor == "sqlite":
        return _statements("".join(SQLITE_TABLE.format(t=t) for t in APPEND_ONLY) + SQLITE_FUND)
    return []


def remove_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        tables = "".join(PG_TABLE_REMOVE.format(t=t) for t in APPEND_ONLY)
        return [PG_REMOVE.format(tables=tables)]
    if vendor == "sqlite":
        drops = "".join(SQLITE_TABLE_REMOVE.format(t=t) for t in APPEND_ONLY)
        return _statements(drops + "DROP TRIGGER IF EXISTS funds_fund_tip_forward;")
    return []


def install(schema_editor) -> None:
    for sql in remove_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)
    for sql in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def remove(schema_editor) -> None:
    for sql in remove_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def installed(connection) -> set[str]:
    """The guard's triggers present in the database."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
                " AND tgname LIKE 'funds_%%'"
            )
        else:
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cur.fetchall()} & TRIGGERS.get(connection.vendor, set())


def around_flush(vendor: str, sql_list: list[str]) -> list[str]:
    """A test database's flush empties every table: the guard steps aside for it, in the same
    transaction (tests only: `conftest.py` wraps Django's flush with this)."""
    if not any("funds_entry" in sql for sql in sql_list):
        return list(sql_list)
    if vendor == "postgresql":
        off = [f"ALTER TABLE {t} DISABLE TRIGGER USER" for t in APPEND_ONLY]
        on = [f"ALTER TABLE {t} ENABLE TRIGGER USER" for t in APPEND_ONLY]
        return off + list(sql_list) + on
    if vendor == "sqlite":
        drops = [f"DROP TRIGGER IF EXISTS {t}_no_delete" for t in APPEND_ONLY]
        again = [s for s in install_sql("sqlite") if "_no_delete" in s]
        return drops + list(sql_list) + again
    return list(sql_list)
