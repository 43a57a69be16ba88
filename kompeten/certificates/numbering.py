"""Certificate numbers: a pattern per programme and kind, a gapless sequence per programme
and kind taken under a row lock, inside the transaction that records the certificate (a
rolled-back issuance gives its number back)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kompeten.certificates.models import NumberCounter
from kompeten.programs.models import Level, Program

LEVEL_CODES = {"jpt-pratama": "JPT", "administrator": "ADM", "pengawas": "PGW"}


def level_code(level: Level | None) -> str:
    if level is None:
        return "-"
    return LEVEL_CODES.get(level.code, level.code.upper().replace("-", ""))


def format_number(pattern: str, *, seq: int, level: str, year: int) -> str:
    return pattern.format(seq=seq, level=level, year=year)


def check_pattern(pattern: str) -> None:
    """Refuse a pattern without the sequence or with unknown fields."""
    if "{seq" not in pattern:
        raise ValidationError(_("Pola nomor harus memuat {seq}, mis. {seq:05}."))
    try:
        first = format_number(pattern, seq=1, level="PGW", year=2026)
        second = format_number(pattern, seq=2, level="PGW", year=2026)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(
            _("Pola nomor tidak dapat dipakai: hanya {seq}, {level} dan {year}.")) from exc
    if first == second:
        raise ValidationError(_("Pola nomor harus memuat {seq}, mis. {seq:05}."))


def take(*, program: Program, kind: str) -> int:
    """The next sequence number (call inside the issuing transaction)."""
    # INSERT … ON CONFLICT DO NOTHING: two first issuances never collide on creating the row.
    NumberCounter.objects.bulk_create([NumberCounter(program=program, kind=kind)],
                                      ignore_conflicts=True)
    counter = NumberCounter.objects.select_for_update().get(program=program, kind=kind)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
