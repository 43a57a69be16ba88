"""Database guards the services also check: an assessor is never assigned an official of
their own agency, and a signed decision is never updated (deleting the whole registration,
and flushing a test database, still cascade)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER assessment_assignment_agency_insert BEFORE INSERT ON assessment_assignment
       WHEN (SELECT agency_id FROM accounts_user WHERE id = NEW.assessor_id)
            = (SELECT agency_id FROM registration_registration WHERE id = NEW.registration_id)
       BEGIN SELECT RAISE(ABORT, 'assessor_not_own_agency'); END""",
    """CREATE TRIGGER assessment_assignment_agency_update BEFORE UPDATE ON assessment_assignment
       WHEN (SELECT agency_id FROM accounts_user WHERE id = NEW.assessor_id)
            = (SELECT agency_id FROM registration_registration WHERE id = NEW.registration_id)
       BEGIN SELECT RAISE(ABORT, 'assessor_not_own_agency'); END""",
    """CREATE TRIGGER assessment_decision_signed_update BEFORE UPDATE ON assessment_decision
       WHEN OLD.signed_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'signed_decision_is_final'); END""",
]
POSTGRESQL = [
    """CREATE FUNCTION assessment_assignment_agency_check() RETURNS trigger AS $$
       BEGIN
         IF (SELECT agency_id FROM accounts_user WHERE id = NEW.assessor_id)
            = (SELECT agency_id FROM registration_registration WHERE id = NEW.registration_id)
         THEN RAISE EXCEPTION 'assessor_not_own_agency' USING ERRCODE = '23514';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER assessment_assignment_agency BEFORE INSERT OR UPDATE
       ON assessment_assignment FOR EACH ROW EXECUTE FUNCTION assessment_assignment_agency_check()""",
    """CREATE FUNCTION assessment_decision_signed_check() RETURNS trigger AS $$
       BEGIN
         IF OLD.signed_at IS NOT NULL
         THEN RAISE EXCEPTION 'signed_decision_is_final' USING ERRCODE = '23514';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER assessment_decision_signed BEFORE UPDATE
       ON assessment_decision FOR EACH ROW EXECUTE FUNCTION assessment_decision_signed_check()""",
]
DROP = {
    "sqlite": ["DROP TRIGGER assessment_assignment_agency_insert",
               "DROP TRIGGER assessment_assignment_agency_update",
               "DROP TRIGGER assessment_decision_signed_update"],
    "postgresql": ["DROP TRIGGER assessment_assignment_agency ON assessment_assignment",
                   "DROP FUNCTION assessment_assignment_agency_check()",
                   "DROP TRIGGER assessment_decision_signed ON assessment_decision",
                   "DROP FUNCTION assessment_decision_signed_check()"],
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
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
