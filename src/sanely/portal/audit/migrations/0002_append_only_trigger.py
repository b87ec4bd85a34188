"""
On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE of audit events,
whatever client asks. Other databases rely on the model's refusal and on the hash chain.
"""

from django.db import migrations

from sanely.portal.core.append_only import refuse_changes


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [refuse_changes("audit_auditevent", "audit_event", "audit events are append-only")]
