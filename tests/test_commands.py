import pytest
from django.core.management import CommandError, call_command

from kompeten.programs.models import Batch


@pytest.mark.django_db
def test_import_schedule_command_prints_bad_rows_and_imports_nothing(program, tmp_path, capsys):
    bad = tmp_path / "jadwal.csv"
    bad.write_text("angkatan,jenjang,tanggal_mulai,tanggal_selesai\n"
                   "90,Pengawas,2019-10-01,2019-10-02\n91,Camat,2019-10-01,2019-10-02\n"
                   "90,Pengawas,2019-10-03,2019-10-04\n")
    with pytest.raises(CommandError, match="2 kesalahan"):
        call_command("import_schedule", str(bad), "--program", "2019")
    err = capsys.readouterr().err
    assert "Baris 3, kolom jenjang" in err
    assert "Baris 4, kolom angkatan" in err
    assert not Batch.objects.filter(number__in=[90, 91]).exists()


@pytest.mark.django_db
def test_import_schedule_command_is_idempotent_on_the_2019_file(program, capsys):
    from kompeten.programs.services import DATA_DIR

    call_command("import_schedule", str(DATA_DIR / "jadwal-2019.csv"), "--program", "2019")
    assert "0 angkatan baru, 50 diperbarui" in capsys.readouterr().out
    assert Batch.objects.count() == 50


@pytest.mark.django_db
def test_import_schedule_command_unknown_program(tmp_path):
    file = tmp_path / "j.csv"
    file.write_text("angkatan\n")
    with pytest.raises(CommandError, match="2030 tidak ada"):
        call_command("import_schedule", str(file), "--program", "2030")
