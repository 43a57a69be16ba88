"""What goes into one announcement letter, as plain data (reads only; the PDF draws it)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.urls import reverse

from kompeten.letters import wording
from kompeten.letters.models import LetterSettings
from kompeten.programs.models import Agency, AgencyKind, Program


@dataclass(frozen=True)
class ScheduleRow:
    no: int
    name: str
    days: int
    participants: int
    dates: str


@dataclass(frozen=True)
class ProgramFacts:
    """Programme data shared by every letter of a run (computed once per job)."""

    program: Program
    values: dict  # the body's placeholders
    schedule: tuple[ScheduleRow, ...]


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


class _BlankSeq:
    """Stands for the sequence number of a letter not yet numbered (a draft)."""

    def __format__(self, spec: str) -> str:
        return "\u00a0" * 8


def nomination_url() -> str:
    return django_settings.SITE_URL + reverse("nominations:nominate")


def program_facts(*, program: Program) -> ProgramFacts:
    """Schedule rows and the body's placeholder values (one query)."""
    batches = list(program.batches.select_related("level").order_by("number"))
    schedule = tuple(
        ScheduleRow(no=index, participants=batch.capacity, days=batch.days,
                    name=f"Pelatihan Teknis Kepegawaian dan Sertifikasi Akt {batch.number} "
                         f"({batch.level.name})",
                    dates=wording.date_range(batch.start_date, batch.end_date))
        for index, batch in enumerate(batches, start=1))
    levels = sorted({(b.level.order, b.level.name) for b in batches})
    common_days = Counter(b.days for b in batches).most_common(1)
    values = {
        "program": program.name, "year": program.year,
        "participants": sum(b.capacity for b in batches),
        "levels": wording.joined(name for _order, name in levels),
        "days": wording.counted(common_days[0][0] if common_days else 2),
        "batches": len(batches),
        "site": urlsplit(django_settings.SITE_URL).netloc or django_settings.SITE_URL,
        "nomination_url": nomination_url(),
    }
    return ProgramFacts(program=program, values=values, schedule=schedule)


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
        schedule=facts.schedule, agency_name=agency.name)


def draft(*, letter_settings: LetterSettings, facts: ProgramFacts, agency: Agency
          ) -> LetterContent:
    """The letter an agency would get now, before it has a number (organiser's preview)."""
    date = letter_settings.letter_date
    number = letter_number(number_format=letter_settings.number_format, seq=None, date=date)
    return compose(letter_settings=letter_settings, facts=facts, agency=agency, number=number,
                   date=date)
