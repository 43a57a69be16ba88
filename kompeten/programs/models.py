from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# The 38 provinces of Indonesia (2022 onwards). Real names, not demo data.
PROVINCES = [
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bengkulu", "Lampung",
    "DKI Jakarta", "Jawa Barat", "Banten", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur",
    "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
    "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
    "Sulawesi Utara", "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat",
    "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku", "Maluku Utara", "Papua",
    "Papua Barat", "Papua Barat Daya", "Papua Selatan", "Papua Tengah", "Papua Pegunungan",
]
PROVINCE_CHOICES = [(name, name) for name in PROVINCES]


class Level(models.Model):
    """Jenjang jabatan: JPT Pratama, Administrator, Pengawas."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama jenjang"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("jenjang")
        verbose_name_plural = _("jenjang")

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    KL_PUSAT = "kl", _("K/L Pusat")
    PROVINCE = "provinsi", _("Pemerintah Provinsi")
    REGENCY_CITY = "kabkota", _("Pemerintah Kabupaten/Kota")
    BKN = "bkn", _("BKN")


class Agency(models.Model):
    """Instansi: a ministry/institution or a regional government."""

    code = models.CharField(_("kode instansi"), max_length=20, unique=True)
    name = models.CharField(_("nama instansi"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=AgencyKind.choices)
    province = models.CharField(
        _("provinsi"), max_length=40, choices=PROVINCE_CHOICES, blank=True
    )
    email = models.EmailField(_("e-mail kontak"), blank=True)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="kl") | Q(kind="bkn") | ~Q(province=""),
                name="agency_regional_has_province",
                violation_error_message=_("Instansi daerah wajib mempunyai provinsi."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QualificationScope(models.TextChoices):
    ALL = "all", _("Semua instansi")
    BKN = "bkn", _("Khusus BKN")
    NON_BKN = "non_bkn", _("Instansi K/L dan Daerah (selain BKN)")


class Qualification(models.Model):
    """Kualifikasi: the set of competency units certified for one level."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama kualifikasi"), max_length=200, unique=True)
    level = models.ForeignKey(
        Level, verbose_name=_("jenjang"), on_delete=models.PROTECT,
        related_name="qualifications",
    )
    scope = models.CharField(
        _("berlaku untuk"), max_length=10, choices=QualificationScope.choices,
        default=QualificationScope.ALL,
    )

    class Meta:
        ordering = ["level__order", "name"]
        verbose_name = _("kualifikasi")
        verbose_name_plural = _("kualifikasi")

    def __str__(self) -> str:
        return self.name


class CompetencyUnit(models.Model):
    """Unit kompetensi. The source gives titles only; codes are organiser data."""

    qualification = models.ForeignKey(
        Qualification, verbose_name=_("kualifikasi"), on_delete=models.CASCADE,
        related_name="units",
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    code = models.CharField(_("kode unit"), max_length=40)
    title = models.CharField(_("judul unit"), max_length=250)
    code_is_demo = models.BooleanField(
        _("kode demo"), default=False,
        help_text=_("Kode dibuat otomatis untuk demo; ganti dengan kode resmi."),
    )

    class Meta:
        ordering = ["qualification", "order"]
        verbose_name = _("unit kompetensi")
        verbose_name_plural = _("unit kompetensi")
        constraints = [
            models.UniqueConstraint(
                fields=["qualification", "order"], name="unit_order_unique_in_qualification",
                violation_error_message=_("Nomor urut sudah dipakai di kualifikasi ini."),
            ),
            models.UniqueConstraint(
                fields=["qualification", "code"], name="unit_code_unique_in_qualification",
                violation_error_message=_("Kode unit sudah dipakai di kualifikasi ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Module(models.Model):
    """Modul pelatihan of one level."""

    level = models.ForeignKey(
        Level, verbose_name=_("jenjang"), on_delete=models.PROTECT, related_name="modules"
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("judul modul"), max_length=250)

    class Meta:
        ordering = ["level__order", "order"]
        verbose_name = _("modul")
        verbose_name_plural = _("modul")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "order"], name="module_order_unique_in_level",
                violation_error_message=_("Nomor urut modul sudah dipakai di jenjang ini."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ElearningRule(models.TextChoices):
    STUDIED_AND_RESUME = "studied_resume", _("Semua modul dipelajari dan resumenya diterima")
    RESUME = "resume", _("Resume setiap modul diterima")
    STUDIED = "studied", _("Semua modul dipelajari")


class Program(models.Model):
    """Penyelenggaraan: one run of training and certification. A year may hold two runs,
    told apart by their code (used in URLs and ?tahun=)."""

    code = models.SlugField(
        _("kode"), max_length=40, unique=True,
        help_text=_("Dipakai di alamat halaman, mis. 2019 atau 2027-2."),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    name = models.CharField(_("nama penyelenggaraan"), max_length=250)
    signatory_name = models.CharField(_("nama penandatangan"), max_length=150)
    signatory_nip = models.CharField(_("NIP penandatangan"), max_length=18)
    signatory_title = models.CharField(_("jabatan penandatangan"), max_length=150)
    is_active = models.BooleanField(_("penyelenggaraan aktif"), default=True)
    is_current = models.BooleanField(
        _("penyelenggaraan berjalan"), default=False,
        help_text=_("Yang ditampilkan di beranda; hanya satu."),
    )
    group_min_size = models.PositiveSmallIntegerField(_("anggota rumpun minimal"), default=4)
    group_max_size = models.PositiveSmallIntegerField(_("anggota rumpun maksimal"), default=8)
    dorm_arrival_night_before = models.BooleanField(
        _("menginap sejak malam sebelum hari pertama"), default=True,
    )
    resume_min_chars = models.PositiveSmallIntegerField(
        _("panjang minimal resume (karakter)"), default=300,
        help_text=_("Untuk resume yang diketik; berkas PDF/DOCX tidak dihitung."),
    )
    elearning_rule = models.CharField(
        _("syarat e-learning selesai"), max_length=20, choices=ElearningRule.choices,
        default=ElearningRule.STUDIED_AND_RESUME,
    )

    class Meta:
        ordering = ["-year", "-code"]
        verbose_name = _("penyelenggaraan")
        verbose_name_plural = _("penyelenggaraan")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True),
                                    name="one_current_program",
                                    violation_error_message=_(
                                        "Sudah ada penyelenggaraan lain yang berjalan.")),
            models.CheckConstraint(
                condition=Q(group_min_size__gte=1), name="program_group_min_positive",
                violation_error_message=_("Anggota rumpun minimal harus 1 atau lebih."),
            ),
            models.CheckConstraint(
                condition=Q(elearning_rule__in=["studied_resume", "resume", "studied"]),
                name="program_elearning_rule_valid"),
            models.CheckConstraint(
                condition=Q(group_max_size__gte=F("group_min_size")),
                name="program_group_max_not_below_min",
                violation_error_message=_(
                    "Anggota rumpun maksimal tidak boleh kurang dari minimal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}" if self.code == str(self.year) else (
            f"{self.name} {self.year} ({self.code})")


class JPKind(models.TextChoices):
    ELEARNING = "elearning", _("E-learning")
    CLASSROOM = "classroom", _("Klasikal")
    EVALUATION = "evaluation", _("Evaluasi/uji kompetensi")


class ProgramJP(models.Model):
    """One component of the programme's lesson hours (JP)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="jp_components",
                                verbose_name=_("penyelenggaraan"))
    kind = models.CharField(_("komponen"), max_length=20, choices=JPKind.choices)
    jp = models.PositiveSmallIntegerField(_("JP"))

    class Meta:
        ordering = ["program", "kind"]
        verbose_name = _("komponen JP")
        verbose_name_plural = _("komponen JP")
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="jp_kind_once_per_program",
                                    violation_error_message=_(
                                        "Komponen ini sudah ada di penyelenggaraan ini.")),
            models.CheckConstraint(condition=Q(jp__gt=0), name="jp_positive",
                                   violation_error_message=_("JP harus lebih dari 0.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.jp} JP"


class StageKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Pemberitahuan")
    NOMINATION = "nomination", _("Usulan peserta")
    INVITATION = "invitation", _("Undangan")
    REGISTRATION = "registration", _("Pendaftaran")
    REVIEW = "review", _("Review berkas")
    ELEARNING = "elearning", _("E-learning")
    CLASSROOM = "classroom", _("Pelatihan klasikal")
    ASSESSMENT = "assessment", _("Uji kompetensi")
    MONEV = "monev", _("Monitoring dan evaluasi")


class ProgramStage(models.Model):
    """Tahapan: one step of the programme timeline, open from start to end date.

    The dates hold for every level unless a StageDate gives a level its own."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stages",
                                verbose_name=_("penyelenggaraan"))
    number = models.PositiveSmallIntegerField(_("nomor"))
    kind = models.CharField(_("jenis tahapan"), max_length=20, choices=StageKind.choices)
    date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    activity = models.CharField(_("kegiatan"), max_length=300)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["program", "number"]
        verbose_name = _("tahapan")
        verbose_name_plural = _("tahapan")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="stage_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("date")), name="stage_end_not_before_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.activity}"


class StageDate(models.Model):
    """The dates of one stage for one level, where that level's timeline differs."""

    stage = models.ForeignKey(ProgramStage, on_delete=models.CASCADE,
                              related_name="level_dates", verbose_name=_("tahapan"))
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("jenjang"))
    date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))

    class Meta:
        ordering = ["stage", "level__order"]
        verbose_name = _("tanggal tahapan per jenjang")
        verbose_name_plural = _("tanggal tahapan per jenjang")
        constraints = [
            models.UniqueConstraint(fields=["stage", "level"], name="stage_date_once_per_level",
                                    violation_error_message=_(
                                        "Jenjang ini sudah punya tanggal untuk tahapan ini.")),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("date")), name="stage_date_end_not_before_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} ({self.level})"


class ProgramQuota(models.Model):
    """Seats each agency may nominate for one level in a programme."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="quotas")
    level = models.ForeignKey(Level, verbose_name=_("jenjang"), on_delete=models.PROTECT)
    seats_per_agency = models.PositiveSmallIntegerField(_("kuota per instansi"), default=1)

    class Meta:
        ordering = ["program", "level__order"]
        verbose_name = _("kuota")
        verbose_name_plural = _("kuota")
        constraints = [
            models.UniqueConstraint(fields=["program", "level"], name="quota_unique_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.program.code}: {self.seats_per_agency}"


class Batch(models.Model):
    """Angkatan: a two-day class of (by default) 30 officials of one level."""

    program = models.ForeignKey(
        Program, verbose_name=_("penyelenggaraan"), on_delete=models.CASCADE,
        related_name="batches",
    )
    number = models.PositiveSmallIntegerField(_("angkatan"))
    level = models.ForeignKey(
        Level, verbose_name=_("jenjang"), on_delete=models.PROTECT, related_name="batches"
    )
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    capacity = models.PositiveSmallIntegerField(_("kapasitas"), default=30)
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    # The .ics feed's LAST-MODIFIED and SEQUENCE: calendar apps see a moved batch as changed.
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["program", "number"]
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"], name="batch_number_unique_in_program",
                violation_error_message=_("Nomor angkatan sudah ada di penyelenggaraan ini."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="batch_end_not_before_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="batch_capacity_positive",
                violation_error_message=_("Kapasitas harus lebih dari 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"Angkatan {self.number} ({self.level})"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


# Defined in their own module to keep this one short; imported so Django registers them.
from kompeten.programs.curriculum_models import (  # noqa: E402, F401
    ProgramModule,
    ProgramQualification,
    ProgramUnit,
)
