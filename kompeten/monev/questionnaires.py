"""Building questionnaires: the defaults of a programme (the seed's five parts for the
participant, a shorter one for the supervisor) and the organiser's editor."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kompeten.monev.models import (
    TEXT_MAX,
    Audience,
    Item,
    ItemKind,
    Questionnaire,
    Section,
    Theme,
)
from kompeten.programs.models import Program

# The defaults are stored in Indonesian (the UI language), whatever the organiser's language.
L, F, C, N, T, M, S = ("likert", "frequency", "choice", "number", "text", "milestones",
                       "supervisor")

PARTICIPANT_DEFAULT = (
    gettext_noop("Monev pascapelatihan: peserta"),
    gettext_noop("Kuesioner ini menanyakan penerapan rencana tindak lanjut (RTL) Anda dan "
                 "dampak pelatihan terhadap kinerja."),
    [
        (gettext_noop("Identitas peserta"), [
            (T, Theme.IDENTITY, gettext_noop("Jabatan Anda saat ini"), True, {"max_length": 250}),
            (T, Theme.IDENTITY, gettext_noop("Unit kerja Anda saat ini"), False,
             {"max_length": 250}),
            (C, Theme.IDENTITY, gettext_noop("Apakah jabatan Anda berubah sejak pelatihan?"),
             True, {"options": "Tidak berubah\nPromosi\nMutasi/rotasi\nLainnya"}),
        ]),
        (gettext_noop("Identitas mentor/atasan saat ini"), [
            (S, Theme.IDENTITY, gettext_noop("Mentor/atasan langsung Anda saat ini"), False, {}),
        ]),
        (gettext_noop("Progres rencana tindak lanjut"), [
            (M, Theme.PROGRESS, gettext_noop("Langkah kerja RTL Anda"), False, {}),
            (F, Theme.APPLICATION, gettext_noop(
                "Saya menerapkan pengetahuan dan keterampilan dari pelatihan dalam pekerjaan."),
             True, {}),
            (F, Theme.APPLICATION, gettext_noop(
                "Saya membagikan materi pelatihan kepada rekan kerja."), True, {}),
        ]),
        (gettext_noop("Dampak pelatihan terhadap kinerja"), [
            (L, Theme.IMPACT, gettext_noop(
                "Pelatihan meningkatkan kinerja saya dalam manajemen ASN."), True, {}),
            (L, Theme.IMPACT, gettext_noop(
                "Pelatihan meningkatkan kinerja unit kerja saya."), True, {}),
            (L, Theme.SUPPORT, gettext_noop(
                "Atasan saya mendukung penerapan rencana tindak lanjut."), True, {}),
            (N, Theme.IMPACT, gettext_noop(
                "Berapa kebijakan/prosedur yang Anda susun atau perbaiki sejak pelatihan?"),
             False, {"min_value": 0, "max_value": 100}),
        ]),
        (gettext_noop("Saran"), [
            (T, Theme.SUGGESTION, gettext_noop("Saran dan masukan untuk pelatihan ini"), False,
             {"max_length": 2000}),
        ]),
    ],
)

SUPERVISOR_DEFAULT = (
    gettext_noop("Monev pascapelatihan: atasan/mentor"),
    gettext_noop("Bapak/Ibu diminta menilai penerapan hasil pelatihan oleh pegawai yang "
                 "Bapak/Ibu bina."),
    [
        (gettext_noop("Penerapan rencana tindak lanjut"), [
            (C, Theme.APPLICATION, gettext_noop(
                "Apakah pegawai menerapkan rencana tindak lanjutnya?"), True,
             {"options": "Ya, seluruhnya\nYa, sebagian\nBelum"}),
            (F, Theme.APPLICATION, gettext_noop(
                "Pegawai menerapkan pengetahuan dan keterampilan dari pelatihan dalam "
                "pekerjaan."), True, {}),
        ]),
        (gettext_noop("Perubahan kinerja"), [
            (L, Theme.IMPACT, gettext_noop(
                "Pelatihan meningkatkan kinerja pegawai dalam manajemen ASN."), True, {}),
            (L, Theme.IMPACT, gettext_noop(
                "Pelatihan meningkatkan kinerja unit kerja."), True, {}),
        ]),
        (gettext_noop("Dukungan yang diberikan"), [
            (L, Theme.SUPPORT, gettext_noop(
                "Saya mendukung penerapan rencana tindak lanjut pegawai."), True, {}),
            (T, Theme.SUPPORT, gettext_noop("Dukungan apa yang Bapak/Ibu berikan?"), False,
             {"max_length": 1000}),
        ]),
        (gettext_noop("Saran"), [
            (T, Theme.SUGGESTION, gettext_noop("Saran dan masukan untuk pelatihan ini"), False,
             {"max_length": 2000}),
        ]),
    ],
)

DEFAULTS = {Audience.PARTICIPANT: PARTICIPANT_DEFAULT, Audience.SUPERVISOR: SUPERVISOR_DEFAULT}


@transaction.atomic
def ensure_defaults(*, program: Program) -> dict[str, Questionnaire]:
    """The programme's two questionnaires, created with the default content when missing."""
    found = {q.audience: q for q in Questionnaire.objects.filter(program=program)}
    for audience, (title, intro, sections) in DEFAULTS.items():
        if audience in found:
            continue
        questionnaire = Questionnaire.objects.create(program=program, audience=audience,
                                                     title=title, intro=intro)
        items = []
        for s_order, (s_title, rows) in enumerate(sections, start=1):
            section = Section.objects.create(questionnaire=questionnaire, order=s_order,
                                             title=s_title)
            for i_order, (kind, theme, text, required, extra) in enumerate(rows, start=1):
                items.append(Item(section=section, order=i_order, kind=kind, theme=theme,
                                  text=text, required=required, **extra))
        Item.objects.bulk_create(items)
        found[audience] = questionnaire
    return found


@dataclass(frozen=True)
class ItemData:
    kind: str
    text: str
    theme: str = Theme.OTHER
    required: bool = False
    options: str = ""
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = 1000


def _check(data: ItemData, audience: str) -> None:
    if data.kind not in ItemKind.values or data.theme not in Theme.values:
        raise ValidationError(_("Jenis atau tema butir tidak dikenal."), code="kind")
    if not data.text.strip() or len(data.text) > 500:
        raise ValidationError(_("Tulis pertanyaan (paling banyak 500 karakter)."), code="text")
    if data.kind in (ItemKind.MILESTONES, ItemKind.SUPERVISOR) and (
            audience != Audience.PARTICIPANT):
        raise ValidationError(_("Butir ini hanya untuk kuesioner peserta."), code="audience")
    if data.kind == ItemKind.CHOICE and len([o for o in data.options.splitlines()
                                             if o.strip()]) < 2:
        raise ValidationError(_("Butir pilihan perlu paling sedikit dua pilihan, satu per "
                                "baris."), code="options")
    if len(data.options) > TEXT_MAX:
        raise ValidationError(_("Daftar pilihan terlalu panjang."), code="options")
    if (data.min_value is not None and data.max_value is not None
            and data.min_value > data.max_value):
        raise ValidationError(_("Nilai minimal tidak boleh melebihi nilai maksimal."),
                              code="range")
    if not 1 <= data.max_length <= TEXT_MAX:
        raise ValidationError(_("Panjang maksimal harus 1 sampai %(max)s karakter.")
                              % {"max": TEXT_MAX}, code="max_length")


def _fields(data: ItemData) -> dict:
    numeric = data.kind == ItemKind.NUMBER
    return {"kind": data.kind, "text": data.text.strip(), "theme": data.theme,
            "required": data.required and data.kind not in (ItemKind.MILESTONES,
                                                            ItemKind.SUPERVISOR),
            "options": data.options.strip() if data.kind == ItemKind.CHOICE else "",
            "min_value": data.min_value if numeric else None,
            "max_value": data.max_value if numeric else None,
            "max_length": data.max_length}


@transaction.atomic
def add_section(*, questionnaire: Questionnaire, title: str, description: str = "") -> Section:
    if not title.strip() or len(title) > 200 or len(description) > TEXT_MAX:
        raise ValidationError(_("Tulis judul bagian (paling banyak 200 karakter)."),
                              code="title")
    Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    last = questionnaire.sections.aggregate(n=Max("order"))["n"] or 0
    return Section.objects.create(questionnaire=questionnaire, order=last + 1,
                                  title=title.strip(), description=description.strip())


@transaction.atomic
def add_item(*, section: Section, data: ItemData) -> Item:
    _check(data, section.questionnaire.audience)
    Section.objects.select_for_update().get(pk=section.pk)
    last = section.items.aggregate(n=Max("order"))["n"] or 0
    return Item.objects.create(section=section, order=last + 1, **_fields(data))


@transaction.atomic
def update_item(*, item: Item, data: ItemData) -> Item:
    _check(data, item.section.questionnaire.audience)
    if data.kind != item.kind and item.answers.exists():
        raise ValidationError(_("Butir ini sudah dijawab; jenisnya tidak dapat diubah."),
                              code="answered")
    for name, value in _fields(data).items():
        setattr(item, name, value)
    item.save()
    return item


@transaction.atomic
def delete_item(*, item: Item) -> None:
    if item.answers.exists():
        raise ValidationError(_("Butir ini sudah dijawab dan tidak dapat dihapus; ubah "
                                "teksnya bila perlu."), code="answered")
    item.delete()
