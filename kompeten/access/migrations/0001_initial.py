import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# A check constraint cannot read accounts_user, so triggers keep BatchStaff.role equal to
# the user's role: on adding or changing a staff row, and on changing a user's role.
SQLITE = [
    """CREATE TRIGGER access_batchstaff_role_insert BEFORE INSERT ON access_batchstaff
       WHEN (SELECT role FROM accounts_user WHERE id = NEW.user_id) IS NOT NEW.role
       BEGIN SELECT RAISE(ABORT, 'batch_staff_role_matches_user'); END""",
    """CREATE TRIGGER access_batchstaff_role_update BEFORE UPDATE ON access_batchstaff
       WHEN (SELECT role FROM accounts_user WHERE id = NEW.user_id) IS NOT NEW.role
       BEGIN SELECT RAISE(ABORT, 'batch_staff_role_matches_user'); END""",
    """CREATE TRIGGER access_user_role_keeps_batchstaff BEFORE UPDATE OF role ON accounts_user
       WHEN EXISTS (SELECT 1 FROM access_batchstaff WHERE user_id = NEW.id AND role <> NEW.role)
       BEGIN SELECT RAISE(ABORT, 'batch_staff_role_matches_user'); END""",
]
POSTGRESQL = [
    """CREATE FUNCTION access_batchstaff_role_check() RETURNS trigger AS $$
       BEGIN
         IF TG_TABLE_NAME = 'access_batchstaff' THEN
           IF (SELECT role FROM accounts_user WHERE id = NEW.user_id) IS DISTINCT FROM NEW.role
           THEN RAISE EXCEPTION 'batch_staff_role_matches_user' USING ERRCODE = '23514';
           END IF;
         ELSIF EXISTS (SELECT 1 FROM access_batchstaff
                       WHERE user_id = NEW.id AND role <> NEW.role) THEN
           RAISE EXCEPTION 'batch_staff_role_matches_user' USING ERRCODE = '23514';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER access_batchstaff_role BEFORE INSERT OR UPDATE ON access_batchstaff
       FOR EACH ROW EXECUTE FUNCTION access_batchstaff_role_check()""",
    """CREATE TRIGGER access_user_role_keeps_batchstaff BEFORE UPDATE OF role ON accounts_user
       FOR EACH ROW EXECUTE FUNCTION access_batchstaff_role_check()""",
]
DROP = {
    "sqlite": ["DROP TRIGGER access_batchstaff_role_insert",
               "DROP TRIGGER access_batchstaff_role_update",
               "DROP TRIGGER access_user_role_keeps_batchstaff"],
    "postgresql": ["DROP TRIGGER access_user_role_keeps_batchstaff ON accounts_user",
                   "DROP TRIGGER access_batchstaff_role ON access_batchstaff",
                   "DROP FUNCTION access_batchstaff_role_check()"],
}


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(
        schema_editor.connection.vendor, []))


def drop_triggers(apps, schema_editor):
    _run(schema_editor, DROP.get(schema_editor.connection.vendor, []))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BatchStaff',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('facilitator', 'Fasilitator'), ('assessor', 'Asesor')], max_length=20, verbose_name='peran')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='staff', to='programs.batch', verbose_name='angkatan')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='batch_roles', to=settings.AUTH_USER_MODEL, verbose_name='pengguna')),
            ],
            options={
                'verbose_name': 'staf angkatan',
                'verbose_name_plural': 'staf angkatan',
                'ordering': ['batch', 'role', 'user__first_name'],
                'constraints': [models.UniqueConstraint(fields=('user', 'batch', 'role'), name='batch_staff_unique', violation_error_message='Sudah bertugas di angkatan ini.'), models.CheckConstraint(condition=models.Q(('role__in', ['facilitator', 'assessor'])), name='batch_staff_role_valid')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
