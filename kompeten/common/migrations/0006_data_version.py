"""The data version's sequence on PostgreSQL (kompeten/common/datachange.py); other databases
keep it in the ContentVersion row "data"."""

from django.db import migrations

SEQUENCE = "common_data_version"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("common", "0005_contentversion")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
