"""A trigram index on each `search_text` column (PostgreSQL only), so a search's `LIKE '%word%'` is served by an
index rather than a scan as the record grows; SQLite has no such index and scans, with the same answers."""

from django.db import migrations

TABLES = ("inspections_trust", "inspections_location")


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0008_national_record")]

    operations = [migrations.RunPython(add_trigram_indexes, drop_trigram_indexes)]
