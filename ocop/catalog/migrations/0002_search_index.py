"""The full-text index of the listings, in each database's own way (see catalog/search.py):
an FTS5 table kept by triggers on SQLite, a generated tsvector column with a GIN index on
PostgreSQL.

Beware: on SQLite, a later migration that alters catalog_listing in a way Django does by
remaking the table (most AlterField operations) drops these triggers with the old table; it
must run the SQLITE statements again. The search tests fail if it does not."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE catalog_listing_fts USING fts5("
    "name, producer, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalog_listing_fts_insert AFTER INSERT ON catalog_listing BEGIN "
    "INSERT INTO catalog_listing_fts(rowid, name, producer, body) "
    "VALUES (new.id, new.name_text, new.producer_text, new.body_text); END",
    "CREATE TRIGGER catalog_listing_fts_delete AFTER DELETE ON catalog_listing BEGIN "
    "DELETE FROM catalog_listing_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER catalog_listing_fts_update AFTER UPDATE ON catalog_listing BEGIN "
    "DELETE FROM catalog_listing_fts WHERE rowid = old.id; "
    "INSERT INTO catalog_listing_fts(rowid, name, producer, body) "
    "VALUES (new.id, new.name_text, new.producer_text, new.body_text); END",
    "INSERT INTO catalog_listing_fts(rowid, name, producer, body) "
    "SELECT id, name_text, producer_text, body_text FROM catalog_listing",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS catalog_listing_fts_insert",
    "DROP TRIGGER IF EXISTS catalog_listing_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_listing_fts_update",
    "DROP TABLE IF EXISTS catalog_listing_fts",
]
POSTGRESQL = [
    "ALTER TABLE catalog_listing ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', name_text), 'A') || "
    "setweight(to_tsvector('simple', producer_text), 'B') || "
    "setweight(to_tsvector('simple', body_text), 'C')) STORED",
    "CREATE INDEX catalog_listing_search ON catalog_listing USING GIN (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS catalog_listing_search",
    "ALTER TABLE catalog_listing DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
