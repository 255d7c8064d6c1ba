"""The queue's text search index (see `redress.cases.search`): a contentless FTS5 table on
SQLite, a terms table under a GIN index of to_tsvector('simple', …) on PostgreSQL, filled
with the cases that exist already; and an index on the order reference, which the search
matches exactly."""

from django.db import migrations, models

FTS_TABLE = "cases_case_fts"
PG_TABLE = "cases_case_search"
BATCH = 5000


def create(apps, schema_editor):
    from redress.cases.search import search_terms

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "terms, content='', tokenize='unicode61')"
            )
            insert = f"INSERT INTO {FTS_TABLE} (rowid, terms) VALUES (%s, %s)"
        else:
            # No foreign key: a table Django does not know of may not hold one to
            # cases_case, or emptying the cases (TRUNCATE, as tests do) would fail. Cases
            # are never deleted; a search row of a missing case matches nothing.
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (case_id bigint PRIMARY KEY, "
                "terms text NOT NULL)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_gin ON {PG_TABLE} "
                "USING GIN (to_tsvector('simple', terms))"
            )
            insert = f"INSERT INTO {PG_TABLE} (case_id, terms) VALUES (%s, %s)"
    Case = apps.get_model("cases", "Case")
    rows = (Case.objects.order_by("id").values_list(
        "id", "description", "customer__name", "customer__phone", "customer__email",
        "order_ref").iterator(chunk_size=BATCH))
    batch = []
    for pk, *texts in rows:
        batch.append((pk, search_terms(*texts)))
        if len(batch) >= BATCH:
            with connection.cursor() as cursor:
                cursor.executemany(insert, batch)
            batch = []
    if batch:
        with connection.cursor() as cursor:
            cursor.executemany(insert, batch)


def drop(apps, schema_editor):
    table = FTS_TABLE if schema_editor.connection.vendor == "sqlite" else PG_TABLE
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_labels_recovery_round")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["order_ref"], name="cases_case_order_r_idx"),
        ),
    ]
