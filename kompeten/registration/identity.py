"""Identity rules: NIP, names with academic titles, Indonesian phone numbers.

Pure functions, no database. Messages are Indonesian (the msgid) and name the
exact problem so that an operator can fix the row.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_AGE_AT_APPOINTMENT = 18


@dataclass(frozen=True)
class NipInfo:
    birth_date: dt.date
    appointment: tuple[int, int] | None  # (year, month) of CPNS appointment; None for PPPK
    gender: str | None  # "L" (laki-laki) or "P" (perempuan); None for PPPK
    serial: str | None


def parse_nip(nip: str, *, is_pppk: bool = False, today: dt.date | None = None) -> NipInfo:
    """Check an 18-digit NIP and derive what it encodes.

    PNS: birth date YYYYMMDD + CPNS appointment YYYYMM + gender (1/2) + serial (3 digits).
    PPPK numbers have another layout: only the length and the birth date are checked.
    """
    today = today or dt.date.today()
    value = (nip or "").strip().replace(" ", "")
    if not value.isdigit() or len(value) != 18:
        raise ValidationError(_("NIP harus terdiri dari 18 angka (tertulis %(count)s karakter).")
                              % {"count": len(value)}, code="nip_length")
    try:
        birth = dt.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError as exc:
        raise ValidationError(
            _("NIP: tanggal lahir %(text)s (8 angka pertama, TTTTBBHH) tidak ada di kalender.")
            % {"text": value[0:8]}, code="nip_birth_date") from exc
    if birth.year < 1900 or birth > today:
        raise ValidationError(_("NIP: tahun lahir %(year)s tidak mungkin.") % {"year": birth.year},
                              code="nip_birth_date")
    if is_pppk:
        return NipInfo(birth_date=birth, appointment=None, gender=None, serial=None)
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("NIP: bulan pengangkatan CPNS %(month)s (angka ke-13 dan 14) tidak valid.")
            % {"month": value[12:14]}, code="nip_appointment")
    if (year, month) > (today.year, today.month):
        raise ValidationError(_("NIP: pengangkatan CPNS %(month)s/%(year)s ada di masa depan.")
                              % {"month": value[12:14], "year": year}, code="nip_appointment")
    age_months = (year - birth.year) * 12 + (month - birth.month)
    if age_months < MIN_AGE_AT_APPOINTMENT * 12:
        raise ValidationError(
            _("NIP: pengangkatan CPNS %(month)s/%(year)s terjadi sebelum usia 18 tahun "
              "(lahir %(birth)s).")
            % {"month": value[12:14], "year": year, "birth": birth.strftime("%d-%m-%Y")},
            code="nip_appointment")
    gender_digit = value[14]
    if gender_digit not in "12":
        raise ValidationError(
            _("NIP: angka jenis kelamin (angka ke-15) harus 1 (laki-laki) atau 2 (perempuan), "
              "bukan %(digit)s.") % {"digit": gender_digit}, code="nip_gender")
    return NipInfo(birth_date=birth, appointment=(year, month),
                   gender="L" if gender_digit == "1" else "P", serial=value[15:18])


# Academic and religious titles written before a name ("Dr. Ir. H. Ahmad").
PREFIX_TITLES = {
    "prof", "dr", "drs", "dra", "ir", "h", "hj", "drg", "apt", "ns", "kh", "r", "rr",
}


def plain_name(full_name: str) -> str:
    """The name without academic titles, for sorting: "Drs. AP, M.Si." -> "AP"."""
    head = full_name.split(",", 1)[0].strip()
    tokens = head.split()
    while len(tokens) > 1 and tokens[0].rstrip(".").lower() in PREFIX_TITLES \
            and tokens[0].endswith("."):
        tokens.pop(0)
    return " ".join(tokens)


PHONE_DIGITS = re.compile(r"[\s\-().]")


def normalise_phone(phone: str) -> str:
    """Indonesian phone numbers as +62…: "0813-1071-3132" -> "+6281310713132"."""
    raw = PHONE_DIGITS.sub("", (phone or "").strip())
    if raw.startswith("+"):
        raw = raw[1:]
        if not raw.startswith("62"):
            raise ValidationError(_("Nomor telepon harus nomor Indonesia (+62)."),
                                  code="phone_country")
    if raw.startswith("62"):
        national = raw[2:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        national = raw
    if not national.isdigit() or not 7 <= len(national) <= 13 or national.startswith("0"):
        raise ValidationError(
            _("Nomor telepon tidak valid: tulis seperti 081310713132 atau +6281310713132."),
            code="phone_invalid")
    return f"+62{national}"
