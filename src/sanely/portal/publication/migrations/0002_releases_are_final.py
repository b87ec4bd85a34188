"""On PostgreSQL, published releases refuse UPDATE, DELETE and TRUNCATE, as the audit trail does."""

from django.db import migrations

CREATE = """
CREATE FUNCTION publication_release_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published releases are final: % refused on %', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER publication_release_no_update_delete
  BEFORE UPDATE OR DELETE ON publication_release
  FOR EACH ROW EXECUTE FUNCTION publication_release_refuse_change();
CREATE TRIGGER publication_release_no_truncate BEFORE TRUNCATE ON publication_release
  FOR EACH STATEMENT EXECUTE FUNCTION publication_release_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS publication_release_no_truncate ON publication_release;
DROP TRIGGER IF EXISTS publication_release_no_update_delete ON publication_release;
DROP FUNCTION IF EXISTS publication_release_refuse_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
