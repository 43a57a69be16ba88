"""What goes into one announcement letter, as plain data (reads only; the PDF draws it)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.db.models import Count, F, Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse

from kompeten.letters import wording
from kompeten.letters.models import LetterSettings
from kompeten.programs.models import Agency, AgencyKind, Program


@dataclass(frozen=True)
class ScheduleRow:
    no: int
    name: str
    days: int | str  # "2-3" on a row that sums up batches of different lengths
    participants: int
    dates: str


# Up to this many batches the Lampiran lists every batch (the 2019 letter: 50); a national
# programme (3,000 batches: a 100-page letter, 10 s to draw) gets one row per level and
# month instead, and the letter points to the public schedule for the batches.
SCHEDULE_ROWS_MAX = 100


@dataclass(frozen=True)
class ProgramFacts:
    """Programme data shared by every letter of a run (computed once per job)."""

    program: Program
    values: dict  # the body's placeholders
    schedule: tuple[ScheduleRow, ...]
    schedule_note: str = ""  # where the batches are listed, when the rows sum them up


@dataclass(frozen=True)
class LetterContent:
    number: str
    date: str
    place: str
    attachment: str
    subject: str
    addressee: str
    body: tuple[str, ...]
    tembusan: tuple[str, ...]
    notes: tuple[str, ...]
    signatory_title: str
    signatory_name: str
    signatory_nip: str
    letterhead_address: str
    year: int
    schedule: tuple[ScheduleRow, ...]
    agency_name: str
    schedule_note: str = ""


class _BlankSeq:
    """Stands for the sequence number of a letter not yet numbered (a draft)."""

    def __format__(self, spec: str) -> str:
        return "\u00a0" * 8


def nomination_url() -> str:
    return django_settings.SITE_URL + reverse("nominations:nominate")


def program_facts(*, program: Program) -> ProgramFacts:
    """Schedule rows and the body's placeholder values: one query for a programme of up to
    SCHEDULE_ROWS_MAX batches (a row per batch), two for a larger one (a row per level and
    month, summed up in the database: no batch is loaded)."""
    batches = list(program.batches.select_related("level")
                   .order_by("number")[:SCHEDULE_ROWS_MAX + 1])
    if len(batches) > SCHEDULE_ROWS_MAX:
        return _summed_up_facts(program=program)
    schedule = tuple(
        ScheduleRow(no=index, participants=batch.capacity, days=batch.days,
                    name=f"Pelatihan Teknis Kepegawaian dan Sertifikasi Akt {batch.number} "
                         f"({batch.level.name})",
                    dates=wording.date_range(batch.start_date, batch.end_date))
        for index, batch in enumerate(batches, start=1))
    levels = sorted({(b.level.order, b.level.name) for b in batches})
    common_days = Counter(b.days for b in batches).most_common(1)
    values = _values(program=program, participants=sum(b.capacity for b in batches),
                     levels=[name for _order, name in levels],
                     days=common_days[0][0] if common_days else 2, batches=len(batches))
    return ProgramFacts(program=program, values=values, schedule=schedule)


def _values(*, program: Program, participants: int, levels: list[str], days: int,
            batches: int) -> dict:
    return {
        "program": program.name, "year": program.year, "participants": participants,
        "levels": wording.joined(levels), "days": wording.counted(days), "batches": batches,
        "site": urlsplit(django_settings.SITE_URL).netloc or django_settings.SITE_URL,
        "nomination_url": nomination_url(),
    }


def schedule_url(*, program: Program) -> str:
    """The public schedule of the programme's batches (programs:schedule)."""
    return f"{django_settings.SITE_URL}{reverse('programs:schedule')}?tahun={program.code}"


def _summed_up_facts(*, program: Program) -> ProgramFacts:
    """One row per (month, level): how many batches, their numbers, seats and dates."""
    groups = (program.batches.annotate(month=TruncMonth("start_date"),
                                       length=F("end_date") - F("start_date"))
              .values("month", "level__order", "level__name", "length")
              .annotate(count=Count("pk"), first=Min("number"), last=Max("number"),
                        seats=Sum("capacity"), start=Min("start_date"), end=Max("end_date"))
              .order_by("month", "level__order", "length"))
    rows: dict[tuple, dict] = {}
    lengths: Counter = Counter()
    levels = set()
    for group in groups:
        days = group["length"].days + 1
        lengths[days] += group["count"]
        levels.add((group["level__order"], group["level__name"]))
        row = rows.setdefault((group["month"], group["level__order"]), {
            "level": group["level__name"], "count": 0, "first": group["first"],
            "last": group["last"], "seats": 0, "start": group["start"], "end": group["end"],
            "days": set()})
        row["count"] += group["count"]
        row["seats"] += group["seats"] or 0
        row["first"], row["last"] = min(row["first"], group["first"]), max(row["last"],
                                                                          group["last"])
        row["start"], row["end"] = min(row["start"], group["start"]), max(row["end"],
                                                                          group["end"])
        row["days"].add(days)
    schedule = tuple(
        ScheduleRow(no=index, participants=row["seats"],
                    days=(str(min(row["days"])) if len(row["days"]) == 1
                          else f"{min(row['days'])}-{max(row['days'])}"),
                    name=f"Pelatihan Teknis Kepegawaian dan Sertifikasi ({row['level']}): "
                         f"{row['count']} angkatan, Akt {row['first']}-{row['last']}",
                    dates=wording.date_range(row["start"], row["end"]))
        for index, row in enumerate(rows.values(), start=1))
    values = _values(program=program, participants=sum(r.participants for r in schedule),
                     levels=[name for _order, name in sorted(levels)],
                     days=lengths.most_common(1)[0][0] if lengths else 2,
                     batches=sum(row["count"] for row in rows.values()))
    note = ("Tabel ini merangkum angkatan per bulan dan jenjang; tanggal setiap angkatan "
            f"tercantum pada jadwal di {schedule_url(program=program)}")
    return ProgramFacts(program=program, values=values, schedule=schedule, schedule_note=note)


def letter_number(*, number_format: str, seq: int | None, date: dt.date) -> str:
    """The number for sequence seq (blank for a draft) dated date."""
    return wording.fill(number_format, {
        "seq": _BlankSeq() if seq is None else seq, "month_roman": wording.roman_month(date),
        "month": date.month, "year": date.year})


def addressee(*, letter_settings: LetterSettings, agency: Agency) -> str:
    central = agency.kind in (AgencyKind.KL_PUSAT, AgencyKind.BKN)
    pattern = letter_settings.addressee_central if central else letter_settings.addressee_regional
    return wording.fill(pattern, {"agency": agency.name})


def compose(*, letter_settings: LetterSettings, facts: ProgramFacts, agency: Agency,
            number: str, date: dt.date) -> LetterContent:
    program = facts.program
    return LetterContent(
        number=number, date=wording.long_date(date), place=letter_settings.place,
        attachment=letter_settings.attachment, subject=letter_settings.subject,
        addressee=addressee(letter_settings=letter_settings, agency=agency),
        body=tuple(wording.fill(p, facts.values)
                   for p in wording.paragraphs(letter_settings.body)),
        tembusan=tuple(wording.lines(letter_settings.tembusan)),
        notes=tuple(wording.lines(letter_settings.notes)),
        signatory_title=program.signatory_title, signatory_name=program.signatory_name,
        signatory_nip=program.signatory_nip,
        letterhead_address=letter_settings.letterhead_address, year=program.year,
        schedule=facts.schedule, agency_name=agency.name, schedule_note=facts.schedule_note)


def draft(*, letter_settings: LetterSettings, facts: ProgramFacts, agency: Agency
          ) -> LetterContent:
    """The letter an agency would get now, before it has a number (organiser's preview)."""
    date = letter_settings.letter_date
    number = letter_number(number_format=letter_settings.number_format, seq=None, date=date)
    return compose(letter_settings=letter_settings, facts=facts, agency=agency, number=number,
                   date=date)
