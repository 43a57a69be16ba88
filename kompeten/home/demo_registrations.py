"""Demo registrations: the three example action plans of the 2019 guide (Pengawas,
Administrator, JPT Pratama), entered through the same services as real data.

Identities follow the guide (initials as printed there); NIPs, phone numbers and
e-mail addresses are invented, valid-looking demo values.
"""

from dataclasses import dataclass, field

from django.db import transaction

from kompeten.accounts.models import User
from kompeten.actionplans.plans import MilestoneInput, PlanInput, save_action_plan
from kompeten.nominations import services as nominations
from kompeten.participants.forms import ProfileForm
from kompeten.participants.services import update_profile
from kompeten.programs.models import Agency, Level, Program
from kompeten.registration import services
from kompeten.registration.models import Registration

# The demo "peserta" login owns the Pengawas example.
PESERTA_USERNAME = "peserta"


def _m(horizon: str, activity: str, value: int, unit: str, output: str,
       start_week: int | None = None) -> MilestoneInput:
    return MilestoneInput(horizon=horizon, activity=activity, duration_value=value,
                          duration_unit=unit, output=output, start_week=start_week)


@dataclass(frozen=True)
class Example:
    level_code: str
    agency_code: str
    nip: str
    full_name: str
    position: str
    work_unit: str
    email: str
    phone: str
    mentor: dict
    plan: PlanInput
    milestones: list[MilestoneInput] = field(default_factory=list)
    # None: the account the invitation creates (username = NIP).
    username: str | None = None

    @property
    def login(self) -> str:
        return self.username or self.nip


PENGAWAS = Example(
    level_code="pengawas", agency_code="BKN", nip="196804121994031003", full_name="Drs. AP",
    position="Kepala Subbidang Perencanaan dan Penyelenggaraan Diklat ASN",
    work_unit="Pusat Pengembangan ASN BKN", email="ap@demo.kompeten.example",
    phone="0813-0000-2019", username=PESERTA_USERNAME,
    mentor={"mentor_name": "Dr. NH", "mentor_nip": "197208171998122001",
            "mentor_position": "Kepala Bidang Pengelolaan Diklat ASN",
            "mentor_email": "nh@demo.kompeten.example"},
    plan=PlanInput(
        title="Membuat Checklist Cluster Dokumen Laporan Kegiatan Pengembangan Kompetensi "
              "Kepegawaian",
        background="Membuat keseragaman dokumen kegiatan pengembangan\n"
                   "Menyamakan persepsi antara bagian pengelolaan pelatihan dengan bagian "
                   "administrasi keuangan\n"
                   "Memastikan kelengkapan dokumen pengembangan",
        problem="Seringkali pembayaran honorarium terlambat karena pemahaman kelengkapan "
                "dokumen yang tidak sama",
        goals="Memudahkan dan menyamakan persepsi tentang kelengkapan dokumen administrasi "
              "keuangan",
        benefits="Pembayaran honorarium dilakukan tepat waktu\nTertib administrasi"),
    milestones=[
        _m("short", "FGD Permasalahan Laporan Kegiatan Pengembangan", 2, "week",
           "Formulasi kesamaan persepsi kestandaran dokumen laporan pengembangan"),
        _m("short", "Penyusunan draft checklist laporan", 4, "week", "Draft format checklist"),
        _m("medium", "Finalisasi laporan", 2, "week", "Checklist dokumen laporan final"),
        _m("long", "Integrasi ke dalam aplikasi e-Pusbang", 4, "week",
           "Menu checklist di aplikasi e-Pusbang"),
    ],
)

ADMINISTRATOR = Example(
    level_code="administrator", agency_code="BKN", nip="197208171998122001",
    full_name="Dr. NH", position="Kepala Bidang Pengelolaan Diklat ASN",
    work_unit="Pusat Pengembangan ASN BKN", email="nh@demo.kompeten.example",
    phone="0812-0000-2019",
    mentor={"mentor_name": "Arm, S.Sos", "mentor_nip": "",
            "mentor_position": "Kepala Pusat Pengembangan ASN",
            "mentor_email": "arm@demo.kompeten.example"},
    plan=PlanInput(
        title="Implementasi Coaching dan Mentoring Kepegawaian",
        background="Kebutuhan pengembangan bagi PNS sesuai dengan amanat UU No 5 Tahun 2014 "
                   "tentang ASN\n"
                   "Peningkatan kinerja PNS diharapkan sejalan dengan peningkatan kinerja "
                   "organisasi\n"
                   "Kebutuhan varian pengembangan bagi PNS selain pendidikan, pelatihan dan "
                   "workshop",
        problem="UU ASN mengamanatkan bahwa setiap PNS berhak mendapatkan pengembangan "
                "kompetensi 20 JP selama setahun. Sementara terdapat keterbatasan anggaran yang "
                "tidak sebanding dengan jumlah PNS keseluruhan",
        goals="Peningkatan kompetensi PNS khususnya bagi para pengelola kepegawaian melalui "
              "metode coaching dan mentoring",
        benefits="Peningkatan kinerja pengelola kepegawaian\nPeningkatan kinerja organisasi\n"
                 "Terlatihnya kemampuan atasan langsung mengimplementasikan coaching dan "
                 "mentoring kepada bawahannya"),
    milestones=[
        _m("short", "Menyusun konsep coaching dan mentoring", 2, "week",
           "Konsep metode coaching dan mentoring kepegawaian"),
        _m("short", "Sosialisasi implementasi metode coaching dan mentoring", 6, "week",
           "Metode coaching dan mentoring tersosialisasi kepada PNS"),
        _m("medium", "Menyusun draft Peraturan BKN mengenai implementasi coaching dan mentoring",
           4, "week", "Draft Peraturan BKN tentang implementasi coaching dan mentoring"),
        # 4 months (18 weeks) after the draft would end in week 30, beyond the medium
        # horizon: the enactment runs alongside the drafting, from week 9 to week 26.
        _m("medium", "Regulasi mengenai coaching dan mentoring ditetapkan dengan Peraturan BKN",
           4, "month", "Ditetapkannya Peraturan BKN yang mengatur mengenai implementasi "
           "coaching dan mentoring kepegawaian", start_week=9),
        # Monitoring runs the whole year, from week 1.
        _m("long", "Monitoring dan evaluasi implementasi coaching dan mentoring", 12, "month",
           "Laporan hasil evaluasi dan monitoring coaching dan mentoring kepegawaian",
           start_week=1),
    ],
)

JPT_PRATAMA = Example(
    level_code="jpt-pratama", agency_code="KL-01", nip="196511031991031002",
    full_name="Drs. ASH, M.Si.", position="Kepala Pusat Pendidikan dan Pelatihan",
    work_unit="Sekretariat Jenderal", email="ash@demo.kompeten.example",
    phone="0811-0000-2019",
    mentor={"mentor_name": "AST, MA.", "mentor_nip": "",
            "mentor_position": "Sekretaris Jenderal",
            "mentor_email": "ast@demo.kompeten.example"},
    plan=PlanInput(
        title="Membuat aplikasi evaluasi pengukuran hasil pelatihan manajemen ASN bagi pejabat "
              "Administrasi dan JPT Pratama",
        background="1. Kebijakan digitalisasi pelayanan pengembangan, sesuai dengan kebijakan "
                   "e-Government\n2. Melaksanakan kebijakan paper less\n"
                   "3. Menjaga objektivitas dan konsistensi penilaian/evaluasi peserta",
        problem="Dalam pelaksanaan evaluasi pelatihan membutuhkan banyak resources (seperti "
                "tenaga dan ATK)",
        goals="1. Membuat evaluasi pelatihan berbasis IT\n"
              "2. Membuat layanan evaluasi lebih cepat dan efisien",
        benefits="Evaluasi pelatihan lebih objektif dan efisien"),
    milestones=[
        _m("short", "FGD Permasalahan evaluasi/tes pelatihan manajemen ASN bagi pejabat "
           "Administrasi dan JPT Pratama", 2, "week",
           "Formulasi kesamaan evaluasi/tes pelatihan manajemen ASN bagi pejabat "
           "Administrasi dan JPT Pratama"),
        _m("short", "Penyusunan draft materi tes/evaluasi bagi pelatihan manajemen ASN bagi "
           "pejabat Administrasi dan JPT Pratama", 1, "month", "Draft format checklist"),
        _m("medium", "Finalisasi materi tes/evaluasi bagi pelatihan manajemen ASN bagi pejabat "
           "Administrasi dan JPT Pratama", 2, "week", "Materi"),
        _m("medium", "Blueprint aplikasi", 2, "week", "Desain aplikasi"),
        _m("medium", "Pembuatan aplikasi", 2, "week", "Aplikasi"),
        _m("long", "Integrasi ke dalam aplikasi e-Pusbang", 1, "week",
           "Menu checklist di aplikasi e-Pusbang"),
        _m("long", "Uji coba penggunaan aplikasi", 1, "month", "Feedback penggunaan aplikasi"),
        _m("long", "Finalisasi penggunaan aplikasi", 1, "month", "Penggunaan aplikasi"),
    ],
)

EXAMPLES = [PENGAWAS, ADMINISTRATOR, JPT_PRATAMA]


def _enter(example: Example, *, program: Program, password: str) -> Registration:
    """One official from nomination to a complete plan, as the real pages do it."""
    registration = nominations.nominate(
        program=program, agency=Agency.objects.get(code=example.agency_code),
        level=Level.objects.get(code=example.level_code), by=None,
        nominee=nominations.Nominee(nip=example.nip, full_name=example.full_name,
                                 position=example.position, email=example.email,
                                 work_unit=example.work_unit, phone=example.phone))
    token = services.invite(registration=registration)
    account = services.existing_account(registration)
    if account is None:
        account = services.accept_invitation(token=token, password=password)
    else:
        # The official took part in an earlier demo programme: same account, as in life.
        services.accept_invitation_as(token=token, user=account)
    if example.username is not None and example.username != account.username:
        # The demo login of the participant role takes this registration over; the account
        # the invitation created for the NIP is not needed.
        owner = User.objects.get(username=example.username)
        Registration.objects.filter(pk=registration.pk).update(user=owner)
        account.delete()
    registration.refresh_from_db()
    form = ProfileForm(data={"full_name": example.full_name, "position": example.position,
                             "work_unit": example.work_unit, "phone": example.phone,
                             "email": example.email, **example.mentor},
                       instance=registration)
    if not form.is_valid():
        raise ValueError(f"demo profile of {example.nip} is invalid: {form.errors.as_json()}")
    update_profile(registration=registration, form=form)
    save_action_plan(registration=registration, plan=example.plan,
                     milestones=example.milestones)
    return registration


# An invited official of the demo operator's agency in the current programme.
INVITED_NOMINEE = nominations.Nominee(
    nip="198003152006042001", full_name="Rina Marlina, S.Sos.",
    position="Kepala Subbidang Mutasi", email="rina@demo.kompeten.example",
    work_unit="BKD Provinsi Sumatera Selatan", phone="0813-0000-2027")
INVITED_AGENCY = "PROV-12"


@transaction.atomic
def load_demo_registrations(*, program: Program | None = None) -> int:
    """Enter the examples that are not there yet (in the 2019 programme unless another
    is given); returns how many were entered."""
    from kompeten.home.demo import DEMO_PASSWORD  # home builds the demo on top of this app

    program = program or Program.objects.get(code="2019")
    existing = set(Registration.objects.filter(program=program,
                                               nip__in=[e.nip for e in EXAMPLES])
                   .values_list("nip", flat=True))
    entered = 0
    for example in EXAMPLES:
        if example.nip in existing:
            continue
        _enter(example, program=program, password=DEMO_PASSWORD)
        entered += 1
    return entered



@transaction.atomic
def load_demo_invited(*, program: Program) -> bool:
    """One invited official of the demo operator's agency, so the operator has someone
    to follow up during registration. Returns whether it was created."""
    if Registration.objects.filter(program=program, nip=INVITED_NOMINEE.nip).exists():
        return False
    registration = nominations.nominate(
        program=program, agency=Agency.objects.get(code=INVITED_AGENCY),
        level=Level.objects.get(code="administrator"), nominee=INVITED_NOMINEE, by=None)
    services.invite(registration=registration)
    return True
