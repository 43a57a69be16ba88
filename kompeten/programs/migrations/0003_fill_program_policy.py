"""Fill the new columns of existing programmes, then drop the fixed JP columns."""

from django.db import migrations, models

# The nine stages of the 2019 guide, by number.
KIND_BY_NUMBER = {1: "announcement", 2: "nomination", 3: "invitation", 4: "registration",
                  5: "review", 6: "elearning", 7: "classroom", 8: "classroom", 9: "assessment"}


def fill(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    ProgramJP = apps.get_model("programs", "ProgramJP")
    ProgramStage = apps.get_model("programs", "ProgramStage")
    for program in Program.objects.all():
        program.code = program.code
        program.save(update_fields=["code"])
        for kind, jp in (("elearning", program.jp_elearning), ("classroom", program.jp_classroom),
                         ("evaluation", program.jp_evaluation)):
            if jp:
                ProgramJP.objects.create(program=program, kind=kind, jp=jp)
    for stage in ProgramStage.objects.all():
        stage.kind = KIND_BY_NUMBER.get(stage.number, "announcement")
        stage.end_date = stage.date
        stage.save(update_fields=["kind", "end_date"])


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0002_program_policy_and_curriculum"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='program',
            name='jp_classroom',
        ),
        migrations.RemoveField(
            model_name='program',
            name='jp_elearning',
        ),
        migrations.RemoveField(
            model_name='program',
            name='jp_evaluation',
        ),
        migrations.AlterField(
            model_name="program",
            name="code",
            field=models.SlugField(help_text="Dipakai di alamat halaman, mis. 2019 atau 2027-2.",
                                   max_length=40, unique=True, verbose_name="kode"),
        ),
        migrations.AlterField(
            model_name="programstage",
            name="kind",
            field=models.CharField(choices=[
                ("announcement", "Pemberitahuan"), ("nomination", "Usulan peserta"),
                ("invitation", "Undangan"), ("registration", "Pendaftaran"),
                ("review", "Review berkas"), ("elearning", "E-learning"),
                ("classroom", "Pelatihan klasikal"), ("assessment", "Uji kompetensi"),
                ("monev", "Monitoring dan evaluasi")], max_length=20,
                verbose_name="jenis tahapan"),
        ),
        migrations.AlterField(
            model_name="programstage",
            name="end_date",
            field=models.DateField(verbose_name="tanggal selesai"),
        ),
    ]
