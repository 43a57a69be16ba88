import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kompeten.registration.identity import normalise_phone, parse_nip, plain_name

TODAY = dt.date(2026, 11, 24)


def test_nip_of_the_source_signatory_is_decoded():
    info = parse_nip("196102121985091001", today=TODAY)
    assert info.birth_date == dt.date(1961, 2, 12)
    assert info.appointment == (1985, 9)
    assert info.gender == "L"
    assert info.serial == "001"


def test_female_gender_digit():
    assert parse_nip("199001012015032001", today=TODAY).gender == "P"


@pytest.mark.parametrize(("nip", "fragment"), [
    ("19610212198509100", "18 angka"),              # 17 digits
    ("1961021219850910011", "18 angka"),            # 19 digits
    ("19610212198509100A", "18 angka"),             # a letter
    ("196102301985091001", "tidak ada di kalender"),  # 30 February
    ("196113121985091001", "tidak ada di kalender"),  # month 13
    ("196102121985131001", "bulan pengangkatan"),   # appointment month 13
    ("196102121975091001", "sebelum usia 18"),      # appointed at 14
    ("196102121979011001", "sebelum usia 18"),      # one month short of 18
    ("196102121985093001", "jenis kelamin"),        # gender digit 3
    ("196102121985090001", "jenis kelamin"),        # gender digit 0
    ("196102122030011001", "masa depan"),           # appointment in the future
    ("203001011985091001", "tahun lahir"),          # born in the future
])
def test_impossible_nips_are_refused_with_the_reason(nip, fragment):
    with pytest.raises(ValidationError) as caught:
        parse_nip(nip, today=TODAY)
    assert fragment in caught.value.messages[0]


def test_appointment_in_the_month_of_the_eighteenth_birthday_is_allowed():
    assert parse_nip("196102121979021001", today=TODAY).appointment == (1979, 2)


def test_pppk_numbers_are_only_checked_for_length_and_birth_date():
    # Positions 9-18 follow another layout: gender digit 7 and month 00 are fine.
    info = parse_nip("198507202021007123", is_pppk=True, today=TODAY)
    assert info.birth_date == dt.date(1985, 7, 20)
    assert info.gender is None and info.appointment is None
    with pytest.raises(ValidationError, match="kalender"):
        parse_nip("198513202021007123", is_pppk=True, today=TODAY)
    with pytest.raises(ValidationError, match="18 angka"):
        parse_nip("19850720202100712", is_pppk=True, today=TODAY)


@pytest.mark.parametrize(("full", "plain"), [
    ("Drs. AP, M.Si.", "AP"),
    ("Dr. Ahmad Jalis, M.A.", "Ahmad Jalis"),
    ("Dr. Ir. H. Budi Santoso, M.T., Ph.D.", "Budi Santoso"),
    ("Arm, S.Sos", "Arm"),
    ("Sri Rahayu", "Sri Rahayu"),
    ("M. Rizki Ramadhan, S.E.", "M. Rizki Ramadhan"),
    ("Prof.", "Prof."),
])
def test_plain_name_drops_titles_only(full, plain):
    assert plain_name(full) == plain


@pytest.mark.parametrize(("raw", "normal"), [
    ("081310713132", "+6281310713132"),
    ("0813-1071-3132", "+6281310713132"),
    ("+62 813 1071 3132", "+6281310713132"),
    ("6281310713132", "+6281310713132"),
    ("(021) 8765432", "+62218765432"),
])
def test_phone_numbers_are_normalised_to_plus_62(raw, normal):
    assert normalise_phone(raw) == normal


@pytest.mark.parametrize("raw", ["+1 202 555 0100", "12345", "0813-abc", "00813"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)
