"""The full-text index of the standard answers, which each database builds its own way
(see `redress.playbook.search`): an FTS5 table on SQLite, a GIN expression index over
to_tsvector('simple', …) on PostgreSQL."""

from django.db import DatabaseError, migrations

FTS_TABLE = "playbook_article_fts"
PG_INDEX = "playbook_article_search_gin"
PG_VECTOR = (
    "(setweight(to_tsvector('simple', search_title), 'A') || "
    "setweight(to_tsvector('simple', search_text), 'B'))"
)


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON playbook_article USING GIN ({PG_VECTOR})"
        )
    elif connection.vendor == "sqlite":
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
                )
                # Answers written before the index existed.
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, body) "
                    "SELECT id, search_title, search_text FROM playbook_article"
                )
        except DatabaseError:
            # An SQLite built without FTS5: search ranks in Python instead
            # (redress.playbook.search.fts5_available).
            pass


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("playbook", "0002_answers_and_wording")]

    operations = [migrations.RunPython(create, drop)]
