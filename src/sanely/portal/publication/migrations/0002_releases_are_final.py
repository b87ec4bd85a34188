"""On PostgreSQL, published releases refuse UPDATE, DELETE and TRUNCATE, as the audit trail does."""

from django.db import migrations

from sanely.portal.core.append_only import refuse_changes


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_initial")]
    operations = [
        refuse_changes("publication_release", "publication_release", "published releases are final")
    ]
