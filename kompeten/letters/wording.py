"""Indonesian wording of official letters: dates, month abbreviations, Roman numerals,
numbers in words, and placeholders in the organiser's texts (all pure functions).

Official letters are always written in Indonesian, whatever the reader's UI language,
so the month names here are fixed rather than taken from the active locale.
"""

import datetime as dt
import string
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]
# As in the schedule attached to the 2019 letter ("31 Jul-1 Ags").
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Ags", "Sep", "Okt", "Nov", "Des"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

_ONES = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
         "sembilan", "sepuluh", "sebelas"]


def long_date(day: dt.date) -> str:
    """24 Maret 2019."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_range(start: dt.date, end: dt.date) -> str:
    """A batch's days as in the 2019 schedule: "6-7 Mei", "31 Jul-1 Ags", "6 Mei"."""
    if start == end:
        return f"{start.day} {MONTH_ABBR[start.month - 1]}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {MONTH_ABBR[end.month - 1]}"
    return (f"{start.day} {MONTH_ABBR[start.month - 1]}-"
            f"{end.day} {MONTH_ABBR[end.month - 1]}")


def roman_month(day: dt.date) -> str:
    return ROMAN[day.month - 1]


def in_words(number: int) -> str:
    """Terbilang: 2 -> "dua", 15 -> "lima belas", 1500 -> "seribu lima ratus"."""
    if number < 0:
        return f"minus {in_words(-number)}"
    if number < 12:
        return _ONES[number]
    if number < 20:
        return f"{_ONES[number - 10]} belas"
    if number < 100:
        tens, rest = divmod(number, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[rest]}" if rest else "")
    for size, word in ((1_000_000_000, "miliar"), (1_000_000, "juta"), (1000, "ribu"),
                       (100, "ratus")):
        if number >= size:
            head, rest = divmod(number, size)
            if head == 1 and size in (100, 1000):
                text = "seratus" if size == 100 else "seribu"
            else:
                text = f"{in_words(head)} {word}"
            return text + (f" {in_words(rest)}" if rest else "")
    raise AssertionError("unreachable")  # pragma: no cover


def counted(number: int) -> str:
    """2 -> "2 (dua)", the way letters write quantities."""
    return f"{number} ({in_words(number)})"


def joined(items: Iterable[str]) -> str:
    """["A", "B", "C"] -> "A, B dan C"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} dan {items[-1]}"


def lines(text: str) -> list[str]:
    """Non-empty lines, stripped (tembusan, catatan)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by a blank line; line breaks inside one are joined."""
    blocks, current = [], []
    for line in (text or "").splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def placeholder_names(text: str) -> set[str]:
    """The {name} placeholders of a text; ValueError for unbalanced braces."""
    return {field.split(".")[0].split("[")[0]
            for _literal, field, _spec, _conv in string.Formatter().parse(text or "")
            if field is not None}


def check_placeholders(text: str, allowed: Mapping[str, object], *, required: Iterable[str] = ()
                       ) -> None:
    """ValidationError in Indonesian for an unknown, missing or malformed placeholder.

    allowed maps each placeholder to a sample value used to try the text out.
    """
    available = ", ".join(f"{{{name}}}" for name in allowed)
    try:
        names = placeholder_names(text)
    except ValueError as exc:
        raise ValidationError(
            _("Kurung kurawal { } tidak berpasangan. Penanda ditulis seperti {year}; "
              "penanda yang tersedia: %(available)s.") % {"available": available}) from exc
    unknown = sorted(name or "{}" for name in names - set(allowed))
    if unknown:
        raise ValidationError(
            _("Penanda tidak dikenal: %(unknown)s. Penanda yang tersedia: %(available)s.")
            % {"unknown": ", ".join(f"{{{n}}}" if n != "{}" else n for n in unknown),
               "available": available})
    missing = [name for name in required if name not in names]
    if missing:
        raise ValidationError(_("Penanda %(missing)s wajib ada.")
                              % {"missing": ", ".join(f"{{{n}}}" for n in missing)})
    try:
        fill(text, allowed)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValidationError(
            _("Penanda tidak dapat diisi (%(error)s). Tulis penanda seperti {year} atau "
              "{seq:03d}.") % {"error": exc}) from exc


def fill(text: str, values: Mapping[str, object]) -> str:
    """Replace the placeholders (after check_placeholders has accepted the text)."""
    return (text or "").format_map(values)
