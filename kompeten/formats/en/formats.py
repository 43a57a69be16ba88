# Day, month name, year in both languages ("6 Mei 2019" / "6 May 2019"): Django's
# Indonesian short date "06-05-2019" and English "05/06/2019" read as different days.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
