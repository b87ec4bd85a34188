"""
A migration operation that makes PostgreSQL itself refuse UPDATE, DELETE and TRUNCATE on a
table whatever client asks (the audit trail, published releases). Other databases rely on the
model's and queryset's refusal.
"""

from typing import Any

from django.db import migrations


def refuse_changes(table: str, name: str, refusal: str) -> migrations.RunPython:
    """The operation: a function `<name>_refuse_change` and the triggers `<name>_no_…`."""
    create = f"""
CREATE FUNCTION {name}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{refusal}: % refused on %', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER {name}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {name}_refuse_change();
CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION {name}_refuse_change();
"""
    drop = f"""
DROP TRIGGER IF EXISTS {name}_no_truncate ON {table};
DROP TRIGGER IF EXISTS {name}_no_update_delete ON {table};
DROP FUNCTION IF EXISTS {name}_refuse_change();
"""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create, params=None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop, params=None)

    return migrations.RunPython(forwards, backwards)
