"""Demo competency test: a question bank for every unit of the current programme (three
multiple-choice questions and one essay each, on manajemen ASN), the demo assessor serving
the demo participant's batch, and that batch's exam session ready to be opened."""

from django.db import transaction

from kompeten.access.models import BatchStaff
from kompeten.access.services import assign_staff
from kompeten.accounts.models import User
from kompeten.batching.models import Placement
from kompeten.exam import services
from kompeten.exam.models import ExamSession, Option, Question, QuestionKind
from kompeten.home.demo_registrations import PESERTA_USERNAME
from kompeten.programs.curriculum_models import ProgramUnit
from kompeten.programs.models import Program

ASSESSOR_USERNAME = "asesor"

# (question, options, index of the key, explanation)
MC = [
    ("Manajemen ASN diselenggarakan berdasarkan sistem yang menjamin pengangkatan, "
     "pemindahan dan promosi sesuai kualifikasi, kompetensi dan kinerja, yaitu …",
     ("sistem merit", "sistem karier tertutup", "sistem patronase", "sistem senioritas"), 0,
     "UU ASN menetapkan sistem merit sebagai dasar manajemen ASN."),
    ("Dokumen yang memuat jumlah dan susunan jabatan serta kebutuhan pegawai untuk lima "
     "tahun disebut …",
     ("rencana strategis", "rencana kebutuhan ASN", "peta proses bisnis",
      "laporan kinerja"), 1,
     "Penyusunan kebutuhan ASN dilakukan untuk jangka lima tahun, dirinci per tahun."),
    ("Pejabat yang berwenang menetapkan pengangkatan, pemindahan dan pemberhentian ASN di "
     "instansi daerah adalah …",
     ("Sekretaris Daerah", "Kepala BKD", "Pejabat Pembina Kepegawaian", "Menteri PANRB"), 2,
     "Di daerah, PPK adalah gubernur atau bupati/wali kota."),
    ("Hasil analisis beban kerja terutama dipakai untuk …",
     ("menentukan besaran tunjangan", "menghitung kebutuhan pegawai per jabatan",
      "menyusun kode etik", "menilai disiplin pegawai"), 1,
     "Analisis beban kerja menghasilkan jumlah pegawai yang dibutuhkan per jabatan."),
    ("Pengembangan kompetensi ASN paling sedikit dilakukan … per tahun.",
     ("8 JP", "12 JP", "20 JP", "40 JP"), 2,
     "Setiap PNS berhak atas pengembangan kompetensi paling sedikit 20 JP per tahun."),
    ("Sasaran kinerja pegawai disusun dengan mengacu pada …",
     ("keinginan pegawai", "rencana kinerja atasan dan organisasi",
      "jumlah jam kerja", "daftar hadir"), 1,
     "Kinerja pegawai diselaraskan dengan kinerja atasan dan organisasi (cascading)."),
    ("Talent pool dalam manajemen talenta berisi …",
     ("seluruh pegawai instansi", "pegawai yang akan pensiun",
      "pegawai berpotensi dan berkinerja tinggi yang disiapkan untuk jabatan target",
      "pegawai yang dijatuhi hukuman disiplin"), 2,
     "Talent pool adalah kelompok rencana suksesi hasil pemetaan potensi dan kinerja."),
    ("Pengisian jabatan pimpinan tinggi pratama dilakukan secara …",
     ("penunjukan langsung", "terbuka dan kompetitif", "berdasarkan senioritas",
      "undian"), 1,
     "JPT diisi melalui seleksi terbuka dan kompetitif atau manajemen talenta."),
    ("Instrumen yang memuat standar kompetensi teknis, manajerial dan sosial kultural suatu "
     "jabatan adalah …",
     ("standar kompetensi jabatan", "SOP", "anjab", "uraian tugas"), 0,
     "Standar kompetensi jabatan menjadi acuan pengembangan dan uji kompetensi."),
    ("Hukuman disiplin berat bagi PNS antara lain …",
     ("teguran lisan", "pernyataan tidak puas tertulis",
      "penurunan jabatan setingkat lebih rendah selama 12 bulan", "teguran tertulis"), 2,
     "Penurunan jabatan 12 bulan termasuk hukuman disiplin berat."),
    ("Sistem informasi ASN yang dikelola BKN sebagai sumber data kepegawaian nasional "
     "adalah …",
     ("SIASN", "SIPD", "SPSE", "SAKTI"), 0,
     "SIASN memuat data ASN dari seluruh instansi."),
    ("Rencana tindak lanjut (RTL) peserta pelatihan sebaiknya …",
     ("disusun setelah sertifikat terbit", "memuat langkah terukur dengan tenggat waktu",
      "ditulis oleh penyelenggara", "cukup berupa judul"), 1,
     "RTL memuat langkah, indikator dan jadwal jangka pendek, menengah dan panjang."),
]
ESSAY_POINTS = ("menjelaskan kondisi awal di instansi; menyebut dasar aturan; langkah "
                "penerapan berurutan; pihak yang terlibat; indikator keberhasilan")


def _bank(units: list[ProgramUnit], organiser: User | None) -> int:
    have = set(Question.objects.filter(unit__in=units).values_list("unit_id", flat=True))
    questions, keys = [], []
    for index, unit in enumerate(u for u in units if u.pk not in have):
        for n in range(3):
            text, options, key, explanation = MC[(index * 3 + n) % len(MC)]
            questions.append(Question(unit=unit, kind=QuestionKind.MULTIPLE_CHOICE, text=text,
                                      explanation=explanation, created_by=organiser))
            keys.append((options, key))
        questions.append(Question(
            unit=unit, kind=QuestionKind.ESSAY, max_points=10, created_by=organiser,
            text=f"Uraikan bagaimana Anda menerapkan “{unit.title}” di instansi Anda, dengan "
                 f"satu contoh kasus nyata.", expected_points=ESSAY_POINTS))
        keys.append(None)
    Question.objects.bulk_create(questions)
    Option.objects.bulk_create([
        Option(question=question, order=order, text=text, is_key=order == pair[1])
        for question, pair in zip(questions, keys, strict=True) if pair
        for order, text in enumerate(pair[0])])
    return len(questions)


@transaction.atomic
def load_demo_exam(*, program: Program) -> int:
    """Idempotent; returns the questions created."""
    organiser = User.objects.filter(username="penyelenggara").first()
    created = _bank(list(ProgramUnit.objects.filter(qualification__program=program)),
                    organiser)
    placement = (Placement.objects.filter(registration__program=program,
                                          registration__user__username=PESERTA_USERNAME,
                                          batch__isnull=False)
                 .select_related("batch").first())
    assessor = User.objects.filter(username=ASSESSOR_USERNAME).first()
    if placement is None or assessor is None:
        return created
    batch = placement.batch
    if not BatchStaff.objects.filter(batch=batch, user=assessor).exists():
        assign_staff(batch=batch, user=assessor)
    if not ExamSession.objects.filter(batch=batch).exists():
        services.create_session(batch=batch, by=assessor)
    return created
